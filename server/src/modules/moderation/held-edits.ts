/**
 * Edits go through the same door as posts. A member whose posts wait for review (their first
 * posts under the `premoderatedPosts` setting, or placed under review) has their edits of a post,
 * and their changes of a thread's title, tags or analysis date, wait too: the change is stored as
 * a review item of kind 'submission' whose payload says it is an edit (`{ type: 'edit', baseVersion,
 * body: EditPostBody }` or `{ type: 'thread_edit', baseVersion, body: UpdateThreadBody }`, with the
 * item's post and thread set; for a thread change the post is the opening post). Nothing changes,
 * is notified or pushed until a moderator approves it; the approval writes it through the
 * ThreadService's own edit path (checked again, a new revision, `post.updated`, mentions).
 *
 * One open held change per post and type: a new edit replaces the pending one (a thread change is
 * merged into it, field by field), so the queue holds the author's latest wish; while a moderator
 * holds the item's claim it is refused with 409, so nobody approves text they have not seen.
 * Approval is refused (409) once what the change edits moved on since the author's version (the
 * post's text for an edit; the title, tags and date for a thread change), or when the post is
 * hidden or deleted, or its thread locked: the moderator rejects it instead.
 */
import {
  postRevisions,
  posts,
  reviewItems,
  type Db,
  type DbOrTx,
  type PostRow,
  type ReviewItemRow,
  type ThreadRow,
  type UserRow,
} from '@lexforum/db';
import { ANALYSIS_SECTIONS, type EditPostBody, type PendingSubmission, type UpdateThreadBody } from '@lexforum/shared';
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../lib/errors.js';
import { queueUserEvent } from '../notifications/notifier.js';
import { transact, type Outbox, type Publisher } from '../realtime/outbox.js';
import { readSettings } from '../settings/settings.repository.js';
import * as threadRepo from '../threads/threads.repository.js';
import type { ThreadService } from '../threads/threads.service.js';
import type { Guardian } from '../guardian/guardian.js';
import { heldChangeOf, isHeldEdit, proposedThread, tagLabels, type HeldEditData } from './held-change.js';
import { activeClaimer, recordModeration, submissionView } from './moderation.effects.js';

const invalidState = (message: string) => new AppError(409, 'INVALID_STATE', message);

/** Holds an edit of a post (its text) for review; the post stays as it is. */
export function holdPostEdit(
  db: Db,
  publisher: Publisher,
  edit: { post: PostRow; thread: ThreadRow; body: EditPostBody; cooked: string; now: Date },
): PendingSubmission {
  const { post, thread, body, now } = edit;
  const item = transact(db, publisher, (tx) =>
    upsertHeld(tx, {
      post,
      thread,
      data: { type: 'edit', baseVersion: body.version, body },
      merge: () => ({ type: 'edit', baseVersion: body.version, body }),
      cooked: edit.cooked,
      now,
    }),
  );
  return submissionView(item, thread.title, heldChangeOf(db, item));
}

/**
 * Holds a change of a thread's title, tags or analysis date for review. Returns null when it
 * changes nothing (nor does a pending change of the same thread need it).
 */
export function holdThreadEdit(
  db: Db,
  publisher: Publisher,
  edit: { thread: ThreadRow; body: UpdateThreadBody; tags: threadRepo.ThreadTags; now: Date },
): PendingSubmission | null {
  const { thread, body, now } = edit;
  const opener = db
    .select()
    .from(posts)
    .where(and(eq(posts.threadId, thread.id), eq(posts.number, 1)))
    .get()!;
  const item = transact(db, publisher, (tx) => {
    const pending = openHeld(tx, opener.id, 'thread_edit');
    const proposed = proposedThread(thread, body);
    const unchanged =
      proposed.title === thread.title &&
      proposed.language === thread.language &&
      proposed.lawAsOf === thread.lawAsOf &&
      JSON.stringify(tagLabels(proposed)) === JSON.stringify(tagLabels(thread));
    if (unchanged && !pending) return null;
    return upsertHeld(tx, {
      post: opener,
      thread,
      data: { type: 'thread_edit', baseVersion: opener.version, body },
      // A later change adds to the pending one: fields it leaves out keep the pending values.
      merge: (before) => ({
        type: 'thread_edit',
        baseVersion: opener.version,
        body: { ...(before.type === 'thread_edit' ? before.body : {}), ...body },
      }),
      cooked: '',
      now,
    });
  });
  return item ? submissionView(item, thread.title, heldChangeOf(db, item)) : null;
}

