/**
 * Runs one search on a SQLite connection: in a search worker (its own read-only connection) or,
 * for an in-memory database that workers cannot open, on the app's own. Everything it needs is in
 * the job (plain data, so it crosses to a worker): the MATCH expression, the filters resolved to
 * ids, and the reader's scope. Visibility is decided here, when the posts are read, in SQL: a
 * member finds visible posts of visible threads; a moderator also hidden and deleted ones in
 * their scope (the Guardian's `canModerate`, as review-scope.ts writes it); an admin everything.
 *
 * Bounded work: when the words are so common that more than `EXACT_MAX` posts may match, only the
 * `BOUNDED` most recent matching posts are ranked (FTS5 reads its doclists newest first and stops),
 * and the answer says so (`notice: 'common_terms'`). A query of operators only reads threads newest
 * first, at most `BOUNDED` of them.
 */
import type { SqliteConnection, SqliteStatement } from '@lexforum/db';
import {
  INTERNATIONAL,
  type SearchNotice,
  type SearchSort,
  type SearchStatus,
  type TextSegment,
} from '@lexforum/shared';
import { ANSWERED_SQL } from '../answers/answered-sql.js';
import { COLUMN_WEIGHTS, matchExpression, PREFIX_EXPANSION_MAX, type MatchQuery } from './match.js';
import { highlighter, postSnippet, titleSegments } from './snippets.js';

export type SearchScope = { role: 'member' } | { role: 'admin' } | { role: 'moderator'; covered: string[] };

export interface ResolvedFilters {
  jurisdictions: string[];
  topics: string[];
  instruments: string[];
  kind: string | null;
  /** The thread's language (ISO 639-1). */
  language: string | null;
  authorId: string | null;
  /** Inclusive lower bound, ms. */
  afterMs: number | null;
  /** Exclusive upper bound, ms. */
  beforeMs: number | null;
  status: SearchStatus | null;
  threadId: string | null;
}

export interface SearchJob {
  type: 'search';
  /** The words to match (null: a query of operators only). */
  query: MatchQuery | null;
  filters: ResolvedFilters;
  scope: SearchScope;
  sort: SearchSort;
  offset: number;
  limit: number;
  /** Folded words to mark (prefixes end with `*`). */
  highlight: string[];
  snippetsPerThread: number;
  now: number;
}

export interface FacetCounts {
  jurisdictions: [string, number][];
  topics: [string, number][];
  instruments: [string, number][];
  kinds: [string, number][];
  authors: [string, number][];
}

export interface PostHit {
  postId: string;
  number: number;
  authorId: string;
  createdAt: number;
  state: 'visible' | 'hidden' | 'deleted';
  section: string | null;
  snippet: TextSegment[];
}

export interface ThreadHit {
  threadId: string;
  titleSegments: TextSegment[];
  matchCount: number;
  posts: PostHit[];
}

export interface SearchOutcome {
  total: number;
  notice: SearchNotice | null;
  hasMore: boolean;
  threads: ThreadHit[];
  facets: FacetCounts;
}

/** Above this many possible matches, only the most recent are ranked. */
export const EXACT_MAX = 5_000;
/** How many matching posts (or threads, for operators only) are ranked at most. */
export const BOUNDED = 1_500;
/** Facet values returned per facet (selected values always come too). */
export const FACET_VALUES = 15;

const STAFFED = `(select mj.jurisdiction_code from moderator_jurisdictions mj
  join users u on u.id = mj.user_id
  where u.role = 'moderator' and u.status = 'active' and u.second_factor = 1)`;

interface Row {
  postId: string;
  score: number;
  threadId: string;
  number: number;
  createdAt: number;
  authorId: string;
  postState: 'visible' | 'hidden' | 'deleted';
  kind: string;
  jurisdictions: string;
  topics: string;
  citations: string;
}

/** Prepared statements per connection, by SQL text (a handful of shapes). */
const statements = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();
function prepare(db: SqliteConnection, text: string): SqliteStatement {
  let map = statements.get(db);
  if (!map) statements.set(db, (map = new Map()));
  let stmt = map.get(text);
  if (!stmt) map.set(text, (stmt = db.prepare<unknown[], unknown>(text)));
  return stmt;
}

