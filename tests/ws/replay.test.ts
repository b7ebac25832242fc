/**
 * Never miss an event: a member's user events carry increasing sequence numbers; a client that
 * reconnects with the last one it saw gets exactly what it missed, in order, no gaps, no
 * duplicates, identical to what a tab that stayed connected received; past the retained window
 * (REALTIME_REPLAY_EVENTS per member, REALTIME_REPLAY_DAYS) it is told to resynchronise instead.
 * Real server on a free port, real SQLite file, real `ws` clients.
 */
import type { ServerMessageOf } from '@lexforum/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../helpers/app.js';
import { replyTo, startThread } from '../helpers/threads.js';
import { member, type Actor } from '../helpers/vetting.js';
import { connect, listenTestApp, usernameOf, type ListeningTestApp, type TestSocket } from '../helpers/ws.js';

/** Small windows, so that the tests can cross them. */
const REPLAY_EVENTS = 5;
const REPLAY_DAYS = 1;

type EventMessage = ServerMessageOf<'event'>;

describe('Realtime replay', () => {
  let t: ListeningTestApp;
  let alice: Actor;
  let bruno: Actor;
  let threadId: string;
  /** A tab of Alice's that never disconnects: what she should have seen. */
  let witness: TestSocket;

  beforeAll(async () => {
    t = await listenTestApp({
      env: { REALTIME_REPLAY_EVENTS: String(REPLAY_EVENTS), REALTIME_REPLAY_DAYS: String(REPLAY_DAYS) },
    });
    alice = await member(t, { displayName: 'Alice Fournier' });
    bruno = await member(t, { displayName: 'Bruno Costa' });
    threadId = (await startThread(t, alice)).thread.id;
    witness = await t.connectAs(alice);
  });
  afterAll(async () => t?.close());
  // Each test counts the witness's events from its own start: whatever an earlier one left is dropped.
  beforeEach(async () => {
    await witness.sync();
    witness.take();
  });

  const unread = async (who: Actor) => {
    const res = await t.request({ method: 'GET', url: '/api/notifications', cookie: who.cookie });
    return (res.json() as { unreadCount: number }).unreadCount;
  };

  /** One user event for Alice: Bruno answers her opening post (reply_to_post). */
  const oneEventForAlice = () => replyTo(t, bruno, threadId);

  /** Alice's current seq, from a fresh hello. */
  const currentSeq = async (): Promise<number> => {
    const socket = await t.connectAs(alice);
    const seq = socket.greeting!.seq;
    socket.terminate();
    return seq;
  };

  /** Waits until the witness has `n` new events and returns them. */
  const witnessed = async (n: number): Promise<EventMessage[]> => {
    const events: EventMessage[] = [];
    for (let i = 0; i < n; i++) events.push(await witness.waitFor<EventMessage>((m) => m.type === 'event'));
    return events;
  };

  it('starts a fresh client at the current seq with nothing replayed', async () => {
    await oneEventForAlice();
    const [seen] = await witnessed(1);
    const socket = await t.connectAs(alice, null);
    expect(socket.greeting).toEqual({ type: 'ready', seq: seen!.seq, unreadCount: await unread(alice), replaying: 0 });
    await socket.expectNothing();
  });

  it("replays a notification stored before notifications were data in today's shape (legacyTitle)", async () => {
    const lastSeq = await currentSeq();
    await oneEventForAlice();
    const [seen] = await witnessed(1);
    // As the server stored pushes before migration 0009: an English title, no subject or params.
    const row = t.handle.sqlite
      .prepare('select payload from user_events where seq = ? and user_id = ?')
      .get(seen!.seq, alice.user.id) as { payload: string };
    const stored = JSON.parse(row.payload) as { notification: Record<string, unknown> };
    const { subject: _subject, params: _params, legacyTitle: _legacy, ...old } = stored.notification;
    stored.notification = { ...old, title: 'Bruno Costa replied to your post in “Old thread”' };
    t.handle.sqlite
      .prepare('update user_events set payload = ? where seq = ? and user_id = ?')
      .run(JSON.stringify(stored), seen!.seq, alice.user.id);

    const again = await t.connectAs(alice, lastSeq);
    const [replayed] = await again.replayed();
    expect(replayed!.event).toMatchObject({
      type: 'notification.created',
      notification: {
        kind: 'reply_to_post',
        subject: null,
        params: {},
        legacyTitle: 'Bruno Costa replied to your post in “Old thread”',
      },
    });
    expect(replayed!.event.type === 'notification.created' && 'title' in replayed!.event.notification).toBe(false);
    again.terminate();
  });

  it('replays exactly the missed events, in order, as a connected tab received them, then goes on live', async () => {
    const first = await t.connectAs(alice);
    const lastSeq = first.greeting!.seq;
    first.close();
    await first.closed;

    // Four events of three kinds: two replies, a mention (from a reply), and a read.
    await oneEventForAlice();
    await oneEventForAlice();
    const aliceName = usernameOf(t, alice);
    await replyTo(t, bruno, (await startThread(t, bruno)).thread.id, undefined, `What does @${aliceName} think?`);
    const readAll = await t.request({ method: 'POST', url: '/api/notifications/read-all', cookie: alice.cookie });
    expect(readAll.statusCode).toBe(200);
    const missed = await witnessed(4);
    expect(missed.map((m) => m.seq)).toEqual([lastSeq + 1, lastSeq + 2, lastSeq + 3, lastSeq + 4]);
    expect(missed.map((m) => m.event.type)).toEqual([
      'notification.created',
      'notification.created',
      'notification.created',
      'notification.read',
    ]);

    const again = await t.connectAs(alice, lastSeq);
    expect(again.greeting).toEqual({ type: 'ready', seq: lastSeq + 4, unreadCount: 0, replaying: 4 });
    expect(await again.replayed()).toEqual(missed);
    await again.expectNothing(); // no duplicates, nothing else

    await oneEventForAlice();
    const [live] = await witnessed(1);
    const next = await again.waitFor<EventMessage>((m) => m.type === 'event');
    expect(next).toEqual(live);
    expect(next.seq).toBe(lastSeq + 5);
    expect(next.event).toMatchObject({ type: 'notification.created', unreadCount: await unread(alice) });
  });

  it('replays nothing to a client that is up to date', async () => {
    const seq = await currentSeq();
    const socket = await t.connectAs(alice, seq);
    expect(socket.greeting).toMatchObject({ type: 'ready', seq, replaying: 0 });
    await socket.expectNothing();
  });

  it(`replays a gap of exactly ${REPLAY_EVENTS} events, and resyncs one of ${REPLAY_EVENTS + 1}`, async () => {
    const lastSeq = await currentSeq();
    for (let i = 0; i < REPLAY_EVENTS + 1; i++) await oneEventForAlice();
    const missed = await witnessed(REPLAY_EVENTS + 1);

    const within = await t.connectAs(alice, lastSeq + 1);
    expect(within.greeting).toMatchObject({
      type: 'ready',
      seq: lastSeq + REPLAY_EVENTS + 1,
      replaying: REPLAY_EVENTS,
    });
    expect(await within.replayed()).toEqual(missed.slice(1));

    const beyond = await t.connectAs(alice, lastSeq);
    expect(beyond.greeting).toEqual({
      type: 'resync',
      seq: lastSeq + REPLAY_EVENTS + 1,
      unreadCount: await unread(alice),
    });
    await beyond.expectNothing((m) => m.type === 'event');
    // After a resync the client continues from the seq it was given.
    await oneEventForAlice();
    const next = await beyond.waitFor<EventMessage>((m) => m.type === 'event');
    expect(next.seq).toBe(lastSeq + REPLAY_EVENTS + 2);
  });

  it('resyncs a client that claims a seq the server never gave', async () => {
    const seq = await currentSeq();
    const socket = await t.connectAs(alice, seq + 1);
    expect(socket.greeting).toEqual({ type: 'resync', seq, unreadCount: await unread(alice) });
    const far = await t.connectAs(alice, 2 ** 40);
    expect(far.greeting).toMatchObject({ type: 'resync', seq });
  });

  it("never replays another member's events", async () => {
    const brunoSeq = (await t.connectAs(bruno)).greeting!.seq;
    const lastSeq = await currentSeq();
    await replyTo(t, alice, threadId); // Bruno follows the thread: an event for him, none for Alice
    await oneEventForAlice(); // and one for Alice
    const [mine] = await witnessed(1);
    const again = await t.connectAs(alice, lastSeq);
    expect(await again.replayed()).toEqual([mine]);
    const brunoAgain = await t.connectAs(bruno, brunoSeq);
    // His own reply told him nothing; Alice's, in a thread he follows, did.
    expect((await brunoAgain.replayed()).map((m) => m.event)).toEqual([
      expect.objectContaining({
        type: 'notification.created',
        notification: expect.objectContaining({
          kind: 'reply_in_followed_thread',
          actor: expect.objectContaining({ id: alice.user.id }),
        }),
      }),
    ]);
  });

  it('delivers each event once, in order, when writes race the hello', async () => {
    const lastSeq = await currentSeq();
    await oneEventForAlice();
    // A new socket says hello from `lastSeq` while three more replies are written concurrently.
    const racing = await connect(t.wsUrl, { cookie: alice.cookie, origin: t.config.publicOrigin });
    racing.send({ type: 'hello', lastSeq });
    await Promise.all([oneEventForAlice(), oneEventForAlice(), oneEventForAlice()]);
    const all = await witnessed(4);
    const finalSeq = all.at(-1)!.seq;
    expect(finalSeq).toBe(lastSeq + 4);
    await racing.waitFor((m) => m.type === 'event' && m.seq === finalSeq, `event ${finalSeq}`);
    await new Promise((resolve) => setTimeout(resolve, 200)); // lets any duplicate arrive
    await racing.sync();
    const seqs = racing.received.filter((m): m is EventMessage => m.type === 'event').map((m) => m.seq);
    expect(seqs).toEqual([lastSeq + 1, lastSeq + 2, lastSeq + 3, lastSeq + 4]);
    const ready = racing.received.find((m) => m.type === 'ready');
    expect(ready).toBeDefined();
    // Whatever the ready announced as replay came before anything live.
    expect(racing.received.indexOf(ready!)).toBeLessThan(racing.received.findIndex((m) => m.type === 'event'));
  });

  describe(`after ${REPLAY_DAYS} day(s)`, () => {
    it('resyncs a client whose first missed event is older than the window, and replays one whose gap is newer', async () => {
      const lastSeq = await currentSeq();
      await oneEventForAlice(); // lastSeq + 1, at the start
      t.clock.advance(REPLAY_DAYS * DAY - 2 * HOUR);
      await oneEventForAlice(); // lastSeq + 2, inside the window at the end
      const [, second] = await witnessed(2);
      t.clock.advance(4 * HOUR);

      const old = await t.connectAs(alice, lastSeq);
      expect(old.greeting).toEqual({ type: 'resync', seq: lastSeq + 2, unreadCount: await unread(alice) });
      await old.expectNothing((m) => m.type === 'event');

      const recent = await t.connectAs(alice, lastSeq + 1);
      expect(recent.greeting).toMatchObject({ type: 'ready', seq: lastSeq + 2, replaying: 1 });
      expect(await recent.replayed()).toEqual([second]);
    });
  });
});
