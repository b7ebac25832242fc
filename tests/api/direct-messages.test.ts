/**
 * Direct messages (issue 19): conversations between verified members, one-to-one or in small
 * groups; who may start one (the recipient's choice, blocks either way), group size, the edit
 * window, deletion, leaving, muting, read state and unread counts, drafts, the new-member budget,
 * staff blindness (404 on every conversation they are not in), and reports: moderators see the
 * reported message alone, with the participants, and hide it, warn or suspend its author, or
 * dismiss. Then the naughty-string and XSS corpora as message bodies.
 */
import type {
  ConversationDetail,
  ConversationPage,
  ConversationSummary,
  DirectMessage,
  MemberEnvelope,
  MessagingSettings,
  Notification,
  ReviewItem,
  ReviewItemDetail,
  StartedConversation,
} from '@lexforum/shared';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, DAY, MINUTE, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { readBlns, readXssLines, requireCorpora } from '../helpers/corpora.js';
import {
  auditRows,
  configure,
  expectError,
  moderatePost,
  notificationsOf,
  ok,
  quickActor,
  quickAdmin,
  quickMember,
  quickModerator,
  reply,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

const start = (t: TestApp, who: Actor, recipients: Actor[], markdown: string) =>
  send(t, who, 'POST', '/api/conversations', { recipientIds: recipients.map((r) => r.user.id), markdown });
const started = async (t: TestApp, who: Actor, recipients: Actor[], markdown = 'Hello, *colleague*.') => {
  const res = await start(t, who, recipients, markdown);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as StartedConversation;
};
const post = async (t: TestApp, who: Actor, id: string, markdown: string) => {
  const res = await send(t, who, 'POST', `/api/conversations/${id}/messages`, { markdown });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { message: DirectMessage }).message;
};
const open = (t: TestApp, who: Actor, id: string) => ok<ConversationDetail>(t, who, 'GET', `/api/conversations/${id}`);
const list = (t: TestApp, who: Actor) => ok<ConversationPage>(t, who, 'GET', '/api/conversations');
const unread = async (t: TestApp, who: Actor) =>
  (await ok<{ unreadTotal: number }>(t, who, 'GET', '/api/conversations/unread')).unreadTotal;
const dmNotifications = async (t: TestApp, who: Actor): Promise<Notification[]> =>
  (await notificationsOf(t, who)).filter((n) => n.kind === 'direct_message');
const unreadNotifications = async (t: TestApp, who: Actor) =>
  (await ok<{ unreadCount: number }>(t, who, 'GET', '/api/notifications')).unreadCount;

