import { describe, expect, it } from 'vitest';
import { currentDigestPeriod, type DigestSchedule } from './digest-schedule.js';

const daily = (timeZone: string, hour: number): DigestSchedule => ({ frequency: 'daily', weekday: 0, hour, timeZone });

describe('Digest periods', () => {
  it('names a period by the local date its hour began on, in the member time zone', () => {
    const at = new Date('2026-11-22T09:00:00Z');
    // 18:00 in Tokyo, 04:00 in New York.
    expect(currentDigestPeriod(daily('Asia/Tokyo', 8), at)).toBe('daily:2026-11-22');
    expect(currentDigestPeriod(daily('America/New_York', 8), at)).toBe('daily:2026-11-21');
    expect(currentDigestPeriod(daily('UTC', 9), at)).toBe('daily:2026-11-22');
    expect(currentDigestPeriod(daily('UTC', 10), at)).toBe('daily:2026-11-21');
    expect(currentDigestPeriod({ ...daily('UTC', 8), frequency: 'off' }, at)).toBeNull();
  });

  it('weekly: the latest chosen weekday whose hour has begun', () => {
    const weekly = (weekday: number, hour: number): DigestSchedule => ({
      frequency: 'weekly',
      weekday,
      hour,
      timeZone: 'UTC',
    });
    // 2026-11-22 is a Sunday.
    expect(currentDigestPeriod(weekly(0, 8), new Date('2026-11-22T09:00:00Z'))).toBe('weekly:2026-11-22');
    expect(currentDigestPeriod(weekly(0, 10), new Date('2026-11-22T09:00:00Z'))).toBe('weekly:2026-11-15');
    expect(currentDigestPeriod(weekly(1, 8), new Date('2026-11-22T09:00:00Z'))).toBe('weekly:2026-11-16');
  });

  it('starts each day once across daylight-saving changes, even at an hour that does not exist', () => {
    // New York springs forward on 2027-03-14 (02:00 does not exist) and falls back on 2027-11-07
    // (01:00 happens twice). Hour by hour over each, the period changes once a day.
    for (const [from, hour] of [
      ['2027-03-12T00:00:00Z', 2],
      ['2027-11-05T00:00:00Z', 1],
    ] as const) {
      const seen: string[] = [];
      for (let h = 0; h < 96; h++) {
        const period = currentDigestPeriod(daily('America/New_York', hour), new Date(Date.parse(from) + h * 3600_000))!;
        if (seen.at(-1) !== period) seen.push(period);
      }
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
    }
    // On the spring-forward day, the 02:00 digest comes at 03:00 local (07:00 UTC).
    const schedule = daily('America/New_York', 2);
    expect(currentDigestPeriod(schedule, new Date('2027-03-14T06:59:00Z'))).toBe('daily:2027-03-13');
    expect(currentDigestPeriod(schedule, new Date('2027-03-14T07:00:00Z'))).toBe('daily:2027-03-14');
  });
});
