/**
 * Reported direct messages. A participant reports a message: an open review item of kind
 * `message` gathers the reports on it, keeping the message's HTML as last reported (the evidence)
 * and the participants' jurisdictions (its scope: a moderator covering any of them, or
 * every moderator when none is covered, and every admin, as for posts). In the queue moderators
 * see that message alone and the conversation's participants, nothing else of the conversation;
 * they hide it, warn or suspend its author, or dismiss the reports. Every action is audited
 * without the message's text. Moderators act only on a message with an open item: staff have no
 * way to reach a message nobody reported.
 */
import {
  conversationParticipants,
  directMessages,
  messageReports,
  reviewItems,
  sessions,
  users,
  type Db,
  type DbOrTx,
  type DirectMessageRow,
  type ReviewItemRow,
} from '@lexforum/db';
import {
  checkText,
  MODERATION_RULES,
  type Report,
  type ReportBody,
  type ReviewItem,
  type ReviewResolution,
} from '@lexforum/shared';
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError, assertFields, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { spendRecoveryLinks } from '../auth/email-tokens.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { invalidState, checkReason } from '../moderation/moderation.checks.js';
import { auditJurisdiction } from '../moderation/moderation.effects.js';
import type { ReviewItems } from '../moderation/review-items.js';
import { deliverNotifications } from '../notifications/notifier.js';
import { transact, type Outbox, type Publisher } from '../realtime/outbox.js';
import { readSettings } from '../settings/settings.repository.js';
import type { ConversationService } from './conversations.service.js';
import * as repo from './conversations.repository.js';
import { messageReportView } from './message-review.js';

export const MESSAGE_ACTIONS = ['hide', 'warn', 'suspend-author', 'dismiss'] as const;
export type MessageAction = (typeof MESSAGE_ACTIONS)[number];

