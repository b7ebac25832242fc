/**
 * The hot reads of the forum (the thread list, a thread's page, one post) as SQL prepared once
 * per database handle on better-sqlite3, with rows mapped by hand: no query builder per request.
 * A post read for display leaves out its markdown (`body`, `sections`): the page sends the cooked
 * HTML only, and needs to know whether there are sections, not what they say.
 */
import { sqliteOf, type DbOrTx, type PostAnswerMeta, type PostRow, type ThreadRow } from '@lexforum/db';
import type { Attachment, ThreadQuery, ThreadSort } from '@lexforum/shared';
import { prepared } from '../../lib/prepared.js';
import { ANSWERED_SQL } from '../answers/answered-sql.js';
import { parseAttachments, POST_ATTACHMENTS_SQL } from '../attachments/attachments.repository.js';
import type { Cursor, ThreadListRow } from './threads.repository.js';

/** A post as a page shows it: without its markdown, with whether it has analysis sections. */
export type PostViewRow = Omit<PostRow, 'body' | 'sections'> & { hasSections: boolean };

export interface PostViewListRow {
  post: PostViewRow;
  parentNumber: number | null;
  /** Its attached files, in order. */
  attachments?: Attachment[];
}

interface RawThread {
  id: string;
  kind: ThreadRow['kind'];
  title: string;
  author_id: string;
  jurisdictions: string;
  topics: string;
  citations: string;
  law_as_of: string | null;
  language: string;
  personal_capacity: number;
  comparative: number;
  post_count: number;
  participant_count: number;
  hidden_count: number;
  state: ThreadRow['state'];
  locked_at: number | null;
  locked_by_id: string | null;
  lock_reason: string | null;
  pin_scope: string | null;
  pinned_at: number | null;
  resolved_at: number | null;
  resolved_by_id: string | null;
  resolve_reason: string | null;
  last_post_at: number;
  last_poster_id: string;
  created_at: number;
  updated_at: number;
  version: number;
}

const THREAD_COLUMNS = `t.id, t.kind, t.title, t.author_id, t.jurisdictions, t.topics, t.citations, t.law_as_of,
  t.language, t.personal_capacity, t.comparative, t.post_count, t.participant_count, t.hidden_count, t.state, t.locked_at,
  t.locked_by_id, t.lock_reason, t.pin_scope, t.pinned_at, t.resolved_at, t.resolved_by_id, t.resolve_reason,
  t.last_post_at, t.last_poster_id, t.created_at, t.updated_at, t.version`;

const date = (ms: number) => new Date(ms);
const maybeDate = (ms: number | null) => (ms === null ? null : new Date(ms));

export function toThreadRow(r: RawThread): ThreadRow {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    authorId: r.author_id,
    jurisdictions: JSON.parse(r.jurisdictions) as string[],
    topics: JSON.parse(r.topics) as string[],
    citations: JSON.parse(r.citations) as ThreadRow['citations'],
    lawAsOf: r.law_as_of,
    language: r.language,
    personalCapacity: r.personal_capacity === 1,
    comparative: r.comparative === 1,
    postCount: r.post_count,
    participantCount: r.participant_count,
    hiddenCount: r.hidden_count,
    state: r.state,
    lockedAt: maybeDate(r.locked_at),
    lockedById: r.locked_by_id,
    lockReason: r.lock_reason,
    pinScope: r.pin_scope,
    pinnedAt: maybeDate(r.pinned_at),
    resolvedAt: maybeDate(r.resolved_at),
    resolvedById: r.resolved_by_id,
    resolveReason: r.resolve_reason,
    lastPostAt: date(r.last_post_at),
    lastPosterId: r.last_poster_id,
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    version: r.version,
  };
}

