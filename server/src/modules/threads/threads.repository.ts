/**
 * Queries for threads and posts. The list and the thread page are each a fixed handful of
 * queries however many rows, tags or authors they show: tags are read from the thread row's
 * JSON copy, names come from joins, badges from one lookup of the page's authors.
 */
import {
  drafts,
  follows,
  postRevisions,
  posts,
  threadInstruments,
  threadJurisdictions,
  threadReads,
  threads,
  threadTopics,
  users,
  sqliteOf,
  type DbOrTx,
  type NewPostRow,
  type PostRevisionRow,
  type PostRow,
  type ThreadRow,
} from '@lexforum/db';
import { THREAD_SORTS, type CitationInput, type FollowTarget, type ThreadSort } from '@lexforum/shared';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { prepared } from '../../lib/prepared.js';

export interface ThreadListRow {
  thread: ThreadRow;
  authorName: string;
  lastPosterName: string;
  lastReadNumber: number | null;
  /** A question with an accepted answer in view (ANSWERED_SQL, in the same query). */
  answered: boolean;
}

export interface ThreadTags {
  jurisdictions: string[];
  topics: string[];
  citations: CitationInput[];
}

/** Keyset position in a sorted list: the sort value and the id of the last row shown. */
export interface Cursor {
  /** The sort the cursor was made for: a cursor of one sort means nothing in another. */
  sort: ThreadSort;
  value: number;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

/** Undefined for anything that is not a cursor we made (a 400 is the caller's choice). */
export function decodeCursor(raw: string): Cursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      (THREAD_SORTS as readonly unknown[]).includes(parsed[0]) &&
      Number.isSafeInteger(parsed[1]) &&
      typeof parsed[2] === 'string' &&
      parsed[2].length <= 64
    ) {
      return { sort: parsed[0] as ThreadSort, value: parsed[1] as number, id: parsed[2] };
    }
  } catch {
    // fall through
  }
  return undefined;
}

export function sortValue(row: ThreadRow, sort: ThreadSort): number {
  return sort === 'newest' ? row.createdAt.getTime() : sort === 'replies' ? row.postCount : row.lastPostAt.getTime();
}

