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

/** What the index should hold for every post, computed from the posts and threads as they are. */
const EXPECTED = `select p.id as postId, p.thread_id || '|' || p.number || '|' || p.author_id || '|' || p.created_at || '|' || p.state as facts,
    case when p.number = 1 then lex_fold(t.title) else '' end as title,
    case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end as head,
    case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end as body
  from posts p join threads t on t.id = p.thread_id`;

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

/** Empties and refills the index from the posts, in one transaction (documents keep post order). */
export function rebuildSearchIndex(sqlite: Database.Database): { documents: number; ms: number } {
  const started = performance.now();
  sqlite.transaction(() => {
    sqlite.prepare(`insert into search_fts(search_fts) values ('delete-all')`).run();
    sqlite.prepare('delete from search_docs').run();
    sqlite.prepare(`delete from sqlite_sequence where name = 'search_docs'`).run();
    sqlite.exec(REINDEX_ALL);
    sqlite.prepare('insert or ignore into search_terms (term) select term from search_vocab').run();
  })();
  const documents = (sqlite.prepare('select count(*) as n from search_docs').get() as { n: number }).n;
  return { documents, ms: Math.round(performance.now() - started) };
}

/** Indexes every post (the migration's backfill and the rebuild), oldest first. */
export const REINDEX_ALL = `
insert into search_docs (post_id, hash, thread_id, number, author_id, created_at, state)
  select e.post_id, lex_search_hash(e.title, e.head, e.body), e.thread_id, e.number, e.author_id, e.created_at, e.state from (
    select p.id as post_id, p.thread_id, p.number, p.author_id, p.created_at, p.state, p.rowid as r,
      case when p.number = 1 then lex_fold(t.title) else '' end as title,
      case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end as head,
      case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end as body
    from posts p join threads t on t.id = p.thread_id) e
  order by e.created_at, e.r;
insert into search_fts (rowid, title, head, body)
  select d.doc_id,
    case when p.number = 1 then lex_fold(t.title) else '' end,
    case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end,
    case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end
  from search_docs d join posts p on p.id = d.post_id join threads t on t.id = p.thread_id
  order by d.doc_id;
`;