export function threadById(db: DbOrTx, id: string): ThreadRow | undefined {
  const sqlite = sqliteOf(db);
  const row = prepared(sqlite, 'read.threadById', () =>
    sqlite.prepare<[string], RawThread>(`select ${THREAD_COLUMNS} from threads t where t.id = ?`),
  ).get(id);
  return row ? toThreadRow(row) : undefined;
}

type RawListRow = RawThread & {
  author_name: string;
  last_poster_name: string;
  last_read_number: number | null;
  answered: number;
};

const LIST_FROM = `select ${THREAD_COLUMNS}, a.display_name as author_name, lp.display_name as last_poster_name,
    r.last_read_number, (t.kind = 'question' and ${ANSWERED_SQL}) as answered
  from threads t
  join users a on a.id = t.author_id
  join users lp on lp.id = t.last_poster_id
  left join thread_reads r on r.thread_id = t.id and r.user_id = @viewer`;

function toListRow(r: RawListRow): ThreadListRow {
  return {
    thread: toThreadRow(r),
    authorName: r.author_name,
    lastPosterName: r.last_poster_name,
    lastReadNumber: r.last_read_number,
    answered: r.answered === 1,
  };
}

/** A thread with its author's and last poster's names, this viewer's read state and follow. */
export function threadForViewer(
  db: DbOrTx,
  id: string,
  viewer: string,
): (ThreadListRow & { following: number }) | undefined {
  const sqlite = sqliteOf(db);
  const row = prepared(sqlite, 'read.threadForViewer', () =>
    sqlite.prepare<[{ id: string; viewer: string }], RawListRow & { following: number }>(
      `${LIST_FROM.replace(
        'r.last_read_number',
        `r.last_read_number,
         exists (select 1 from follows f where f.user_id = @viewer and f.target = 'thread' and f.key = t.id) as following`,
      )}
       where t.id = @id`,
    ),
  ).get({ id, viewer });
  return row ? { ...toListRow(row), following: row.following } : undefined;
}

/** The threads pinned globally or within any of `jurisdictions`, the most recently pinned first. */
export function pinnedThreads(db: DbOrTx, viewer: string, jurisdictions: readonly string[]): ThreadListRow[] {
  const sqlite = sqliteOf(db);
  return prepared(sqlite, 'read.pinnedThreads', () =>
    sqlite.prepare<[{ viewer: string; scopes: string }], RawListRow>(
      `${LIST_FROM}
       where t.state = 'visible' and t.pin_scope in (select value from json_each(@scopes))
       order by t.pinned_at desc, t.id desc limit 20`,
    ),
  )
    .all({ viewer, scopes: JSON.stringify(['*', ...jurisdictions]) })
    .map(toListRow);
}

const SORT_COLUMN: Record<ThreadSort, string> = {
  latest: 't.last_post_at',
  newest: 't.created_at',
  replies: 't.post_count',
};

/**
 * A page of the thread list. One statement per shape of query (which filters are present, the
 * sort, first page or later), prepared once; the filter values travel as JSON arrays.
 */
