/**
 * What is hidden stays hidden on the socket: stored user events are checked against what the
 * member may see when they are replayed or sent, not when they were written. A notification about
 * a reply that moderation hid since goes out as `event.withheld` (its number kept, nothing else),
 * so the client's cursor stays whole and no excerpt of the hidden text arrives. The oracle is the
 * text: a secret word must not appear in anything the member's socket receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moderatePost, quickAdmin, quickMember, quickModerator, reply, send, thread } from '../helpers/moderation.js';
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

describe("Realtime: a moderator's scope on an open socket", () => {
  let t: ListeningTestApp;
  let admin: Actor;
  let author: Actor;
  let modFR: Actor;
  let moving: Actor;

  beforeAll(async () => {
    t = await listenTestApp({ env: { REALTIME_SESSION_CHECK_MS: '50' } });
    admin = await quickAdmin(t);
    author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    // FR keeps a moderator, so that it stays out of reach of a moderator who no longer covers it.
    modFR = await quickModerator(t, ['FR']);
    moving = await quickModerator(t, ['FR'], { displayName: 'Moving Moderator' });
  });
  afterAll(async () => t?.close());

  const setJurisdictions = async (who: Actor, jurisdictions: string[]) => {
    const res = await send(t, admin, 'PUT', `/api/admin/users/${who.user.id}/jurisdictions`, { jurisdictions });
    expect(res.statusCode, res.body).toBe(200);
    // The session watch runs every 50 ms here.
    await new Promise((resolve) => setTimeout(resolve, 250));
  };

  it('sends only the member variant once the jurisdiction is removed, and the privileged one once it is back', async () => {
    const opening = await thread(t, author);
    const socket = await t.connectAs(moving);
    await socket.subscribe({ channel: 'thread', threadId: opening.thread.id });

    const first = secret();
    const before = await reply(t, author, opening.thread.id, `First: ${first}.`);
    await socket.nextLive('post.created', (e) => e.post.id === before.id);
    expect((await moderatePost(t, modFR, before.id, 'hide')).statusCode).toBe(200);
    const privileged = await socket.nextLive('post.updated', (e) => e.post.id === before.id);
    expect(privileged.post.canModerate).toBe(true);
    expect(JSON.stringify(privileged)).toContain(first);

    await setJurisdictions(moving, ['KE']);
    const word = secret();
    const after = await reply(t, author, opening.thread.id, `Second: ${word}.`);
    await socket.nextLive('post.created', (e) => e.post.id === after.id);
    const seen = socket.received.length;
    expect((await moderatePost(t, modFR, after.id, 'hide')).statusCode).toBe(200);
    const member = await socket.nextLive('post.updated', (e) => e.post.id === after.id);
    expect(member.post.withheld).toBe(true);
    expect(member.post.canModerate).toBe(false);
    expect(JSON.stringify(socket.received.slice(seen))).not.toContain(word);
    expect(socket.isOpen).toBe(true);

    await setJurisdictions(moving, ['FR']);
    const third = secret();
    const again = await reply(t, author, opening.thread.id, `Third: ${third}.`);
    await socket.nextLive('post.created', (e) => e.post.id === again.id);
    expect((await moderatePost(t, modFR, again.id, 'hide')).statusCode).toBe(200);
    const back = await socket.nextLive('post.updated', (e) => e.post.id === again.id);
    expect(back.post.canModerate).toBe(true);
    expect(JSON.stringify(back)).toContain(third);
  });
});

describe('Realtime: quotes of posts taken out of view', () => {
  let t: ListeningTestApp;
  let admin: Actor;
  let author: Actor;
  let source: Actor;
  let quoter: Actor;
  let reader: Actor;

  beforeAll(async () => {
    t = await listenTestApp();
    admin = await quickAdmin(t);
    author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    source = await quickMember(t, 'FR', { displayName: 'Sonia Source' });
    quoter = await quickMember(t, 'FR', { displayName: 'Quentin Quoter' });
    reader = await quickMember(t, 'FR', { displayName: 'Rita Reader' });
  });
  afterAll(async () => t?.close());

  it('pushes a new post quoting a hidden one with the quote withheld', async () => {
    const opening = await thread(t, author);
    const word = secret();
    const quoted = await reply(t, source, opening.thread.id, `The witness is ${word}.`);
    expect((await moderatePost(t, admin, quoted.id, 'hide')).statusCode).toBe(200);
    const socket = await t.connectAs(reader);
    await socket.subscribe({ channel: 'thread', threadId: opening.thread.id });
    const quoting = await reply(
      t,
      quoter,
      opening.thread.id,
      `[Sonia Source wrote](/posts/${quoted.id}/history?version=1):\n> The witness is ${word}.\n\nQuoting it.`,
    );
    const pushed = await socket.nextLive('post.created', (e) => e.post.id === quoting.id);
    expect(pushed.post.cooked).toContain('quote-withheld');
    expect(pushed.post.cooked).toContain('Quoting it.');
    await socket.sync();
    expect(JSON.stringify(socket.received)).not.toContain(word);
  });
});
