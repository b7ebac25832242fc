/**
 * Regressions from the review of moderation over the socket: a reader of a thread that was hidden
 * since they subscribed hears nothing more of it, and a moderator whose scope shrank stops
 * receiving hidden posts' content.
 */
import type { ServerMessage } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configure, ok, quickMember, quickModerator, reply, send, thread } from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';
import { listenTestApp, type ListeningTestApp } from '../helpers/ws.js';

const R = { reason: 'A sufficient reason.' };
const mentions = (word: string) => (m: ServerMessage) => JSON.stringify(m).includes(word);

describe('Moderation over the socket: review regressions', () => {
  let t: ListeningTestApp;
  let modFR: Actor, modKE: Actor, author: Actor, reader: Actor;
  beforeAll(async () => {
    t = await listenTestApp();
    await configure(t, { premoderatedPosts: 0 });
    modFR = await quickModerator(t, ['FR']);
    modKE = await quickModerator(t, ['KE']);
    author = await quickMember(t, 'FR', { displayName: 'Arthur' });
    reader = await quickMember(t, 'FR', { displayName: 'Rita' });
  });
  afterAll(async () => t?.close());

  it('refuses a subscription to a hidden thread and stops pushing one that was hidden since', async () => {
    const op = await thread(t, author, { jurisdictions: ['FR'] });
    const early = await t.connectAs(reader);
    await early.subscribe({ channel: 'thread', threadId: op.thread.id });
    const list = await t.connectAs(reader);
    await list.subscribe({ channel: 'threads' });

    await ok(t, modFR, 'POST', `/api/moderation/posts/${op.posts[0]!.id}/hide`, R);
    // The list hears that the thread left it; the open page that its opening post is withheld.
    expect((await list.nextLive('thread.removed')).threadId).toBe(op.thread.id);
    const notice = await early.nextLive('post.updated', (e) => e.post.id === op.posts[0]!.id);
    expect(notice.post).toMatchObject({ withheld: true, cooked: '', state: 'hidden' });

    const late = await t.connectAs(reader);
    late.send({ type: 'subscribe', channel: 'thread', threadId: op.thread.id });
    const refusal = await late.waitFor((m) => m.type === 'error', 'error');
    expect(refusal).toMatchObject({ type: 'error', code: 'NOT_FOUND' });

    await reply(t, author, op.thread.id, 'Secret reply Xylophonewitness.');
    await send(t, author, 'PATCH', `/api/threads/${op.thread.id}`, { title: 'Retitled Marimbasecret thread' });
    for (const socket of [early, list, late]) {
      await socket.expectNothing(mentions('Xylophonewitness'));
      await socket.expectNothing(mentions('Marimbasecret'));
      // Nothing else of it: no reply, no title; at most its opening post again, still withheld.
      await socket.expectNothing(
        (m) =>
          m.type === 'live' &&
          'threadId' in m.event &&
          m.event.threadId === op.thread.id &&
          !(m.event.type === 'post.updated' && m.event.post.withheld),
      );
    }
    for (const socket of [early, list, late]) socket.close();
  });

  it('stops handing a hidden post to a moderator once its jurisdiction has a moderator of its own', async () => {
    const op = await thread(t, author, { jurisdictions: ['DE'] });
    const socket = await t.connectAs(modKE);
    await socket.subscribe({ channel: 'thread', threadId: op.thread.id });
    const first = await reply(t, author, op.thread.id, 'First DE reply Bassoonfirst.');
    // DE has no moderator: it is every moderator's, the KE moderator included.
    await ok(t, modFR, 'POST', `/api/moderation/posts/${first.id}/hide`, R);
    const privileged = await socket.nextLive('post.updated', (e) => e.post.id === first.id);
    expect(privileged.post).toMatchObject({ withheld: false, canModerate: true });

    const modDE = await quickModerator(t, ['DE']);
    // The gateway trusts the set of covered jurisdictions for two seconds.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const second = await reply(t, author, op.thread.id, 'Second DE reply Ocarinasecret.');
    await socket.nextLive('post.created', (e) => e.post.id === second.id);
    await ok(t, modDE, 'POST', `/api/moderation/posts/${second.id}/hide`, R);
    const withheld = await socket.nextLive('post.updated', (e) => e.post.id === second.id);
    expect(withheld.post).toMatchObject({ withheld: true, cooked: '', canModerate: false });
    await socket.expectNothing(mentions('Ocarinasecret'));
    socket.close();
  });
});