export class MessageModerationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
    private readonly conversations: ConversationService,
    private readonly items: ReviewItems,
  ) {}

  /** A participant reports someone else's visible message. */
  report(guardian: Guardian, conversationId: string, messageId: string, body: ReportBody): Report {
    guardian.ensureForumAccess();
    if (!guardian.canReadConversation(repo.participant(this.db, conversationId, guardian.user.id))) {
      throw notFound('That conversation');
    }
    const message = repo.findMessage(this.db, messageId);
    if (!message || message.conversationId !== conversationId) throw notFound('That message');
    if (!guardian.canReportMessage(message)) throw forbidden('You cannot report your own message.');
    if (message.state !== 'visible') throw invalidState('This message is no longer shown.');
    const note = body.note?.trim() || null;
    assertFields({
      note:
        note !== null
          ? checkText(note, MODERATION_RULES.reportNote)
          : body.reason === 'other'
            ? 'Say what is wrong with this message.'
            : null,
    });
    return this.db.transaction((tx) => {
      const now = this.clock.now();
      const already = tx
        .select({ id: messageReports.id })
        .from(messageReports)
        .where(
          and(
            eq(messageReports.messageId, messageId),
            eq(messageReports.reporterId, guardian.user.id),
            eq(messageReports.status, 'open'),
          ),
        )
        .get();
      if (already) throw new AppError(409, 'ALREADY_REPORTED', 'You have already reported this message.');
      const jurisdictions = this.jurisdictionsOf(tx, conversationId, message.authorId);
      let item = this.openItem(tx, messageId);
      if (item) {
        tx.update(reviewItems).set({ cooked: message.html, jurisdictions }).where(eq(reviewItems.id, item.id)).run();
      } else {
        item = tx
          .insert(reviewItems)
          .values({
            kind: 'message',
            messageId,
            authorId: message.authorId,
            cooked: message.html,
            jurisdictions,
            createdAt: now,
          })
          .returning()
          .get();
      }
      const row = tx
        .insert(messageReports)
        .values({ itemId: item.id, messageId, reporterId: guardian.user.id, reason: body.reason, note, createdAt: now })
        .returning()
        .get();
      return messageReportView(row);
    });
  }

  /**
   * The jurisdictions (where each serves) of the conversation's current participants and of the
   * message's author (even if they left), deciding which moderators see the item. Members who
   * left before the report have no part in it: their jurisdictions would widen the scope to
   * moderators with nothing to do with the people involved.
   */
  private jurisdictionsOf(db: DbOrTx, conversationId: string, authorId: string): string[] {
    const rows = db
      .select({ code: users.jurisdictionCode })
      .from(conversationParticipants)
      .innerJoin(users, eq(users.id, conversationParticipants.userId))
      .where(
        and(
          eq(conversationParticipants.conversationId, conversationId),
          or(isNull(conversationParticipants.leftAt), eq(conversationParticipants.userId, authorId)),
        ),
      )
      .all();
    return [...new Set(rows.flatMap((r) => (r.code ? [r.code] : [])))].sort();
  }

  private openItem(db: DbOrTx, messageId: string): ReviewItemRow | undefined {
    return db
      .select()
      .from(reviewItems)
      .where(and(eq(reviewItems.messageId, messageId), eq(reviewItems.kind, 'message'), eq(reviewItems.status, 'open')))
      .get();
  }

  // ---- Acting on a reported message ----

  act(
    guardian: Guardian,
    messageId: string,
    action: MessageAction,
    reasonInput: string,
    confirmRecent: () => void,
  ): ReviewItem {
    guardian.ensureStaff();
    const open = this.openItem(this.db, messageId);
    // Only a reported message can be reached: without an open item there is nothing to act on.
    if (!open) throw notFound('That reported message');
    const item = this.items.inScope(guardian, open.id);
    this.items.ensureActionable(guardian, item);
    const reason = checkReason(reasonInput);
    const scope = { jurisdictions: item.jurisdictions };
    if (!guardian.canModeratePost({ authorId: item.authorId }, scope)) {
      throw forbidden('This message is outside the jurisdictions you moderate.');
    }
    transact(this.db, this.realtime, (tx, outbox) => {
      const now = this.clock.now();
      const message = repo.findMessage(tx, messageId)!;
      const audit = (a: 'message.hide' | 'user.warn' | 'report.dismiss') =>
        recordAudit(
          tx,
          {
            actorId: guardian.user.id,
            action: a,
            targetType: a === 'user.warn' ? 'user' : 'message',
            targetId: a === 'user.warn' ? message.authorId : message.id,
            targetUserId: message.authorId,
            jurisdictionCode: auditJurisdiction(item.jurisdictions),
            reason,
            before: a === 'message.hide' ? { state: message.state } : null,
            after: { messageId: message.id, conversationId: message.conversationId, reviewItemId: item.id },
          },
          now,
        );
      const notice = (kind: 'content_moderated' | 'moderation_warning', noticeAction: 'hide' | 'warn') =>
        deliverNotifications(
          tx,
          outbox,
          [
            {
              userId: message.authorId,
              candidates: [{ kind, params: { action: noticeAction } }],
              body: reason,
              link: `/messages/${message.conversationId}`,
              actorId: guardian.user.id,
            },
          ],
          now,
        );
      switch (action) {
        case 'hide': {
          if (message.state === 'hidden') throw invalidState('This message is already hidden.');
          // Its author's deletion stands (nothing of it is left to hide, and "deleted" stays true).
          if (message.state === 'deleted') throw invalidState('Its author deleted this message already.');
          tx.update(directMessages)
            .set({ state: 'hidden', hiddenById: guardian.user.id, hiddenAt: now })
            .where(eq(directMessages.id, message.id))
            .run();
          audit('message.hide');
          notice('content_moderated', 'hide');
          this.conversations.pushMessageUpdated(tx, outbox, message.id, now, guardian.user.id);
          this.close(tx, outbox, item, 'hidden', guardian.user.id, reason, now);
          return;
        }
        case 'warn': {
          audit('user.warn');
          notice('moderation_warning', 'warn');
          this.close(tx, outbox, item, 'warned', guardian.user.id, reason, now);
          return;
        }
        case 'dismiss': {
          audit('report.dismiss');
          this.close(tx, outbox, item, 'dismissed', guardian.user.id, reason, now);
          return;
        }
        case 'suspend-author': {
          this.suspendAuthor(tx, guardian, message, item, reason, now, confirmRecent);
          return;
        }
      }
    });
    return this.items.viewOf(guardian, item.id);
  }

  /** As a suspension from a post: sessions end, recovery links are spent; the item stays open. */
  private suspendAuthor(
    tx: DbOrTx,
    guardian: Guardian,
    message: DirectMessageRow,
    item: ReviewItemRow,
    reason: string,
    now: Date,
    confirmRecent: () => void,
  ): void {
    const author = tx.select().from(users).where(eq(users.id, message.authorId)).get()!;
    const scope = { jurisdictions: item.jurisdictions };
    if (!guardian.canSuspendAuthor(author, scope, readSettings(tx).moderatorsCanSuspend)) {
      throw forbidden(
        guardian.isAdmin
          ? 'Moderators and administrators are not suspended here; change their role first.'
          : 'Only administrators can suspend members on this forum.',
      );
    }
    if (author.status === 'suspended') throw invalidState('This member is already suspended.');
    confirmRecent();
    tx.update(users)
      .set({ status: 'suspended', suspendedAt: now, suspendedReason: reason, updatedAt: now })
      .where(eq(users.id, author.id))
      .run();
    const ended = tx.delete(sessions).where(eq(sessions.userId, author.id)).run().changes;
    spendRecoveryLinks(tx, author.id, now);
    recordAudit(
      tx,
      {
        actorId: guardian.user.id,
        action: 'user.suspend',
        targetType: 'user',
        targetId: author.id,
        targetUserId: author.id,
        jurisdictionCode: auditJurisdiction(item.jurisdictions),
        reason,
        before: { status: 'active' },
        after: { status: 'suspended', sessionsEnded: ended, messageId: message.id },
      },
      now,
    );
  }

  /** Closes the item and its open reports (upheld unless dismissed); each reporter is told. */
  private close(
    tx: DbOrTx,
    outbox: Outbox,
    item: ReviewItemRow,
    resolution: ReviewResolution,
    actorId: string,
    reason: string,
    now: Date,
  ): void {
    tx.update(reviewItems)
      .set({
        status: 'closed',
        resolution,
        resolutionReason: reason,
        resolvedById: actorId,
        resolvedAt: now,
        claimedById: null,
        claimedAt: null,
      })
      .where(eq(reviewItems.id, item.id))
      .run();
    const status = resolution === 'dismissed' ? 'dismissed' : 'upheld';
    const closed = tx
      .update(messageReports)
      .set({ status, resolvedAt: now })
      .where(and(eq(messageReports.itemId, item.id), eq(messageReports.status, 'open')))
      .returning({ reporterId: messageReports.reporterId })
      .all();
    // Only reporters still in the conversation hear of it (the link leads there).
    const present = new Set(
      tx
        .select({ userId: conversationParticipants.userId })
        .from(conversationParticipants)
        .innerJoin(directMessages, eq(directMessages.conversationId, conversationParticipants.conversationId))
        .where(
          and(
            eq(directMessages.id, item.messageId!),
            isNull(conversationParticipants.leftAt),
            inArray(
              conversationParticipants.userId,
              closed.map((c) => c.reporterId),
            ),
          ),
        )
        .all()
        .map((r) => r.userId),
    );
    const conversationId = repo.findMessage(tx, item.messageId!)?.conversationId;
    deliverNotifications(
      tx,
      outbox,
      closed
        .filter(({ reporterId }) => present.has(reporterId))
        .map(({ reporterId }) => ({
          userId: reporterId,
          candidates: [{ kind: 'report_resolved' as const, params: { outcome: status } }],
          body: null,
          link: conversationId ? `/messages/${conversationId}` : null,
          actorId,
        })),
      now,
    );
  }
}