/** Where a matching post's facts are: its row in `search_docs` (`p`), or, for a query of operators only, its thread `t` (the opening post's author, date and state are the thread's). */
const POST_FACTS = {
  words: { state: 'p.state', author: 'p.author_id', created: 'p.created_at', thread: 'p.thread_id' },
  operators: { state: 't.state', author: 't.author_id', created: 't.created_at', thread: 't.id' },
} as const;

/** The WHERE conditions of visibility and filters, over the matching posts and their threads `t`, with their values. */
export function conditions(
  job: Pick<SearchJob, 'filters' | 'scope'>,
  operatorsOnly: boolean,
): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  const f = job.filters;
  const p = POST_FACTS[operatorsOnly ? 'operators' : 'words'];
  if (job.scope.role === 'member') sql.push(`${p.state} = 'visible' and t.state = 'visible'`);
  else if (job.scope.role === 'moderator') {
    sql.push(`((${p.state} = 'visible' and t.state = 'visible')
      or not exists (select 1 from thread_jurisdictions tj where tj.thread_id = t.id)
      or exists (select 1 from thread_jurisdictions tj where tj.thread_id = t.id and (tj.code = '${INTERNATIONAL}'
        or tj.code in (select value from json_each(?)) or tj.code not in ${STAFFED})))`);
    params.push(JSON.stringify(job.scope.covered));
  }
  if (f.jurisdictions.length > 0) {
    sql.push(`t.id in (select thread_id from thread_jurisdictions where code in (select value from json_each(?)))`);
    params.push(JSON.stringify(f.jurisdictions));
  }
  if (f.topics.length > 0) {
    sql.push(`t.id in (select thread_id from thread_topics where slug in (select value from json_each(?)))`);
    params.push(JSON.stringify(f.topics));
  }
  if (f.instruments.length > 0) {
    sql.push(`t.id in (select thread_id from thread_instruments where instrument in (select value from json_each(?)))`);
    params.push(JSON.stringify(f.instruments));
  }
  if (f.kind) {
    sql.push('t.kind = ?');
    params.push(f.kind);
  }
  if (f.language) {
    sql.push('t.language = ?');
    params.push(f.language);
  }
  if (f.authorId) {
    sql.push(`${p.author} = ?`);
    params.push(f.authorId);
  }
  if (f.afterMs !== null) {
    sql.push(`${p.created} >= ?`);
    params.push(f.afterMs);
  }
  if (f.beforeMs !== null) {
    sql.push(`${p.created} < ?`);
    params.push(f.beforeMs);
  }
  if (f.status === 'resolved') sql.push('t.resolved_at is not null');
  if (f.status === 'open') sql.push('t.resolved_at is null');
  if (f.status === 'answered') sql.push(ANSWERED_SQL);
  if (f.status === 'unanswered') sql.push(`t.kind = 'question' and not ${ANSWERED_SQL}`);
  if (f.threadId) {
    sql.push(`${p.thread} = ?`);
    params.push(f.threadId);
  }
  return { sql, params };
}

const COLUMNS = `p.thread_id as threadId, p.number as number, p.created_at as createdAt,
  p.author_id as authorId, p.state as postState, t.kind as kind,
  t.jurisdictions as jurisdictions, t.topics as topics, t.citations as citations`;

/**
 * Whether more than `EXACT_MAX` posts match: FTS5 reads at most that many document numbers and
 * stops, so the answer costs about a millisecond however common the words. (The vocabulary table
 * would give document frequencies, but counts them by reading each word's whole list.)
 */
function manyMatches(db: SqliteConnection, match: string): boolean {
  const probe = prepare(
    db,
    `select count(*) as n from (select rowid from search_fts where search_fts match ? limit ${EXACT_MAX + 1})`,
  );
  return (probe.get(match) as { n: number }).n > EXACT_MAX;
}

/** Lists the indexed words a prefix opens (see match.ts), from `search_terms`. */
function expander(db: SqliteConnection) {
  const stmt = prepare(db, 'select term from search_terms where term >= ? and term < ? order by term limit ?');
  return (prefix: string): string[] | null => {
    const rows = stmt.all(prefix, `${prefix}\uffff`, PREFIX_EXPANSION_MAX + 1) as { term: string }[];
    return rows.length > PREFIX_EXPANSION_MAX ? null : rows.map((r) => r.term);
  };
}