/** The member's open held change of this post (of this type), if any. */
export function openHeld(tx: DbOrTx, postId: string, type: HeldEditData['type']): ReviewItemRow | undefined {
  return tx
    .select()
    .from(reviewItems)
    .where(
      and(
        eq(reviewItems.postId, postId),
        eq(reviewItems.kind, 'submission'),
        eq(reviewItems.status, 'open'),
        sql`json_extract(${reviewItems.submission}, '$.type') = ${type}`,
      ),
    )
    .get();
}

function upsertHeld(
  tx: DbOrTx,
  values: {
    post: PostRow;
    thread: ThreadRow;
    data: HeldEditData;
    merge: (before: HeldEditData) => HeldEditData;
    cooked: string;
    now: Date;
  },
): ReviewItemRow {
  const pending = openHeld(tx, values.post.id, values.data.type);
  if (pending) {
    if (activeClaimer(pending, readSettings(tx).claimMinutes, values.now)) {
      throw invalidState(
        'A moderator is reviewing your earlier change of this post. Wait for their decision (see “Your submissions”), then edit again.',
      );
    }
    // Replaced in place: the item keeps its place in the queue, and the author one open change.
    return tx
      .update(reviewItems)
      .set({
        submission: values.merge(pending.submission as unknown as HeldEditData) as unknown as Record<string, unknown>,
        cooked: values.cooked,
        jurisdictions: values.thread.jurisdictions,
      })
      .where(eq(reviewItems.id, pending.id))
      .returning()
      .get();
  }
  return tx
    .insert(reviewItems)
    .values({
      kind: 'submission',
      authorId: values.post.authorId,
      postId: values.post.id,
      threadId: values.thread.id,
      submission: values.data as unknown as Record<string, unknown>,
      cooked: values.cooked,
      jurisdictions: values.thread.jurisdictions,
      createdAt: values.now,
    })
    .returning()
    .get();
}

/**
 * Approves a held edit: checks it can still apply, then writes it as its author's own edit and
 * closes the item (audited, the author told and pushed `submission.decided`).
 */
