/**
 * What is hidden stays hidden on the socket: stored user events are checked against what the
 * member may see when they are replayed or sent, not when they were written. A notification about
 * a reply that moderation hid since goes out as `event.withheld` (its number kept, nothing else),
 * so the client's cursor stays whole and no excerpt of the hidden text arrives. The oracle is the
 * text: a secret word must not appear in anything the member's socket receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moderatePost, quickAdmin, quickMember, reply, thread } from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';
import { connect, listenTestApp, type ListeningTestApp } from '../helpers/ws.js';

let secrets = 0;
const secret = () => `Zanzibarwitness${++secrets}x`;

describe('Realtime: stored events checked when sent', () => {
  let t: ListeningTestApp;
  let admin: Actor;
  let author: Actor;
  let replier: Actor;

  beforeAll(async () => {
    t = await listenTestApp();
    admin = await quickAdmin(t);
    author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    replier = await quickMember(t, 'FR', { displayName: 'Rita Replier' });
  });
  afterAll(async () => t?.close());

  const seqOf = async (who: Actor) => {
    const socket = await t.connectAs(who);
    const seq = socket.greeting!.seq;
    socket.close();
    await socket.closed;
    return seq;
  };

  it('replays a notification about a reply hidden since as event.withheld, its number kept', async () => {
    const opening = await thread(t, author);
    const lastSeq = await seqOf(author);
    const word = secret();
    const hidden = await reply(t, replier, opening.thread.id, `The witness is ${word}, who lives nearby.`);
    const kept = await reply(t, replier, opening.thread.id, 'A reply that stays.');
    expect((await moderatePost(t, admin, hidden.id, 'hide')).statusCode).toBe(200);

    const socket = await t.connectAs(author, lastSeq);
    const replayed = await socket.replayed();
    await socket.sync();
    expect(JSON.stringify(socket.received)).not.toContain(word);
    // Numbers stay consecutive from lastSeq: the cursor moves past the withheld one.
    expect(replayed.map((m) => m.seq)).toEqual(replayed.map((_m, i) => lastSeq + 1 + i));
    expect(replayed.at(-1)!.seq).toBe(socket.greeting!.seq);
    const types = replayed.map((m) => m.event.type);
    expect(types).toContain('event.withheld');
    const created = replayed.flatMap((m) => (m.event.type === 'notification.created' ? [m.event.notification] : []));
    expect(created.map((n) => n.link)).toEqual([`/threads/${opening.thread.id}#post-${kept.number}`]);
  });

  it('withholds the events held before hello the same way', async () => {
    const opening = await thread(t, author);
    const lastSeq = await seqOf(author);
    const socket = await connect(t.wsUrl, { cookie: author.cookie, origin: t.config.publicOrigin });
    const word = secret();
    const hidden = await reply(t, replier, opening.thread.id, `Her address: ${word} street.`);
    expect((await moderatePost(t, admin, hidden.id, 'hide')).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await socket.hello(lastSeq);
    await socket.replayed();
    await socket.sync();
    expect(JSON.stringify(socket.received)).not.toContain(word);
    expect(socket.received.some((m) => m.type === 'event' && m.event.type === 'event.withheld')).toBe(true);
  });
});
