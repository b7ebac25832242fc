/**
 * Conversations: listing and reading them (participants only), starting one, sending, editing and
 * deleting messages, read state, muting and leaving. Access first (Guardian), then the cheap
 * checks, then cooking (off the event loop), then one transaction with the message, the
 * notifications and each participant's push (built for that participant).
 */
import { randomUUID } from 'node:crypto';
import {
  conversationParticipants,
  conversations,
  directMessages,
  notifications,
  type ConversationRow,
  type Db,
  type DbOrTx,
  type DirectMessageRow,
} from '@lexforum/db';
import {
  checkPostText,
  MESSAGE_RULES,
  type ConversationDetail,
  type ConversationListQuery,
  type ConversationPage,
  type ConversationQuery,
  type ConversationReadState,
  type ConversationSummary,
  type DirectMessage,
  type MessagingRefusal,
  type StartedConversation,
  type UserEvent,
} from '@lexforum/shared';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError, assertFields, notFound } from '../../lib/errors.js';
import { formatTimeCursor, parseTimeCursor } from '../../lib/time-cursor.js';
import type { Guardian } from '../guardian/guardian.js';
import { transact, type Outbox, type Publisher } from '../realtime/outbox.js';
import { appendUserEvents, currentSeq } from '../realtime/user-events.repository.js';
import type { CookPool } from '../threads/cook-pool.js';
import { spendDraftToken } from '../threads/spent-drafts.js';
import * as threadRepo from '../threads/threads.repository.js';
import { quotesOf, type ConversationViews } from './conversation-views.js';
import * as repo from './conversations.repository.js';
import { notifyNewMessage, readConversationNotifications } from './message-notifications.js';
import { conversationDraftKey, NEW_CONVERSATION_DRAFT_KEY } from './message-drafts.service.js';
import { messagingTargets } from './messaging-settings.service.js';

const LIST_PAGE = 30;
const MESSAGE_PAGE = 50;

export interface ConversationLimits {
  maxParticipants: number;
  editWindowMs: number;
}

export const notAllowed = (reason: MessagingRefusal, userId: string) =>
  new AppError(
    403,
    'MESSAGING_NOT_ALLOWED',
    {
      nobody: 'This member does not accept new conversations.',
      jurisdictions: 'This member accepts conversations only from members of their jurisdictions.',
      blocked: 'You cannot message this member.',
      unavailable: 'This member cannot be messaged.',
    }[reason],
    { reason, userId },
  );

/** A group that cannot be formed for a reason between its other members (not told, nor who). */
const groupNotAllowed = () =>
  new AppError(403, 'MESSAGING_NOT_ALLOWED', 'This conversation cannot be started with these members.', {
    reason: 'unavailable',
  });

/** One not found for every conversation the reader is not in: staff included, nothing to tell apart. */
const conversationNotFound = () => notFound('That conversation');
const messageNotFound = () => notFound('That message');

