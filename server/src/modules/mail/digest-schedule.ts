/**
 * When a member's digest is due, decided on their wall clock: the period is named by the local
 * date on which its hour began (`daily:2026-03-08`, `weekly:2026-03-02`). A period's name is the
 * same all through it, so a digest is due once per name (digest_runs has it as part of its key),
 * whatever the timer, a restart or a daylight-saving change do: on the night the clocks go
 * forward an hour that does not exist begins at the next one; when they go back, an hour that
 * happens twice is still one date.
 */
import { isTimeZone, type DigestFrequency } from '@lexforum/shared';

export interface DigestSchedule {
  frequency: DigestFrequency;
  weekday: number;
  hour: number;
  timeZone: string;
}

interface LocalTime {
  /** `YYYY-MM-DD` */
  date: string;
  hour: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A stored zone this runtime does not know (saved by an older one, or written by hand) is read as
 * UTC: the member still gets their digest, an hour or so off, rather than an error.
 */
export const knownTimeZone = (zone: string): string => (isTimeZone(zone) ? zone : 'UTC');

function localTime(now: Date, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
      numberingSystem: 'latn',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) % 24 };
}

/** Calendar arithmetic on a `YYYY-MM-DD` date (no time zone involved). */
function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * The period current at `now`: the latest local date (on the schedule's weekday, weekly) whose
 * digest hour has begun. Null when the digest is off.
 */
export function currentDigestPeriod(schedule: DigestSchedule, now: Date): string | null {
  if (schedule.frequency === 'off') return null;
  const local = localTime(now, knownTimeZone(schedule.timeZone));
  let date = local.hour >= schedule.hour ? local.date : shiftDate(local.date, -1);
  if (schedule.frequency === 'weekly') {
    while (weekdayOf(date) !== schedule.weekday) date = shiftDate(date, -1);
  }
  return `${schedule.frequency}:${date}`;
}

/** How far back a first digest looks (later ones: since the one before). */
export const DIGEST_SPAN_MS: Record<Exclude<DigestFrequency, 'off'>, number> = {
  daily: 24 * 3600_000,
  weekly: 7 * 24 * 3600_000,
};
