import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadInvariantViolations } from '../helpers/thread-invariants.js';
import { generateDataset, parseFlags, type GeneratedDataset } from './generate.js';

describe('Bench dataset generator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
  let dataset: GeneratedDataset;
  let sqlite: Database.Database;
  const count = (sql: string) => sqlite.prepare(sql).pluck().get() as number;

  beforeAll(async () => {
    dataset = await generateDataset({ file: join(dir, 'forum.db'), threads: 20, posts: 300, members: 12, seed: 7 });
    sqlite = new Database(dataset.file);
  });
  afterAll(() => {
    sqlite?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes exactly the threads, posts and members asked for, with one long thread', () => {
    expect(count('select count(*) from threads')).toBe(20);
    expect(count('select count(*) from posts')).toBe(300);
    expect(count("select count(*) from users where role = 'member'")).toBe(12);
    expect(sqlite.prepare('select post_count from threads where id = ?').pluck().get(dataset.longThreadId)).toBe(200);
    expect(count('select max(post_count) from threads where post_count != 200')).toBeLessThan(200);
    expect(dataset.counts.revisions).toBe(count('select count(*) from post_revisions'));
  });

  it('keeps every counter and denormalized column in agreement with the rows', () => {
    expect(threadInvariantViolations(sqlite)).toEqual([]);
  });

  it('nests replies and spreads kinds and tags', () => {
    expect(count('select max(depth) from posts')).toBeGreaterThanOrEqual(3);
    expect(count('select count(distinct kind) from threads')).toBeGreaterThanOrEqual(3);
    expect(count('select count(distinct code) from thread_jurisdictions')).toBeGreaterThan(5);
    expect(count('select count(*) from thread_instruments')).toBeGreaterThan(0);
    expect(count('select count(*) from posts where version = 2')).toBeGreaterThan(0);
  });

  it('is caught by the invariant checks when a counter or a tag copy drifts', () => {
    const broken = new Database(':memory:');
    broken.exec(`attach '${dataset.file}' as src`);
    const tables = ['threads', 'posts', 'post_revisions', 'thread_jurisdictions', 'thread_topics'];
    for (const table of [...tables, 'thread_instruments', 'thread_reads', 'follows']) {
      broken.exec(`create table main.${table} as select * from src.${table}`);
    }
    broken.exec('detach src');
    broken.exec(`update threads set post_count = post_count + 1 where id = '${dataset.longThreadId}'`);
    broken.exec(`update posts set reply_count = reply_count + 1 where number = 1`);
    broken.exec(`update threads set jurisdictions = '["AQ"]' where id = '${dataset.longThreadId}'`);
    const checks = threadInvariantViolations(broken).map((v) => v.check);
    expect(checks).toEqual(
      expect.arrayContaining([
        'threads.post_count is the number of posts',
        'posts.reply_count is the number of direct replies',
        'threads.jurisdictions equals thread_jurisdictions',
      ]),
    );
    broken.close();
  });

  it('reads its command-line flags', () => {
    expect(parseFlags(['--threads', '20', '--posts=300', '--keep'])).toEqual({
      threads: '20',
      posts: '300',
      keep: 'true',
    });
  });
});