export class ConversationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
    private readonly cookPool: CookPool,
    private readonly views: ConversationViews,
    private readonly limits: ConversationLimits,
  ) {}

  // ---- Reading ----

  list(guardian: Guardian, query: ConversationListQuery): ConversationPage {
    guardian.ensureForumAccess();
    const limit = query.limit ?? LIST_PAGE;
    const cursor = query.before ? parseTimeCursor(query.before) : null;
    const rows = repo.listConversations(this.db, guardian.user.id, cursor, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      conversations: this.views.summaries(this.db, guardian.user.id, page),
      nextCursor: rows.length > limit && last ? formatTimeCursor(last.lastMessageAt.getTime(), last.id) : null,
      unreadTotal: repo.unreadTotal(this.db, guardian.user.id),
    };
  }

  unread(guardian: Guardian): { unreadTotal: number; seq: number } {
    guardian.ensureForumAccess();
    return { unreadTotal: repo.unreadTotal(this.db, guardian.user.id), seq: currentSeq(this.db, guardian.user.id) };
  }

  /** The conversation (for a current participant only: everyone else, staff included, gets 404). */
  private readable(guardian: Guardian, db: DbOrTx, id: string): ConversationRow {
    guardian.ensureForumAccess();
    const conversation = repo.findConversation(db, id);
    if (!conversation || !guardian.canReadConversation(repo.participant(db, id, guardian.user.id))) {
      throw conversationNotFound();
    }
    return conversation;
  }

  read(guardian: Guardian, id: string, query: ConversationQuery): ConversationDetail {
    const conversation = this.readable(guardian, this.db, id);
    let beforeSeq: number | null = null;
    if (query.before) {
      const before = repo.findMessage(this.db, query.before);
      if (!before || before.conversationId !== id) throw messageNotFound();
      beforeSeq = before.seq;
    }
    const limit = query.limit ?? MESSAGE_PAGE;
    const rows = repo.messagePage(this.db, id, beforeSeq, limit + 1);
    const page = rows.slice(0, limit).reverse();
    return {
      conversation: this.views.summary(this.db, guardian.user.id, conversation),
      messages: this.views.messages(this.db, guardian.user.id, page, this.clock.now()),
      hasMore: rows.length > limit,
    };
  }

  // ---- Writing ----

  private checkBody(markdown: string): void {
    assertFields({ markdown: checkPostText(markdown, MESSAGE_RULES.body) });
  }

  async start(
    guardian: Guardian,
    body: { recipientIds: string[]; markdown: string; draftToken?: string | undefined },
  ): Promise<StartedConversation> {
    guardian.ensureForumAccess();
    const me = guardian.user.id;
    const recipientIds = [...new Set(body.recipientIds)];
    if (recipientIds.includes(me)) {
      assertFields({ recipientIds: 'You are part of the conversation already: choose the other members.' });
    }
    if (recipientIds.length + 1 > this.limits.maxParticipants) {
      throw new AppError(
        400,
        'CONVERSATION_TOO_LARGE',
        `A conversation can have at most ${this.limits.maxParticipants} members, you included.`,
        { max: this.limits.maxParticipants },
      );
    }
    this.checkBody(body.markdown);
    const existing = recipientIds.length === 1 ? repo.findDirectConversation(this.db, me, recipientIds[0]!) : undefined;
    this.ensureMayMessage(guardian, this.db, recipientIds, existing !== undefined);
    const cooked = await this.cook(body.markdown);
    return transact(this.db, this.realtime, (tx, outbox) => {
      // Checked again with the write: a block or a change of mind may have come meanwhile.
      const reuse = recipientIds.length === 1 ? repo.findDirectConversation(tx, me, recipientIds[0]!) : undefined;
      this.ensureMayMessage(guardian, tx, recipientIds, reuse !== undefined);
      const now = this.clock.now();
      let conversation = reuse;
      if (!conversation) {
        const id = randomUUID();
        tx.insert(conversations)
          .values({ id, isGroup: recipientIds.length > 1, createdById: me, lastMessageAt: now, createdAt: now })
          .run();
        tx.insert(conversationParticipants)
          .values([me, ...recipientIds].map((userId) => ({ conversationId: id, userId, joinedAt: now })))
          .run();
        conversation = repo.findConversation(tx, id)!;
      }
      const message = this.insertMessage(tx, outbox, conversation, guardian, cooked, body.markdown, now);
      this.spendDraft(tx, me, NEW_CONVERSATION_DRAFT_KEY, body.draftToken, now);
      const after = repo.findConversation(tx, conversation.id)!;
      return {
        conversation: this.views.summary(tx, me, after),
        message: this.views.messages(tx, me, [message], now)[0]!,
      };
    });
  }

  async send(
    guardian: Guardian,
    id: string,
    body: { markdown: string; draftToken?: string | undefined },
  ): Promise<DirectMessage> {
    this.readable(guardian, this.db, id);
    this.checkBody(body.markdown);
    this.ensureMayReply(guardian, this.db, id);
    const cooked = await this.cook(body.markdown);
    return transact(this.db, this.realtime, (tx, outbox) => {
      const conversation = this.readable(guardian, tx, id);
      this.ensureMayReply(guardian, tx, id);
      const now = this.clock.now();
      const message = this.insertMessage(tx, outbox, conversation, guardian, cooked, body.markdown, now);
      this.spendDraft(tx, guardian.user.id, conversationDraftKey(id), body.draftToken, now);
      return this.views.messages(tx, guardian.user.id, [message], now)[0]!;
    });
  }

  async edit(guardian: Guardian, id: string, messageId: string, markdown: string): Promise<DirectMessage> {
    this.readable(guardian, this.db, id);
    const message = this.ownMessage(guardian, this.db, id, messageId);
    if (!guardian.canEditMessage(message, this.limits.editWindowMs, this.clock.now())) {
      if (message.state !== 'visible')
        throw new AppError(409, 'INVALID_STATE', 'This message can no longer be edited.');
      throw new AppError(403, 'EDIT_WINDOW_CLOSED', 'The time to edit this message has passed.');
    }
    this.checkBody(markdown);
    this.ensureMayReply(guardian, this.db, id);
    const cooked = await this.cook(markdown);
    return transact(this.db, this.realtime, (tx, outbox) => {
      this.readable(guardian, tx, id);
      const now = this.clock.now();
      const current = this.ownMessage(guardian, tx, id, messageId);
      if (!guardian.canEditMessage(current, this.limits.editWindowMs, now)) {
        // Deleted or hidden while the new wording was cooking: that, not the clock, is the reason.
        if (current.state !== 'visible')
          throw new AppError(409, 'INVALID_STATE', 'This message can no longer be edited.');
        throw new AppError(403, 'EDIT_WINDOW_CLOSED', 'The time to edit this message has passed.');
      }
      // Editing is writing to the others: not past a block (one of them may have blocked you since).
      this.ensureMayReply(guardian, tx, id);
      tx.update(directMessages)
        .set({ markdown, html: cooked.html, excerpt: cooked.excerpt, editedAt: now })
        .where(eq(directMessages.id, messageId))
        .run();
      // A notification's excerpt follows the message (nothing of the earlier wording stays in a bell).
      tx.update(notifications).set({ body: cooked.excerpt }).where(eq(notifications.messageId, messageId)).run();
      return this.pushMessageUpdated(tx, outbox, messageId, now, guardian.user.id);
    });
  }

  /** The author deletes their message: its body is gone for everyone; the others see "deleted". */
  remove(guardian: Guardian, id: string, messageId: string): DirectMessage {
    return transact(this.db, this.realtime, (tx, outbox) => {
      this.readable(guardian, tx, id);
      const message = this.ownMessage(guardian, tx, id, messageId);
      if (message.state !== 'visible') throw new AppError(409, 'INVALID_STATE', 'This message is already gone.');
      const now = this.clock.now();
      tx.update(directMessages)
        .set({ state: 'deleted', markdown: '', html: '', excerpt: '', deletedAt: now })
        .where(eq(directMessages.id, messageId))
        .run();
      tx.update(notifications).set({ body: null }).where(eq(notifications.messageId, messageId)).run();
      return this.pushMessageUpdated(tx, outbox, messageId, now, guardian.user.id);
    });
  }

  markRead(guardian: Guardian, id: string, messageId: string): ConversationReadState {
    return transact(this.db, this.realtime, (tx, outbox) => {
      this.readable(guardian, tx, id);
      const me = guardian.user.id;
      const message = repo.findMessage(tx, messageId);
      if (!message || message.conversationId !== id) throw messageNotFound();
      const now = this.clock.now();
      tx.update(conversationParticipants)
        .set({ lastReadSeq: sql`max(${conversationParticipants.lastReadSeq}, ${message.seq})` })
        .where(and(eq(conversationParticipants.conversationId, id), eq(conversationParticipants.userId, me)))
        .run();
      const state = this.readState(tx, id, me);
      readConversationNotifications(tx, outbox, me, id, now);
      this.queue(tx, outbox, [{ userId: me, event: { type: 'conversation.read', conversationId: id, ...state } }], now);
      return state;
    });
  }

  mute(guardian: Guardian, id: string, muted: boolean): ConversationSummary {
    return transact(this.db, this.realtime, (tx, outbox) => {
      const conversation = this.readable(guardian, tx, id);
      const me = guardian.user.id;
      const now = this.clock.now();
      tx.update(conversationParticipants)
        .set({ muted })
        .where(and(eq(conversationParticipants.conversationId, id), eq(conversationParticipants.userId, me)))
        .run();
      const summary = this.views.summary(tx, me, conversation);
      this.queue(
        tx,
        outbox,
        [
          {
            userId: me,
            event: { type: 'conversation.updated', conversation: summary, unreadTotal: repo.unreadTotal(tx, me) },
          },
        ],
        now,
      );
      return summary;
    });
  }

  /**
   * Leaving: the member no longer sees the conversation nor hears of it; the others see that they
   * left. Their other tabs get the summary without them (and without its last message).
   */
  leave(guardian: Guardian, id: string): void {
    transact(this.db, this.realtime, (tx, outbox) => {
      const conversation = this.readable(guardian, tx, id);
      const me = guardian.user.id;
      const now = this.clock.now();
      tx.update(conversationParticipants)
        .set({ leftAt: now })
        .where(and(eq(conversationParticipants.conversationId, id), eq(conversationParticipants.userId, me)))
        .run();
      threadRepo.deleteDraft(tx, me, conversationDraftKey(id));
      const remaining = this.currentParticipants(tx, id);
      const events: { userId: string; event: UserEvent }[] = remaining.map((userId) => ({
        userId,
        event: {
          type: 'conversation.updated',
          conversation: this.views.summary(tx, userId, conversation),
          unreadTotal: repo.unreadTotal(tx, userId),
        },
      }));
      const mine = this.views.summary(tx, me, conversation);
      events.push({
        userId: me,
        event: {
          type: 'conversation.updated',
          conversation: { ...mine, lastMessage: null, unreadCount: 0, canReply: false },
          unreadTotal: repo.unreadTotal(tx, me),
        },
      });
      this.queue(tx, outbox, events, now);
    });
  }

  // ---- Steps ----

  private async cook(markdown: string): Promise<{ html: string; excerpt: string }> {
    const result = await this.cookPool.cook({ markdown, withExcerpt: true });
    return { html: result.cooked, excerpt: result.excerpt ?? '' };
  }

  private ownMessage(guardian: Guardian, db: DbOrTx, id: string, messageId: string): DirectMessageRow {
    const message = repo.findMessage(db, messageId);
    if (!message || message.conversationId !== id) throw messageNotFound();
    if (message.authorId !== guardian.user.id) {
      throw new AppError(403, 'FORBIDDEN', 'Only its author can change a message.');
    }
    return message;
  }

  /** Every recipient may be messaged by this member (in an existing conversation: no block only). */
  private ensureMayMessage(guardian: Guardian, db: DbOrTx, recipientIds: readonly string[], existing: boolean): void {
    const me = guardian.user.id;
    const targets = messagingTargets(db, me, recipientIds);
    for (const id of recipientIds) {
      const target = targets.get(id);
      if (!target) throw notAllowed('unavailable', id);
      const refusal = guardian.messagingRefusal(target);
      if (refusal && (!existing || refusal === 'blocked' || refusal === 'unavailable')) throw notAllowed(refusal, id);
    }
    // In a group, nobody is put in a conversation with a member they blocked (or who blocked them).
    // A block between two recipients is theirs, not the starter's to learn: the group is refused
    // without saying why nor naming anyone.
    if (repo.blocksAmong(db, recipientIds).size > 0) throw groupNotAllowed();
  }

  /** Writing into a conversation: somebody else is still in it, and no block stands between them and you. */
  private ensureMayReply(guardian: Guardian, db: DbOrTx, id: string): void {
    const others = this.currentParticipants(db, id).filter((u) => u !== guardian.user.id);
    if (others.length === 0) throw notAllowed('unavailable', guardian.user.id);
    const blocks = repo.blocksAmong(db, [guardian.user.id, ...others]);
    const blocked = others.find((u) => blocks.has(`${guardian.user.id} ${u}`));
    if (blocked) throw notAllowed('blocked', blocked);
  }

  private currentParticipants(db: DbOrTx, id: string): string[] {
    return db
      .select({ userId: conversationParticipants.userId })
      .from(conversationParticipants)
      .where(and(eq(conversationParticipants.conversationId, id), isNull(conversationParticipants.leftAt)))
      .all()
      .map((r) => r.userId);
  }

  private insertMessage(
    tx: DbOrTx,
    outbox: Outbox,
    conversation: ConversationRow,
    guardian: Guardian,
    cooked: { html: string; excerpt: string },
    markdown: string,
    now: Date,
  ): DirectMessageRow {
    const me = guardian.user.id;
    const seq = conversation.lastSeq + 1;
    const id = randomUUID();
    tx.insert(directMessages)
      .values({
        id,
        conversationId: conversation.id,
        seq,
        authorId: me,
        markdown,
        html: cooked.html,
        excerpt: cooked.excerpt,
        createdAt: now,
      })
      .run();
    tx.update(conversations)
      .set({ lastSeq: seq, lastMessageAt: now })
      .where(eq(conversations.id, conversation.id))
      .run();
    // One's own message is read.
    tx.update(conversationParticipants)
      .set({ lastReadSeq: seq })
      .where(and(eq(conversationParticipants.conversationId, conversation.id), eq(conversationParticipants.userId, me)))
      .run();
    const message = repo.findMessage(tx, id)!;
    const after = repo.findConversation(tx, conversation.id)!;
    const participants = repo.participantsOf(tx, [conversation.id]).filter((p) => p.leftAt === null);
    notifyNewMessage(
      tx,
      outbox,
      after,
      message,
      participants.filter((p) => p.userId !== me && !p.muted).map((p) => p.userId),
      now,
    );
    const authors = this.views.authors(tx, [me]);
    const quotes = quotesOf(tx, [message]);
    this.queue(
      tx,
      outbox,
      participants.map((p) => ({
        userId: p.userId,
        event: {
          type: 'conversation.message',
          conversation: this.views.summary(tx, p.userId, after),
          message: this.views.message(p.userId, message, authors, now, quotes),
          unreadTotal: repo.unreadTotal(tx, p.userId),
        },
      })),
      now,
    );
    return message;
  }

  private readState(db: DbOrTx, id: string, userId: string): ConversationReadState {
    const me = repo.participant(db, id, userId)!;
    return { unreadCount: repo.unreadIn(db, id, userId, me.lastReadSeq), unreadTotal: repo.unreadTotal(db, userId) };
  }

  /** Tells every current participant how the message reads now (edited, deleted or hidden). */
  pushMessageUpdated(tx: DbOrTx, outbox: Outbox, messageId: string, now: Date, readerId: string): DirectMessage {
    const message = repo.findMessage(tx, messageId)!;
    const authors = this.views.authors(tx, [message.authorId]);
    const quotes = quotesOf(tx, [message]);
    const participants = this.currentParticipants(tx, message.conversationId);
    this.queue(
      tx,
      outbox,
      participants.map((userId) => ({
        userId,
        event: {
          type: 'conversation.message_updated',
          conversationId: message.conversationId,
          message: this.views.message(userId, message, authors, now, quotes),
        },
      })),
      now,
    );
    return this.views.message(readerId, message, authors, now, quotes);
  }

  private spendDraft(tx: DbOrTx, userId: string, key: string, token: string | undefined, now: Date): void {
    threadRepo.deleteDraft(tx, userId, key);
    if (token) spendDraftToken(tx, userId, key, token, now);
  }

  private queue(tx: DbOrTx, outbox: Outbox, events: { userId: string; event: UserEvent }[], now: Date): void {
    outbox.addUserEvents(appendUserEvents(tx, events, now));
  }
}
