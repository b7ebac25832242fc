/**
 * The SQL functions the search index's triggers call (registered on every connection that writes:
 * `createDb` does it), and the checks and rebuild behind `lexforum search-check` and
 * `search-rebuild`. The triggers (migration 0006) keep `search_docs` and the FTS5 table
 * `search_fts` in step with `posts` and thread titles in the transaction of each write.
 */
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { fold, indexedPostText, words } from './search-text.js';

/** The digest stored beside each document: of the three columns as indexed. */
export function searchHash(title: string, head: string, body: string): string {
  return createHash('sha1')
    .update(title)
    .update('\u0000')
    .update(head)
    .update('\u0000')
    .update(body)
    .digest('base64url')
    .slice(0, 16);
}

export function registerSearchFunctions(sqlite: Database.Database): void {
  sqlite.function('lex_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? fold(text) : ''));
  sqlite.function('lex_post_text', { deterministic: true }, (body: unknown, sections: unknown) =>
    indexedPostText(typeof body === 'string' ? body : null, typeof sections === 'string' ? sections : null),
  );
  sqlite.function('lex_terms', { deterministic: true }, (title: unknown, text: unknown) =>
    JSON.stringify([...new Set([...words(String(title ?? '')), ...words(String(text ?? ''))])]),
  );
  sqlite.function('lex_search_hash', { deterministic: true }, (title: unknown, head: unknown, body: unknown) =>
    searchHash(String(title ?? ''), String(head ?? ''), String(body ?? '')),
  );
}

/**
 * What the index should hold for every post, computed from the posts, threads and attachments as
 * they are (the view `search_post_text`, migration 0017, is the one definition the triggers use too).
 */
const EXPECTED = `select post_id as postId, thread_id || '|' || number || '|' || author_id || '|' || created_at || '|' || state as facts,
    title, head, body
  from search_post_text`;

export interface SearchCheckReport {
  posts: number;
  documents: number;
  /** Posts without a document. */
  missing: number;
  /** Documents whose post no longer exists. */
  orphaned: number;
  /** Documents whose indexed text, thread, position, author, date or state is not the post's. */
  stale: number;
  /** Documents missing from the FTS table, or FTS rows without a document. */
  unindexed: number;
  /** FTS5's own integrity check failed. */
  corrupt: boolean;
  differences: number;
}

export function checkSearchIndex(sqlite: Database.Database): SearchCheckReport {
  const hashes = new Map<string, string>();
  const facts = new Map<string, string>();
  for (const row of sqlite
    .prepare(
      `select post_id as postId, hash, thread_id || '|' || number || '|' || author_id || '|' || created_at || '|' || state as facts
       from search_docs`,
    )
    .iterate() as Iterable<{ postId: string; hash: string; facts: string | null }>) {
    hashes.set(row.postId, row.hash);
    facts.set(row.postId, row.facts ?? '');
  }
  const documents = hashes.size;
  let posts = 0;
  let missing = 0;
  let stale = 0;
  for (const row of sqlite.prepare(EXPECTED).iterate() as Iterable<{
    postId: string;
    title: string;
    head: string;
    body: string;
  }>) {
    posts++;
    const hash = hashes.get(row.postId);
    if (hash === undefined) missing++;
    else if (hash !== searchHash(row.title, row.head, row.body)) stale++;
    hashes.delete(row.postId);
  }
  const orphaned = hashes.size;
  const unindexed = (
    sqlite
      .prepare(
        `select (select count(*) from search_docs d where not exists (select 1 from search_fts f where f.rowid = d.doc_id))
          + (select count(*) from search_fts f where not exists (select 1 from search_docs d where d.doc_id = f.rowid)) as n`,
      )
      .get() as { n: number }
  ).n;
  let corrupt = false;
  try {
    sqlite.prepare(`insert into search_fts(search_fts) values ('integrity-check')`).run();
  } catch {
    corrupt = true;
  }
  return {
    posts,
    documents,
    missing,
    orphaned,
    stale,
    unindexed,
    corrupt,
    differences: missing + orphaned + stale + unindexed + (corrupt ? 1 : 0),
  };
}

/**
 * After a redaction: the removed text's words leave `search_terms` when no post holds them any
 * more (the prefix list would otherwise keep a redacted name). Run in the redaction's transaction.
 */
export function forgetSearchWords(sqlite: Database.Database, texts: readonly string[]): number {
  const forget = sqlite.prepare(
    'delete from search_terms where term = ? and not exists (select 1 from search_vocab where term = ?)',
  );
  let forgotten = 0;
  for (const word of new Set(texts.flatMap((text) => words(fold(text))))) {
    forgotten += forget.run(word, word).changes;
  }
  return forgotten;
}

/** Empties and refills the index from the posts, in one transaction (documents keep post order). */
export function rebuildSearchIndex(sqlite: Database.Database): { documents: number; ms: number } {
  const started = performance.now();
  sqlite.transaction(() => {
    sqlite.prepare(`insert into search_fts(search_fts) values ('delete-all')`).run();
    sqlite.prepare('delete from search_docs').run();
    sqlite.prepare(`delete from sqlite_sequence where name = 'search_docs'`).run();
    sqlite.exec(REINDEX_ALL);
    sqlite.prepare('delete from search_terms').run();
    sqlite.prepare('insert or ignore into search_terms (term) select term from search_vocab').run();
  })();
  // Rewrites the index in one segment: nothing deleted (a redacted word) survives in its pages.
  sqlite.prepare(`insert into search_fts (search_fts) values ('optimize')`).run();
  const documents = (sqlite.prepare('select count(*) as n from search_docs').get() as { n: number }).n;
  return { documents, ms: Math.round(performance.now() - started) };
}

/** Indexes every post (the rebuild), oldest first, from the same view as the triggers. */
export const REINDEX_ALL = `
insert into search_docs (post_id, hash, thread_id, number, author_id, created_at, state)
  select v.post_id, lex_search_hash(v.title, v.head, v.body), v.thread_id, v.number, v.author_id, v.created_at, v.state
  from search_post_text v
  order by v.created_at, v.r;
insert into search_fts (rowid, title, head, body)
  select d.doc_id, v.title, v.head, v.body
  from search_docs d join search_post_text v on v.post_id = d.post_id
  order by d.doc_id;
`;
