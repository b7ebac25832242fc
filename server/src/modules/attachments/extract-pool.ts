/**
 * The extraction pool: reading a PDF's text costs tens to hundreds of milliseconds per megabyte,
 * and a hostile PDF can make pdf.js loop, so it never runs on the event loop. A small Piscina
 * pool (ATTACHMENT_THREADS) runs each job with a time limit (ATTACHMENT_EXTRACT_TIMEOUT_MS) that the
 * worker counts from the job's start, stopping between pages with the text so far. A page that
 * never ends (a hostile PDF) meets the pool's backstop, counted from the request: three times
 * the limit, plus one limit per job queued ahead of it: Piscina ends that worker and starts another, and the file is kept
 * without text. Workers have a bounded heap (pdf.js's decoded streams live outside it, so time is
 * the limit that holds for those). Started on first use; ended with the app.
 */
import { Piscina } from 'piscina';
import { workerOptions } from '../../lib/worker-source.js';
import type { ExtractJob, ExtractResult } from './extract.js';

export interface ExtractPoolOptions {
  threads: number;
  timeoutMs: number;
}

export class ExtractPool {
  private pool: Piscina<ExtractJob, ExtractResult> | null = null;
  private closed = false;

  constructor(private readonly options: ExtractPoolOptions) {}

  /** The text of a PDF or text file; null when it has none, the job failed or it ran out of time. */
  async extract(job: Omit<ExtractJob, 'timeMs'>): Promise<{ text: string | null; failed?: 'timeout' | 'error' }> {
    if (this.closed) return { text: null, failed: 'error' };
    try {
      const result = await this.workers().run(
        { ...job, timeMs: this.options.timeoutMs },
        // The backstop grows with the jobs queued ahead, so a queued job is not ended before it runs.
        { signal: AbortSignal.timeout(this.options.timeoutMs * (3 + this.workers().queueSize)) },
      );
      return { text: result.text };
    } catch (error) {
      const aborted = error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
      return { text: null, failed: aborted ? 'timeout' : 'error' };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }

  private workers(): Piscina<ExtractJob, ExtractResult> {
    if (this.pool) return this.pool;
    this.pool = new Piscina<ExtractJob, ExtractResult>({
      ...workerOptions('extract.worker', import.meta.url),
      minThreads: 0,
      maxThreads: Math.max(1, this.options.threads),
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
    });
    return this.pool;
  }
}