export function runSearch(db: SqliteConnection, job: SearchJob): SearchOutcome {
  const match = job.query ? matchExpression(job.query, expander(db)) : null;
  const operatorsOnly = match === null;
  const where = conditions(job, operatorsOnly);
  let rows: Row[];
  let notice: SearchNotice | null = null;
  if (operatorsOnly) {
    // The opening posts, read from their threads alone; their ids are looked up for the page only.
    const text = `select '' as postId, 0 as score, t.id as threadId, 1 as number, t.created_at as createdAt,
        t.author_id as authorId, t.state as postState, t.kind as kind,
        t.jurisdictions as jurisdictions, t.topics as topics, t.citations as citations
      from threads t
      ${where.sql.length ? `where ${where.sql.join(' and ')}` : ''}
      order by t.created_at desc limit ${BOUNDED + 1}`;
    rows = prepare(db, text).all(...where.params) as Row[];
    if (rows.length > BOUNDED) {
      rows.length = BOUNDED;
      notice = 'capped';
    }
  } else {
    const bounded = manyMatches(db, match);
    const [wt, wh, wb] = COLUMN_WEIGHTS;
    const score = `bm25(search_fts, ${wt}, ${wh}, ${wb})`;
    // Matches come with their post's facts from search_docs (`p` here): the post rows themselves
    // (text, HTML) are read only for the page's snippets.
    if (bounded) {
      // Read newest first with visibility and filters applied as it goes, so the bound counts
      // only posts this reader may see and that pass the filters (an older French match is not
      // crowded out by newer ones from elsewhere).
      const text = `select p.post_id as postId, ${score} as score, ${COLUMNS}
        from search_fts join search_docs p on p.doc_id = search_fts.rowid join threads t on t.id = p.thread_id
        where search_fts match ?${where.sql.length ? ` and ${where.sql.join(' and ')}` : ''}
        order by search_fts.rowid desc limit ${BOUNDED}`;
      rows = prepare(db, text).all(match, ...where.params) as Row[];
      if (rows.length >= BOUNDED) notice = 'common_terms';
    } else {
      const text = `select p.post_id as postId, c.score as score, ${COLUMNS}
        from (select search_fts.rowid as doc_id, ${score} as score from search_fts where search_fts match ?) c
        join search_docs p on p.doc_id = c.doc_id join threads t on t.id = p.thread_id
        ${where.sql.length ? `where ${where.sql.join(' and ')}` : ''}`;
      rows = prepare(db, text).all(match, ...where.params) as Row[];
    }
  }
  return shape(db, job, rows, notice);
}

const YEAR = 365.25 * 86_400_000;

interface Group {
  threadId: string;
  score: number;
  newest: number;
  rows: { row: Row; score: number }[];
}

function shape(db: SqliteConnection, job: SearchJob, rows: Row[], notice: SearchNotice | null): SearchOutcome {
  const groups = new Map<string, Group>();
  const threadFacts = new Map<string, Row>();
  for (const row of rows) {
    // bm25 is negative (better is lower); recent posts get up to a quarter more.
    const age = Math.max(0, job.now - row.createdAt) / YEAR;
    const score = -row.score * (1 + 0.25 / (1 + age));
    let g = groups.get(row.threadId);
    if (!g) {
      g = { threadId: row.threadId, score: -Infinity, newest: 0, rows: [] };
      groups.set(row.threadId, g);
      threadFacts.set(row.threadId, row);
    }
    g.rows.push({ row, score });
    g.score = Math.max(g.score, score);
    g.newest = Math.max(g.newest, row.createdAt);
  }
  const ordered = [...groups.values()].sort((a, b) =>
    job.sort === 'date'
      ? b.newest - a.newest || (a.threadId < b.threadId ? -1 : 1)
      : b.score - a.score || b.newest - a.newest || (a.threadId < b.threadId ? -1 : 1),
  );
  const page = ordered.slice(job.offset, job.offset + job.limit);
  return {
    total: ordered.length,
    notice,
    hasMore: job.offset + job.limit < ordered.length,
    threads: details(db, job, page),
    facets: facets(groups, threadFacts, job),
  };
}

