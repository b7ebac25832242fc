import { describe, expect, it } from 'vitest';
import { FailureThrottle } from './throttle.js';

class FakeClock {
  t = 0;
  now = () => new Date(this.t);
}

describe('FailureThrottle', () => {
  const rule = { maxFailures: 3, windowSeconds: 60 };

  it('allows up to the limit, then names the wait until the oldest failure leaves the window', () => {
    const clock = new FakeClock();
    const throttle = new FailureThrottle(clock);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfter('k', rule)).toBe(0);
      throttle.recordFailure('k', rule.windowSeconds);
      clock.t += 10_000;
    }
    expect(throttle.retryAfter('k', rule)).toBe(30);
    clock.t += 30_000;
    expect(throttle.retryAfter('k', rule)).toBe(0);
  });

  it('keeps keys apart and forgets a key on reset', () => {
    const throttle = new FailureThrottle(new FakeClock());
    for (let i = 0; i < 3; i++) throttle.recordFailure('a', 60);
    expect(throttle.retryAfter('a', rule)).toBeGreaterThan(0);
    expect(throttle.retryAfter('b', rule)).toBe(0);
    throttle.reset('a');
    expect(throttle.retryAfter('a', rule)).toBe(0);
  });

  it('bounds its memory by dropping the oldest keys', () => {
    const throttle = new FailureThrottle(new FakeClock(), 2);
    for (let i = 0; i < 3; i++) throttle.recordFailure('first', 60);
    throttle.recordFailure('second', 60);
    throttle.recordFailure('third', 60);
    expect(throttle.retryAfter('first', rule)).toBe(0);
  });
});
