/**
 * The cooking pool: markdown-it + sanitize-html cost about a millisecond per few kilobytes, so a
 * long post, an analysis's five sections or a list of draft excerpts would hold the event loop
 * (and every other member's request) for hundreds of milliseconds. Jobs above a size go to a small
 * Piscina pool of worker threads; small ones are cooked inline, where a trip to a worker
 * (structured clone both ways, a message round trip) costs more than the cooking itself.
 * The worker is `cook.worker` beside this file (lib/worker-source.ts finds it, built or source).
 */
import { Piscina } from 'piscina';
import { workerOptions } from '../../lib/worker-source.js';
import { cookJobSize, runCookJob, type CookJob, type CookResult } from './cook.js';

export interface CookPoolOptions {
  /** Worker threads (at least 1). */
  threads: number;
  /** Jobs of at most this many characters of source are cooked inline. */
  inlineMaxChars: number;
}

export interface CookPoolStats {
  inline: number;
  pooled: number;
}

export class CookPool {
  private pool: Piscina<CookJob, CookResult> | null = null;
  private closed = false;
  readonly stats: CookPoolStats = { inline: 0, pooled: 0 };

  constructor(private readonly options: CookPoolOptions) {}

  /** Cooks a job: inline when small, otherwise in a worker. */
  async cook(job: CookJob): Promise<CookResult> {
    if (cookJobSize(job) <= this.options.inlineMaxChars || this.closed) {
      this.stats.inline++;
      return runCookJob(job);
    }
    this.stats.pooled++;
    return this.workers().run(job);
  }

  /** Plain-text excerpt of some markdown (drafts, notifications). */
  async excerpt(source: string): Promise<string> {
    return (await this.cook({ excerpt: source })).excerpt!;
  }

  /** Worker threads running now (none until a long job comes, none after close). */
  get threads(): number {
    return this.pool?.threads.length ?? 0;
  }

  /** Ends the workers (on app close); a job after that is cooked inline. */
  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }

  /** Started on first use: most apps built by tests never cook anything long. */
  private workers(): Piscina<CookJob, CookResult> {
    if (this.pool) return this.pool;
    this.pool = new Piscina<CookJob, CookResult>({
      ...workerOptions('cook.worker', import.meta.url),
      minThreads: 0,
      maxThreads: Math.max(1, this.options.threads),
      idleTimeout: 60_000,
    });
    return this.pool;
  }
}
