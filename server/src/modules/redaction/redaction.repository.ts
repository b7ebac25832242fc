/**
 * The queries of redaction: finding every stored copy of a post's text (its versions, the posts
 * quoting it, notifications, stored member events, review items, reports, drafts, audit entries)
 * and writing the scrubbed copies back. Each takes the redaction's transaction. The finders look
 * in the copies tied to the post or its thread (or naming the post in a quote link), never
 * across the whole forum: a moderator removes a witness's address from this post, not every
 * occurrence of a street name anywhere.
 */
import {
  auditLog,
  drafts,
  notifications,
  postRevisions,
  posts,
  redactions,
  reports,
  reviewItems,
  threads,
  userEvents,
  type DbOrTx,
  type NotificationRow,
  type PostRevisionRow,
  type PostRow,
  type RedactionRow,
  type ReviewItemRow,
} from '@lexforum/db';
import type { RedactionKind } from '@lexforum/shared';
import { and, asc, eq, sql } from 'drizzle-orm';

/** The link every quote of a post carries (web's quoteMarkdown: `/posts/<id>/history?version=N`). */
export const quoteLinkOf = (postId: string) => `/posts/${postId}/history`;

const json = (values: readonly string[]) => JSON.stringify(values);

/** Posts other than this one that quote it, in any of their versions. */
export function quotingPostIds(tx: DbOrTx, postId: string): string[] {
  const link = quoteLinkOf(postId);
  return tx
    .all<{ id: string }>(
      sql`select distinct post_id as id from ${postRevisions}
          where post_id != ${postId}
            and (instr(coalesce(body, ''), ${link}) > 0 or instr(coalesce(sections, ''), ${link}) > 0)`,
    )
    .map((r) => r.id);
}

export function postsByIds(tx: DbOrTx, ids: readonly string[]): PostRow[] {
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(posts)
    .where(sql`${posts.id} in (select value from json_each(${json(ids)}))`)
    .all();
}

export function revisionsOf(tx: DbOrTx, postId: string): PostRevisionRow[] {
  return tx
    .select()
    .from(postRevisions)
    .where(eq(postRevisions.postId, postId))
    .orderBy(asc(postRevisions.version))
    .all();
}

export function updateRevision(
  tx: DbOrTx,
  postId: string,
  version: number,
  values: Pick<PostRevisionRow, 'body' | 'sections' | 'cooked' | 'title'>,
): void {
  tx.update(postRevisions)
    .set(values)
    .where(and(eq(postRevisions.postId, postId), eq(postRevisions.version, version)))
    .run();
}

/**
 * A redaction that changed a post's current text makes that text a new version (a copy of the
 * latest revision as scrubbed, by the redactor, without a reason: the redaction's own reason is for
 * the author and the moderators only). Returns the new version number.
 */
export function addRedactedVersion(
  tx: DbOrTx,
  postId: string,
  editorId: string,
  byModerator: boolean,
  now: Date,
): number {
  const post = tx.select().from(posts).where(eq(posts.id, postId)).get()!;
  const latest = revisionsOf(tx, postId).at(-1)!;
  const version = post.version + 1;
  tx.update(posts).set({ version, editedAt: now }).where(eq(posts.id, postId)).run();
  tx.insert(postRevisions)
    .values({
      postId,
      version,
      editorId,
      byModerator,
      reason: null,
      title: latest.title,
      meta: latest.meta,
      body: post.body,
      sections: post.sections,
      cooked: post.cooked,
      // A reply's answer facts, as scrubbed on the post (the jurisdiction from the post itself).
      answer: post.answerFor && post.answer ? { jurisdiction: post.answerFor, ...post.answer } : null,
      createdAt: now,
    })
    .run();
  return version;
}

/** A reply's answer facts (comparative questions), on the post. */
export function updatePostAnswer(tx: DbOrTx, postId: string, answer: PostRow['answer']): void {
  tx.update(posts).set({ answer }).where(eq(posts.id, postId)).run();
}

/** A reply's answer facts as one version stated them. */
export function updateRevisionAnswer(
  tx: DbOrTx,
  postId: string,
  version: number,
  answer: PostRevisionRow['answer'],
): void {
  tx.update(postRevisions)
    .set({ answer })
    .where(and(eq(postRevisions.postId, postId), eq(postRevisions.version, version)))
    .run();
}

export function updatePostContent(tx: DbOrTx, postId: string, values: Pick<PostRow, 'body' | 'sections' | 'cooked'>) {
  tx.update(posts).set(values).where(eq(posts.id, postId)).run();
}

export function updateThreadTitle(tx: DbOrTx, threadId: string, title: string): void {
  tx.update(threads).set({ title }).where(eq(threads.id, threadId)).run();
}

/** Notifications about these posts or threads (their titles name the thread, their bodies quote the post). */
export function notificationsAbout(
  tx: DbOrTx,
  postIds: readonly string[],
  threadIds: readonly string[],
): NotificationRow[] {
  return tx
    .select()
    .from(notifications)
    .where(
      sql`${notifications.postId} in (select value from json_each(${json(postIds)}))
          or ${notifications.threadId} in (select value from json_each(${json(threadIds)}))`,
    )
    .all();
}

