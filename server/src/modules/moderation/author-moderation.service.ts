/**
 * Moderation of authors: a warning or a suspension given from one of their posts (steps of
 * `PostModerationService.postAction`, run in its transaction), and placing a member under review
 * (their posts wait for approval) or lifting it.
 */
import { sessions, users, type Db, type DbOrTx, type PostRow, type ThreadRow, type UserRow } from '@lexforum/db';
import type { MemberReviewState } from '@lexforum/shared';
import { eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { spendRecoveryLinks } from '../auth/email-tokens.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { transact, type Outbox, type Publisher } from '../realtime/outbox.js';
import { readSettings } from '../settings/settings.repository.js';
import { threadFacts } from '../threads/threads.service.js';
import { checkReason, invalidState } from './moderation.checks.js';
import { auditJurisdiction, closeOpenItem, notifyAuthor, recordModeration } from './moderation.effects.js';

/** What a warning or suspension given from a post is about, and why (the checked reason). */
interface FromPost {
  post: PostRow;
  thread: ThreadRow;
  reason: string;
  now: Date;
}

/** Warns a post's author (they are notified; the post's open reports are closed as warned). */
export function warnAuthor(
  tx: DbOrTx,
  outbox: Outbox,
  { actor, post, thread, reason: note, now }: FromPost & { actor: Pick<UserRow, 'id'> },
): void {
  recordModeration(tx, outbox, {
    actor,
    action: 'user.warn',
    post,
    thread,
    reason: note,
    after: { postId: post.id, threadId: thread.id },
    target: 'user',
    notice: { action: 'warn' },
    now,
  });
  closeOpenItem(tx, outbox, { postId: post.id, resolution: 'warned', actor, reason: note, now });
}

/**
 * Suspends a post's author: their sessions end and their recovery links are spent. `confirmRecent`
 * throws unless the session confirmed who it is in the last minutes (every suspension needs it),
 * asked once the suspension is otherwise allowed.
 */
export function suspendAuthor(
  tx: DbOrTx,
  guardian: Guardian,
  { post, thread, reason: note, now }: FromPost,
  confirmRecent: () => void,
): void {
  const actor = guardian.user;
  const facts = threadFacts(thread);
  const author = tx.select().from(users).where(eq(users.id, post.authorId)).get()!;
  if (!guardian.canSuspendAuthor(author, facts, readSettings(tx).moderatorsCanSuspend)) {
    throw forbidden(
      guardian.isAdmin
        ? 'Moderators and administrators are not suspended here; change their role first.'
        : 'Only administrators can suspend members on this forum.',
    );
  }
  if (author.status === 'suspended') throw invalidState('This member is already suspended.');
  confirmRecent();
  tx.update(users)
    .set({ status: 'suspended', suspendedAt: now, suspendedReason: note, updatedAt: now })
    .where(eq(users.id, author.id))
    .run();
  const ended = tx.delete(sessions).where(eq(sessions.userId, author.id)).run().changes;
  spendRecoveryLinks(tx, author.id, now);
  recordAudit(
    tx,
    {
      actorId: actor.id,
      action: 'user.suspend',
      targetType: 'user',
      targetId: author.id,
      targetUserId: author.id,
      jurisdictionCode: auditJurisdiction(thread.jurisdictions),
      reason: note,
      before: { status: 'active' },
      after: { status: 'suspended', sessionsEnded: ended, postId: post.id },
    },
    now,
  );
}

export class MemberModerationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
  ) {}

  setMemberReview(guardian: Guardian, userId: string, underReview: boolean, reason: string): MemberReviewState {
    guardian.ensureStaff();
    const member = this.db.select().from(users).where(eq(users.id, userId)).get();
    if (!member || member.role === 'applicant') throw notFound('That member');
    if (!guardian.canReviewMember(member)) {
      throw forbidden('Only the moderators of this member’s jurisdiction place them under review.');
    }
    const note = checkReason(reason);
    if (member.underReview === underReview) {
      throw invalidState(underReview ? 'This member is already under review.' : 'This member is not under review.');
    }
    const now = this.clock.now();
    transact(this.db, this.realtime, (tx, outbox) => {
      tx.update(users).set({ underReview, updatedAt: now }).where(eq(users.id, userId)).run();
      recordAudit(
        tx,
        {
          actorId: guardian.user.id,
          action: 'user.review',
          targetType: 'user',
          targetId: userId,
          targetUserId: userId,
          jurisdictionCode: member.jurisdictionCode,
          reason: note,
          before: { underReview: member.underReview },
          after: { underReview },
        },
        now,
      );
      notifyAuthor(
        tx,
        outbox,
        {
          userId,
          candidates: [{ kind: 'content_moderated', params: { action: 'review', underReview } }],
          body: note,
          link: '/account/submissions',
          actorId: guardian.user.id,
        },
        now,
      );
    });
    return { member: { id: userId, underReview } };
  }
}
