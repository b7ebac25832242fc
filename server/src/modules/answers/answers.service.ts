/**
 * Marking the reply that answers a question, and taking the mark back: the question's author or a
 * moderator in scope. The mark, its audit entry and the answer's author's notification are one
 * transaction; the thread's live update follows the commit.
 */
import type { Db, DbOrTx } from '@lexforum/db';
import type { ThreadDetail } from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import { fieldError, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { auditJurisdiction } from '../moderation/moderation.effects.js';
import { invalidState } from '../moderation/moderation.checks.js';
import { deliverNotifications } from '../notifications/notifier.js';
import { transact, type Publisher } from '../realtime/outbox.js';
import * as threadRepo from '../threads/threads.repository.js';
import { threadFacts, type ThreadService } from '../threads/threads.service.js';
import { removeMark, storedMark, WHOLE_QUESTION, writeMark } from './answers.queries.js';

export class AnswerService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
    private readonly threads: ThreadService,
  ) {}

  accept(guardian: Guardian, threadId: string, postId: string): ThreadDetail {
    const now = this.clock.now();
    const by = guardian.user.id;
    // Every check reads inside the transaction that writes: nothing changes between them.
    transact(this.db, this.realtime, (tx, outbox) => {
      const thread = this.question(tx, guardian, threadId);
      const post = threadRepo.findPost(tx, postId);
      if (!post || post.threadId !== threadId || post.state !== 'visible') {
        throw fieldError('/postId', 'Choose a reply of this question that is in view.');
      }
      if (post.number === 1) throw fieldError('/postId', 'The question itself cannot be its answer.');
      // A comparative question has one accepted answer per jurisdiction asked: the reply's own.
      let scope = WHOLE_QUESTION;
      if (thread.comparative) {
        if (!post.answerFor || !thread.jurisdictions.includes(post.answerFor)) {
          throw fieldError('/postId', 'This reply does not say which of the jurisdictions asked it answers for.');
        }
        scope = post.answerFor;
      }
      const before = storedMark(tx, threadId, scope);
      if (before?.postId === postId) throw invalidState('This reply is already the accepted answer.');
      writeMark(tx, { threadId, scope, postId, acceptedById: by, acceptedAt: now });
      recordAudit(
        tx,
        {
          actorId: by,
          action: 'thread.accept_answer',
          targetType: 'thread',
          targetId: threadId,
          targetUserId: post.authorId,
          jurisdictionCode: auditJurisdiction(thread.jurisdictions),
          before: { answer: before?.postId ?? null, ...scopeOf(scope) },
          after: { answer: postId, ...scopeOf(scope) },
        },
        now,
      );
      if (post.authorId !== by) {
        deliverNotifications(
          tx,
          outbox,
          [
            {
              userId: post.authorId,
              candidates: [
                { kind: 'answer_accepted', ...(scope === WHOLE_QUESTION ? {} : { params: { jurisdiction: scope } }) },
              ],
              subject: thread.title,
              link: `/threads/${threadId}#post-${post.number}`,
              actorId: by,
              threadId,
              postId,
            },
          ],
          now,
        );
      }
      outbox.addLive(() => [this.threads.threadUpdatedMessage(threadId)]);
    });
    return this.threads.threadFor(guardian, threadId)!;
  }

  unaccept(guardian: Guardian, threadId: string, jurisdiction?: string): ThreadDetail {
    const now = this.clock.now();
    const by = guardian.user.id;
    transact(this.db, this.realtime, (tx, outbox) => {
      const thread = this.question(tx, guardian, threadId);
      if (thread.comparative && !jurisdiction) {
        throw fieldError('/jurisdiction', 'Say for which jurisdiction the accepted answer is taken back.');
      }
      if (!thread.comparative && jurisdiction) {
        throw fieldError('/jurisdiction', 'This question is not asked per jurisdiction.');
      }
      const scope = jurisdiction ?? WHOLE_QUESTION;
      const before = storedMark(tx, threadId, scope);
      if (!before) throw invalidState('This question has no accepted answer for that.');
      removeMark(tx, threadId, scope);
      recordAudit(
        tx,
        {
          actorId: by,
          action: 'thread.unaccept_answer',
          targetType: 'thread',
          targetId: threadId,
          targetUserId: threadRepo.findPost(tx, before.postId)?.authorId ?? null,
          jurisdictionCode: auditJurisdiction(thread.jurisdictions),
          before: { answer: before.postId, ...scopeOf(scope) },
          after: { answer: null, ...scopeOf(scope) },
        },
        now,
      );
      outbox.addLive(() => [this.threads.threadUpdatedMessage(threadId)]);
    });
    return this.threads.threadFor(guardian, threadId)!;
  }

  /** The question, if this member may see it and mark its answer. */
  private question(tx: DbOrTx, guardian: Guardian, threadId: string) {
    guardian.ensureForumAccess();
    const thread = threadRepo.findThread(tx, threadId);
    if (!thread || !guardian.canSeeThread(threadFacts(thread))) throw notFound('That thread');
    if (!guardian.canAcceptAnswer(threadFacts(thread))) {
      throw forbidden('Only the author of the question or a moderator in scope marks its answer.');
    }
    if (thread.kind !== 'question') throw invalidState('Only a question has an accepted answer.');
    if (thread.state !== 'visible') throw invalidState('This question is out of view.');
    return thread;
  }
}

/** What the audit entry says of the scope: the jurisdiction, for a comparative question. */
function scopeOf(scope: string): { jurisdiction?: string } {
  return scope === WHOLE_QUESTION ? {} : { jurisdiction: scope };
}
