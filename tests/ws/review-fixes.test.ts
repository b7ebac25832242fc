/**
 * Limits and edge cases found by review of the push socket: how fast a client may talk, how often
 * anyone may knock, what a plain GET gets, re-added mentions, the applicant's own application
 * changes, and choosing a username.
 */
import { CLOSE_CODES, type Post } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyTo, startThread } from '../helpers/threads.js';
import { applicant, member, type Actor } from '../helpers/vetting.js';
import { isEvent, listenTestApp, refusedWith, usernameOf, type ListeningTestApp } from '../helpers/ws.js';

describe('Realtime API limits', () => {
  let t: ListeningTestApp;
  let alice: Actor;
  let bruno: Actor;

  beforeAll(async () => {
    t = await listenTestApp({ REALTIME_MESSAGES_PER_SECOND: 5, REALTIME_UPGRADES_PER_MINUTE: 40 });
    alice = await member(t, { displayName: 'Alice Fournier' });
    bruno = await member(t, { displayName: 'Bruno Costa' });
  });
  afterAll(async () => t?.close());

  it('closes a socket that sends faster than its allowance, after serving the burst', async () => {
    const socket = await t.connectAs(alice);
    // The bucket holds three seconds' worth (15): the first pings are answered.
    for (let i = 0; i < 40; i++) socket.send({ type: 'ping' });
    const { code } = await socket.closed;
    expect(code).toBe(CLOSE_CODES.POLICY);
    const pongs = socket.received.filter((m) => m.type === 'pong').length;
    expect(pongs).toBeGreaterThanOrEqual(14);
    expect(pongs).toBeLessThan(40);
  });

  it('lets a socket that keeps to its allowance talk for ever', async () => {
    const socket = await t.connectAs(bruno);
    for (let i = 0; i < 12; i++) {
      socket.send({ type: 'ping' });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await socket.waitFor((m) => m.type === 'pong' && socket.received.filter((r) => r.type === 'pong').length === 12);
    expect(socket.isOpen).toBe(true);
    socket.close();
  });

  it('answers a plain GET with 426 UPGRADE_REQUIRED in the error envelope', async () => {
    const res = await t.request({ method: 'GET', url: '/api/realtime', cookie: alice.cookie });
    expect(res.statusCode).toBe(426);
    expect(res.json()).toEqual({ error: { code: 'UPGRADE_REQUIRED', message: expect.any(String) } });
  });

  it('counts upgrade attempts per IP, refused ones included, and answers 429 past the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push(await refusedWith(t.wsUrl, { origin: t.config.publicOrigin }));
    // Earlier tests in this file used some of the 40; the rest are 401s until the limit.
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(20);
    expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
  });
});

describe('Notifications found by review', () => {
  let t: ListeningTestApp;
  let alice: Actor;
  let bruno: Actor;

  beforeAll(async () => {
    t = await listenTestApp();
    alice = await member(t, { displayName: 'Alice Fournier' });
    bruno = await member(t, { displayName: 'Bruno Costa' });
  });
  afterAll(async () => t?.close());

  const mentionsOf = async (who: Actor) => {
    const res = await t.request({ method: 'GET', url: '/api/notifications', cookie: who.cookie });
    return (res.json() as { notifications: { kind: string }[] }).notifications.filter((n) => n.kind === 'mention');
  };

  it('tells a member once about a post however often an edit removes and re-adds their name', async () => {
    const thread = await startThread(t, alice);
    const post: Post = await replyTo(t, alice, thread.thread.id, undefined, 'No mention yet.');
    let version = post.version;
    const edit = async (body: string) => {
      const res = await t.request({
        method: 'PATCH',
        url: `/api/posts/${post.id}`,
        cookie: alice.cookie,
        body: { body, version },
      });
      expect(res.statusCode, res.body).toBe(200);
      version = (res.json() as { post: Post }).post.version;
    };
    for (let i = 0; i < 3; i++) {
      await edit(`Over to you, @${usernameOf(t, bruno)} (${i}).`);
      await edit(`Never mind (${i}).`);
    }
    expect(await mentionsOf(bruno)).toHaveLength(1);
  });

  it('numbers the counts in HTTP answers like the pushes, so a client can tell which is newer', async () => {
    const thread = await startThread(t, alice);
    const socket = await t.connectAs(alice);
    await replyTo(t, bruno, thread.thread.id);
    const created = await socket.waitFor(isEvent('notification.created'));
    const list = (await t.request({ method: 'GET', url: '/api/notifications', cookie: alice.cookie })).json();
    expect(list).toMatchObject({ unreadCount: 1, seq: (created as { seq: number }).seq });
    const read = await t.request({ method: 'POST', url: '/api/notifications/read-all', cookie: alice.cookie });
    const pushed = await socket.waitFor(isEvent('notification.read'));
    expect(read.json()).toEqual({ unreadCount: 0, seq: (pushed as { seq: number }).seq });
    // Nothing to mark: no event, the same number.
    const again = await t.request({ method: 'POST', url: '/api/notifications/read-all', cookie: alice.cookie });
    expect(again.json()).toEqual({ unreadCount: 0, seq: (pushed as { seq: number }).seq });
    socket.close();
  });

  it("pushes the applicant's own submit, answer and withdrawal to their other tabs", async () => {
    const a = await applicant(t, 'draft');
    const socket = await t.connectAs(a);
    const submit = await t.request({ method: 'POST', url: '/api/application/submit', cookie: a.cookie });
    expect(submit.statusCode, submit.body).toBe(200);
    await socket.waitFor(isEvent('application.updated', (e) => e.status === 'submitted'));
    const withdraw = await t.request({ method: 'POST', url: '/api/application/withdraw', cookie: a.cookie });
    expect(withdraw.statusCode, withdraw.body).toBe(200);
    await socket.waitFor(isEvent('application.updated', (e) => e.status === 'withdrawn'));
    socket.close();
  });
});

describe('Account API: PUT /api/account/username', () => {
  let t: ListeningTestApp;
  let alice: Actor;
  let bruno: Actor;

  beforeAll(async () => {
    t = await listenTestApp();
    alice = await member(t, { displayName: 'Алиса Петрова' });
    bruno = await member(t, { displayName: 'Bruno Costa' });
  });
  afterAll(async () => t?.close());

  const put = (who: Actor, username: unknown) =>
    t.request({ method: 'PUT', url: '/api/account/username', cookie: who.cookie, body: { username } });

  it('lets a member whose name has no Latin letters choose a name others can type, and mentions follow it', async () => {
    expect(usernameOf(t, alice)).toMatch(/^member/);
    const res = await put(alice, 'alisa.petrova');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.username).toBe('alisa.petrova');
    const thread = await startThread(t, bruno);
    const post = await replyTo(t, bruno, thread.thread.id, undefined, 'Thoughts, @alisa.petrova?');
    expect(post.cooked).toContain(`<a href="/members/${alice.user.id}" class="mention">@alisa.petrova</a>`);
  });

  it('refuses a name taken by another member with 409 USERNAME_TAKEN', async () => {
    const res = await put(alice, usernameOf(t, bruno));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('USERNAME_TAKEN');
  });

  it.each([['A.Upper'], ['x'], ['.dot-first'], ['has space'], ['a'.repeat(31)], [42], ['ünï']])(
    'refuses %j with 400',
    async (username) => {
      const res = await put(alice, username);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    },
  );
});