export function findThread(db: DbOrTx, id: string): ThreadRow | undefined {
  return prepared(db, 'threads.find', () =>
    db
      .select()
      .from(threads)
      .where(eq(threads.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id });
}

export function findPost(db: DbOrTx, id: string): PostRow | undefined {
  return prepared(db, 'posts.find', () =>
    db
      .select()
      .from(posts)
      .where(eq(posts.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id });
}

/** Users by id, one prepared statement whatever the number of ids (they travel as JSON). */
export function usersByIds(db: DbOrTx, ids: readonly string[]) {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  return prepared(db, 'users.byIds', () =>
    db
      .select()
      .from(users)
      .where(sql`${users.id} in (select value from json_each(${sql.placeholder('ids')}))`)
      .prepare(),
  ).all({ ids: JSON.stringify(wanted) });
}

/** Replaces a thread's tags: the JSON copy on the row and the indexed join rows. */
export function writeTags(db: DbOrTx, threadId: string, tags: ThreadTags): void {
  db.delete(threadJurisdictions).where(eq(threadJurisdictions.threadId, threadId)).run();
  db.delete(threadTopics).where(eq(threadTopics.threadId, threadId)).run();
  db.delete(threadInstruments).where(eq(threadInstruments.threadId, threadId)).run();
  db.insert(threadJurisdictions)
    .values(tags.jurisdictions.map((code) => ({ threadId, code })))
    .run();
  db.insert(threadTopics)
    .values(tags.topics.map((slug) => ({ threadId, slug })))
    .run();
  const instrumentSlugs = [...new Set(tags.citations.map((c) => c.instrument))];
  if (instrumentSlugs.length > 0) {
    db.insert(threadInstruments)
      .values(instrumentSlugs.map((instrument) => ({ threadId, instrument })))
      .run();
  }
  db.update(threads)
    .set({ jurisdictions: tags.jurisdictions, topics: tags.topics, citations: tags.citations })
    .where(eq(threads.id, threadId))
    .run();
}

export type RevisionMeta = NonNullable<PostRevisionRow['meta']>;

/** Inserts a post and its first revision (with the thread's title and tags, for an opening post). */
/** The columns a new post sets itself; the rest take their defaults. */
const NEW_POST_COLUMNS = new Set([
  'id',
  'threadId',
  'number',
  'parentId',
  'depth',
  'authorId',
  'body',
  'sections',
  'cooked',
  'createdAt',
]);

export function insertPost(
  db: DbOrTx,
  row: NewPostRow & { id: string },
  opening: { title: string; meta: RevisionMeta } | null,
): void {
  const sqlite = sqliteOf(db);
  // Every post is written here: statements prepared once, not built per write. A row that sets
  // anything else (none does today) goes through the builder, which knows every column.
  if (Object.keys(row).some((k) => !NEW_POST_COLUMNS.has(k) && row[k as keyof typeof row] !== undefined)) {
    db.insert(posts).values(row).run();
  } else {
    prepared(sqlite, 'posts.insert', () =>
      sqlite.prepare(
        `insert into posts (id, thread_id, number, parent_id, depth, author_id, body, sections, cooked, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    ).run(
      row.id,
      row.threadId,
      row.number,
      row.parentId ?? null,
      row.depth ?? 0,
      row.authorId,
      row.body ?? null,
      row.sections == null ? null : JSON.stringify(row.sections),
      row.cooked,
      row.createdAt.getTime(),
    );
  }
  prepared(sqlite, 'posts.insertFirstRevision', () =>
    sqlite.prepare(
      `insert into post_revisions (post_id, version, editor_id, by_moderator, reason, title, meta, body, sections, cooked, created_at)
       values (?, 1, ?, 0, null, ?, ?, ?, ?, ?, ?)`,
    ),
  ).run(
    row.id,
    row.authorId,
    opening?.title ?? null,
    opening?.meta == null ? null : JSON.stringify(opening.meta),
    row.body ?? null,
    row.sections == null ? null : JSON.stringify(row.sections),
    row.cooked,
    row.createdAt.getTime(),
  );
}

/** A thread's opening post (number 1). */
export function findOpeningPost(db: DbOrTx, threadId: string): PostRow | undefined {
  const sqlite = sqliteOf(db);
  const id = prepared(sqlite, 'posts.openingId', () =>
    sqlite.prepare<[string], string>('select id from posts where thread_id = ? and number = 1').pluck(),
  ).get(threadId);
  return id === undefined ? undefined : findPost(db, id);
}

export function hasPostedIn(db: DbOrTx, threadId: string, userId: string): boolean {
  const sqlite = sqliteOf(db);
  return (
    prepared(sqlite, 'posts.hasPostedIn', () =>
      sqlite.prepare<[string, string], number>(
        `select 1 from posts where thread_id = ? and author_id = ? and state = 'visible' limit 1`,
      ),
    ).get(threadId, userId) !== undefined
  );
}

export function listRevisions(db: DbOrTx, postId: string) {
  return db
    .select({ revision: postRevisions, editorName: users.displayName })
    .from(postRevisions)
    .innerJoin(users, eq(users.id, postRevisions.editorId))
    .where(eq(postRevisions.postId, postId))
    .orderBy(asc(postRevisions.version))
    .all();
}

export function follow(db: DbOrTx, userId: string, target: FollowTarget, key: string, now: Date): void {
  const sqlite = sqliteOf(db);
  prepared(sqlite, 'follows.insert', () =>
    sqlite.prepare('insert into follows (user_id, target, key, created_at) values (?, ?, ?, ?) on conflict do nothing'),
  ).run(userId, target, key, now.getTime());
}

export function unfollow(db: DbOrTx, userId: string, target: FollowTarget, key: string): void {
  db.delete(follows)
    .where(and(eq(follows.userId, userId), eq(follows.target, target), eq(follows.key, key)))
    .run();
}

export function listFollows(db: DbOrTx, userId: string) {
  return (
    db
      .select({ target: follows.target, key: follows.key, title: threads.title })
      .from(follows)
      .leftJoin(threads, and(eq(follows.target, 'thread'), eq(threads.id, follows.key)))
      // A followed thread taken out of view is listed to its author only (its title may be the problem).
      .where(
        and(
          eq(follows.userId, userId),
          sql`(${threads.id} is null or ${threads.state} = 'visible' or ${threads.authorId} = ${userId})`,
        ),
      )
      .orderBy(asc(follows.createdAt))
      .all()
  );
}

/** Moves a member's read position forward (never back), capped at the thread's last post. */
export function markRead(db: DbOrTx, userId: string, threadId: string, number: number, now: Date): void {
  db.insert(threadReads)
    .values({ userId, threadId, lastReadNumber: number, updatedAt: now })
    .onConflictDoUpdate({
      target: [threadReads.userId, threadReads.threadId],
      set: {
        lastReadNumber: sql`max(${threadReads.lastReadNumber}, excluded.last_read_number)`,
        updatedAt: now,
      },
    })
    .run();
}

/**
 * After a member posts: their own post counts as read only if they had read everything before
 * it, so replying never hides posts they have not seen.
 */
export function markOwnPostRead(db: DbOrTx, userId: string, threadId: string, number: number, now: Date): void {
  const sqlite = sqliteOf(db);
  prepared(sqlite, 'threadReads.markOwnPost', () =>
    sqlite.prepare(
      `update thread_reads set last_read_number = ?, updated_at = ?
       where user_id = ? and thread_id = ? and last_read_number = ?`,
    ),
  ).run(number, now.getTime(), userId, threadId, number - 1);
}

export function readNumber(db: DbOrTx, userId: string, threadId: string): number {
  return (
    db
      .select({ n: threadReads.lastReadNumber })
      .from(threadReads)
      .where(and(eq(threadReads.userId, userId), eq(threadReads.threadId, threadId)))
      .get()?.n ?? 0
  );
}

/** Threads per tag, counting only threads in the list (not those whose opening post is hidden). */
export function tagCounts(db: DbOrTx) {
  const count = sql<number>`count(*)`;
  const hidden = sql`(select ${threads.id} from ${threads} where ${threads.state} != 'visible')`;
  return {
    jurisdictions: db
      .select({ key: threadJurisdictions.code, count })
      .from(threadJurisdictions)
      .where(sql`${threadJurisdictions.threadId} not in ${hidden}`)
      .groupBy(threadJurisdictions.code)
      .all(),
    topics: db
      .select({ key: threadTopics.slug, count })
      .from(threadTopics)
      .where(sql`${threadTopics.threadId} not in ${hidden}`)
      .groupBy(threadTopics.slug)
      .all(),
    instruments: db
      .select({ key: threadInstruments.instrument, count })
      .from(threadInstruments)
      .where(sql`${threadInstruments.threadId} not in ${hidden}`)
      .groupBy(threadInstruments.instrument)
      .all(),
  };
}

/**
 * Recounts what moderation changes: the numbers without a visible post (hidden, deleted or moved
 * away), participants and the last visible post (the list must not show a hidden post's author or
 * time). `post_count` stays the highest number.
 */
export function refreshThreadCounters(db: DbOrTx, threadId: string): void {
  db.run(sql`update ${threads} set
      hidden_count = post_count - (select count(*) from ${posts} p where p.thread_id = ${threadId} and p.state = 'visible'),
      participant_count = max(1, (select count(distinct p.author_id) from ${posts} p
        where p.thread_id = ${threadId} and p.state = 'visible')),
      last_post_at = coalesce((select p.created_at from ${posts} p where p.thread_id = ${threadId}
        and p.state = 'visible' order by p.created_at desc, p.number desc limit 1), created_at),
      last_poster_id = coalesce((select p.author_id from ${posts} p where p.thread_id = ${threadId}
        and p.state = 'visible' order by p.created_at desc, p.number desc limit 1), author_id)
    where id = ${threadId}`);
}

/** Posts written by a member (any state). */
export function postCountOf(db: DbOrTx, userId: string): number {
  return db.get<{ n: number }>(sql`select count(*) as n from ${posts} where ${posts.authorId} = ${userId}`)?.n ?? 0;
}

/**
 * The same, counted up to `upTo`: pre-moderation holds a member's first few posts, so it never
 * needs to count further (an established member has thousands).
 */
export function postCountUpTo(db: DbOrTx, userId: string, upTo: number): number {
  const sqlite = sqliteOf(db);
  return prepared(sqlite, 'posts.countOfAuthorUpTo', () =>
    sqlite
      .prepare<[string, number], number>('select count(*) from (select 1 from posts where author_id = ? limit ?)')
      .pluck(),
  ).get(userId, upTo)!;
}

// ---- Drafts ----

export function findDraft(db: DbOrTx, userId: string, key: string) {
  return db
    .select()
    .from(drafts)
    .where(and(eq(drafts.userId, userId), eq(drafts.key, key)))
    .get();
}

export function saveDraft(
  db: DbOrTx,
  userId: string,
  key: string,
  data: unknown,
  now: Date,
  excerpt: string | null = null,
  token: string | null = null,
): void {
  db.insert(drafts)
    .values({ userId, key, data, excerpt, token, updatedAt: now })
    .onConflictDoUpdate({ target: [drafts.userId, drafts.key], set: { data, excerpt, token, updatedAt: now } })
    .run();
}

/** Keeps the excerpt made for a draft saved before excerpts were stored (only if still that version). */
export function storeDraftExcerpt(db: DbOrTx, userId: string, key: string, updatedAt: Date, excerpt: string): void {
  db.update(drafts)
    .set({ excerpt })
    .where(and(eq(drafts.userId, userId), eq(drafts.key, key), eq(drafts.updatedAt, updatedAt)))
    .run();
}

export function deleteDraft(db: DbOrTx, userId: string, key: string): void {
  const sqlite = sqliteOf(db);
  prepared(sqlite, 'drafts.delete', () => sqlite.prepare('delete from drafts where user_id = ? and key = ?')).run(
    userId,
    key,
  );
}

export function listDrafts(db: DbOrTx, userId: string) {
  return (
    db
      .select({ draft: drafts, threadTitle: threads.title, threadId: threads.id })
      .from(drafts)
      .leftJoin(
        threads,
        sql`${threads.id} = substr(${drafts.key}, 7) and ${drafts.key} like 'reply:%'
        and (${threads.state} = 'visible' or ${threads.authorId} = ${userId})`,
      )
      // Direct-message drafts (`message:…`) belong to the conversations, not to this list.
      .where(and(eq(drafts.userId, userId), sql`${drafts.key} not like 'message:%'`))
      .orderBy(desc(drafts.updatedAt))
      .all()
  );
}

/** Username → id of the members these names may mention: vetted and active (they can read threads). */
export function mentionableUsers(db: DbOrTx, names: readonly string[]): Map<string, string> {
  if (names.length === 0) return new Map();
  const rows = db.all<{ id: string; username: string }>(
    sql`select id, username from users
        where status = 'active' and role != 'applicant'
          and username in (select value from json_each(${JSON.stringify(names)}))`,
  );
  return new Map(rows.map((r) => [r.username, r.id]));
}