export async function approveHeldEdit(
  deps: { db: Db; realtime: Publisher; threads: ThreadService },
  guardian: Guardian,
  item: ReviewItemRow,
  author: Pick<UserRow, 'id' | 'displayName'>,
  note: string | null,
  now: Date,
): Promise<void> {
  const { db, threads } = deps;
  if (!isHeldEdit(item.submission)) throw invalidState('This submission is not an edit.');
  const data = item.submission;
  const post = item.postId ? threadRepo.findPost(db, item.postId) : undefined;
  const thread = post ? threadRepo.findThread(db, post.threadId) : undefined;
  if (!post || !thread) throw invalidState('The post this edit was for is gone: reject the edit instead.');
  if (post.state !== 'visible' || thread.state !== 'visible') {
    throw invalidState('The post this edit was for is hidden or deleted: reject the edit, or restore the post first.');
  }
  if (thread.lockedAt) throw invalidState('The thread is locked: unlock it first, or reject the edit.');
  if (changedSince(db, post, thread, data)) {
    throw new AppError(
      409,
      'CONFLICT',
      `The post changed after this edit was proposed (it was at version ${data.baseVersion}, it is now at version ${post.version}): reject the edit and ask its author to edit the current version.`,
    );
  }
  // Checked again as the author's own edit would be (a topic may have been retired since). Answer
  // facts for a jurisdiction the question no longer asks are left out (the reply keeps its own).
  const staleAnswer = (answer?: { jurisdiction: string } | null) =>
    !!answer && !thread.jurisdictions.includes(answer.jurisdiction);
  const editBody =
    data.type !== 'edit' ? undefined : staleAnswer(data.body.answer) ? { ...data.body, answer: undefined } : data.body;
  const checked =
    data.type === 'edit' && editBody
      ? { type: 'edit' as const, content: await threads.checkEdit(post, thread, editBody) }
      : { type: 'thread_edit' as const, tags: threads.checkThreadUpdate(thread, data.body) };
  transact(db, deps.realtime, (tx, outbox) => {
    // Cooking waited for the worker pool: another moderator may have decided it meanwhile.
    const fresh = tx.select({ status: reviewItems.status }).from(reviewItems).where(eq(reviewItems.id, item.id)).get();
    if (fresh?.status !== 'open') throw invalidState('This item was decided meanwhile.');
    if (checked.type === 'edit' && data.type === 'edit') {
      threads.writeEdit(
        tx,
        outbox,
        {
          editor: author,
          moderator: null,
          postId: post.id,
          thread,
          version: post.version,
          reason: data.body.reason ?? null,
          content: checked.content,
          answer: editBody?.answer,
        },
        now,
      );
    } else if (checked.type === 'thread_edit' && data.type === 'thread_edit') {
      threads.writeThreadUpdate(
        tx,
        outbox,
        { editor: author, moderator: null, thread, body: data.body, tags: checked.tags },
        now,
      );
    }
    tx.update(reviewItems)
      .set({
        status: 'closed',
        resolution: 'approved',
        resolutionReason: note,
        resolvedById: guardian.user.id,
        resolvedAt: now,
        claimedById: null,
        claimedAt: null,
      })
      .where(eq(reviewItems.id, item.id))
      .run();
    recordModeration(tx, outbox, {
      actor: guardian.user,
      action: 'submission.approve',
      post,
      thread,
      reason: note,
      target: 'review',
      targetId: String(item.id),
      before: { status: 'pending', type: data.type, version: data.baseVersion },
      after: { status: 'approved' },
      notice: { action: 'approve', submission: data.type },
      now,
    });
    queueSubmissionDecided(tx, outbox, item, 'approved', now);
  });
}

/**
 * Whether what the held change edits moved on since the author's version: the post's text for an
 * edit, the thread's title, tags and date for a thread change (the other kind of change of an
 * opening post also makes a new version, but does not stand in the way). Read from the revision
 * of the base version, so no copy of the old text is kept with the item.
 */
function changedSince(db: DbOrTx, post: PostRow, thread: ThreadRow, data: HeldEditData): boolean {
  if (post.version === data.baseVersion) return false;
  const base = db
    .select()
    .from(postRevisions)
    .where(and(eq(postRevisions.postId, post.id), eq(postRevisions.version, data.baseVersion)))
    .get();
  if (!base) return true;
  if (data.type === 'edit') {
    if (base.body !== post.body || !base.sections !== !post.sections) return true;
    return ANALYSIS_SECTIONS.some((key) => base.sections?.[key] !== post.sections?.[key]);
  }
  if (!base.meta) return true;
  return (
    base.title !== thread.title ||
    base.meta.lawAsOf !== thread.lawAsOf ||
    // Versions made before languages were recorded say nothing of it.
    (base.meta.language !== undefined && base.meta.language !== thread.language) ||
    tagLabels(base.meta).join('\u0000') !== tagLabels(thread).join('\u0000')
  );
}

/** Tells the author's open pages (their submissions, the thread) that a moderator decided. */
export function queueSubmissionDecided(
  tx: DbOrTx,
  outbox: Outbox,
  item: Pick<ReviewItemRow, 'id' | 'authorId'>,
  status: 'approved' | 'rejected',
  now: Date,
): void {
  queueUserEvent(tx, outbox, item.authorId, { type: 'submission.decided', submissionId: item.id, status }, now);
}