export function updateNotification(
  tx: DbOrTx,
  id: number,
  values: Pick<NotificationRow, 'title' | 'subject' | 'body'>,
): void {
  tx.update(notifications).set(values).where(eq(notifications.id, id)).run();
}

/** Stored member events naming one of these ids (post and thread ids appear in every event about them). */
export function userEventsNaming(
  tx: DbOrTx,
  ids: readonly string[],
): { userId: string; seq: number; payload: string }[] {
  return tx.all<{ userId: string; seq: number; payload: string }>(
    sql`select user_id as userId, seq, payload from ${userEvents} e
        where exists (select 1 from json_each(${json(ids)}) j where instr(e.payload, j.value) > 0)`,
  );
}

export function updateUserEvent(tx: DbOrTx, userId: string, seq: number, payload: string): void {
  tx.update(userEvents)
    .set({ payload })
    .where(and(eq(userEvents.userId, userId), eq(userEvents.seq, seq)))
    .run();
}

/** Review items of these posts or threads, and held submissions quoting the post. */
export function reviewItemsAbout(
  tx: DbOrTx,
  postIds: readonly string[],
  threadIds: readonly string[],
  quoteLink: string,
): ReviewItemRow[] {
  return tx
    .select()
    .from(reviewItems)
    .where(
      sql`${reviewItems.postId} in (select value from json_each(${json(postIds)}))
          or ${reviewItems.threadId} in (select value from json_each(${json(threadIds)}))
          or instr(coalesce(${reviewItems.submission}, ''), ${quoteLink}) > 0`,
    )
    .all();
}

export function updateReviewItem(
  tx: DbOrTx,
  id: number,
  values: Pick<ReviewItemRow, 'submission' | 'cooked' | 'resolutionReason'>,
): void {
  tx.update(reviewItems).set(values).where(eq(reviewItems.id, id)).run();
}

export function reportNotesOn(tx: DbOrTx, postIds: readonly string[]): { id: number; note: string }[] {
  return tx.all<{ id: number; note: string }>(
    sql`select id, note from ${reports}
        where note is not null and post_id in (select value from json_each(${json(postIds)}))`,
  );
}

export function updateReportNote(tx: DbOrTx, id: number, note: string): void {
  tx.update(reports).set({ note }).where(eq(reports.id, id)).run();
}

/**
 * Drafts that may hold the text: replies being written in these threads, drafts quoting the
 * post, and the post's author's own drafts.
 */
export function draftsAbout(
  tx: DbOrTx,
  threadIds: readonly string[],
  quoteLink: string,
  authorId: string,
): { userId: string; key: string; data: unknown; excerpt: string | null }[] {
  const keys = threadIds.map((id) => `reply:${id}`);
  return tx
    .select({ userId: drafts.userId, key: drafts.key, data: drafts.data, excerpt: drafts.excerpt })
    .from(drafts)
    .where(
      sql`${drafts.key} in (select value from json_each(${json(keys)}))
          or instr(${drafts.data}, ${quoteLink}) > 0
          or ${drafts.userId} = ${authorId}`,
    )
    .all();
}

export function updateDraft(tx: DbOrTx, userId: string, key: string, data: unknown, excerpt: string | null): void {
  tx.update(drafts)
    .set({ data, excerpt })
    .where(and(eq(drafts.userId, userId), eq(drafts.key, key)))
    .run();
}

/** Audit entries about these targets (posts, threads, review items). */
export function auditEntriesAbout(
  tx: DbOrTx,
  targetIds: readonly string[],
): { id: number; before: unknown; after: unknown }[] {
  return tx
    .select({ id: auditLog.id, before: auditLog.before, after: auditLog.after })
    .from(auditLog)
    .where(sql`${auditLog.targetId} in (select value from json_each(${json(targetIds)}))`)
    .all();
}

/** The only change the append-only trigger lets through: before/after, with the redaction mark. */
export function scrubAuditEntry(tx: DbOrTx, id: number, before: unknown, after: unknown, now: Date): void {
  tx.update(auditLog).set({ before, after, redactedAt: now }).where(eq(auditLog.id, id)).run();
}

export function insertRedaction(
  tx: DbOrTx,
  values: {
    postId: string;
    threadId: string;
    kind: RedactionKind;
    versions: number[];
    byId: string;
    byModerator: boolean;
    reason: string;
    now: Date;
  },
): RedactionRow {
  return tx
    .insert(redactions)
    .values({
      postId: values.postId,
      threadId: values.threadId,
      kind: values.kind,
      versions: values.versions,
      byId: values.byId,
      byModerator: values.byModerator,
      reason: values.reason,
      createdAt: values.now,
    })
    .returning()
    .get();
}

export function listRedactions(db: DbOrTx, postId: string): RedactionRow[] {
  return db.select().from(redactions).where(eq(redactions.postId, postId)).orderBy(asc(redactions.id)).all();
}