export function listThreadPage(
  db: DbOrTx,
  viewer: string,
  query: ThreadQuery & { sort: ThreadSort; limit: number },
  cursor: Cursor | undefined,
): ThreadListRow[] {
  const has = {
    jurisdiction: !!query.jurisdiction?.length,
    topic: !!query.topic?.length,
    instrument: !!query.instrument?.length,
    kind: !!query.kind,
    language: !!query.language,
    author: !!query.author,
    following: !!query.following,
    unread: !!query.unread,
    awaiting: !!query.awaiting,
    cursor: cursor !== undefined,
  };
  // Tag values are bound one parameter each (`@j0, @j1`): bound as a JSON array read with
  // json_each, SQLite could not use the topic's covering index and scanned the whole table (three
  // times slower on 10,000 threads). So the shape includes how many of each there are.
  const tags = { j: query.jurisdiction ?? [], t: query.topic ?? [], i: query.instrument ?? [] };
  const key = `read.threadList.${query.sort}.${Object.entries(has)
    .filter(([, on]) => on)
    .map(([name]) => name)
    .join('.')}.${tags.j.length}.${tags.t.length}.${tags.i.length}`;
  const list = (prefix: keyof typeof tags) => tags[prefix].map((_, n) => `@${prefix}${n}`).join(', ');
  const sqlite = sqliteOf(db);
  const statement = prepared(sqlite, key, () => {
    const column = SORT_COLUMN[query.sort];
    const conditions = [`t.state = 'visible'`];
    // Tag filters are "any of" within a kind and combine across kinds: one set of thread ids,
    // the intersection of each kind's matches, read from the join tables' covering keys.
    const tagSets: string[] = [];
    if (has.jurisdiction) tagSets.push(`select thread_id from thread_jurisdictions where code in (${list('j')})`);
    if (has.topic) tagSets.push(`select thread_id from thread_topics where slug in (${list('t')})`);
    if (has.instrument) tagSets.push(`select thread_id from thread_instruments where instrument in (${list('i')})`);
    if (tagSets.length > 0) conditions.push(`t.id in (${tagSets.join(' intersect ')})`);
    if (has.kind) conditions.push('t.kind = @kind');
    // (language, last_post_at, id) is indexed: the latest threads in one language read in order.
    if (has.language) conditions.push('t.language = @language');
    if (has.author) conditions.push('t.author_id = @author');
    if (has.following)
      conditions.push(`t.id in (select key from follows where user_id = @viewer and target = 'thread'
        union select tj.thread_id from thread_jurisdictions tj join follows f
          on f.target = 'jurisdiction' and f.key = tj.code and f.user_id = @viewer
        union select tt.thread_id from thread_topics tt join follows f
          on f.target = 'topic' and f.key = tt.slug and f.user_id = @viewer
        union select ti.thread_id from thread_instruments ti join follows f
          on f.target = 'instrument' and f.key = ti.instrument and f.user_id = @viewer)`);
    if (has.unread) conditions.push('coalesce(r.last_read_number, 0) < t.post_count');
    if (has.awaiting)
      conditions.push(`t.kind = 'question' and t.comparative = 1 and t.resolved_at is null
        and t.id in (select thread_id from thread_jurisdictions where code = @awaiting)
        and not exists (select 1 from accepted_answers aa join posts ap on ap.id = aa.post_id
          and ap.thread_id = aa.thread_id and ap.state = 'visible' and ap.answer_for = aa.scope
          where aa.thread_id = t.id and aa.scope = @awaiting)`);
    if (has.cursor) conditions.push(`(${column} < @value or (${column} = @value and t.id < @id))`);
    return sqlite.prepare<[Record<string, unknown>], RawListRow>(
      `${LIST_FROM} where ${conditions.join(' and ')} order by ${column} desc, t.id desc limit @limit`,
    );
  });
  const params: Record<string, unknown> = { viewer, limit: query.limit };
  for (const [prefix, values] of Object.entries(tags)) values.forEach((v, n) => (params[`${prefix}${n}`] = v));
  if (has.kind) params.kind = query.kind;
  if (has.language) params.language = query.language;
  if (has.author) params.author = query.author;
  if (has.awaiting) params.awaiting = query.awaiting;
  if (cursor) {
    params.value = cursor.value;
    params.id = cursor.id;
  }
  return statement.all(params).map(toListRow);
}

interface RawPost {
  id: string;
  thread_id: string;
  number: number;
  parent_id: string | null;
  depth: number;
  author_id: string;
  has_sections: number;
  cooked: string;
  version: number;
  reply_count: number;
  created_at: number;
  edited_at: number | null;
  state: PostRow['state'];
  moderated_at: number | null;
  moderated_by_id: string | null;
  moderation_reason: string | null;
  edited_by_moderator: number;
  answer_for: string | null;
  answer: string | null;
  parent_number: number | null;
  attachments: string | null;
}