describe('Direct messages API', () => {
  let t: TestApp;
  let ana: Actor;
  let ben: Actor;
  let chloe: Actor;
  let kofi: Actor;

  beforeAll(async () => {
    t = await buildTestApp({ env: { DM_MAX_PARTICIPANTS: '4', DM_EDIT_WINDOW_MINUTES: '15' } });
    await configure(t, { premoderatedPosts: 0 });
    ana = await quickMember(t, 'FR', { displayName: 'Ana Arnaud' });
    ben = await quickMember(t, 'FR', { displayName: 'Ben Bernard' });
    chloe = await quickMember(t, 'BE', { displayName: 'Chloé Claes', otherJurisdictions: ['FR'] });
    kofi = await quickMember(t, 'KE', { displayName: 'Kofi Kamau' });
  });
  afterAll(async () => t?.close());

  describe('conversations', () => {
    it('starts a one-to-one conversation, then continues the same one, and lists it for both', async () => {
      const first = await started(t, ana, [ben], 'First **words**.');
      expect(first.message).toMatchObject({
        html: '<p>First <strong>words</strong>.</p>\n',
        markdown: 'First **words**.',
        state: 'visible',
        author: { id: ana.user.id, displayName: 'Ana Arnaud' },
      });
      expect(first.message.editableUntil).not.toBeNull();
      expect(first.conversation.participants.map((p) => p.id).sort()).toEqual([ana.user.id, ben.user.id].sort());
      expect(first.conversation.unreadCount).toBe(0);

      const again = await started(t, ana, [ben], 'Second.');
      expect(again.conversation.id).toBe(first.conversation.id);
      const back = await started(t, ben, [ana], 'A reply from Ben by the same door.');
      expect(back.conversation.id).toBe(first.conversation.id);

      const forBen = await open(t, ben, first.conversation.id);
      expect(forBen.messages.map((m) => m.html)).toEqual([
        '<p>First <strong>words</strong>.</p>\n',
        '<p>Second.</p>\n',
        '<p>A reply from Ben by the same door.</p>\n',
      ]);
      // Only one's own visible messages carry the source and an edit deadline.
      expect(forBen.messages[0]!.markdown).toBeUndefined();
      expect(forBen.messages[0]!.editableUntil).toBeNull();
      expect(forBen.messages[2]!.markdown).toBe('A reply from Ben by the same door.');

      const anaList = await list(t, ana);
      const summary = anaList.conversations.find((c) => c.id === first.conversation.id)!;
      expect(summary.lastMessage).toMatchObject({
        authorId: ben.user.id,
        excerpt: 'A reply from Ben by the same door.',
      });
      expect(summary.unreadCount).toBe(1);
      expect(summary.canReply).toBe(true);
    });

    it('pages messages with `before` and conversations with the cursor', async () => {
      const { conversation } = await started(t, ana, [kofi], 'Page one.');
      for (let i = 2; i <= 5; i++) await post(t, kofi, conversation.id, `Message ${i}.`);
      const last = await ok<ConversationDetail>(t, ana, 'GET', `/api/conversations/${conversation.id}?limit=2`);
      expect(last.messages.map((m) => m.html)).toEqual(['<p>Message 4.</p>\n', '<p>Message 5.</p>\n']);
      expect(last.hasMore).toBe(true);
      const earlier = await ok<ConversationDetail>(
        t,
        ana,
        'GET',
        `/api/conversations/${conversation.id}?limit=10&before=${last.messages[0]!.id}`,
      );
      expect(earlier.messages.map((m) => m.html)).toEqual([
        '<p>Page one.</p>\n',
        '<p>Message 2.</p>\n',
        '<p>Message 3.</p>\n',
      ]);
      expect(earlier.hasMore).toBe(false);

      const pageOne = await ok<ConversationPage>(t, ana, 'GET', '/api/conversations?limit=1');
      expect(pageOne.conversations).toHaveLength(1);
      expect(pageOne.nextCursor).not.toBeNull();
      const pageTwo = await ok<ConversationPage>(
        t,
        ana,
        'GET',
        `/api/conversations?limit=1&before=${encodeURIComponent(pageOne.nextCursor!)}`,
      );
      expect(pageTwo.conversations[0]!.id).not.toBe(pageOne.conversations[0]!.id);
    });

    it('starts a group up to DM_MAX_PARTICIPANTS (the starter included), never reused for one-to-one', async () => {
      const group = await started(t, ana, [ben, chloe], 'A group of three.');
      expect(group.conversation.participants).toHaveLength(3);
      const direct = await started(t, ana, [ben], 'Just the two of us.');
      expect(direct.conversation.id).not.toBe(group.conversation.id);
      const extra = await quickMember(t, 'FR');
      const tooMany = await start(t, ana, [ben, chloe, extra, kofi], 'Five is one too many.');
      expectError(tooMany, 400, 'CONVERSATION_TOO_LARGE');
      expect(tooMany.json().error.details.max).toBe(4);
    });

    it('refuses yourself as a recipient, an unknown member and an applicant', async () => {
      expectError(await start(t, ana, [ana], 'Note to self.'), 400, 'VALIDATION_FAILED');
      const res = await send(t, ana, 'POST', '/api/conversations', { recipientIds: ['nobody-here'], markdown: 'Hi.' });
      expectError(res, 403, 'MESSAGING_NOT_ALLOWED');
      expect(res.json().error.details).toEqual({ reason: 'unavailable', userId: 'nobody-here' });
      const applicant = await quickActor(t, { role: 'applicant' });
      expectError(await start(t, ana, [applicant], 'Hi.'), 403, 'MESSAGING_NOT_ALLOWED');
      const suspended = await quickMember(t, 'FR', { status: 'suspended' });
      expectError(await start(t, ana, [suspended], 'Hi.'), 403, 'MESSAGING_NOT_ALLOWED');
      // And an applicant cannot message anyone.
      expectError(await start(t, applicant, [ana], 'Hi.'), 403, 'NOT_VETTED');
    });

    it('answers 4xx, never 5xx, to malformed input', async () => {
      const cases: [string, string, unknown][] = [
        ['POST', '/api/conversations', { recipientIds: [], markdown: 'x' }],
        ['POST', '/api/conversations', { recipientIds: [ben.user.id] }],
        ['POST', '/api/conversations', { recipientIds: [ben.user.id], markdown: '   ' }],
        ['POST', '/api/conversations', { recipientIds: [ben.user.id], markdown: 'ok', extra: 1 }],
        ['POST', '/api/conversations', { recipientIds: 'everyone', markdown: 'ok' }],
        ['POST', '/api/conversations', { recipientIds: [ben.user.id], markdown: 'x'.repeat(10_001) }],
        ['GET', '/api/conversations?before=garbage', undefined],
        ['GET', '/api/conversations/%20bad%20', undefined],
        ['PUT', '/api/account/messaging', { allowFrom: 'everyone' }],
        ['PUT', `/api/conversations/whatever/read`, {}],
        ['PUT', `/api/conversations/whatever/mute`, { muted: 'yes' }],
      ];
      for (const [method, url, body] of cases) {
        const res = await send(t, ana, method as 'GET', url, body);
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(500);
      }
      expectError(await send(t, null, 'GET', '/api/conversations'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('who may start a conversation', () => {
    it.each([
      // [recipient's choice, sender, allowed]
      ['verified', 'kofi', null],
      ['jurisdictions', 'ben', null], // both serve in FR
      ['jurisdictions', 'chloe', null], // FR is one of Chloé's other jurisdictions
      ['jurisdictions', 'kofi', 'jurisdictions'],
      ['nobody', 'ben', 'nobody'],
      ['nobody', 'kofi', 'nobody'],
    ] as const)('recipient allows %s: %s is %s', async (allowFrom, senderName, refusal) => {
      const recipient = await quickMember(t, 'FR', { displayName: `Recipient ${allowFrom}` });
      await ok(t, recipient, 'PUT', '/api/account/messaging', { allowFrom });
      const sender = { ben, chloe, kofi }[senderName];
      const profile = await ok<MemberEnvelope>(t, sender, 'GET', `/api/members/${recipient.user.id}`);
      expect(profile.member.canMessage).toBe(refusal === null);
      const res = await start(t, sender, [recipient], 'May I write to you?');
      if (refusal === null) expect(res.statusCode, res.body).toBe(201);
      else {
        expectError(res, 403, 'MESSAGING_NOT_ALLOWED');
        expect(res.json().error.details).toEqual({ reason: refusal, userId: recipient.user.id });
      }
    });

    it('says in the mention picker whom you may message', async () => {
      const closed = await quickMember(t, 'FR', { displayName: 'Zelda Closed', username: 'zelda.closed' });
      const openDoor = await quickMember(t, 'FR', { displayName: 'Zoe Open', username: 'zoe.open' });
      await ok(t, closed, 'PUT', '/api/account/messaging', { allowFrom: 'nobody' });
      const picker = await ok<{ members: { id: string; canMessage?: boolean }[] }>(
        t,
        ana,
        'GET',
        '/api/members/mentionable?q=z',
      );
      expect(picker.members.find((m) => m.id === closed.user.id)?.canMessage).toBe(false);
      expect(picker.members.find((m) => m.id === openDoor.user.id)?.canMessage).toBe(true);
    });

    it('lets an existing conversation go on after the recipient closes their door', async () => {
      const recipient = await quickMember(t, 'FR');
      const { conversation } = await started(t, kofi, [recipient], 'Before the change.');
      await ok(t, recipient, 'PUT', '/api/account/messaging', { allowFrom: 'nobody' });
      await post(t, kofi, conversation.id, 'After the change, in the same conversation.');
      // Starting again (the same one-to-one) is continuing it.
      expect((await started(t, kofi, [recipient], 'Through the start route.')).conversation.id).toBe(conversation.id);
    });

    it('shows canMessage false on your own profile and true in the directory for the open ones', async () => {
      const me = await ok<MemberEnvelope>(t, ana, 'GET', `/api/members/${ana.user.id}`);
      expect(me.member.canMessage).toBe(false);
      const page = await ok<{ members: { id: string; canMessage?: boolean }[] }>(t, ana, 'GET', '/api/members?q=Kofi');
      expect(page.members.find((m) => m.id === kofi.user.id)?.canMessage).toBe(true);
    });
  });

  describe('blocks', () => {
    it('refuses new and continued conversations either way, lists the block, and lifts it', async () => {
      const blocker = await quickMember(t, 'FR', { displayName: 'Blocker' });
      const pest = await quickMember(t, 'FR', { displayName: 'Pest' });
      const { conversation } = await started(t, pest, [blocker], 'Before the block.');
      const settings = await ok<MessagingSettings>(t, blocker, 'PUT', `/api/account/blocks/${pest.user.id}`);
      expect(settings.blocked.map((b) => b.id)).toEqual([pest.user.id]);
      expect(settings.allowFrom).toBe('verified');

      for (const [from, to] of [
        [pest, blocker],
        [blocker, pest],
      ] as const) {
        const res = await start(t, from, [to], 'Hello again.');
        expectError(res, 403, 'MESSAGING_NOT_ALLOWED');
        expect(res.json().error.details.reason).toBe('blocked');
        const replied = await send(t, from, 'POST', `/api/conversations/${conversation.id}/messages`, {
          markdown: 'In the old one.',
        });
        expectError(replied, 403, 'MESSAGING_NOT_ALLOWED');
        expect((await open(t, from, conversation.id)).conversation.canReply).toBe(false);
      }
      const profile = await ok<MemberEnvelope>(t, pest, 'GET', `/api/members/${blocker.user.id}`);
      expect(profile.member.canMessage).toBe(false);
      // A group with both of them is refused too, whoever starts it.
      expectError(await start(t, ana, [blocker, pest], 'All of us.'), 403, 'MESSAGING_NOT_ALLOWED');

      const lifted = await ok<MessagingSettings>(t, blocker, 'DELETE', `/api/account/blocks/${pest.user.id}`);
      expect(lifted.blocked).toEqual([]);
      await post(t, pest, conversation.id, 'After the block was lifted.');
      expectError(await send(t, blocker, 'PUT', `/api/account/blocks/${blocker.user.id}`), 400, 'VALIDATION_FAILED');
      expectError(await send(t, blocker, 'PUT', '/api/account/blocks/nobody-here'), 404, 'NOT_FOUND');
    });

    it('silences mentions from a blocked member (other members still hear theirs)', async () => {
      const blocker = await quickMember(t, 'FR', { displayName: 'Mention Blocker', username: 'mention.blocker' });
      const pest = await quickMember(t, 'FR', { displayName: 'Mention Pest' });
      const friend = await quickMember(t, 'FR', { displayName: 'Mention Friend' });
      await ok(t, blocker, 'PUT', `/api/account/blocks/${pest.user.id}`);
      const opened = await thread(t, friend, { title: 'Seizure of crypto wallets', jurisdictions: ['FR'] });
      await reply(t, pest, opened.thread.id, 'What does @mention.blocker think?');
      await reply(t, friend, opened.thread.id, 'Indeed, @mention.blocker, what do you think?');
      const mentions = (await notificationsOf(t, blocker)).filter((n) => n.kind === 'mention');
      expect(mentions.map((n) => n.actor?.id)).toEqual([friend.user.id]);
    });
  });

  describe('editing and deleting', () => {
    it('edits within the window only, the author only', async () => {
      const { conversation, message } = await started(t, ana, [chloe], 'Draft wording.');
      const edit = (who: Actor, markdown: string) =>
        send(t, who, 'PATCH', `/api/conversations/${conversation.id}/messages/${message.id}`, { markdown });
      const res = await edit(ana, 'Better _wording_.');
      expect(res.statusCode, res.body).toBe(200);
      const edited = (res.json() as { message: DirectMessage }).message;
      expect(edited.html).toBe('<p>Better <em>wording</em>.</p>\n');
      expect(edited.editedAt).not.toBeNull();
      expectError(await edit(chloe, 'Hijacked.'), 403, 'FORBIDDEN');
      // The recipient's notification shows the new wording.
      const [notice] = await dmNotifications(t, chloe);
      expect(notice?.body).toBe('Better wording.');

      t.clock.advance(16 * MINUTE);
      expectError(await edit(ana, 'Too late.'), 403, 'EDIT_WINDOW_CLOSED');
      const seen = await open(t, ana, conversation.id);
      expect(seen.messages[0]!.editableUntil).toBeNull();
      expect(seen.messages[0]!.markdown).toBe('Better _wording_.');
    });

    it('deletes a message for everyone: no body, no notification, and no editing after', async () => {
      const sender = await quickMember(t, 'FR', { displayName: 'Regretful' });
      const reader = await quickMember(t, 'FR', { displayName: 'Reader' });
      const { conversation, message } = await started(t, sender, [reader], 'Something I regret.');
      expect(await unreadNotifications(t, reader)).toBe(1);
      expect(await unread(t, reader)).toBe(1);
      const res = await send(t, sender, 'DELETE', `/api/conversations/${conversation.id}/messages/${message.id}`);
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as { message: DirectMessage }).message).toMatchObject({ state: 'deleted', html: '' });
      const theirs = await open(t, reader, conversation.id);
      expect(theirs.messages[0]).toMatchObject({ state: 'deleted', html: '' });
      expect(JSON.stringify(theirs)).not.toContain('regret');
      expect(theirs.conversation.lastMessage).toMatchObject({ state: 'deleted', excerpt: '' });
      // The notification about it is withheld and no longer counted; nothing unread is left.
      expect(await dmNotifications(t, reader)).toEqual([]);
      expect(await unreadNotifications(t, reader)).toBe(0);
      expect(await unread(t, reader)).toBe(0);
      expect(
        t.handle.sqlite.prepare('select markdown, html, excerpt from direct_messages where id = ?').get(message.id),
      ).toEqual({ markdown: '', html: '', excerpt: '' });
      expectError(
        await send(t, sender, 'DELETE', `/api/conversations/${conversation.id}/messages/${message.id}`),
        409,
        'INVALID_STATE',
      );
      expectError(
        await send(t, reader, 'DELETE', `/api/conversations/${conversation.id}/messages/${message.id}`),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('read state, muting, notifications and leaving', () => {
    it('counts unread per conversation and in all, one notification per unread burst, read clears both', async () => {
      const sender = await quickMember(t, 'FR', { displayName: 'Chatty' });
      const reader = await quickMember(t, 'FR', { displayName: 'Busy' });
      const { conversation } = await started(t, sender, [reader], 'One.');
      await post(t, sender, conversation.id, 'Two.');
      const last = await post(t, sender, conversation.id, 'Three.');
      const notices = await dmNotifications(t, reader);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        body: 'Three.',
        link: `/messages/${conversation.id}`,
        actor: { id: sender.user.id },
        readAt: null,
      });
      expect((await list(t, reader)).conversations[0]).toMatchObject({ id: conversation.id, unreadCount: 3 });
      expect(await unread(t, reader)).toBe(1);

      const state = await ok<{ unreadCount: number; unreadTotal: number }>(
        t,
        reader,
        'PUT',
        `/api/conversations/${conversation.id}/read`,
        { messageId: last.id },
      );
      expect(state).toEqual({ unreadCount: 0, unreadTotal: 0 });
      expect((await dmNotifications(t, reader))[0]!.readAt).not.toBeNull();
      expect(await unreadNotifications(t, reader)).toBe(0);
      // The sender's own messages never count for them.
      expect(await unread(t, sender)).toBe(0);
      // A later message opens a new burst: a new notification.
      await post(t, sender, conversation.id, 'Four.');
      expect(await dmNotifications(t, reader)).toHaveLength(2);
      expectError(
        await send(t, reader, 'PUT', `/api/conversations/${conversation.id}/read`, { messageId: 'not-in-it' }),
        404,
        'NOT_FOUND',
      );
    });

    it('mutes: no notification, not in the header count, still in the conversation', async () => {
      const sender = await quickMember(t, 'FR', { displayName: 'Loud' });
      const reader = await quickMember(t, 'FR', { displayName: 'Quiet' });
      const { conversation } = await started(t, sender, [reader], 'Hello.');
      const muted = await ok<{ conversation: ConversationSummary }>(
        t,
        reader,
        'PUT',
        `/api/conversations/${conversation.id}/mute`,
        { muted: true },
      );
      expect(muted.conversation.muted).toBe(true);
      await post(t, sender, conversation.id, 'Are you there?');
      expect(await dmNotifications(t, reader)).toHaveLength(1);
      expect(await unread(t, reader)).toBe(0);
      expect((await open(t, reader, conversation.id)).conversation).toMatchObject({ muted: true, unreadCount: 2 });
      await ok(t, reader, 'PUT', `/api/conversations/${conversation.id}/mute`, { muted: false });
      expect(await unread(t, reader)).toBe(1);
    });

    it('respects the direct_message notification preference', async () => {
      const sender = await quickMember(t, 'FR');
      const reader = await quickMember(t, 'FR');
      await ok(t, reader, 'PUT', '/api/notifications/preferences', {
        preferences: [{ kind: 'direct_message', channel: 'off' }],
      });
      await started(t, sender, [reader], 'Hello.');
      expect(await dmNotifications(t, reader)).toEqual([]);
      expect(await unread(t, reader)).toBe(1);
    });

    it('leaving: the leaver sees nothing more; the others see who left and go on', async () => {
      const a = await quickMember(t, 'FR', { displayName: 'Stayer A' });
      const b = await quickMember(t, 'FR', { displayName: 'Stayer B' });
      const leaver = await quickMember(t, 'FR', { displayName: 'Leaver' });
      const { conversation } = await started(t, a, [b, leaver], 'Welcome, all.');
      expect(await unreadNotifications(t, leaver)).toBe(1);
      const res = await send(t, leaver, 'POST', `/api/conversations/${conversation.id}/leave`);
      expect(res.statusCode, res.body).toBe(204);
      // Its notification is withheld from the leaver at once.
      expect(await dmNotifications(t, leaver)).toEqual([]);
      expect(await unreadNotifications(t, leaver)).toBe(0);
      expectError(await send(t, leaver, 'GET', `/api/conversations/${conversation.id}`), 404, 'NOT_FOUND');
      expect((await list(t, leaver)).conversations.map((c) => c.id)).not.toContain(conversation.id);
      expectError(
        await send(t, leaver, 'POST', `/api/conversations/${conversation.id}/messages`, { markdown: 'Back!' }),
        404,
        'NOT_FOUND',
      );

      await post(t, b, conversation.id, 'Goodbye to them.');
      expect(await dmNotifications(t, leaver)).toEqual([]);
      const forA = await open(t, a, conversation.id);
      expect(forA.conversation.participants.map((p) => p.id).sort()).toEqual([a.user.id, b.user.id].sort());
      expect(forA.conversation.leftParticipants.map((p) => p.displayName)).toEqual(['Leaver']);
      // The last one left alone cannot write into the void.
      await ok(t, b, 'POST', `/api/conversations/${conversation.id}/leave`);
      const alone = await open(t, a, conversation.id);
      expect(alone.conversation.canReply).toBe(false);
      expectError(
        await send(t, a, 'POST', `/api/conversations/${conversation.id}/messages`, { markdown: 'Anyone?' }),
        403,
        'MESSAGING_NOT_ALLOWED',
      );
    });
  });

  describe('drafts', () => {
    it('keeps a draft of a new conversation and one per conversation, spent by sending', async () => {
      const writer = await quickMember(t, 'FR');
      const put = await ok<{ draft: { data: { body: string; recipientIds?: string[] } } }>(
        t,
        writer,
        'PUT',
        '/api/conversations/draft?token=composer-1',
        { body: 'Half a thought', recipientIds: [ben.user.id] },
      );
      expect(put.draft.data).toEqual({ body: 'Half a thought', recipientIds: [ben.user.id] });
      const res = await send(t, writer, 'POST', '/api/conversations', {
        recipientIds: [ben.user.id],
        markdown: 'A whole thought.',
        draftToken: 'composer-1',
      });
      expect(res.statusCode, res.body).toBe(201);
      const { conversation } = res.json() as StartedConversation;
      expect((await ok<{ draft: unknown }>(t, writer, 'GET', '/api/conversations/draft')).draft).toBeNull();
      // A save still in flight from that composer is discarded.
      const late = await ok<{ discarded?: boolean }>(t, writer, 'PUT', '/api/conversations/draft?token=composer-1', {
        body: 'Half a thought',
      });
      expect(late.discarded).toBe(true);

      await ok(t, writer, 'PUT', `/api/conversations/${conversation.id}/draft`, { body: 'Next reply' });
      expect(
        (
          await ok<{ draft: { data: { body: string } } }>(
            t,
            writer,
            'GET',
            `/api/conversations/${conversation.id}/draft`,
          )
        ).draft.data.body,
      ).toBe('Next reply');
      // Message drafts stay out of the thread drafts list.
      const threadDrafts = await ok<{ drafts: { key: string }[] }>(t, writer, 'GET', '/api/drafts');
      expect(threadDrafts.drafts.filter((d) => d.key.startsWith('message:'))).toEqual([]);
      expectError(await send(t, kofi, 'GET', `/api/conversations/${conversation.id}/draft`), 404, 'NOT_FOUND');
    });
  });

  describe('staff blindness and reports', () => {
    let modFR: Actor;
    let modKE: Actor;
    let admin: Actor;
    let author: Actor;
    let reporter: Actor;
    let conversationId: string;
    let reported: DirectMessage;
    const SECRET = 'An unrelated private remark about the Lyon case.';

    beforeAll(async () => {
      modFR = await quickModerator(t, ['FR'], { displayName: 'Mod FR' });
      modKE = await quickModerator(t, ['KE'], { displayName: 'Mod KE' });
      admin = await quickAdmin(t, { displayName: 'Admin' });
      author = await quickMember(t, 'FR', { displayName: 'Rude Author' });
      reporter = await quickMember(t, 'FR', { displayName: 'Offended Reporter' });
      const first = await started(t, author, [reporter], SECRET);
      conversationId = first.conversation.id;
      reported = await post(t, author, conversationId, 'You are **incompetent**, and everyone knows it.');
      await post(t, reporter, conversationId, 'Another private reply that no moderator should read.');
    });

    it('answers 404 to staff on conversations they are not in, and offers them no action on an unreported message', async () => {
      for (const staff of [modFR, modKE, admin]) {
        expectError(await send(t, staff, 'GET', `/api/conversations/${conversationId}`), 404, 'NOT_FOUND');
        expectError(await send(t, staff, 'GET', `/api/conversations/${conversationId}/draft`), 404, 'NOT_FOUND');
        expect((await list(t, staff)).conversations.map((c) => c.id)).not.toContain(conversationId);
        expectError(
          await send(t, staff, 'POST', `/api/moderation/messages/${reported.id}/hide`, { reason: 'Looks rude.' }),
          404,
          'NOT_FOUND',
        );
      }
    });

    it('a participant reports a message once; not their own; and the queue shows that message alone', async () => {
      const url = `/api/conversations/${conversationId}/messages/${reported.id}/report`;
      expectError(await send(t, author, 'POST', url, { reason: 'disrespectful' }), 403, 'FORBIDDEN');
      expectError(await send(t, kofi, 'POST', url, { reason: 'disrespectful' }), 404, 'NOT_FOUND');
      expectError(await send(t, reporter, 'POST', url, { reason: 'other' }), 400, 'VALIDATION_FAILED');
      const res = await send(t, reporter, 'POST', url, { reason: 'disrespectful', note: 'Insulting.' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().report).toMatchObject({ messageId: reported.id, reason: 'disrespectful', status: 'open' });
      expectError(await send(t, reporter, 'POST', url, { reason: 'spam' }), 409, 'ALREADY_REPORTED');

      const queue = await ok<{ items: ReviewItem[]; counts: { reports: number } }>(
        t,
        modFR,
        'GET',
        '/api/moderation/queue?kind=message',
      );
      const item = queue.items.find((i) => i.message?.id === reported.id)!;
      expect(item).toMatchObject({
        kind: 'message',
        post: null,
        submission: null,
        author: { id: author.user.id },
        reportCount: 1,
        message: { state: 'visible', excerpt: 'You are incompetent, and everyone knows it.' },
      });
      // The KE moderator covers none of the participants' jurisdictions.
      const outside = await ok<{ items: ReviewItem[] }>(t, modKE, 'GET', '/api/moderation/queue?kind=message');
      expect(outside.items.map((i) => i.id)).not.toContain(item.id);
      expectError(await send(t, modKE, 'GET', `/api/moderation/queue/${item.id}`), 403, 'FORBIDDEN');

      const detail = await ok<ReviewItemDetail>(t, modFR, 'GET', `/api/moderation/queue/${item.id}`);
      expect(detail.message).toMatchObject({
        id: reported.id,
        conversationId,
        html: '<p>You are <strong>incompetent</strong>, and everyone knows it.</p>\n',
        author: { id: author.user.id },
      });
      expect(detail.message!.participants.map((p) => p.id).sort()).toEqual([author.user.id, reporter.user.id].sort());
      expect(detail.post).toBeNull();
      expect(detail.thread).toBeNull();
      expect(detail.reports.map((r) => r.reporter.id)).toEqual([reporter.user.id]);
      // Nothing else of the conversation reaches the moderator.
      const whole = JSON.stringify(detail) + JSON.stringify(queue);
      expect(whole).not.toContain('unrelated private remark');
      expect(whole).not.toContain('no moderator should read');
      // Still no access to the conversation itself.
      expectError(await send(t, modFR, 'GET', `/api/conversations/${conversationId}`), 404, 'NOT_FOUND');
    });

    it('hides the reported message: participants see it hidden, the author is told, the reporter too, all audited', async () => {
      const res = await send(t, modFR, 'POST', `/api/moderation/messages/${reported.id}/hide`, {
        reason: 'Insults are not allowed.',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as { item: ReviewItem }).item).toMatchObject({
        status: 'closed',
        resolution: { action: 'hidden' },
        message: { state: 'hidden' },
      });
      for (const who of [author, reporter]) {
        const seen = (await open(t, who, conversationId)).messages.find((m) => m.id === reported.id)!;
        expect(seen).toMatchObject({ state: 'hidden', html: '' });
        expect(seen.markdown).toBeUndefined();
      }
      const told = (await notificationsOf(t, author)).find((n) => n.kind === 'content_moderated');
      expect(told).toMatchObject({ params: { action: 'hide' }, body: 'Insults are not allowed.' });
      const resolved = (await notificationsOf(t, reporter)).find((n) => n.kind === 'report_resolved');
      expect(resolved?.params.outcome).toBe('upheld');
      const [entry] = auditRows(t, { action: 'message.hide', targetId: reported.id });
      expect(entry).toBeDefined();
      expect(JSON.stringify(entry)).not.toContain('incompetent');
      expectError(
        await send(t, modFR, 'POST', `/api/moderation/messages/${reported.id}/hide`, { reason: 'Again please.' }),
        404,
        'NOT_FOUND',
      );
    });

    it('warns, dismisses, and suspends from a reported message (suspension needs a recent sign-in)', async () => {
      const rude = await quickMember(t, 'FR', { displayName: 'Repeat Offender' });
      const victim = await quickMember(t, 'FR', { displayName: 'Victim' });
      const { conversation } = await started(t, rude, [victim], 'First jab.');
      const second = await post(t, rude, conversation.id, 'Second jab.');
      const third = await post(t, rude, conversation.id, 'Third jab.');
      const reportIt = (m: DirectMessage) =>
        ok(t, victim, 'POST', `/api/conversations/${conversation.id}/messages/${m.id}/report`, { reason: 'spam' });
      const act = (m: DirectMessage, action: string) =>
        send(t, modFR, 'POST', `/api/moderation/messages/${m.id}/${action}`, { reason: 'Enough of this.' });

      await reportIt(second);
      const warned = await act(second, 'warn');
      expect(warned.statusCode, warned.body).toBe(200);
      expect((warned.json() as { item: ReviewItem }).item.resolution?.action).toBe('warned');
      expect((await notificationsOf(t, rude)).some((n) => n.kind === 'moderation_warning')).toBe(true);
      expect(auditRows(t, { action: 'user.warn', targetId: rude.user.id })).toHaveLength(1);

      await reportIt(third);
      const dismissed = await act(third, 'dismiss');
      expect((dismissed.json() as { item: ReviewItem }).item.resolution?.action).toBe('dismissed');
      expect((await open(t, victim, conversation.id)).messages.at(-1)!.state).toBe('visible');

      const fourth = await post(t, rude, conversation.id, 'Fourth jab.');
      await reportIt(fourth);
      // A moderator may suspend only if the instance allows it; an admin may.
      await configure(t, { moderatorsCanSuspend: true });
      await ok(t, modFR, 'POST', '/api/auth/reauth', { password: TEST_PASSWORD });
      const suspended = await act(fourth, 'suspend-author');
      expect(suspended.statusCode, suspended.body).toBe(200);
      expect(t.handle.sqlite.prepare('select status from users where id = ?').get(rude.user.id)).toEqual({
        status: 'suspended',
      });
      expect(auditRows(t, { action: 'user.suspend', targetId: rude.user.id })).toHaveLength(1);
      expectError(await send(t, rude, 'GET', '/api/conversations'), 401);
      // A member cannot act on a reported message.
      expectError(
        await send(t, victim, 'POST', `/api/moderation/messages/${fourth.id}/hide`, { reason: 'Mine to hide.' }),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('what a hostile review found', () => {
    const reportMessage = (who: Actor, conversationId: string, messageId: string) =>
      ok(t, who, 'POST', `/api/conversations/${conversationId}/messages/${messageId}/report`, { reason: 'spam' });
    const itemOf = (messageId: string) =>
      t.handle.sqlite
        .prepare("select id, jurisdictions from review_items where kind = 'message' and message_id = ?")
        .get(messageId) as { id: number; jurisdictions: string };

    it('does not disclose a block between two other members when a group is started', async () => {
      const starter = await quickMember(t, 'FR', { displayName: 'Group Starter' });
      const one = await quickMember(t, 'FR', { displayName: 'Blocks The Other' });
      const other = await quickMember(t, 'FR', { displayName: 'Blocked By One' });
      const shy = await quickMember(t, 'FR', { displayName: 'Accepts Nobody' });
      await ok(t, shy, 'PUT', '/api/account/messaging', { allowFrom: 'nobody' });
      await ok(t, one, 'PUT', `/api/account/blocks/${other.user.id}`);
      const res = await start(t, starter, [one, other], 'Both of you, please.');
      expectError(res, 403, 'MESSAGING_NOT_ALLOWED');
      const { details } = res.json().error as { details: Record<string, unknown> };
      // Neither who blocked whom nor that it is a block: the group is not possible, that is all.
      expect(details).toEqual({ reason: 'unavailable' });
      expect(res.body).not.toContain(one.user.id);
      expect(res.body).not.toContain(other.user.id);
      expect(res.body).not.toMatch(/block/i);
      // A block involving the starter is theirs to know, and still named.
      await ok(t, one, 'PUT', `/api/account/blocks/${starter.user.id}`);
      const own = await start(t, starter, [one, shy], 'Again.');
      expectError(own, 403, 'MESSAGING_NOT_ALLOWED');
      expect(own.json().error.details).toEqual({ reason: 'blocked', userId: one.user.id });
    });

    it('refuses an edit by a member whom the other member blocked since', async () => {
      const writer = await quickMember(t, 'FR', { displayName: 'Blocked Writer' });
      const reader = await quickMember(t, 'FR', { displayName: 'Blocking Reader' });
      const { conversation, message } = await started(t, writer, [reader], 'Harmless at first.');
      await ok(t, reader, 'PUT', `/api/account/blocks/${writer.user.id}`);
      const res = await send(t, writer, 'PATCH', `/api/conversations/${conversation.id}/messages/${message.id}`, {
        markdown: 'Something nasty instead.',
      });
      expectError(res, 403, 'MESSAGING_NOT_ALLOWED');
      const seen = await open(t, reader, conversation.id);
      expect(seen.messages[0]!.html).toBe('<p>Harmless at first.</p>\n');
    });

    it('answers 409 INVALID_STATE to an edit whose message is deleted while it is being cooked', async () => {
      const writer = await quickMember(t, 'FR', { displayName: 'Racing Writer' });
      const reader = await quickMember(t, 'FR', { displayName: 'Racing Reader' });
      const { conversation, message } = await started(t, writer, [reader], 'Soon gone.');
      const busy = await started(t, reader, [writer], 'Keeping the cooks busy.');
      const url = `/api/conversations/${conversation.id}/messages/${message.id}`;
      // Long bodies go to the cooking worker: a queue of them keeps the edit waiting there (past
      // its first check) while the deletion goes through.
      const heavy = (tag: string) =>
        Array.from({ length: 150 }, (_, i) => `- *${tag}* **${i}** [link](https://example.org/${i})`).join('\n');
      const fillers = [1, 2, 3, 4].map((i) =>
        send(t, reader, 'POST', `/api/conversations/${busy.conversation.id}/messages`, { markdown: heavy(`f${i}`) }),
      );
      const edit = send(t, writer, 'PATCH', url, { markdown: heavy('edit') });
      await new Promise((resolve) => setTimeout(resolve, 30));
      const removal = await send(t, writer, 'DELETE', url);
      expect(removal.statusCode, removal.body).toBe(200);
      expectError(await edit, 409, 'INVALID_STATE');
      for (const filler of await Promise.all(fillers)) expect(filler.statusCode, filler.body).toBe(201);
    });

    it('refuses to hide a message its author deleted (it stays "deleted"); dismissing is still possible', async () => {
      const mod = await quickModerator(t, ['FR'], { displayName: 'Mod Deleted' });
      const rude = await quickMember(t, 'FR', { displayName: 'Quick Deleter' });
      const victim = await quickMember(t, 'FR', { displayName: 'Quick Victim' });
      const { conversation, message } = await started(t, rude, [victim], 'Rude, then deleted.');
      await reportMessage(victim, conversation.id, message.id);
      await ok(t, rude, 'DELETE', `/api/conversations/${conversation.id}/messages/${message.id}`);
      expectError(
        await send(t, mod, 'POST', `/api/moderation/messages/${message.id}/hide`, { reason: 'Rude.' }),
        409,
        'INVALID_STATE',
      );
      expect(t.handle.sqlite.prepare('select state from direct_messages where id = ?').get(message.id)).toEqual({
        state: 'deleted',
      });
      const dismissed = await send(t, mod, 'POST', `/api/moderation/messages/${message.id}/dismiss`, {
        reason: 'Deleted by its author.',
      });
      expect(dismissed.statusCode, dismissed.body).toBe(200);
    });

    it('keeps a moderator who is (or was) in the conversation away from its reported messages', async () => {
      const insider = await quickModerator(t, ['FR'], { displayName: 'Insider Mod' });
      const former = await quickModerator(t, ['FR'], { displayName: 'Former Insider Mod' });
      const outsider = await quickModerator(t, ['FR'], { displayName: 'Outsider Mod' });
      const rude = await quickMember(t, 'FR', { displayName: 'Rude In Group' });
      const victim = await quickMember(t, 'FR', { displayName: 'Victim In Group' });
      const { conversation } = await started(t, rude, [victim, insider, former], 'A group with moderators in it.');
      await ok(t, former, 'POST', `/api/conversations/${conversation.id}/leave`);
      const message = await post(t, rude, conversation.id, 'Rude words in a group.');
      await reportMessage(victim, conversation.id, message.id);
      const item = itemOf(message.id);
      for (const mod of [insider, former]) {
        const queue = await ok<{ items: ReviewItem[] }>(t, mod, 'GET', '/api/moderation/queue?kind=message');
        expect(queue.items.map((i) => i.id)).not.toContain(item.id);
        expectError(await send(t, mod, 'GET', `/api/moderation/queue/${item.id}`), 403, 'FORBIDDEN');
        for (const action of ['hide', 'suspend-author', 'warn', 'dismiss']) {
          expectError(
            await send(t, mod, 'POST', `/api/moderation/messages/${message.id}/${action}`, { reason: 'Mine now.' }),
            403,
            'FORBIDDEN',
          );
        }
      }
      const queue = await ok<{ items: ReviewItem[] }>(t, outsider, 'GET', '/api/moderation/queue?kind=message');
      expect(queue.items.map((i) => i.id)).toContain(item.id);
      const hidden = await send(t, outsider, 'POST', `/api/moderation/messages/${message.id}/hide`, {
        reason: 'Not here.',
      });
      expect(hidden.statusCode, hidden.body).toBe(200);
    });

    it('withholds in a message the quote of a post taken out of view since, on reading', async () => {
      const admin = await quickAdmin(t, { displayName: 'Quote Admin' });
      const writer = await quickMember(t, 'FR', { displayName: 'Quote Writer' });
      const reader = await quickMember(t, 'FR', { displayName: 'Quote Reader' });
      const opening = await thread(t, writer);
      const source = await reply(t, ana, opening.thread.id, 'The witness is Kestrelquoted.');
      const markdown = `[Ana Arnaud wrote](/posts/${source.id}/history?version=${source.version}):\n> The witness is Kestrelquoted.\n\nSee this.`;
      const { conversation } = await started(t, writer, [reader], markdown);
      expect(JSON.stringify(await open(t, reader, conversation.id))).toContain('Kestrelquoted');
      expect((await moderatePost(t, admin, source.id, 'hide')).statusCode).toBe(200);
      for (const who of [reader, writer]) {
        const seen = await open(t, who, conversation.id);
        expect(seen.messages[0]!.html).not.toContain('Kestrelquoted');
        expect(seen.messages[0]!.html).toContain('quote-withheld');
        expect(seen.messages[0]!.html).toContain('See this.');
      }
    });

    it('scopes a reported message by the current participants and its author, not by those who left', async () => {
      const rude = await quickMember(t, 'FR', { displayName: 'Scoped Author' });
      const victim = await quickMember(t, 'FR', { displayName: 'Scoped Victim' });
      const leaver = await quickMember(t, 'KE', { displayName: 'Kenyan Leaver' });
      const { conversation } = await started(t, rude, [victim, leaver], 'Before Kenya left.');
      await ok(t, leaver, 'POST', `/api/conversations/${conversation.id}/leave`);
      const message = await post(t, rude, conversation.id, 'After Kenya left.');
      await reportMessage(victim, conversation.id, message.id);
      expect(JSON.parse(itemOf(message.id).jurisdictions)).toEqual(['FR']);
      // The author leaving does not take their jurisdiction out of scope.
      const gone = await quickMember(t, 'BE', { displayName: 'Belgian Author' });
      const stays = await quickMember(t, 'FR', { displayName: 'French Stayer' });
      const pair = await started(t, gone, [stays], 'A Belgian remark.');
      await ok(t, gone, 'POST', `/api/conversations/${pair.conversation.id}/leave`);
      await reportMessage(stays, pair.conversation.id, pair.message.id);
      expect(JSON.parse(itemOf(pair.message.id).jurisdictions)).toEqual(['BE', 'FR']);
    });
  });
});

describe('Direct messages budgets', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('gives members verified less than DM_NEW_MEMBER_DAYS ago a tighter budget for starting conversations', async () => {
    t = await buildTestApp({
      env: {
        BUDGET_CONVERSATIONS_BURST: '5',
        BUDGET_CONVERSATIONS_PER_HOUR: '5',
        BUDGET_NEW_MEMBER_CONVERSATIONS_BURST: '2',
        BUDGET_NEW_MEMBER_CONVERSATIONS_PER_HOUR: '1',
        // Starting a conversation spends a message too (two starts, then three sends).
        BUDGET_NEW_MEMBER_MESSAGES_BURST: '5',
        BUDGET_NEW_MEMBER_MESSAGES_PER_HOUR: '1',
        DM_NEW_MEMBER_DAYS: '7',
      },
    });
    const newcomer = await quickMember(t, 'FR');
    const veteran = await quickMember(t, 'FR', { verifiedAt: new Date(t.clock.now().getTime() - 30 * DAY) });
    const others = await Promise.all([1, 2, 3, 4].map(() => quickMember(t, 'FR')));
    const newcomerAnswers: number[] = [];
    for (const other of others.slice(0, 3)) newcomerAnswers.push((await start(t, newcomer, [other], 'Hi.')).statusCode);
    expect(newcomerAnswers).toEqual([201, 201, 429]);
    for (const other of others) expect((await start(t, veteran, [other], 'Hi.')).statusCode).toBe(201);

    // Messages have their own (tighter for newcomers) budget.
    const conversationId = t.handle.sqlite
      .prepare('select conversation_id as id from conversation_participants where user_id = ? limit 1')
      .get(newcomer.user.id) as { id: string };
    const sends: number[] = [];
    for (let i = 0; i < 4; i++) {
      sends.push(
        (await send(t, newcomer, 'POST', `/api/conversations/${conversationId.id}/messages`, { markdown: `No. ${i}` }))
          .statusCode,
      );
    }
    expect(sends).toEqual([201, 201, 201, 429]);
  });

  it('spends the messages budget when "starting" an existing one-to-one conversation (no way around it)', async () => {
    const app = await buildTestApp({
      env: {
        BUDGET_CONVERSATIONS_BURST: '10',
        BUDGET_CONVERSATIONS_PER_HOUR: '10',
        BUDGET_MESSAGES_BURST: '2',
        BUDGET_MESSAGES_PER_HOUR: '1',
      },
    });
    try {
      const veteran = await quickMember(app, 'FR', { verifiedAt: new Date(app.clock.now().getTime() - 30 * DAY) });
      const other = await quickMember(app, 'FR');
      const answers: number[] = [];
      for (let i = 0; i < 3; i++) answers.push((await start(app, veteran, [other], `Again ${i}.`)).statusCode);
      expect(answers).toEqual([201, 201, 429]);
      const count = app.handle.sqlite
        .prepare('select count(*) as n from direct_messages where author_id = ?')
        .get(veteran.user.id) as { n: number };
      expect(count.n).toBe(2);
    } finally {
      await app.close();
    }
  });
});

describe.runIf(requireCorpora())('Direct messages against the corpora', () => {
  let t: TestApp;
  let a: Actor;
  let b: Actor;
  let conversationId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    a = await quickMember(t, 'FR');
    b = await quickMember(t, 'FR');
    conversationId = (await started(t, a, [b], 'Corpus run.')).conversation.id;
  });
  afterAll(async () => t?.close());

  it('stores or refuses (4xx) every naughty string as a message; what is stored reads back as sent', async () => {
    let stored = 0;
    for (const value of readBlns()) {
      const res = await send(t, a, 'POST', `/api/conversations/${conversationId}/messages`, { markdown: value });
      expect(res.statusCode, JSON.stringify(value)).toBeLessThan(500);
      if (res.statusCode === 201) {
        stored++;
        expect((res.json() as { message: DirectMessage }).message.markdown).toBe(value);
      } else expect(res.statusCode, JSON.stringify(value)).toBe(400);
    }
    expect(stored).toBeGreaterThan(300);
    // The other participant reads them all without a failure.
    const page = await ok<ConversationDetail>(t, b, 'GET', `/api/conversations/${conversationId}?limit=100`);
    expect(page.messages.length).toBe(100);
  }, 180_000);

  it('never lets script, handlers or other schemes through in a message (a sample of the XSS corpora)', async () => {
    const dom = new JSDOM('<!doctype html><html><body></body></html>');
    const template = dom.window.document.createElement('template');
    const allowed = new Set(
      'p br hr h1 h2 h3 h4 h5 h6 blockquote pre code em strong s ul ol li a table thead tbody tr th td'.split(' '),
    );
    const unsafe = (html: string): string[] => {
      template.innerHTML = html;
      const out: string[] = [];
      for (const el of template.content.querySelectorAll('*')) {
        if (!allowed.has(el.localName)) out.push(`<${el.localName}>`);
        for (const attr of el.attributes) {
          if (attr.name.toLowerCase().startsWith('on')) out.push(attr.name);
          if (attr.name === 'href' || attr.name === 'src') {
            let protocol: string | null;
            try {
              protocol = new URL(attr.value, 'https://forum.example/messages/x').protocol;
            } catch {
              protocol = null;
            }
            if (protocol && !['http:', 'https:', 'mailto:'].includes(protocol)) out.push(`${attr.name}=${attr.value}`);
          }
        }
      }
      return out;
    };
    const lines = readXssLines().filter((_, i) => i % 25 === 0);
    expect(lines.length).toBeGreaterThan(250);
    const failures: string[] = [];
    for (const { file, line } of lines) {
      for (const markdown of [line, `[x](${line})`]) {
        const res = await send(t, a, 'POST', `/api/conversations/${conversationId}/messages`, { markdown });
        expect(res.statusCode, `${file}: ${markdown}`).toBeLessThan(500);
        if (res.statusCode !== 201) continue;
        const problems = unsafe((res.json() as { message: DirectMessage }).message.html);
        if (problems.length > 0) failures.push(`${file}: ${markdown} → ${problems.join(', ')}`);
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
  }, 180_000);
});
