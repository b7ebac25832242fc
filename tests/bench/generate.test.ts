import { checkSearchIndex, fold, registerSearchFunctions } from '@lexforum/db';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadInvariantViolations } from '../helpers/thread-invariants.js';
import { cookMarkdown } from '../../server/src/modules/threads/cook.js';
import { cookParagraphs } from './corpus.js';
import { ESTABLISHED_POSTS, generateDataset, parseFlags, type GeneratedDataset } from './generate.js';

describe('Bench dataset generator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
  let dataset: GeneratedDataset;
  let sqlite: Database.Database;
  const count = (sql: string) => sqlite.prepare(sql).pluck().get() as number;

  beforeAll(async () => {
    dataset = await generateDataset({ file: join(dir, 'forum.db'), threads: 20, posts: 300, members: 12, seed: 7 });
    sqlite = new Database(dataset.file);
    registerSearchFunctions(sqlite);
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

  it('picks what the speed bench reads and its writers, whom pre-moderation never holds', () => {
    const threadOf = sqlite.prepare(
      'select t.post_count as posts, p.number from posts p join threads t on t.id = p.thread_id where p.id = ?',
    );
    expect(threadOf.get(dataset.shortPostId)).toMatchObject({ number: 1 });
    expect((threadOf.get(dataset.shortPostId) as { posts: number }).posts).toBeLessThanOrEqual(3);
    const pages = sqlite.prepare('select id from threads where post_count between 20 and 50').pluck().all();
    expect([...dataset.pageThreadIds].sort()).toEqual([...pages].sort());
    expect(dataset.writers.length).toBeGreaterThan(0);
    const postsOf = sqlite.prepare(
      'select count(*) from posts where author_id = (select id from users where email = ? and not under_review)',
    );
    for (const w of dataset.writers) {
      expect(w.email).not.toBe(dataset.member.email);
      expect(postsOf.pluck().get(w.email)).toBeGreaterThanOrEqual(ESTABLISHED_POSTS);
    }
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

  it('writes posts in the four languages, Arabic with and without diacritics', () => {
    expect(count("select count(*) from posts where body like '% the %'")).toBeGreaterThan(0);
    expect(count("select count(*) from posts where body like '% des %' or body like '% du %'")).toBeGreaterThan(0);
    expect(count("select count(*) from posts where body like '% los %' or body like '% una %'")).toBeGreaterThan(0);
    const arabic = sqlite.prepare("select body from posts where body like '%ال%'").pluck().all() as string[];
    expect(arabic.some((b) => /[\u064b-\u0652]/u.test(b))).toBe(true);
    expect(arabic.some((b) => !/[\u064b-\u0652]/u.test(b))).toBe(true);
    expect(count("select count(*) from posts where body like '%art. %' or body like '%(1)(%'")).toBeGreaterThan(0);
  });

  it('indexes every post, so that an Arabic word written with diacritics is found without them', () => {
    expect(checkSearchIndex(sqlite).differences).toBe(0);
    expect(count('select count(*) from search_docs')).toBe(300);
    const post = sqlite
      .prepare("select id, body from posts where body glob '*[\u064e\u064f\u0650]*' limit 1")
      .get() as { id: string; body: string };
    const word = post.body.match(/[\u0621-\u064a]+[\u064b-\u0652][\u0621-\u0652]*/u)![0];
    const folded = fold(word);
    expect(folded).not.toBe(word);
    expect(folded).not.toMatch(/[\u064b-\u0652]/u);
    const found = sqlite
      .prepare(
        `select count(*) from search_fts f join search_docs d on d.doc_id = f.rowid
          where search_fts match ? and d.post_id = ?`,
      )
      .pluck();
    expect(found.get(`"${folded}"`, post.id)).toBe(1);
    // Accents and case folded the same way in the Latin languages.
    const french = sqlite.prepare("select id from posts where body like '%Médicrime%' limit 1").pluck().get() as string;
    expect(found.get('"medicrime"', french)).toBe(1);
  });

  it('spreads words from very common to rare (Zipf-like), article numbers included', () => {
    const docs = count('select count(*) from search_docs');
    expect(count('select max(doc) from search_vocab')).toBeGreaterThan(docs / 3);
    expect(count('select count(*) from search_vocab where doc = 1')).toBeGreaterThan(50);
    expect(count("select count(*) from search_vocab where term in ('5', 'art', 'b')")).toBe(3);
  });

  it('stores the HTML cookMarkdown makes of each generated body', () => {
    const bodies = sqlite.prepare('select body, cooked from posts where body is not null limit 60').all() as {
      body: string;
      cooked: string;
    }[];
    for (const { body, cooked } of bodies) {
      expect(cooked).toBe(cookMarkdown(body));
      expect(cookParagraphs(body)).toBe(cooked);
    }
    expect(cookParagraphs('a **b** & <c>\n\nd')).toBe(cookMarkdown('a **b** & <c>\n\nd'));
  });

  it('writes the same text for the same seed', async () => {
    const again = await generateDataset({ file: join(dir, 'again.db'), threads: 20, posts: 300, members: 12, seed: 7 });
    const other = new Database(again.file);
    const bodies = (db: Database.Database) =>
      db.prepare('select coalesce(body, sections) from posts order by rowid').pluck().all();
    expect(bodies(other)).toEqual(bodies(sqlite));
    other.close();
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