function details(db: SqliteConnection, job: SearchJob, page: Group[]): ThreadHit[] {
  if (page.length === 0) return [];
  const h = highlighter(job.highlight);
  const chosen = page.map((g) => {
    const best = [...g.rows]
      .sort((a, b) =>
        job.sort === 'date' ? b.row.createdAt - a.row.createdAt : b.score - a.score || a.row.number - b.row.number,
      )
      .slice(0, job.snippetsPerThread);
    return { g, best };
  });
  const openers = chosen.filter(({ best }) => best.some((b) => b.row.postId === ''));
  if (openers.length > 0) {
    const ids = new Map(
      (
        prepare(
          db,
          'select thread_id as threadId, id from posts where number = 1 and thread_id in (select value from json_each(?))',
        ).all(JSON.stringify(openers.map(({ g }) => g.threadId))) as { threadId: string; id: string }[]
      ).map((r) => [r.threadId, r.id]),
    );
    for (const { best } of openers)
      for (const b of best) if (b.row.postId === '') b.row.postId = ids.get(b.row.threadId) ?? '';
  }
  const postIds = chosen.flatMap(({ best }) => best.map((b) => b.row.postId));
  const sources = new Map(
    (
      prepare(db, 'select id, body, sections from posts where id in (select value from json_each(?))').all(
        JSON.stringify(postIds),
      ) as { id: string; body: string | null; sections: string | null }[]
    ).map((r) => [r.id, r]),
  );
  const titles = new Map(
    (
      prepare(db, 'select id, title from threads where id in (select value from json_each(?))').all(
        JSON.stringify(page.map((g) => g.threadId)),
      ) as { id: string; title: string }[]
    ).map((r) => [r.id, r.title]),
  );
  return chosen.map(({ g, best }) => ({
    threadId: g.threadId,
    titleSegments: titleSegments(titles.get(g.threadId) ?? '', h),
    matchCount: g.rows.length,
    posts: best.map(({ row }) => {
      const source = sources.get(row.postId);
      const snippet = postSnippet(source?.body ?? null, source?.sections ?? null, h);
      return {
        postId: row.postId,
        number: row.number,
        authorId: row.authorId,
        createdAt: row.createdAt,
        state: row.postState,
        section: snippet.section,
        snippet: snippet.segments,
      };
    }),
  }));
}

function parseList(json: string): unknown[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

function facets(groups: Map<string, Group>, facts: Map<string, Row>, job: SearchJob): FacetCounts {
  const counters = {
    jurisdictions: new Map<string, number>(),
    topics: new Map<string, number>(),
    instruments: new Map<string, number>(),
    kinds: new Map<string, number>(),
    authors: new Map<string, number>(),
  };
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const [threadId, g] of groups) {
    const row = facts.get(threadId)!;
    for (const code of new Set(parseList(row.jurisdictions)))
      if (typeof code === 'string') add(counters.jurisdictions, code);
    for (const slug of new Set(parseList(row.topics))) if (typeof slug === 'string') add(counters.topics, slug);
    const cited = new Set<string>();
    for (const c of parseList(row.citations)) {
      const instrument = (c as { instrument?: unknown } | null)?.instrument;
      if (typeof instrument === 'string') cited.add(instrument);
    }
    for (const slug of cited) add(counters.instruments, slug);
    add(counters.kinds, row.kind);
    for (const author of new Set(g.rows.map((r) => r.row.authorId))) add(counters.authors, author);
  }
  const f = job.filters;
  const top = (map: Map<string, number>, selected: readonly string[]): [string, number][] => {
    const sorted = [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, FACET_VALUES);
    for (const value of selected) if (!sorted.some(([v]) => v === value)) sorted.push([value, map.get(value) ?? 0]);
    return sorted;
  };
  return {
    jurisdictions: top(counters.jurisdictions, f.jurisdictions),
    topics: top(counters.topics, f.topics),
    instruments: top(counters.instruments, f.instruments),
    kinds: top(counters.kinds, f.kind ? [f.kind] : []),
    authors: top(counters.authors, f.authorId ? [f.authorId] : []),
  };
}

