/**
 * Searches run off the event loop: a small Piscina pool of worker threads, each with its own
 * read-only connection to the database file (search.worker.ts), so a slow query never delays
 * another request. Each job has a time budget (SEARCH_TIMEOUT_MS); past it the job is aborted,
 * which terminates the worker running it (SQLite cannot be interrupted from another thread), and
 * the next job gets a fresh worker. The caller answers 503 `SEARCH_TIMEOUT`. A full queue answers
 * 503 `SERVICE_UNAVAILABLE` at once instead of letting searches pile up.
 *
 * An in-memory database (tests, `DATABASE_PATH=:memory:`) cannot be opened by another thread:
 * there the jobs run inline on the app's connection, with the same code.
 */
import type { SqliteConnection } from '@lexforum/db';
import { Piscina } from 'piscina';
import { workerOptions } from '../../lib/worker-source.js';
import { AppError } from '../../lib/errors.js';
import { runJob, type SearchWorkerJob, type SearchWorkerResult } from './search-runner.js';

export interface SearchPoolOptions {
  /** The database file, or ':memory:' (inline). */
  file: string;
  threads: number;
  timeoutMs: number;
  /** The app's connection, for inline runs. */
  sqlite: SqliteConnection;
}

export interface SearchPoolStats {
  pooled: number;
  inline: number;
  timeouts: number;
}

export class SearchPool {
  private pool: Piscina<SearchWorkerJob & { file: string }, SearchWorkerResult> | null = null;
  private closed = false;
  /** Workers loading their code: a job's time budget starts once they are ready. */
  private warming: Promise<unknown> = Promise.resolve();
  readonly stats: SearchPoolStats = { pooled: 0, inline: 0, timeouts: 0 };

  constructor(private readonly options: SearchPoolOptions) {}

  get inline(): boolean {
    return this.options.file === ':memory:' || this.options.file.startsWith('file:') || this.options.threads === 0;
  }

  async run<T extends SearchWorkerResult>(job: SearchWorkerJob, timeoutMs = this.options.timeoutMs): Promise<T> {
    if (this.closed) throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The server is shutting down.');
    if (this.inline) {
      this.stats.inline++;
      return runJob(this.options.sqlite, job) as T;
    }
    this.stats.pooled++;
    const pool = this.workers();
    await this.warming;
    if (pool.queueSize >= pool.options.maxQueue) {
      throw new AppError(503, 'SERVICE_UNAVAILABLE', 'Search is busy right now. Please try again in a moment.');
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return (await pool.run({ ...job, file: this.options.file }, { signal: controller.signal })) as T;
    } catch (error) {
      if (controller.signal.aborted) {
        this.stats.timeouts++;
        // The worker was terminated: its replacement loads before the next budget starts.
        this.warming = this.warm(1);
        throw new AppError(
          503,
          'SEARCH_TIMEOUT',
          'This search took too long and was stopped. Try fewer or more specific words, or add a filter.',
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Starts the workers now (at boot) rather than on the first search. */
  start(): void {
    if (!this.inline && !this.closed) this.workers();
  }

  /** Worker threads running now. */
  get threads(): number {
    return this.pool?.threads.length ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }

  /** Runs `count` empty jobs, so that workers have loaded their code and opened the database. */
  private warm(count: number): Promise<unknown> {
    const pool = this.pool;
    if (!pool) return Promise.resolve();
    const job = { type: 'warm', file: this.options.file } as const;
    return Promise.all(Array.from({ length: count }, () => pool.run(job).catch(() => undefined)));
  }

  private workers() {
    if (this.pool) return this.pool;
    this.pool = new Piscina<SearchWorkerJob & { file: string }, SearchWorkerResult>({
      ...workerOptions('search.worker', import.meta.url),
      minThreads: 0,
      maxThreads: Math.max(1, this.options.threads),
      maxQueue: Math.max(16, this.options.threads * 32),
      idleTimeout: 120_000,
    });
    this.warming = this.warm(Math.max(1, this.options.threads));
    return this.pool;
  }
}
