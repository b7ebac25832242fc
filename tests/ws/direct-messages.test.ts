/**
 * Direct messages over the socket: a message reaches every participant's sockets (the summary as
 * each sees it, with their own unread counts) and no one else's; edits, deletions and a
 * moderator's hiding follow as `conversation.message_updated`; reading in one tab tells the
 * others; a member who left hears nothing more; and a reconnecting client gets what it missed,
 * re-checked when replayed: a message deleted or hidden since, or a conversation left since, is
 * withheld (`event.withheld`), never sent with its old text. Real server, real SQLite file, real
 * `ws` clients.
 */
import type { ConversationSummary, DirectMessage, StartedConversation } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withheldEvents } from '../../server/src/modules/notifications/notification-visibility.js';
import { eventsSince } from '../../server/src/modules/realtime/user-events.repository.js';
import { member, moderator, type Actor } from '../helpers/vetting.js';
import { isEvent, listenTestApp, type ListeningTestApp } from '../helpers/ws.js';

describe('Direct messages over the socket', () => {
  let t: ListeningTestApp;
  let ana: Actor;
  let ben: Actor;
  let cleo: Actor;
  let outsider: Actor;
  let mod: Actor;

  beforeAll(async () => {
    t = await listenTestApp();
    ana = await member(t, { displayName: 'Ana' });
    ben = await member(t, { displayName: 'Ben' });
    cleo = await member(t, { displayName: 'Cleo' });
    outsider = await member(t, { displayName: 'Outsider' });
    mod = await moderator(t, ['FR'], { displayName: 'Mod' });
  });
  afterAll(async () => t?.close());

  const call = async (who: Actor, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const res = await t.request({ method, url, cookie: who.cookie, ...(body !== undefined ? { body } : {}) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.body ? (res.json() as Record<string, unknown>) : {};
  };
  const start = async (who: Actor, to: Actor[], markdown: string) =>
    (await call(who, 'POST', '/api/conversations', {
      recipientIds: to.map((a) => a.user.id),
      markdown,
    })) as unknown as StartedConversation;
  const send = async (who: Actor, id: string, markdown: string) =>
    ((await call(who, 'POST', `/api/conversations/${id}/messages`, { markdown })) as { message: DirectMessage })
      .message;
  const unreadTotal = async (who: Actor) =>
    ((await call(who, 'GET', '/api/conversations/unread')) as { unreadTotal: number }).unreadTotal;
  const unreadSeq = async (who: Actor) =>
    (await call(who, 'GET', '/api/conversations/unread')) as { unreadTotal: number; seq: number };
  const anyConversationEvent = (m: { type: string; event?: { type: string } }) =>
    m.type === 'event' && !!m.event?.type.startsWith('conversation.');

  it("delivers a message to every participant's sockets, as each sees it, and to nobody else", async () => {
    const sockets = {
      ana: await t.connectAs(ana),
      ana2: await t.connectAs(ana),
      ben: await t.connectAs(ben),
      cleo: await t.connectAs(cleo),
      outsider: await t.connectAs(outsider),
      mod: await t.connectAs(mod),
    };
    const { conversation } = await start(ana, [ben, cleo], 'Hello **both**.');
    for (const [who, socket, unread] of [
      [ben, sockets.ben, 1],
      [cleo, sockets.cleo, 1],
      [ana, sockets.ana, 0],
      [ana, sockets.ana2, 0],
    ] as const) {
      const { event } = await socket.nextEvent('conversation.message');
      expect(event.conversation.id).toBe(conversation.id);
      expect(event.conversation.unreadCount).toBe(unread);
      expect(event.message.html).toBe('<p>Hello <strong>both</strong>.</p>\n');
      // The source only to its author.
      expect(event.message.markdown === undefined).toBe(who !== ana);
      expect(event.unreadTotal).toBe(await unreadTotal(who));
    }
    // The recipients hear of it in the bell too; the author does not.
    for (const socket of [sockets.ben, sockets.cleo]) {
      await socket.nextEvent('notification.created', (e) => e.notification.kind === 'direct_message');
    }
    await sockets.ana.expectNothing(isEvent('notification.created'));
    await sockets.outsider.expectNothing(anyConversationEvent);
    await sockets.mod.expectNothing(anyConversationEvent);
    await sockets.mod.expectNothing(isEvent('notification.created'));

    // A second message updates the unread notification instead of adding one.
    await send(ben, conversation.id, 'Hi Ana.');
    const next = await sockets.cleo.nextEvent('conversation.message');
    expect(next.event.conversation.unreadCount).toBe(2);
    await sockets.cleo.nextEvent('notification.updated', (e) => e.notification.body === 'Hi Ana.');
    await sockets.cleo.expectNothing(isEvent('notification.created'));

    // Reading in one tab tells the other tabs.
    await call(ana, 'PUT', `/api/conversations/${conversation.id}/read`, { messageId: next.event.message.id });
    const read = await sockets.ana2.nextEvent('conversation.read');
    expect(read.event).toMatchObject({ conversationId: conversation.id, unreadCount: 0, unreadTotal: 0 });
    await sockets.ben.expectNothing(isEvent('conversation.read'));
    for (const s of Object.values(sockets)) s.close();
  });

  it('pushes edits and deletions to the participants, without the deleted text', async () => {
    const { conversation, message } = await start(ana, [ben], 'Frist draft.');
    const benSocket = await t.connectAs(ben);
    const outsiderSocket = await t.connectAs(outsider);
    await call(ana, 'PATCH', `/api/conversations/${conversation.id}/messages/${message.id}`, {
      markdown: 'First draft.',
    });
    const edited = await benSocket.nextEvent('conversation.message_updated');
    expect(edited.event.message).toMatchObject({ id: message.id, html: '<p>First draft.</p>\n', state: 'visible' });
    await call(ana, 'DELETE', `/api/conversations/${conversation.id}/messages/${message.id}`);
    const deleted = await benSocket.nextEvent('conversation.message_updated');
    expect(deleted.event.message).toMatchObject({ id: message.id, html: '', state: 'deleted' });
    expect(JSON.stringify(deleted)).not.toContain('draft');
    await outsiderSocket.expectNothing(anyConversationEvent);
    benSocket.close();
    outsiderSocket.close();
  });

  it('tells the others when someone leaves, and the leaver hears nothing more', async () => {
    const { conversation } = await start(ana, [ben, cleo], 'A group.');
    const anaSocket = await t.connectAs(ana);
    const cleoSocket = await t.connectAs(cleo);
    await call(cleo, 'POST', `/api/conversations/${conversation.id}/leave`);
    const update = await anaSocket.nextEvent('conversation.updated');
    expect(update.event.conversation.leftParticipants.map((p) => p.id)).toEqual([cleo.user.id]);
    // Cleo's own tabs are told she is out (and nothing of the conversation beyond who is in it).
    const own = await cleoSocket.nextEvent('conversation.updated');
    expect(own.event.conversation).toMatchObject({ lastMessage: null, unreadCount: 0, canReply: false });
    expect(own.event.conversation.participants.map((p) => p.id)).not.toContain(cleo.user.id);

    await send(ben, conversation.id, 'After Cleo left.');
    await anaSocket.nextEvent('conversation.message');
    await cleoSocket.expectNothing(anyConversationEvent);
    await cleoSocket.expectNothing(isEvent('notification.created'));
    anaSocket.close();
    cleoSocket.close();
  });

  describe('replay after reconnecting', () => {
    it('replays what was missed, in order, with the counts as they were pushed', async () => {
      const first = await t.connectAs(ben);
      const lastSeq = first.greeting!.seq;
      first.close();
      const { conversation } = await start(ana, [ben], 'While you were away (1).');
      await send(ana, conversation.id, 'While you were away (2).');
      const again = await t.connectAs(ben, lastSeq);
      const replayed = (await again.replayed()).filter((e) => e.event.type === 'conversation.message');
      expect(replayed.map((e) => (e.event as { message: DirectMessage }).message.html)).toEqual([
        '<p>While you were away (1).</p>\n',
        '<p>While you were away (2).</p>\n',
      ]);
      const last = replayed.at(-1)!.event as { conversation: ConversationSummary };
      expect(last.conversation.id).toBe(conversation.id);
      again.close();
    });

    it('withholds a replayed message deleted or hidden since, keeping its number', async () => {
      const first = await t.connectAs(ben);
      const lastSeq = first.greeting!.seq;
      first.close();
      const { conversation, message } = await start(ana, [ben], 'Something I take back.');
      const rude = await send(ana, conversation.id, 'Something a moderator will hide.');
      await call(ana, 'DELETE', `/api/conversations/${conversation.id}/messages/${message.id}`);
      await call(ben, 'POST', `/api/conversations/${conversation.id}/messages/${rude.id}/report`, {
        reason: 'disrespectful',
      });
      await call(mod, 'POST', `/api/moderation/messages/${rude.id}/hide`, { reason: 'Not acceptable here.' });

      const again = await t.connectAs(ben, lastSeq);
      const replayed = await again.replayed();
      const text = JSON.stringify(replayed);
      expect(text).not.toContain('take back');
      expect(text).not.toContain('will hide');
      expect(replayed.filter((e) => e.event.type === 'event.withheld').length).toBeGreaterThanOrEqual(2);
      // The numbers run on without a gap, and what is said is the state now.
      expect(replayed.map((e) => e.seq)).toEqual(replayed.map((_, i) => lastSeq + 1 + i));
      const states = replayed.flatMap((e) =>
        e.event.type === 'conversation.message_updated' ? [e.event.message.state] : [],
      );
      expect(states).toEqual(expect.arrayContaining(['deleted', 'hidden']));
      again.close();
    });

    it("replays no stored copy of a message's text deleted since: not in the bell's notification", async () => {
      const first = await t.connectAs(ben);
      const lastSeq = first.greeting!.seq;
      first.close();
      const { conversation, message } = await start(ana, [ben], 'AlphaSecretDeleted');
      await send(ana, conversation.id, 'Second one');
      await call(ana, 'DELETE', `/api/conversations/${conversation.id}/messages/${message.id}`);
      const again = await t.connectAs(ben, lastSeq);
      const replayed = await again.replayed();
      expect(JSON.stringify(replayed)).not.toContain('AlphaSecretDeleted');
      // The bell still hears of the conversation, as it reads now.
      const bodies = replayed.flatMap((e) =>
        e.event.type === 'notification.created' || e.event.type === 'notification.updated'
          ? [e.event.notification.body]
          : [],
      );
      expect(bodies).toContain('Second one');
      again.close();
    });

    it('replays no conversation summary with the excerpt of a message deleted or hidden since (a leave, a mute)', async () => {
      const { conversation } = await start(ana, [ben, cleo], 'A group about to change.');
      const first = await t.connectAs(ben);
      const lastSeq = first.greeting!.seq;
      first.close();
      const doomed = await send(ana, conversation.id, 'BetaSecretDeleted');
      // Cleo leaves: Ben is told, with the summary's last message.
      await call(cleo, 'POST', `/api/conversations/${conversation.id}/leave`);
      // Ben mutes from another device: his tabs are told, with the summary's last message too.
      await call(ben, 'PUT', `/api/conversations/${conversation.id}/mute`, { muted: true });
      await call(ana, 'DELETE', `/api/conversations/${conversation.id}/messages/${doomed.id}`);
      const rude = await send(ana, conversation.id, 'GammaSecretHidden');
      await call(ben, 'PUT', `/api/conversations/${conversation.id}/mute`, { muted: false });
      await call(ben, 'POST', `/api/conversations/${conversation.id}/messages/${rude.id}/report`, { reason: 'spam' });
      await call(mod, 'POST', `/api/moderation/messages/${rude.id}/hide`, { reason: 'Not acceptable here.' });

      const again = await t.connectAs(ben, lastSeq);
      const replayed = await again.replayed();
      const text = JSON.stringify(replayed);
      expect(text).not.toContain('BetaSecretDeleted');
      expect(text).not.toContain('GammaSecretHidden');
      // The updates themselves still arrive (who left, the mute), told as things are now.
      const updates = replayed.flatMap((e) => (e.event.type === 'conversation.updated' ? [e.event.conversation] : []));
      expect(updates.length).toBeGreaterThanOrEqual(3);
      expect(updates.at(-1)!.lastMessage).toMatchObject({ id: rude.id, state: 'hidden', excerpt: '' });
      again.close();
    });

    it('replays a message edited since with its wording now, never the first one', async () => {
      const first = await t.connectAs(ben);
      const lastSeq = first.greeting!.seq;
      first.close();
      const { conversation, message } = await start(ana, [ben], 'DeltaOriginalWording');
      await call(ana, 'PATCH', `/api/conversations/${conversation.id}/messages/${message.id}`, {
        markdown: 'The corrected wording.',
      });
      const again = await t.connectAs(ben, lastSeq);
      const replayed = await again.replayed();
      expect(JSON.stringify(replayed)).not.toContain('DeltaOriginalWording');
      const arrived = replayed.flatMap((e) => (e.event.type === 'conversation.message' ? [e.event.message] : []));
      expect(arrived.map((m) => m.html)).toEqual(['<p>The corrected wording.</p>\n']);
      expect(arrived[0]!.editedAt).not.toBeNull();
      again.close();
    });

    it('withholds on every push (not only a replay) a stored copy of text the message no longer says', async () => {
      const lastSeq = (await unreadSeq(ben)).seq;
      const { conversation, message } = await start(ana, [ben, cleo], 'EpsilonFirstWording');
      await send(ana, conversation.id, 'Zeta for the bell');
      await call(cleo, 'POST', `/api/conversations/${conversation.id}/leave`);
      await call(ana, 'PATCH', `/api/conversations/${conversation.id}/messages/${message.id}`, {
        markdown: 'Epsilon reworded.',
      });
      const second = await send(ana, conversation.id, 'EtaAboutToGo');
      await call(ana, 'DELETE', `/api/conversations/${conversation.id}/messages/${second.id}`);
      // The copies as stored, not rebuilt: what a push held back during a replay would carry.
      const stored = eventsSince(t.app.db, ben.user.id, lastSeq, t.app.replayWindow());
      if (stored.kind !== 'replay') throw new Error('expected a replay');
      const withheld = withheldEvents(t.app.db, ben.user.id, stored.events);
      const passing = stored.events.filter((e) => !withheld.has(e.seq));
      const text = JSON.stringify(passing);
      for (const gone of ['EpsilonFirstWording', 'EtaAboutToGo']) expect(text).not.toContain(gone);
      // The bell's notification names the deleted message now: none of its copies pass.
      expect(passing.filter((e) => e.event.type.startsWith('notification.'))).toEqual([]);
      // What still says what the message says passes.
      expect(text).toContain('Epsilon reworded.');
    });

    it('withholds every replayed event of a conversation left since', async () => {
      const first = await t.connectAs(cleo);
      const lastSeq = first.greeting!.seq;
      first.close();
      const { conversation } = await start(ana, [cleo, ben], 'You will leave before reading this.');
      await send(ben, conversation.id, 'Nor this.');
      // Cleo leaves from another device while this client is offline.
      await call(cleo, 'POST', `/api/conversations/${conversation.id}/leave`);
      const again = await t.connectAs(cleo, lastSeq);
      const replayed = await again.replayed();
      expect(JSON.stringify(replayed)).not.toContain('before reading');
      expect(JSON.stringify(replayed)).not.toContain('Nor this');
      expect(replayed.filter((e) => e.event.type === 'conversation.message')).toEqual([]);
      // Only the notice of her own leaving passes (to close the conversation in this tab).
      const updates = replayed.filter((e) => e.event.type === 'conversation.updated');
      expect(updates).toHaveLength(1);
      again.close();
    });
  });
});
