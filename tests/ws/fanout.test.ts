/**
 * A reply in a thread with many followers: the writer's transaction stores one fan-out job and
 * answers; the worker then gives each follower exactly one notification with the right unread
 * count and a numbered event, a chunk per transaction, and a crash between the commit and the
 * fan-out (or in the middle of it) loses and repeats nothing. Followers are inserted straight
 * into the database (the server's test-support export); counts are checked for all of them with
 * one query, and for a sample through the API and their sockets. Real server, real SQLite file,
 * real `ws` clients. Nothing here is timed: the tests assert order and state.
 */
import { sessionTokenFor, insertThreadFollowers } from '@lexforum/server/test-support';
import { REDACTED_PLACEHOLDER, type ServerMessageOf } from '@lexforum/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { moderatePost, quickAdmin, quickMember, quickModerator, reply, thread } from '../helpers/moderation.js';
import { replyTo, startThread } from '../helpers/threads.js';
import { member, type Actor } from '../helpers/vetting.js';
import { listenTestApp, usernameOf, type ListeningTestApp } from '../helpers/ws.js';

type EventMessage = ServerMessageOf<'event'>;

/** Waits (without timing anything) until the worker has no job left. */
async function drained(t: TestApp): Promise<void> {
  for (let i = 0; i < 2000 && t.app.fanout.pending() > 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(t.app.fanout.pending()).toBe(0);
}

/** For each of `ids`, how many notifications about `postId` they have, as `count → members`. */
function notificationsPerMember(t: TestApp, ids: readonly string[], postId: string): Record<number, number> {
  const rows = t.handle.sqlite
    .prepare(
      `select n, count(*) as members from (
         select f.value as id, (select count(*) from notifications x where x.user_id = f.value and x.post_id = ?) as n
         from json_each(?) f)
       group by n`,
    )
    .all(postId, JSON.stringify(ids)) as { n: number; members: number }[];
  return Object.fromEntries(rows.map((r) => [r.n, r.members]));
}

/** Members of `ids` whose last stored event's unread count is not their unread count now. */
function wrongCounts(t: TestApp, ids: readonly string[]): number {
  return (
    t.handle.sqlite
      .prepare(
        `select count(*) as n from json_each(?) f
         where (select json_extract(e.payload, '$.unreadCount') from user_events e
                where e.user_id = f.value order by e.seq desc limit 1)
            is not (select count(*) from notifications x where x.user_id = f.value and x.read_at is null)`,
      )
      .get(JSON.stringify(ids)) as { n: number }
  ).n;
}

describe('Fan-out to 10,000 followers', () => {
  let t: ListeningTestApp;
  let alice: Actor;
  let bruno: Actor;
  let threadId: string;
  let followers: string[];

  beforeAll(async () => {
    t = await listenTestApp();
    alice = await member(t, { displayName: 'Alice Fournier' });
    bruno = await member(t, { displayName: 'Bruno Costa' });
    threadId = (await startThread(t, alice)).thread.id;
    followers = insertThreadFollowers(t.app.db, threadId, 10_000, t.clock.now());
  });
  afterAll(async () => t?.close());

  it('answers the writer first, then gives each follower exactly one notification with the right unread count', async () => {
    const [first, second] = followers;
    const cookie = (id: string) => `lexforum_session=${sessionTokenFor(t.app.db, id, t.clock.now())}`;
    const socket = await t.connectAs({ cookie: cookie(first!) } as Actor);

    t.app.fanout.pause();
    const post = await replyTo(t, bruno, threadId);
    // The POST has answered; the followers' notifications are still to be written.
    expect(t.app.fanout.pending()).toBe(1);
    expect(notificationsPerMember(t, followers, post.id)).toEqual({ 0: 10_000 });
    // The thread's author heard in the writer's transaction, once (a reply to her post, though she follows too).
    const own = t.handle.sqlite
      .prepare('select kind from notifications where post_id = ? and user_id = ?')
      .all(post.id, alice.user.id);
    expect(own).toEqual([{ kind: 'reply_to_post' }]);

    t.app.fanout.resume();
    await drained(t);
    expect(notificationsPerMember(t, followers, post.id)).toEqual({ 1: 10_000 });
    expect(
      t.handle.sqlite
        .prepare("select count(*) as n from notifications where post_id = ? and kind = 'reply_in_followed_thread'")
        .get(post.id),
    ).toEqual({
      n: 10_000,
    });
    // And the author, told in the writer's transaction, is not told again by the fan-out.
    expect(
      t.handle.sqlite
        .prepare('select kind from notifications where post_id = ? and user_id = ?')
        .all(post.id, alice.user.id),
    ).toEqual([{ kind: 'reply_to_post' }]);
    expect(wrongCounts(t, followers)).toBe(0);

    // Live, with its number and count; and through the API for a sample.
    const live = await socket.nextEvent(
      'notification.created',
      (e) => e.notification.link?.endsWith(`#post-${post.number}`) === true,
    );
    expect(live.event).toMatchObject({
      unreadCount: 1,
      desktop: false,
      notification: { kind: 'reply_in_followed_thread', threadId, subject: expect.any(String) },
    });
    expect(live.event.notification.actor).toEqual({ id: bruno.user.id, displayName: 'Bruno Costa' });
    expect(live.seq).toBe(socket.greeting!.seq + 1);
    for (const id of [first!, second!, followers.at(-1)!]) {
      const res = await t.request({ method: 'GET', url: '/api/notifications', cookie: cookie(id) });
      const body = res.json() as { unreadCount: number; notifications: { id: number; kind: string }[] };
      expect(body.unreadCount).toBe(1);
      expect(body.notifications.map((n) => n.kind)).toEqual(['reply_in_followed_thread']);
    }
    // What the socket got is what the REST list says.
    const listed = await t.request({ method: 'GET', url: '/api/notifications', cookie: cookie(first!) });
    expect((listed.json() as { notifications: unknown[] }).notifications[0]).toEqual(live.event.notification);
    socket.terminate();
  });
});

describe('Fan-out and reconnecting', () => {
  let t: ListeningTestApp;
  let alice: Actor;
  let bruno: Actor;
  let threadId: string;

  beforeAll(async () => {
    t = await listenTestApp();
    alice = await member(t, { displayName: 'Alice Fournier' });
    bruno = await member(t, { displayName: 'Bruno Costa' });
    threadId = (await startThread(t, bruno)).thread.id;
    // Enough followers for the replies to be fanned out after the commit, Alice among them.
    insertThreadFollowers(t.app.db, threadId, 300, t.clock.now());
    t.handle.sqlite
      .prepare("insert into follows (user_id, target, key, created_at) values (?, 'thread', ?, ?)")
      .run(alice.user.id, threadId, t.clock.now().getTime());
  });
  afterAll(async () => t?.close());

  it('a client that missed several replies gets them all on reconnect, once, in order', async () => {
    const witness = await t.connectAs(alice);
    const tab = await t.connectAs(alice);
    const lastSeq = tab.greeting!.seq;
    tab.terminate();

    const posts = [];
    for (let i = 0; i < 3; i++) posts.push(await replyTo(t, bruno, threadId));
    await drained(t);
    const live: EventMessage[] = [];
    for (const post of posts) {
      live.push(
        await witness.nextEvent(
          'notification.created',
          (e) => e.notification.link?.endsWith(`#post-${post.number}`) === true,
        ),
      );
    }

    const back = await t.connectAs(alice, lastSeq);
    expect(back.greeting).toMatchObject({ type: 'ready', seq: lastSeq + 3, replaying: 3 });
    const replayed = await back.replayed();
    expect(replayed.map((m) => m.seq)).toEqual([lastSeq + 1, lastSeq + 2, lastSeq + 3]);
    expect(replayed.map((m) => (m.event.type === 'notification.created' ? m.event.unreadCount : null))).toEqual([
      1, 2, 3,
    ]);
    // Exactly what the tab that stayed connected received, and nothing more.
    expect(replayed).toEqual(live);
    await back.expectNothing((m) => m.type === 'event');
    witness.terminate();
    back.terminate();
  });
});

describe('Fan-out and visibility', () => {
  let t: ListeningTestApp;

  beforeAll(async () => {
    t = await listenTestApp();
  });
  afterAll(async () => t?.close());

  it('a follower is told nothing of a reply hidden before its fan-out, live or on replay', async () => {
    const admin = await quickAdmin(t);
    const author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    const replier = await quickMember(t, 'FR', { displayName: 'Rita Replier' });
    const follower = await quickMember(t, 'FR', { displayName: 'Fiona Follower' });
    const threadId = (await thread(t, author)).thread.id;
    insertThreadFollowers(t.app.db, threadId, 200, t.clock.now());
    t.handle.sqlite
      .prepare("insert into follows (user_id, target, key, created_at) values (?, 'thread', ?, ?)")
      .run(follower.user.id, threadId, t.clock.now().getTime());
    const live = await t.connectAs(follower);
    const lastSeq = live.greeting!.seq;

    t.app.fanout.pause();
    const word = `Zebulon${Math.random().toString(36).slice(2, 8)}`;
    const hidden = await reply(t, replier, threadId, `The witness is ${word}, who lives nearby.`);
    expect((await moderatePost(t, admin, hidden.id, 'hide')).statusCode).toBe(200);
    const kept = await reply(t, replier, threadId, 'A reply that stays.');
    t.app.fanout.resume();
    await drained(t);

    // The hidden reply's fan-out writes nothing (as the writer's own path tells nobody about a
    // post out of view): the follower's next event is the kept reply's notification.
    const first = await live.waitFor<EventMessage>((m) => m.type === 'event', 'the first event');
    expect(first.seq).toBe(lastSeq + 1);
    expect(first.event).toMatchObject({ type: 'notification.created', unreadCount: 1 });
    const told = t.handle.sqlite
      .prepare("select count(*) as n from notifications where post_id = ? and kind = 'reply_in_followed_thread'")
      .get(hidden.id) as { n: number };
    expect(told.n).toBe(0);

    const back = await t.connectAs(follower, lastSeq);
    const replayed = await back.replayed();
    expect(replayed).toEqual([first]);
    await back.sync();
    expect(JSON.stringify([...live.received, ...back.received])).not.toContain(word);
    expect(first.event.type === 'notification.created' && first.event.notification.link).toBe(
      `/threads/${threadId}#post-${kept.number}`,
    );
    live.terminate();
    back.terminate();
  });
});

describe('Fan-out and edits', () => {
  let t: ListeningTestApp;

  beforeAll(async () => {
    t = await listenTestApp();
  });
  afterAll(async () => t?.close());

  it('a follower mentioned by an edit while the fan-out is pending gets one notification, the mention', async () => {
    const author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    const replier = await quickMember(t, 'FR', { displayName: 'Rita Replier' });
    const follower = await quickMember(t, 'FR', { displayName: 'Fiona Follower' });
    const threadId = (await thread(t, author)).thread.id;
    insertThreadFollowers(t.app.db, threadId, 150, t.clock.now());
    t.handle.sqlite
      .prepare("insert into follows (user_id, target, key, created_at) values (?, 'thread', ?, ?)")
      .run(follower.user.id, threadId, t.clock.now().getTime());

    t.app.fanout.pause();
    const posted = await reply(t, replier, threadId, 'A reply that will name someone.');
    const edited = await t.request({
      method: 'PATCH',
      url: `/api/posts/${posted.id}`,
      cookie: replier.cookie,
      body: { body: `Over to you, @${usernameOf(t, follower)}.`, version: 1 },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    t.app.fanout.resume();
    await drained(t);

    const kinds = t.handle.sqlite
      .prepare('select kind from notifications where post_id = ? and user_id = ?')
      .pluck()
      .all(posted.id, follower.user.id);
    expect(kinds).toEqual(['mention']);
  });
});

describe('Fan-out and redaction', () => {
  let t: ListeningTestApp;

  beforeAll(async () => {
    t = await listenTestApp();
  });
  afterAll(async () => t?.close());

  it('a redaction made while a fan-out is pending reaches the followers notified after it', async () => {
    const ADDRESS = '7 chemin des Saules, 33000 Bordeaux';
    const author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    const moderator = await quickModerator(t, ['FR'], { displayName: 'Fabienne Moderator' });
    const threadId = (await startThread(t, author, { jurisdictions: ['FR'] })).thread.id;
    const followers = insertThreadFollowers(t.app.db, threadId, 150, t.clock.now());

    t.app.fanout.pause();
    const post = await replyTo(t, author, threadId, undefined, `The witness was seen leaving ${ADDRESS} that night.`);
    const res = await t.request({
      method: 'POST',
      url: `/api/posts/${post.id}/redactions`,
      cookie: moderator.cookie,
      body: { kind: 'span', text: ADDRESS, reason: 'Home address of a witness.' },
    });
    expect(res.statusCode, res.body).toBe(201);
    t.app.fanout.resume();
    await drained(t);

    expect(notificationsPerMember(t, followers, post.id)).toEqual({ 1: 150 });
    const bodies = t.handle.sqlite
      .prepare("select distinct body from notifications where post_id = ? and kind = 'reply_in_followed_thread'")
      .pluck()
      .all(post.id) as string[];
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain(REDACTED_PLACEHOLDER);
    expect(bodies[0]).not.toContain('Saules');
  });
});

describe('Fan-out after a crash', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lexforum-fanout-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a job left by a crash, before or in the middle of the fan-out, is finished at the next start, once per follower', async () => {
    const database = join(dir, 'forum.db');
    let t = await buildTestApp({ database });
    const alice = await member(t, { displayName: 'Alice Fournier' });
    const bruno = await member(t, { displayName: 'Bruno Costa' });
    const threadId = (await startThread(t, alice)).thread.id;
    const followers = insertThreadFollowers(t.app.db, threadId, 1200, t.clock.now());

    // Two replies committed; the worker does one chunk of the first, then the server goes away.
    t.app.fanout.pause();
    const first = await replyTo(t, bruno, threadId);
    const second = await replyTo(t, bruno, threadId);
    expect(t.app.fanout.step()).toBe(true);
    expect(notificationsPerMember(t, followers, first.id)).toEqual({ 0: 700, 1: 500 });
    await t.close();

    t = await buildTestApp({ database });
    await drained(t);
    expect(notificationsPerMember(t, followers, first.id)).toEqual({ 1: 1200 });
    expect(notificationsPerMember(t, followers, second.id)).toEqual({ 1: 1200 });
    expect(wrongCounts(t, followers)).toBe(0);
    // Each follower's events are numbered 1, 2 with no gap or repeat.
    const seqs = t.handle.sqlite
      .prepare(
        `select count(*) as n from json_each(?) f
         where (select group_concat(seq) from (select seq from user_events where user_id = f.value order by seq)) = '1,2'`,
      )
      .get(JSON.stringify(followers)) as { n: number };
    expect(seqs.n).toBe(1200);
    await t.close();
  });
});
