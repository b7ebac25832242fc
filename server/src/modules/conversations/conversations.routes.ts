/**
 * Direct-message routes: conversations and their messages (participants only; staff have no
 * route of their own to any of it), drafts, reports, the member's messaging settings and blocks,
 * and the moderators' actions on a reported message. Thin: schema and a call.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BlockParams,
  ConversationDetail,
  ConversationEnvelope,
  ConversationListQuery,
  ConversationPage,
  ConversationParams,
  ConversationQuery,
  ConversationReadState,
  ConversationUnread,
  DraftSaveQuery,
  EditMessageBody,
  MessageDraft,
  MessageDraftEnvelope,
  MessageEnvelope,
  MessageId,
  MessageParams,
  MessagingSettings,
  MessagingSettingsBody,
  MuteConversationBody,
  ReadConversationBody,
  ReasonBody,
  ReportBody,
  ReportEnvelope,
  ReviewItemEnvelope,
  SendMessageBody,
  StartConversationBody,
  StartedConversation,
} from '@lexforum/shared';
import Type from 'typebox';
import { errorResponses } from '../../lib/schemas.js';
import { snapshot } from '../../lib/snapshot.js';
import { requireAuth } from '../../plugins/auth.js';
import { assertRecentAuth } from '../auth/reauth.js';
import { ReviewItems } from '../moderation/review-items.js';
import { ThreadService } from '../threads/threads.service.js';
import { ConversationViews } from './conversation-views.js';
import { ConversationService } from './conversations.service.js';
import { MessageDraftService } from './message-drafts.service.js';
import { MESSAGE_ACTIONS, MessageModerationService } from './message-moderation.service.js';
import { MessagingSettingsService } from './messaging-settings.service.js';

export const conversationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const limits = {
    maxParticipants: app.config.DM_MAX_PARTICIPANTS,
    editWindowMs: app.config.DM_EDIT_WINDOW_MINUTES * 60_000,
  };
  const views = new ConversationViews(app.userViews, limits.editWindowMs);
  const conversations = new ConversationService(app.db, app.clock, app.realtime, app.cookPool, views, limits);
  const settings = new MessagingSettingsService(app.db, app.clock, views);
  const drafts = new MessageDraftService(app.db, app.clock);
  const threads = new ThreadService(app.db, app.clock, app.reference, app.userViews, app.realtime, app.cookPool);
  const moderation = new MessageModerationService(
    app.db,
    app.clock,
    app.realtime,
    conversations,
    new ReviewItems(app.db, app.clock, threads),
  );
  const tags = ['conversations'];
  const read = errorResponses(400, 401, 403, 404);
  const write = errorResponses(400, 401, 403, 404, 409);
  const budgeted = errorResponses(429);

  app.get(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'Your conversations, most recently active first',
        querystring: ConversationListQuery,
        response: { 200: ConversationPage, ...read },
      },
    },
    async (request) => snapshot(app.db, () => conversations.list(request.guardian(), request.query)),
  );

  app.get(
    '/conversations/unread',
    {
      schema: {
        tags,
        summary: 'How many of your conversations have unread messages (muted ones excluded)',
        response: { 200: ConversationUnread, ...read },
      },
    },
    async (request) => conversations.unread(request.guardian()),
  );

  app.post(
    '/conversations',
    {
      // Starting one sends a message too: it spends of both budgets (a 1:1 start continues an
      // existing conversation, which must not be a way around the messages budget).
      config: { budget: ['conversations', 'messages'] },
      schema: {
        tags,
        summary: 'Start a conversation (one-to-one: continues the one you both are in)',
        body: StartConversationBody,
        response: { 201: StartedConversation, ...write, ...budgeted },
      },
    },
    async (request, reply) => reply.code(201).send(await conversations.start(request.guardian(), request.body)),
  );

  app.get(
    '/conversations/draft',
    {
      schema: {
        tags,
        summary: 'Your draft of a new conversation',
        response: { 200: MessageDraftEnvelope, ...read },
      },
    },
    async (request) => drafts.get(request.guardian(), null),
  );

  app.put(
    '/conversations/draft',
    {
      config: { budget: 'drafts' },
      schema: {
        tags,
        summary: 'Save your draft of a new conversation',
        querystring: DraftSaveQuery,
        body: MessageDraft,
        response: { 200: MessageDraftEnvelope, ...read, ...budgeted },
      },
    },
    async (request) => drafts.save(request.guardian(), null, request.body, request.query.token),
  );

  app.delete(
    '/conversations/draft',
    {
      schema: {
        tags,
        summary: 'Discard your draft of a new conversation',
        response: { 204: Type.Null(), ...read },
      },
    },
    async (request, reply) => {
      drafts.remove(request.guardian(), null);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'A conversation and a page of its messages (participants only)',
        params: ConversationParams,
        querystring: ConversationQuery,
        response: { 200: ConversationDetail, ...read },
      },
    },
    async (request) => snapshot(app.db, () => conversations.read(request.guardian(), request.params.id, request.query)),
  );

  app.post(
    '/conversations/:id/messages',
    {
      config: { budget: 'messages' },
      schema: {
        tags,
        summary: 'Send a message in a conversation',
        params: ConversationParams,
        body: SendMessageBody,
        response: { 201: MessageEnvelope, ...write, ...budgeted },
      },
    },
    async (request, reply) =>
      reply.code(201).send({ message: await conversations.send(request.guardian(), request.params.id, request.body) }),
  );

  app.patch(
    '/conversations/:id/messages/:messageId',
    {
      config: { budget: 'edits' },
      schema: {
        tags,
        summary: 'Edit your message (within the edit window)',
        params: MessageParams,
        body: EditMessageBody,
        response: { 200: MessageEnvelope, ...write, ...budgeted },
      },
    },
    async (request) => ({
      message: await conversations.edit(
        request.guardian(),
        request.params.id,
        request.params.messageId,
        request.body.markdown,
      ),
    }),
  );

  app.delete(
    '/conversations/:id/messages/:messageId',
    {
      schema: {
        tags,
        summary: 'Delete your message (shown as deleted to the others)',
        params: MessageParams,
        response: { 200: MessageEnvelope, ...write },
      },
    },
    async (request) => ({
      message: conversations.remove(request.guardian(), request.params.id, request.params.messageId),
    }),
  );

  app.put(
    '/conversations/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark the conversation read up to a message',
        params: ConversationParams,
        body: ReadConversationBody,
        response: { 200: ConversationReadState, ...read },
      },
    },
    async (request) => conversations.markRead(request.guardian(), request.params.id, request.body.messageId),
  );

  app.put(
    '/conversations/:id/mute',
    {
      schema: {
        tags,
        summary: 'Mute or unmute a conversation (no notifications, not in the header count)',
        params: ConversationParams,
        body: MuteConversationBody,
        response: { 200: ConversationEnvelope, ...read },
      },
    },
    async (request) => ({
      conversation: conversations.mute(request.guardian(), request.params.id, request.body.muted),
    }),
  );

  app.post(
    '/conversations/:id/leave',
    {
      schema: {
        tags,
        summary: 'Leave a conversation (you no longer see it; the others see that you left)',
        params: ConversationParams,
        response: { 204: Type.Null(), ...read },
      },
    },
    async (request, reply) => {
      conversations.leave(request.guardian(), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/conversations/:id/draft',
    {
      schema: {
        tags,
        summary: 'Your draft message in a conversation',
        params: ConversationParams,
        response: { 200: MessageDraftEnvelope, ...read },
      },
    },
    async (request) => drafts.get(request.guardian(), request.params.id),
  );

  app.put(
    '/conversations/:id/draft',
    {
      config: { budget: 'drafts' },
      schema: {
        tags,
        summary: 'Save your draft message in a conversation',
        params: ConversationParams,
        querystring: DraftSaveQuery,
        body: MessageDraft,
        response: { 200: MessageDraftEnvelope, ...read, ...budgeted },
      },
    },
    async (request) => drafts.save(request.guardian(), request.params.id, request.body, request.query.token),
  );

  app.delete(
    '/conversations/:id/draft',
    {
      schema: {
        tags,
        summary: 'Discard your draft message in a conversation',
        params: ConversationParams,
        response: { 204: Type.Null(), ...read },
      },
    },
    async (request, reply) => {
      drafts.remove(request.guardian(), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/conversations/:id/messages/:messageId/report',
    {
      config: { budget: 'reports' },
      schema: {
        tags,
        summary: 'Report a message to the moderators (they see that message alone, and who takes part)',
        params: MessageParams,
        body: ReportBody,
        response: { 201: ReportEnvelope, ...write, ...budgeted },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        report: moderation.report(request.guardian(), request.params.id, request.params.messageId, request.body),
      }),
  );

  // ---- Messaging settings and blocks ----

  app.get(
    '/account/messaging',
    {
      schema: {
        tags,
        summary: 'Who may start a conversation with you, and the members you blocked',
        response: { 200: MessagingSettings, ...read },
      },
    },
    async (request) => settings.get(request.guardian()),
  );

  app.put(
    '/account/messaging',
    {
      schema: {
        tags,
        summary: 'Choose who may start a conversation with you',
        body: MessagingSettingsBody,
        response: { 200: MessagingSettings, ...read },
      },
    },
    async (request) => settings.setAllowFrom(request.guardian(), request.body.allowFrom),
  );

  app.put(
    '/account/blocks/:userId',
    {
      schema: {
        tags,
        summary: 'Block a member: no conversations or mentions from them',
        params: BlockParams,
        response: { 200: MessagingSettings, ...read },
      },
    },
    async (request) => settings.block(request.guardian(), request.params.userId),
  );

  app.delete(
    '/account/blocks/:userId',
    {
      schema: {
        tags,
        summary: 'Unblock a member',
        params: BlockParams,
        response: { 200: MessagingSettings, ...read },
      },
    },
    async (request) => settings.unblock(request.guardian(), request.params.userId),
  );

  // ---- Moderators: a reported message only ----

  for (const action of MESSAGE_ACTIONS) {
    app.post(
      `/moderation/messages/:messageId/${action}`,
      {
        schema: {
          tags: ['moderation'],
          summary: `Act on a reported message: ${action.replace('-', ' ')}, with a reason`,
          params: Type.Object({ messageId: MessageId }, { additionalProperties: false }),
          body: ReasonBody,
          response: { 200: ReviewItemEnvelope, ...write },
        },
      },
      async (request) => ({
        item: moderation.act(request.guardian(), request.params.messageId, action, request.body.reason, () =>
          assertRecentAuth(app.db, requireAuth(request), app.clock.now()),
        ),
      }),
    );
  }
};
