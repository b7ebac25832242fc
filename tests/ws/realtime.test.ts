/**
 * The push socket at /api/realtime, with real `ws` clients against the server on a free port and a
 * real SQLite file: who may open it (the forum's own Origin and a live session, else an HTTP
 * refusal and no socket), what it answers to good and bad messages, what an applicant hears (their
 * own application, never the forum), and how it closes when the session or the account changes.
 */
import { CLOSE_CODES, MAX_THREAD_SUBSCRIPTIONS, type ThreadWithPosts } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../server/src/modules/auth/session.js';
import { DAY, SECOND } from '../helpers/app.js';
import { replyTo, startThread } from '../helpers/threads.js';
import { admin, applicant, member, moderator, type Actor } from '../helpers/vetting.js';
import { connect, refusedWith, usernameOf, type ListeningTestApp, listenTestApp } from '../helpers/ws.js';

/** "Within a second" (issue 5), measured from the HTTP answer of the write that ended the session. */
const CLOSE_WITHIN_MS = 1000;

describe('Realtime API', () => {
  let t: ListeningTestApp;
  let alice: Actor;
  let bruno: Actor;
  let mod: Actor;

  beforeAll(async () => {
    t = await listenTestApp();
    alice = await member(t, { displayName: 'Alice Fournier' });
    bruno = await member(t, { displayName: 'Bruno Costa' });
    mod = await moderator(t, ['KE']);
  });
  afterAll(async () => t?.close());

  const unread = async (who: Actor) => {
    const res = await t.request({ method: 'GET', url: '/api/notifications', cookie: who.cookie });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { unreadCount: number }).unreadCount;
  };

  describe('the upgrade', () => {
    it('opens for a member with a session cookie and the forum origin, and answers hello with ready', async () => {
      const socket = await connect(t.wsUrl, { cookie: alice.cookie, origin: t.config.publicOrigin });
      const ready = await socket.hello(null);
      expect(ready).toEqual({ type: 'ready', seq: expect.any(Number), unreadCount: await unread(alice), replaying: 0 });
      socket.close();
    });

    const origins: [string, string | undefined][] = [
      ['a foreign origin', 'https://evil.example'],
      ['the forum host on another port', 'http://localhost:3999'],
      ['the forum origin as a prefix of another host', 'http://localhost:3000.evil.example'],
      ['https instead of http', 'https://localhost:3000'],
      ['the opaque origin "null"', 'null'],
      ['no Origin header', undefined],
    ];
    it.each(origins)('refuses %s with 403, even with a valid session', async (_case, origin) => {
      expect(t.config.publicOrigin).toBe('http://localhost:3000'); // what the cases above are built on
      expect(await refusedWith(t.wsUrl, { cookie: alice.cookie, ...(origin !== undefined ? { origin } : {}) })).toBe(
        403,
      );
    });

    const cookies: [string, (session: string) => string | undefined][] = [
      ['no cookie', () => undefined],
      ['a forged token', () => 'lexforum_session=abcdefghijklmnopqrstuvwx.qrstuvwxyz234567abcdefghijklmnop'],
      ['a malformed token', () => 'lexforum_session=not-a-token'],
      // The last two characters changed, whatever they were (a fixed "aa" left a token ending in "aa" valid).
      [
        'a valid token with its secret altered',
        (session) => `${session.slice(0, -2)}${session.endsWith('aa') ? 'bb' : 'aa'}`,
      ],
      ['a valid token under another cookie name', (session) => `other_session=${session.split('=')[1]}`],
    ];
    it.each(cookies)('refuses %s with 401', async (_case, cookieFrom) => {
      const cookie = cookieFrom(alice.cookie);
      expect(cookie).not.toBe(alice.cookie);
      expect(await refusedWith(t.wsUrl, { origin: t.config.publicOrigin, ...(cookie ? { cookie } : {}) })).toBe(401);
    });

    it('refuses a signed-out session with 401', async () => {
      const gone = await member(t);
      const res = await t.request({ method: 'POST', url: '/api/auth/sign-out', cookie: gone.cookie });
      expect(res.statusCode).toBe(204);
      expect(await refusedWith(t.wsUrl, { cookie: gone.cookie, origin: t.config.publicOrigin })).toBe(401);
    });

    it('refuses a suspended account, even one holding a session row', async () => {
      const adm = await admin(t);
      const suspended = await member(t);
      const res = await t.request({
        method: 'POST',
        url: `/api/admin/users/${suspended.user.id}/suspend`,
        cookie: adm.cookie,
        body: { reason: 'Under review.' },
      });
      expect(res.statusCode, res.body).toBe(200);
      // Suspension ends the sessions; a session made afterwards (straight in the database) must
      // still not open a socket: the check is on the account, not only on the session.
      expect(await refusedWith(t.wsUrl, { cookie: suspended.cookie, origin: t.config.publicOrigin })).toBe(401);
      const { token } = createSession(t.handle.db, suspended.user.id, { userAgent: null, ip: null }, t.clock.now());
      const status = await refusedWith(t.wsUrl, { cookie: `lexforum_session=${token}`, origin: t.config.publicOrigin });
      expect([401, 403]).toContain(status);
    });

    it('answers a plain GET on the path without upgrading it', async () => {
      const res = await t.request({ method: 'GET', url: '/api/realtime', cookie: alice.cookie });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    });
  });

  describe('client messages', () => {
    it('answers ping with pong', async () => {
      const socket = await t.connectAs(alice);
      socket.send({ type: 'ping' });
      await socket.waitFor((m) => m.type === 'pong', 'pong');
    });

    const bad: [string, string][] = [
      ['invalid JSON', '{"type": "ping"'],
      ['a JSON value that is not an object', '[1, 2, 3]'],
      ['an unknown type', JSON.stringify({ type: 'shout', text: 'hello' })],
      ['a subscribe to an unknown channel', JSON.stringify({ type: 'subscribe', channel: 'admin' })],
      ['a thread subscribe without its id', JSON.stringify({ type: 'subscribe', channel: 'thread' })],
      ['an extra property', JSON.stringify({ type: 'ping', also: 1 })],
      ['a negative lastSeq', JSON.stringify({ type: 'hello', lastSeq: -1 })],
      [
        'a subscribe to a thread that does not exist',
        JSON.stringify({ type: 'subscribe', channel: 'thread', threadId: 'nope' }),
      ],
    ];
    it.each(bad)('answers %s with an error message and stays usable', async (_case, raw) => {
      const socket = await t.connectAs(alice);
      socket.send(raw);
      const error = await socket.waitFor((m) => m.type === 'error', 'error');
      expect(error).toEqual({ type: 'error', code: expect.any(String), message: expect.any(String) });
      expect(socket.isOpen).toBe(true);
      await socket.sync();
      await socket.expectNothing();
    });

    it(`refuses more than ${MAX_THREAD_SUBSCRIPTIONS} thread subscriptions on one socket, and keeps the others`, async () => {
      const threads: ThreadWithPosts[] = [];
      for (let i = 0; i <= MAX_THREAD_SUBSCRIPTIONS; i++) threads.push(await startThread(t, alice));
      // In one burst, as a client re-subscribing after a reconnect does (within the message rate).
      const socket = await t.connectAs(bruno);
      for (const thread of threads.slice(0, MAX_THREAD_SUBSCRIPTIONS)) {
        socket.send({ type: 'subscribe', channel: 'thread', threadId: thread.thread.id });
      }
      await socket.expectNothing((m) => m.type === 'error');
      const last = threads.at(-1)!.thread.id;
      await socket.subscribe({ channel: 'thread', threadId: last });
      await socket.waitFor((m) => m.type === 'error', 'error for one subscription too many');
      // The first twenty still deliver; the refused one does not.
      await replyTo(t, alice, threads[0]!.thread.id);
      await socket.nextLive('post.created', (e) => e.threadId === threads[0]!.thread.id);
      await replyTo(t, alice, last);
      await socket.expectNothing(
        (m) => m.type === 'live' && m.event.type === 'post.created' && m.event.threadId === last,
      );
      // Unsubscribing frees a slot.
      socket.send({ type: 'unsubscribe', channel: 'thread', threadId: threads[1]!.thread.id });
      await socket.subscribe({ channel: 'thread', threadId: last });
      await socket.expectNothing((m) => m.type === 'error');
    });

    it('answers a second hello with an error, replaying nothing twice', async () => {
      const socket = await t.connectAs(alice);
      socket.send({ type: 'hello', lastSeq: 0 });
      await socket.waitFor((m) => m.type === 'error', 'error for a second hello');
      await socket.expectNothing();
    });

    it('closes a socket that keeps sending garbage with POLICY (slowly enough for the message rate)', async () => {
      const socket = await t.connectAs(bruno);
      for (let i = 0; i < 25 && socket.isOpen; i++) socket.send('garbage');
      expect((await socket.closesWithin(2000)).code).toBe(CLOSE_CODES.POLICY);
      expect(socket.received.filter((m) => m.type === 'error').length).toBeGreaterThanOrEqual(20);
    });

    it('closes a socket that sends faster than REALTIME_MESSAGES_PER_SECOND allows with POLICY', async () => {
      const socket = await t.connectAs(bruno);
      const burst = t.config.REALTIME_MESSAGES_PER_SECOND * 3;
      for (let i = 0; i < burst + 10 && socket.isOpen; i++) socket.send({ type: 'ping' });
      expect((await socket.closesWithin(2000)).code).toBe(CLOSE_CODES.POLICY);
      expect(socket.received.filter((m) => m.type === 'pong').length).toBeLessThanOrEqual(burst);
    });

    it('stops live events after unsubscribe', async () => {
      const { thread } = await startThread(t, alice);
      const socket = await t.connectAs(mod);
      await socket.subscribe({ channel: 'thread', threadId: thread.id });
      await replyTo(t, alice, thread.id);
      await socket.nextLive('post.created', (e) => e.threadId === thread.id);
      socket.send({ type: 'unsubscribe', channel: 'thread', threadId: thread.id });
      await socket.sync();
      await replyTo(t, alice, thread.id);
      await socket.expectNothing((m) => m.type === 'live');
    });
  });

  describe('an applicant', () => {
    it('may connect, but is refused subscriptions to threads and hears nothing of the forum', async () => {
      const a = await applicant(t, 'submitted');
      const socket = await t.connectAs(a);
      socket.send({ type: 'subscribe', channel: 'threads' });
      await socket.waitFor((m) => m.type === 'error', 'error for threads');
      const { thread } = await startThread(t, alice, { jurisdictions: ['KE'] });
      socket.send({ type: 'subscribe', channel: 'thread', threadId: thread.id });
      await socket.waitFor((m) => m.type === 'error', 'error for a thread');
      // Tries to follow the thread and its tags through the API too (refused there already).
      for (const url of [`/api/follows/thread/${thread.id}`, '/api/follows/jurisdiction/KE']) {
        const res = await t.request({ method: 'PUT', url, cookie: a.cookie });
        expect(res.statusCode, url).toBe(403);
      }
      const applicantName = usernameOf(t, a);
      await replyTo(t, alice, thread.id, undefined, `Could @${applicantName} tell us more?`);
      await startThread(t, bruno, { jurisdictions: ['KE'] });
      await socket.expectNothing(undefined, 300);
      expect(await unread(a)).toBe(0);
    });

    it('hears of their own application: a request for information, then the approval (and the socket closes as the role changes)', async () => {
      const a = await applicant(t, 'submitted');
      const socket = await t.connectAs(a);
      const ask = await t.request({
        method: 'POST',
        url: `/api/vetting/applications/${a.applicationId}/request-info`,
        cookie: mod.cookie,
        body: { question: 'Which court do you sit in?' },
      });
      expect(ask.statusCode, ask.body).toBe(200);
      const asked = await socket.nextEvent('notification.created');
      expect(asked.event.notification.kind).toBe('application_info_requested');
      expect(asked.event.unreadCount).toBe(await unread(a));
      const updated = await socket.nextEvent('application.updated');
      expect(updated.event).toEqual({
        type: 'application.updated',
        applicationId: a.applicationId,
        status: 'info_requested',
      });

      const answer = await t.request({
        method: 'POST',
        url: '/api/application/answer',
        cookie: a.cookie,
        body: { answer: 'The High Court in Nairobi.' },
      });
      expect(answer.statusCode, answer.body).toBe(200);
      const approve = await t.request({
        method: 'POST',
        url: `/api/vetting/applications/${a.applicationId}/approve`,
        cookie: mod.cookie,
        body: {},
      });
      expect(approve.statusCode, approve.body).toBe(200);
      // The approval makes the applicant a member: events stored first, then the socket closes
      // with ACCOUNT_CHANGED. Whatever was not delivered before the close is replayed.
      const closed = await socket.closesWithin(CLOSE_WITHIN_MS);
      expect(closed.code).toBe(CLOSE_CODES.ACCOUNT_CHANGED);
      const again = await t.connectAs(a, updated.seq);
      const replayed = await again.replayed();
      const kinds = replayed.map((m) => m.event.type);
      expect(kinds).toContain('application.updated');
      expect(kinds).toContain('notification.created');
      expect(replayed).toContainEqual(
        expect.objectContaining({
          event: { type: 'application.updated', applicationId: a.applicationId, status: 'approved' },
        }),
      );
      expect(replayed).toContainEqual(
        expect.objectContaining({
          event: expect.objectContaining({
            type: 'notification.created',
            notification: expect.objectContaining({ kind: 'application_approved' }),
          }),
        }),
      );
      // A member now: the same session may follow the forum.
      await again.subscribe({ channel: 'threads' });
      await again.expectNothing((m) => m.type === 'error');
    });
  });

  describe('when the session or the account changes', () => {
    /** Each case signs in twice: one socket per session, to see that only the right one closes. */
    const twoSessions = async () => {
      const who = await member(t);
      const other = { ...who, cookie: await t.loginAs(who.user) };
      const res = await t.request({ method: 'GET', url: '/api/account/sessions', cookie: who.cookie });
      const sessions = (res.json() as { sessions: { id: string; current: boolean }[] }).sessions;
      const current = sessions.find((s) => s.current)!.id;
      return { who, other, current, socket: await t.connectAs(who), otherSocket: await t.connectAs(other) };
    };

    it('closes the socket of a session revoked from another device with SIGNED_OUT, and only that one', async () => {
      const { who, other, current, socket, otherSocket } = await twoSessions();
      const res = await t.request({ method: 'DELETE', url: `/api/account/sessions/${current}`, cookie: other.cookie });
      expect(res.statusCode).toBe(204);
      expect((await socket.closesWithin(CLOSE_WITHIN_MS)).code).toBe(CLOSE_CODES.SIGNED_OUT);
      await otherSocket.sync();
      expect(otherSocket.isOpen).toBe(true);
      expect(await refusedWith(t.wsUrl, { cookie: who.cookie, origin: t.config.publicOrigin })).toBe(401);
    });

    it('closes the sockets of the other sessions on revoke-others, and keeps this one', async () => {
      const { who, socket, otherSocket } = await twoSessions();
      const res = await t.request({ method: 'POST', url: '/api/account/sessions/revoke-others', cookie: who.cookie });
      expect(res.statusCode).toBe(200);
      expect((await otherSocket.closesWithin(CLOSE_WITHIN_MS)).code).toBe(CLOSE_CODES.SIGNED_OUT);
      await socket.sync();
      expect(socket.isOpen).toBe(true);
    });

    it('closes the socket on sign-out with SIGNED_OUT', async () => {
      const { who, socket, otherSocket } = await twoSessions();
      const res = await t.request({ method: 'POST', url: '/api/auth/sign-out', cookie: who.cookie });
      expect(res.statusCode).toBe(204);
      expect((await socket.closesWithin(CLOSE_WITHIN_MS)).code).toBe(CLOSE_CODES.SIGNED_OUT);
      await otherSocket.sync();
      expect(otherSocket.isOpen).toBe(true);
    });

    it('closes every socket of a suspended member with SUSPENDED', async () => {
      const adm = await admin(t);
      const { who, socket, otherSocket } = await twoSessions();
      const res = await t.request({
        method: 'POST',
        url: `/api/admin/users/${who.user.id}/suspend`,
        cookie: adm.cookie,
        body: { reason: 'Under review.' },
      });
      expect(res.statusCode, res.body).toBe(200);
      const closes = await Promise.all([socket, otherSocket].map((s) => s.closesWithin(CLOSE_WITHIN_MS)));
      expect(closes.map((c) => c.code)).toEqual([CLOSE_CODES.SUSPENDED, CLOSE_CODES.SUSPENDED]);
    });

    it('closes the sockets of a member whose role changes with ACCOUNT_CHANGED; the session lives on', async () => {
      const adm = await admin(t);
      const { who, socket, otherSocket } = await twoSessions();
      const res = await t.request({
        method: 'PUT',
        url: `/api/admin/users/${who.user.id}/role`,
        cookie: adm.cookie,
        body: { role: 'moderator', reason: 'Joins the moderators.' },
      });
      expect(res.statusCode, res.body).toBe(200);
      const closes = await Promise.all([socket, otherSocket].map((s) => s.closesWithin(CLOSE_WITHIN_MS)));
      expect(closes.map((c) => c.code)).toEqual([CLOSE_CODES.ACCOUNT_CHANGED, CLOSE_CODES.ACCOUNT_CHANGED]);
      const again = await t.connectAs(who);
      await again.sync();
    });
  });

  describe('heartbeat', () => {
    it('pings the client at REALTIME_PING_MS and drops a client that never answers', async () => {
      const quick = await listenTestApp({ env: { REALTIME_PING_MS: '200' } });
      try {
        const who = await member(quick);
        const socket = await quick.connectAs(who);
        let pings = 0;
        socket.ws.on('ping', () => pings++);
        await new Promise((resolve) => setTimeout(resolve, 700));
        expect(pings).toBeGreaterThanOrEqual(2);
        expect(socket.isOpen).toBe(true);

        // A client whose pongs never come (a dead network path) is closed within a few intervals.
        const mute = await connect(quick.wsUrl, {
          cookie: who.cookie,
          origin: quick.config.publicOrigin,
          autoPong: false,
        });
        await mute.hello(null);
        const closed = await mute.closesWithin(2000);
        expect([CLOSE_CODES.HEARTBEAT_TIMEOUT, 1006]).toContain(closed.code);
        expect(socket.isOpen).toBe(true);
      } finally {
        await quick.close();
      }
    });
  });

  describe('limits', () => {
    it('refuses a socket past REALTIME_MAX_SOCKETS_PER_USER with 429, and accepts one again once a tab closes', async () => {
      const capped = await listenTestApp({ env: { REALTIME_MAX_SOCKETS_PER_USER: '2' } });
      try {
        const who = await member(capped);
        const other = await member(capped);
        const first = await capped.connectAs(who);
        await capped.connectAs(who);
        const options = { cookie: who.cookie, origin: capped.config.publicOrigin };
        expect(await refusedWith(capped.wsUrl, options)).toBe(429);
        await capped.connectAs(other); // the cap is per member
        first.close();
        await first.closed;
        await capped.connectAs(who);
      } finally {
        await capped.close();
      }
    });
  });

  describe('session expiry', () => {
    it('closes the socket when the session passes its idle timeout (checked against the clock)', async () => {
      const clocked = await listenTestApp();
      try {
        const who = await member(clocked);
        const socket = await clocked.connectAs(who);
        clocked.clock.advance(clocked.config.SESSION_IDLE_TIMEOUT_SECONDS * SECOND + DAY);
        expect((await socket.closesWithin(CLOSE_WITHIN_MS + 500)).code).toBe(CLOSE_CODES.SIGNED_OUT);
      } finally {
        await clocked.close();
      }
    });
  });
});
