/**
 * Counts failed sign-ins per key (an account, an IP) in a sliding window and says how long a key
 * must wait once it has failed too often. In-process: one server holds the counts; a multi-node
 * deployment would move this to a shared store (see README). Memory is bounded: the oldest keys
 * are dropped past `maxKeys`.
 */
import type { Clock } from '../../lib/clock.js';

export interface ThrottleRule {
  maxFailures: number;
  windowSeconds: number;
}

export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly maxKeys = 50_000,
  ) {}

  /** Seconds until `key` may try again under `rule`, or 0 when it may try now. */
  retryAfter(key: string, rule: ThrottleRule): number {
    const recent = this.recent(key, rule.windowSeconds);
    if (recent.length < rule.maxFailures) return 0;
    const oldestCounted = recent[recent.length - rule.maxFailures]!;
    const waitMs = oldestCounted + rule.windowSeconds * 1000 - this.clock.now().getTime();
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  recordFailure(key: string, windowSeconds: number): void {
    const recent = this.recent(key, windowSeconds);
    recent.push(this.clock.now().getTime());
    this.failures.delete(key);
    this.failures.set(key, recent.slice(-1000));
    if (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, windowSeconds: number): number[] {
    const since = this.clock.now().getTime() - windowSeconds * 1000;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }
}