const POST_VIEW_COLUMNS = `p.id, p.thread_id, p.number, p.parent_id, p.depth, p.author_id,
  p.sections is not null as has_sections, p.cooked, p.version, p.reply_count, p.created_at, p.edited_at, p.state,
  p.moderated_at, p.moderated_by_id, p.moderation_reason, p.edited_by_moderator, p.answer_for, p.answer,
  parent.number as parent_number, ${POST_ATTACHMENTS_SQL} as attachments`;

function toPostView(r: RawPost): PostViewListRow {
  return {
    post: {
      id: r.id,
      threadId: r.thread_id,
      number: r.number,
      parentId: r.parent_id,
      depth: r.depth,
      authorId: r.author_id,
      hasSections: r.has_sections === 1,
      cooked: r.cooked,
      version: r.version,
      replyCount: r.reply_count,
      createdAt: date(r.created_at),
      editedAt: maybeDate(r.edited_at),
      state: r.state,
      moderatedAt: maybeDate(r.moderated_at),
      moderatedById: r.moderated_by_id,
      moderationReason: r.moderation_reason,
      editedByModerator: r.edited_by_moderator === 1,
      answerFor: r.answer_for,
      answer: r.answer === null ? null : (JSON.parse(r.answer) as PostAnswerMeta),
    },
    parentNumber: r.parent_number,
    attachments: parseAttachments(r.attachments),
  };
}

/** Posts of a thread numbered after `after`, in order, with the numbers of their parents. */
export function postPage(db: DbOrTx, threadId: string, after: number, limit: number): PostViewListRow[] {
  const sqlite = sqliteOf(db);
  return prepared(sqlite, 'read.postPage', () =>
    sqlite.prepare<[string, number, number], RawPost>(
      `select ${POST_VIEW_COLUMNS} from posts p left join posts parent on parent.id = p.parent_id
       where p.thread_id = ? and p.number > ? order by p.number limit ?`,
    ),
  )
    .all(threadId, after, limit)
    .map(toPostView);
}

export function postView(db: DbOrTx, id: string): PostViewListRow | undefined {
  const sqlite = sqliteOf(db);
  const row = prepared(sqlite, 'read.postView', () =>
    sqlite.prepare<[string], RawPost>(
      `select ${POST_VIEW_COLUMNS} from posts p left join posts parent on parent.id = p.parent_id where p.id = ?`,
    ),
  ).get(id);
  return row ? toPostView(row) : undefined;
}

/** What the cached thread page needs per request: the stamp, and this reader's state of the thread. */
export interface ThreadHead {
  version: number;
  generation: number;
  state: ThreadRow['state'];
  authorId: string;
  locked: boolean;
  lastReadNumber: number | null;
  following: boolean;
}

export function threadHead(db: DbOrTx, id: string, viewer: string): ThreadHead | undefined {
  const sqlite = sqliteOf(db);
  const row = prepared(sqlite, 'read.threadHead', () =>
    sqlite.prepare<
      [{ id: string; viewer: string }],
      {
        version: number;
        generation: number;
        state: ThreadRow['state'];
        author_id: string;
        locked_at: number | null;
        last_read_number: number | null;
        following: number;
      }
    >(
      `select t.version, (select value from render_generation where id = 1) as generation, t.state, t.author_id,
         t.locked_at, r.last_read_number,
         exists (select 1 from follows f where f.user_id = @viewer and f.target = 'thread' and f.key = t.id) as following
       from threads t left join thread_reads r on r.thread_id = t.id and r.user_id = @viewer
       where t.id = @id`,
    ),
  ).get({ id, viewer });
  return row
    ? {
        version: row.version,
        generation: row.generation,
        state: row.state,
        authorId: row.author_id,
        locked: row.locked_at !== null,
        lastReadNumber: row.last_read_number,
        following: row.following === 1,
      }
    : undefined;
}
