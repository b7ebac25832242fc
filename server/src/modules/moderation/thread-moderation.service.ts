/**
 * Moderation of threads: locking and unlocking, pinning (within one of its jurisdictions, or for
 * everyone by an admin) and unpinning, and closing a question as resolved or reopening it. The
 * change, its audit entry and the author's notification in one transaction; the push after it.
 */
import { posts, threads, type Db, type ThreadRow } from '@lexforum/db';
import type { AuditAction, ThreadDetail } from '@lexforum/shared';
import { and, eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { fieldError, notFound } from '../../lib/errors.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { transact, type Publisher } from '../realtime/outbox.js';
import * as threadRepo from '../threads/threads.repository.js';
import { threadFacts, type ThreadService } from '../threads/threads.service.js';
import { checkReason, invalidState } from './moderation.checks.js';
import { recordModeration, type ModerationNotice } from './moderation.effects.js';

export type ThreadAction = 'lock' | 'unlock' | 'unpin' | 'resolve' | 'unresolve';

export class ThreadModerationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
    private readonly threads: ThreadService,
  ) {}

  threadAction(
    guardian: Guardian,
    threadId: string,
    action: ThreadAction | 'pin',
    reason: string,
    pinJurisdiction: string | null = null,
  ): ThreadDetail {
    guardian.ensureStaff();
    const thread = threadRepo.findThread(this.db, threadId);
    // A thread taken out of view does not exist for a moderator who cannot see it.
    if (!thread || !guardian.canSeeThread(threadFacts(thread))) throw notFound('That thread');
    if (!guardian.canModerate(threadFacts(thread)))
      throw forbidden('This thread is outside the jurisdictions you moderate.');
    // A question's author may be the moderator who closes it as resolved; locks and pins are for others'.
    if (thread.authorId === guardian.user.id && action !== 'resolve' && action !== 'unresolve') {
      throw forbidden('Another moderator locks or pins a thread you started.');
    }
    // A global pin is an admin's: only an admin changes or removes it.
    if (thread.pinScope === '*' && (action === 'pin' || action === 'unpin') && !guardian.canPinGlobally()) {
      throw forbidden('Only administrators change a thread pinned for the whole forum.');
    }
    const note = checkReason(reason);
    const now = this.clock.now();
    const by = guardian.user.id;
    let change: Partial<ThreadRow>;
    let before: unknown;
    let after: unknown;
    let notice: ModerationNotice;
    switch (action) {
      case 'lock':
        if (thread.lockedAt) throw invalidState('This thread is already locked.');
        change = { lockedAt: now, lockedById: by, lockReason: note };
        [before, after, notice] = [{ locked: false }, { locked: true }, { action: 'lock' }];
        break;
      case 'unlock':
        if (!thread.lockedAt) throw invalidState('This thread is not locked.');
        change = { lockedAt: null, lockedById: null, lockReason: null };
        [before, after, notice] = [{ locked: true }, { locked: false }, { action: 'unlock' }];
        break;
      case 'pin': {
        if (pinJurisdiction === null) {
          if (!guardian.canPinGlobally()) throw forbidden('Only administrators pin threads for the whole forum.');
        } else {
          if (!thread.jurisdictions.includes(pinJurisdiction)) {
            throw fieldError('/jurisdiction', 'Pin the thread within one of its own jurisdictions.');
          }
          if (!guardian.canModerate({ jurisdictions: [pinJurisdiction] })) {
            throw forbidden('You can pin only within the jurisdictions you moderate.');
          }
        }
        const scope = pinJurisdiction ?? '*';
        if (thread.pinScope === scope) throw invalidState('This thread is already pinned there.');
        change = { pinScope: scope, pinnedAt: now };
        before = { pin: thread.pinScope };
        after = { pin: scope };
        notice = { action: 'pin' };
        break;
      }
      case 'unpin':
        if (!thread.pinScope) throw invalidState('This thread is not pinned.');
        change = { pinScope: null, pinnedAt: null };
        [before, after, notice] = [{ pin: thread.pinScope }, { pin: null }, { action: 'unpin' }];
        break;
      case 'resolve':
      case 'unresolve':
        if (thread.kind !== 'question') throw fieldError('/reason', 'Only questions are closed as resolved.');
        if (action === 'resolve' && thread.resolvedAt) throw invalidState('This question is already resolved.');
        if (action === 'unresolve' && !thread.resolvedAt) throw invalidState('This question is not resolved.');
        change =
          action === 'resolve'
            ? { resolvedAt: now, resolvedById: by, resolveReason: note }
            : { resolvedAt: null, resolvedById: null, resolveReason: null };
        before = { resolved: action !== 'resolve' };
        after = { resolved: action === 'resolve' };
        notice = { action };
        break;
    }
    transact(this.db, this.realtime, (tx, outbox) => {
      tx.update(threads)
        .set({ ...change, updatedAt: now })
        .where(eq(threads.id, threadId))
        .run();
      const opener = tx
        .select()
        .from(posts)
        .where(and(eq(posts.threadId, threadId), eq(posts.number, 1)))
        .get()!;
      recordModeration(tx, outbox, {
        actor: guardian.user,
        action: `thread.${action}` as AuditAction,
        post: opener,
        thread,
        reason: note,
        before,
        after,
        target: 'thread',
        notice,
        now,
      });
      outbox.addLive(() => [this.threads.threadUpdatedMessage(threadId)]);
    });
    return this.threads.threadFor(guardian, threadId)!;
  }
}
