/**
 * A search worker (see search-pool.ts): its own read-only connection to the database file, opened
 * on the first job; Piscina calls the default export with each job. A worker that overruns its
 * time budget is terminated by the pool and a fresh one takes its place.
 */
import { openReadOnly, type SqliteConnection } from '@lexforum/db';
import { runJob, type SearchWorkerJob, type SearchWorkerResult } from './search-runner.js';

let db: SqliteConnection | undefined;

export default function run(job: SearchWorkerJob & { file: string }): SearchWorkerResult {
  db ??= openReadOnly(job.file);
  return runJob(db, job);
}