export interface TitleJob {
  type: 'similar' | 'suggest';
  /** Folded words typed: a title (similar), or the start of one, the last word a prefix (suggest). */
  words: string[];
  scope: SearchScope;
  limit: number;
  highlight: string[];
}

export interface TitleHit {
  threadId: string;
  titleSegments: TextSegment[];
}

/** Share of all titles above which a word says nothing about a title. */
const COMMON_SHARE = 0.03;
let titleCount: { db: SqliteConnection; at: number; n: number } | undefined;

function titles(db: SqliteConnection): number {
  const now = Date.now();
  if (!titleCount || titleCount.db !== db || now - titleCount.at > 60_000) {
    titleCount = { db, at: now, n: (prepare(db, 'select count(*) as n from threads').get() as { n: number }).n };
  }
  return titleCount.n;
}

/** Titles holding the words typed, the last one as a prefix. */
function suggestMatch(db: SqliteConnection, words: string[]): string | null {
  const clauses = words.map((word, i) => [{ words: [word], prefix: i === words.length - 1 }]);
  return matchExpression({ clauses, excluded: [], inTitle: true }, expander(db));
}

/** Titles holding any of the title's informative words: the rarest eight, very common ones dropped. */
function similarMatch(db: SqliteConnection, words: string[]): { match: string; words: string[] } | null {
  // How many titles hold each word, counted up to the limit (FTS5 stops there).
  const limit = Math.floor(Math.max(50, titles(db) * COMMON_SHARE));
  const count = prepare(
    db,
    'select count(*) as n from (select rowid from search_fts where search_fts match ? limit ?)',
  );
  const informative = [...new Set(words)]
    .slice(0, 16)
    .map((word) => ({ word, df: (count.get(`{title} : "${word}"`, limit + 1) as { n: number }).n }))
    .filter((w) => w.df > 0 && w.df <= limit)
    .sort((a, b) => a.df - b.df)
    .slice(0, 8);
  if (informative.length === 0) return null;
  return {
    match: `{title} : (${informative.map((w) => `"${w.word}"`).join(' OR ')})`,
    words: informative.map((w) => w.word),
  };
}

/**
 * Threads whose titles match: similar titles for the composer ("Already discussed?"), ranked by
 * bm25 on the title's informative words (the most frequent ones dropped), or title prefixes for
 * the header's suggestions, newest first. Visible threads only, whoever asks.
 */
export function runTitleSearch(db: SqliteConnection, job: TitleJob): TitleHit[] {
  // Similar titles mark only the words that made them similar (not "at", "the").
  const similar = job.type === 'similar' ? similarMatch(db, job.words) : null;
  const match = job.type === 'similar' ? similar?.match : suggestMatch(db, job.words);
  if (!match) return [];
  const h = highlighter(similar ? similar.words : job.highlight);
  const order = job.type === 'similar' ? 'order by rank' : 'order by search_fts.rowid desc';
  const text = `select t.id as threadId, t.title as title
    from (select d.post_id as post_id, bm25(search_fts, 1, 0, 0) as rank, search_fts.rowid as r
          from search_fts join search_docs d on d.doc_id = search_fts.rowid
          where search_fts match ? ${order} limit 60) c
    join posts p on p.id = c.post_id and p.number = 1
    join threads t on t.id = p.thread_id
    where p.state = 'visible' and t.state = 'visible'
    ${order.replace('search_fts.rowid', 'c.r').replace('rank', 'c.rank')}
    limit ?`;
  const rows = prepare(db, text).all(match, job.limit) as { threadId: string; title: string }[];
  return rows.map((r) => ({ threadId: r.threadId, titleSegments: titleSegments(r.title, h) }));
}

/** Loads a worker's code and opens its connection, nothing else (see search-pool.ts). */
export interface WarmJob {
  type: 'warm';
}

export type SearchWorkerJob = SearchJob | TitleJob | WarmJob;
export type SearchWorkerResult = SearchOutcome | TitleHit[] | null;

export function runJob(db: SqliteConnection, job: SearchWorkerJob): SearchWorkerResult {
  if (job.type === 'warm') return null;
  return job.type === 'search' ? runSearch(db, job) : runTitleSearch(db, job);
}
