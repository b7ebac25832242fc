/**
 * Notifications and live threads over the socket: who a reply, a mention or a new tagged thread
 * notifies (one notification per member per post, never the author, the kinds by priority), what
 * thread and thread-list subscribers see, the unread count every push carries (always the API's),
 * reading in one tab clearing the others, and per-kind preferences. Real server on a free port,
 * real SQLite file, real `ws` clients; users are made once for the file.
 */
import {
  DEFAULT_NOTIFICATION_CHANNELS,
  notificationKindsFor,
  type Notification,
  type ServerMessageOf,
} from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyTo, startThread } from '../helpers/threads.js';
import { admin, applicant, member, moderator, type Actor } from '../helpers/vetting.js';
import { isEvent, listenTestApp, usernameOf, type ListeningTestApp, type TestSocket } from '../helpers/ws.js';

type EventMessage = ServerMessageOf<'event'>;

describe('Notifications over the socket', () => {
  let t: ListeningTestApp;
  let anna: Actor; // starts threads
  let ben: Actor; // replies
  let cleo: Actor; // replied earlier, so follows
  let dan: Actor; // follows nothing; watches threads live
  let eve: Actor; // follows threads and tags explicitly
  let fay: Actor; // follows nothing, gets mentioned
  let mod: Actor;

  beforeAll(async () => {
    t = await listenTestApp();
    anna = await member(t, { displayName: 'Anna Berg' });
    ben = await member(t, { displayName: 'Ben Okafor' });
    cleo = await member(t, { displayName: 'Cleo Martin' });
    dan = await member(t, { displayName: 'Dan Rossi' });
    eve = await member(t, { displayName: 'Eve Laurent' });
    fay = await member(t, { displayName: 'Fay Nguyen' });
    mod = await moderator(t, ['KE'], { displayName: 'Mo Derator' });
  });
  afterAll(async () => t?.close());

  const call = async (who: Actor, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const res = await t.request({ method, url, cookie: who.cookie, ...(body !== undefined ? { body } : {}) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json() as Record<string, unknown>;
  };
  const notificationsOf = async (who: Actor) =>
    (await call(who, 'GET', '/api/notifications')) as unknown as {
      notifications: Notification[];
      unreadCount: number;
    };
  const unread = async (who: Actor) => (await notificationsOf(who)).unreadCount;
  const follow = (who: Actor, target: string, key: string) => call(who, 'PUT', `/api/follows/${target}/${key}`);
  const unfollow = (who: Actor, target: string, key: string) => call(who, 'DELETE', `/api/follows/${target}/${key}`);
  const setPreference = (who: Actor, kind: string, channel: string) =>
    call(who, 'PUT', '/api/notifications/preferences', { preferences: [{ kind, channel }] });

  /** The next notification.created on `socket`, checked against the API's unread count. */
  const nextNotification = async (socket: TestSocket, who: Actor) => {
    const message = await socket.nextEvent('notification.created');
    expect(message.event.unreadCount, 'the pushed unread count is the API one').toBe(await unread(who));
    return message;
  };
  const noNotification = (socket: TestSocket) => socket.expectNothing(isEvent('notification.created'));

  describe('a reply', () => {
    it('notifies the replied-to author and the followers once each, pushes the post to subscribers, and tells no one else', async () => {
      const { thread, posts } = await startThread(t, anna);
      const cleoPost = await replyTo(t, cleo, thread.id, posts[0]!.id);
      await follow(eve, 'thread', thread.id);

      const sockets = {
        anna: await t.connectAs(anna),
        ben: await t.connectAs(ben),
        cleo: await t.connectAs(cleo),
        dan: await t.connectAs(dan),
        eve: await t.connectAs(eve),
        fay: await t.connectAs(fay),
      };
      await sockets.dan.subscribe({ channel: 'thread', threadId: thread.id });
      await sockets.dan.subscribe({ channel: 'threads' });
      await sockets.ben.subscribe({ channel: 'thread', threadId: thread.id });
      const before = { dan: await unread(dan), fay: await unread(fay), ben: await unread(ben) };

      const reply = await replyTo(t, ben, thread.id, cleoPost.id, 'I agree with Cleo on the second point.');

      // Cleo was answered; Anna (the thread's author) and Eve follow the thread.
      const toCleo = await nextNotification(sockets.cleo, cleo);
      // As data: the thread's title as its author wrote it, the excerpt verbatim, no English sentence.
      expect(toCleo.event.notification).toMatchObject({
        kind: 'reply_to_post',
        subject: thread.title,
        params: {},
        legacyTitle: null,
        body: 'I agree with Cleo on the second point.',
        threadId: thread.id,
        actor: { id: ben.user.id, displayName: 'Ben Okafor' },
        readAt: null,
      });
      expect(toCleo.event.notification.link).toContain(thread.id);
      expect((await nextNotification(sockets.anna, anna)).event.notification).toMatchObject({
        kind: 'reply_in_followed_thread',
        threadId: thread.id,
      });
      expect((await nextNotification(sockets.eve, eve)).event.notification).toMatchObject({
        kind: 'reply_in_followed_thread',
        threadId: thread.id,
      });

      // The subscriber reads the post as he would through the API, the author as his own.
      const live = await sockets.dan.nextLive('post.created', (e) => e.post.id === reply.id);
      expect(live).toMatchObject({ threadId: thread.id, postCount: 3, replyCount: 2 });
      expect(live.lastPoster).toEqual({ id: ben.user.id, displayName: 'Ben Okafor' });
      expect(live.post).toEqual({ ...reply, canEdit: false, canReport: true });
      const own = await sockets.ben.nextLive('post.created', (e) => e.post.id === reply.id);
      expect(own.post).toEqual(reply);
      expect(own.post.canEdit).toBe(true);
      const activity = await sockets.dan.nextLive('thread.activity', (e) => e.threadId === thread.id);
      expect(activity).toMatchObject({ postCount: 3, replyCount: 2, lastPoster: { id: ben.user.id } });

      // Exactly one each; nothing for the author of the reply, the non-followers, or unsubscribed live.
      for (const socket of Object.values(sockets)) await noNotification(socket);
      await sockets.anna.expectNothing((m) => m.type === 'live');
      await sockets.cleo.expectNothing((m) => m.type === 'live');
      expect({ dan: await unread(dan), fay: await unread(fay), ben: await unread(ben) }).toEqual(before);

      // Unfollowing stops them.
      await unfollow(eve, 'thread', thread.id);
      await replyTo(t, ben, thread.id);
      await nextNotification(sockets.anna, anna);
      await noNotification(sockets.eve);
    });
  });

  describe('a suspended member', () => {
    it('is told nothing of replies in threads or tags they follow', async () => {
      const adm = await admin(t);
      const away = await member(t, { displayName: 'Sam Suspended' });
      const { thread } = await startThread(t, anna);
      await follow(away, 'thread', thread.id);
      await follow(away, 'jurisdiction', 'BR');
      await call(adm, 'POST', `/api/admin/users/${away.user.id}/suspend`, { reason: 'Under review.' });
      await replyTo(t, ben, thread.id);
      await startThread(t, ben, { jurisdictions: ['BR'] });
      const stored = t.handle.sqlite
        .prepare('select count(*) as n from notifications where user_id = ?')
        .get(away.user.id) as {
        n: number;
      };
      const events = t.handle.sqlite
        .prepare('select count(*) as n from user_events where user_id = ?')
        .get(away.user.id) as {
        n: number;
      };
      expect([stored.n, events.n]).toEqual([0, 0]);
    });
  });

  describe('unread counts', () => {
    it('every push carries the API count, through replies, reading one, reading the thread and reading all; every tab hears of it', async () => {
      const reader = await member(t, { displayName: 'Rita Reader' });
      const tab1 = await t.connectAs(reader);
      const tab2 = await t.connectAs(reader);
      const { thread, posts } = await startThread(t, reader);
      const other = await startThread(t, reader);

      const created: Notification[] = [];
      for (const [threadId, parent] of [
        [thread.id, posts[0]!.id],
        [thread.id, posts[0]!.id],
        [other.thread.id, other.posts[0]!.id],
        [thread.id, posts[0]!.id],
      ] as const) {
        await replyTo(t, ben, threadId, parent);
        const one = await nextNotification(tab1, reader);
        const two = await tab2.nextEvent('notification.created');
        expect(two).toEqual(one);
        created.push(one.event.notification);
      }
      expect(await unread(reader)).toBe(4);

      const expectRead = async (ids: number[] | null, unreadCount: number) => {
        for (const tab of [tab1, tab2]) {
          const read = await tab.nextEvent('notification.read');
          expect(read.event).toEqual({
            type: 'notification.read',
            ids: ids === null ? null : expect.arrayContaining(ids),
            unreadCount,
          });
          if (ids !== null) expect(read.event.ids).toHaveLength(ids.length);
        }
        expect(await unread(reader)).toBe(unreadCount);
      };

      // One notification read.
      await call(reader, 'POST', `/api/notifications/${created[0]!.id}/read`);
      await expectRead([created[0]!.id], 3);
      // Reading it again changes nothing, so nothing is pushed (or at least no wrong count).
      await call(reader, 'POST', `/api/notifications/${created[0]!.id}/read`);
      for (const tab of [tab1, tab2]) {
        const extra = tab.take(isEvent('notification.read'));
        for (const m of extra) expect((m as EventMessage).event).toMatchObject({ unreadCount: 3 });
      }

      // Reading the thread to its end marks its notifications read; the other thread's stays.
      const page = await call(reader, 'GET', `/api/threads/${thread.id}`);
      const lastNumber = Math.max(...(page['posts'] as { number: number }[]).map((p) => p.number));
      await call(reader, 'PUT', `/api/threads/${thread.id}/read`, { lastReadNumber: lastNumber });
      await expectRead([created[1]!.id, created[3]!.id], 1);

      // Someone else's notification: 404, and no push to anyone.
      const res = await t.request({
        method: 'POST',
        url: `/api/notifications/${created[2]!.id}/read`,
        cookie: ben.cookie,
      });
      expect(res.statusCode).toBe(404);
      await tab1.expectNothing(isEvent('notification.read'));

      await call(reader, 'POST', '/api/notifications/read-all');
      await expectRead(null, 0);

      // A tab that connects now starts from the same count.
      const tab3 = await t.connectAs(reader);
      expect(tab3.greeting).toMatchObject({ unreadCount: 0 });
    });
    it('reading a thread part of the way marks read only the notifications about posts up to there', async () => {
      const reader = await member(t, { displayName: 'Paula Partial' });
      const { thread, posts } = await startThread(t, reader);
      const tab = await t.connectAs(reader);
      const early = await replyTo(t, ben, thread.id, posts[0]!.id);
      const first = await nextNotification(tab, reader);
      const late = await replyTo(t, ben, thread.id, posts[0]!.id);
      const second = await nextNotification(tab, reader);
      expect([early.number, late.number]).toEqual([2, 3]);

      await call(reader, 'PUT', `/api/threads/${thread.id}/read`, { lastReadNumber: early.number });
      const read = await tab.nextEvent('notification.read');
      expect(read.event).toEqual({ type: 'notification.read', ids: [first.event.notification.id], unreadCount: 1 });
      expect(await unread(reader)).toBe(1);
      const left = (await notificationsOf(reader)).notifications.filter((n) => !n.readAt);
      expect(left.map((n) => n.id)).toEqual([second.event.notification.id]);
      // Reading no further than before changes nothing and pushes nothing.
      await call(reader, 'PUT', `/api/threads/${thread.id}/read`, { lastReadNumber: early.number });
      await tab.expectNothing(isEvent('notification.read'));
    });
  });

  describe('mentions', () => {
    it('notify the mentioned member once, as a mention, even one who follows the thread or was replied to', async () => {
      const { thread, posts } = await startThread(t, anna);
      await replyTo(t, cleo, thread.id); // Cleo now follows the thread
      const sockets = { anna: await t.connectAs(anna), cleo: await t.connectAs(cleo), fay: await t.connectAs(fay) };

      // Ben answers Anna's post and names all three: each gets one notification, of kind mention.
      const body = `As @${usernameOf(t, cleo)} and @${usernameOf(t, fay)} said, and @${usernameOf(t, anna)} asked: yes. Thanks @${usernameOf(t, cleo)}!`;
      const reply = await replyTo(t, ben, thread.id, posts[0]!.id, body);
      for (const [who, socket] of [
        [anna, sockets.anna],
        [cleo, sockets.cleo],
        [fay, sockets.fay],
      ] as const) {
        const message = await nextNotification(socket, who);
        expect(message.event.notification).toMatchObject({
          kind: 'mention',
          threadId: thread.id,
          actor: { id: ben.user.id },
        });
        await noNotification(socket);
      }

      // The cooked post links each name.
      for (const who of [cleo, fay, anna]) {
        expect(reply.cooked).toMatch(new RegExp(`<a [^>]*href="[^"]+"[^>]*>@${escape(usernameOf(t, who))}</a>`));
      }
    });

    it('notify no one for an applicant, a suspended member, an unknown name, or oneself', async () => {
      const { thread } = await startThread(t, anna);
      const hopeful = await applicant(t, 'submitted', { displayName: 'Hope Ful' });
      const gone = await member(t, { displayName: 'Gone Away' });
      const adm = await admin(t);
      await call(adm, 'POST', `/api/admin/users/${gone.user.id}/suspend`, { reason: 'Left the service.' });
      const hopefulSocket = await t.connectAs(hopeful);
      const benSocket = await t.connectAs(ben);
      const annaSocket = await t.connectAs(anna);

      const names = [usernameOf(t, hopeful), usernameOf(t, gone), 'nobody.here', usernameOf(t, ben)];
      const reply = await replyTo(t, ben, thread.id, undefined, names.map((n) => `@${n}`).join(', ') + ': any view?');
      // Anna still hears of the reply to her opening post, as such: nobody valid was mentioned.
      expect((await nextNotification(annaSocket, anna)).event.notification.kind).toBe('reply_to_post');
      await hopefulSocket.expectNothing();
      await noNotification(benSocket);
      const stored = t.handle.sqlite
        .prepare('select user_id as userId, kind from notifications where user_id in (?, ?, ?)')
        .all(hopeful.user.id, gone.user.id, ben.user.id) as { userId: string; kind: string }[];
      expect(stored.filter((n) => n.kind !== 'application_submitted')).toEqual([]);
      expect(reply.cooked).not.toMatch(/<a [^>]*>@nobody\.here<\/a>/);
      expect(reply.cooked).toContain('@nobody.here');
    });

    it('in code neither link nor notify', async () => {
      const { thread } = await startThread(t, anna);
      const cleoSocket = await t.connectAs(cleo);
      const name = usernameOf(t, cleo);
      const reply = await replyTo(
        t,
        ben,
        thread.id,
        undefined,
        `Write it as \`@${name}\` in the config:\n\n\`\`\`\nnotify: @${name}\n\`\`\``,
      );
      expect(reply.cooked).not.toMatch(/class="mention"/);
      await noNotification(cleoSocket);
    });

    it('in the opening post of a new thread notify the member, as a mention', async () => {
      const faySocket = await t.connectAs(fay);
      const { thread, posts } = await startThread(t, anna, {
        body: `A question for @${usernameOf(t, fay)}: how do your courts treat test purchases?`,
      });
      expect(posts[0]!.cooked).toMatch(/class="mention"/);
      expect((await nextNotification(faySocket, fay)).event.notification).toMatchObject({
        kind: 'mention',
        threadId: thread.id,
        actor: { id: anna.user.id },
      });
    });

    it('offer the picker members only, those in the thread first', async () => {
      const { thread } = await startThread(t, anna);
      await replyTo(t, cleo, thread.id);
      await applicant(t, 'submitted', { displayName: 'Cleopatra Applicant' });
      const res = await t.request({
        method: 'GET',
        url: `/api/members/mentionable?q=cle&threadId=${thread.id}`,
        cookie: ben.cookie,
      });
      expect(res.statusCode, res.body).toBe(200);
      const { members } = res.json() as { members: { id: string; username: string; inThread: boolean }[] };
      expect(members[0]).toMatchObject({ id: cleo.user.id, username: usernameOf(t, cleo), inThread: true });
      expect(members.map((m) => m.username)).not.toContain('cleopatra.applicant');
    });
  });

  describe('preferences', () => {
    it('list every kind of the role with its default channel', async () => {
      for (const [who, role] of [
        [dan, 'member'],
        [mod, 'moderator'],
      ] as const) {
        const { preferences } = (await call(who, 'GET', '/api/notifications/preferences')) as {
          preferences: { kind: string; channel: string }[];
        };
        expect(new Set(preferences.map((p) => p.kind))).toEqual(new Set(notificationKindsFor(role)));
        for (const p of preferences) expect(p.channel).toBe(DEFAULT_NOTIFICATION_CHANNELS[p.kind as 'mention']);
      }
      const hopeful = await applicant(t, 'submitted');
      const { preferences } = (await call(hopeful, 'GET', '/api/notifications/preferences')) as {
        preferences: { kind: string }[];
      };
      expect(new Set(preferences.map((p) => p.kind))).toEqual(new Set(notificationKindsFor('applicant')));
    });

    it('off stores nothing and pushes nothing; the live post still arrives', async () => {
      const quiet = await member(t, { displayName: 'Quinn Quiet' });
      const { thread } = await startThread(t, anna);
      await follow(quiet, 'thread', thread.id);
      await setPreference(quiet, 'reply_in_followed_thread', 'off');
      const socket = await t.connectAs(quiet);
      await socket.subscribe({ channel: 'thread', threadId: thread.id });
      await replyTo(t, ben, thread.id);
      await socket.nextLive('post.created', (e) => e.threadId === thread.id);
      await socket.expectNothing((m) => m.type === 'event');
      expect((await notificationsOf(quiet)).notifications).toEqual([]);

      await setPreference(quiet, 'reply_in_followed_thread', 'app');
      await replyTo(t, ben, thread.id);
      expect((await nextNotification(socket, quiet)).event).toMatchObject({ desktop: false });
    });

    it('off for the first kind falls back to the next one that applies', async () => {
      const picky = await member(t, { displayName: 'Pia Picky' });
      const { thread, posts } = await startThread(t, picky);
      await setPreference(picky, 'reply_to_post', 'off');
      const socket = await t.connectAs(picky);
      await replyTo(t, ben, thread.id, posts[0]!.id);
      expect((await nextNotification(socket, picky)).event.notification.kind).toBe('reply_in_followed_thread');
      await setPreference(picky, 'reply_in_followed_thread', 'off');
      await replyTo(t, ben, thread.id, posts[0]!.id);
      await noNotification(socket);
    });

    it('desktop marks the push desktop: true; the defaults put personal kinds on the desktop', async () => {
      const keen = await member(t, { displayName: 'Kim Keen' });
      const { thread, posts } = await startThread(t, keen);
      const socket = await t.connectAs(keen);
      await replyTo(t, ben, thread.id, posts[0]!.id); // reply_to_post: desktop by default
      expect((await nextNotification(socket, keen)).event).toMatchObject({ desktop: true });
      const reply = await replyTo(t, cleo, thread.id, posts[0]!.id);
      await nextNotification(socket, keen);
      await replyTo(t, ben, thread.id, reply.id); // reply_in_followed_thread: app by default
      expect((await nextNotification(socket, keen)).event).toMatchObject({
        desktop: false,
        notification: { kind: 'reply_in_followed_thread' },
      });
      await setPreference(keen, 'reply_in_followed_thread', 'desktop');
      await replyTo(t, ben, thread.id, reply.id);
      expect((await nextNotification(socket, keen)).event).toMatchObject({
        desktop: true,
        notification: { kind: 'reply_in_followed_thread' },
      });
      const { preferences } = (await call(keen, 'GET', '/api/notifications/preferences')) as {
        preferences: { kind: string; channel: string }[];
      };
      expect(preferences).toContainEqual({ kind: 'reply_in_followed_thread', channel: 'desktop', email: 'digest' });
    });

    const invalid: [string, (a: Actor) => Actor, unknown][] = [
      ['an unknown kind', (m) => m, { preferences: [{ kind: 'gossip', channel: 'app' }] }],
      ['an unknown channel', (m) => m, { preferences: [{ kind: 'mention', channel: 'email' }] }],
      ['no preferences', (m) => m, { preferences: [] }],
      ['a missing channel', (m) => m, { preferences: [{ kind: 'mention' }] }],
      ['an extra property', (m) => m, { preferences: [{ kind: 'mention', channel: 'app' }], all: 'off' }],
      [
        'a kind of another role (member: application_submitted)',
        (m) => m,
        { preferences: [{ kind: 'application_submitted', channel: 'off' }] },
      ],
      [
        'one bad item among good ones',
        (m) => m,
        {
          preferences: [
            { kind: 'mention', channel: 'off' },
            { kind: 'mention', channel: 'loud' },
          ],
        },
      ],
    ];
    it.each(invalid)('refuses %s with 400 and changes nothing', async (_case, who, body) => {
      const actor = who(dan);
      const before = await call(actor, 'GET', '/api/notifications/preferences');
      const res = await t.request({ method: 'PUT', url: '/api/notifications/preferences', cookie: actor.cookie, body });
      expect(res.statusCode, res.body).toBe(400);
      expect(await call(actor, 'GET', '/api/notifications/preferences')).toEqual(before);
    });

    it('refuses an applicant a forum kind, and accepts one of their own', async () => {
      const hopeful = await applicant(t, 'submitted');
      const res = await t.request({
        method: 'PUT',
        url: '/api/notifications/preferences',
        cookie: hopeful.cookie,
        body: { preferences: [{ kind: 'mention', channel: 'desktop' }] },
      });
      expect(res.statusCode, res.body).toBe(400);
      await setPreference(hopeful, 'application_info_requested', 'app');
      const anonymous = await t.request({ method: 'GET', url: '/api/notifications/preferences' });
      expect(anonymous.statusCode).toBe(401);
    });
  });

  describe('a new thread', () => {
    it('notifies followers of its jurisdiction or topic once (jurisdiction first), not its author, and reaches thread-list subscribers', async () => {
      const byJurisdiction = await member(t, { displayName: 'Jo Jurisdiction' });
      const byTopic = await member(t, { displayName: 'Tom Topic' });
      const byBoth = await member(t, { displayName: 'Bo Both' });
      await follow(byJurisdiction, 'jurisdiction', 'NG');
      await follow(byTopic, 'topic', 'wildlife-timber');
      await follow(byBoth, 'jurisdiction', 'NG');
      await follow(byBoth, 'topic', 'wildlife-timber');
      await follow(anna, 'jurisdiction', 'NG'); // the author follows it too
      const sockets = {
        jurisdiction: await t.connectAs(byJurisdiction),
        topic: await t.connectAs(byTopic),
        both: await t.connectAs(byBoth),
        anna: await t.connectAs(anna),
        dan: await t.connectAs(dan),
      };
      await sockets.dan.subscribe({ channel: 'threads' });

      const { thread } = await startThread(t, anna, { jurisdictions: ['NG'], topics: ['wildlife-timber'] });
      expect((await nextNotification(sockets.jurisdiction, byJurisdiction)).event.notification).toMatchObject({
        kind: 'thread_in_followed_jurisdiction',
        subject: thread.title,
        params: { threadKind: thread.kind, jurisdiction: 'NG' },
        legacyTitle: null,
        threadId: thread.id,
        actor: { id: anna.user.id },
      });
      expect((await nextNotification(sockets.topic, byTopic)).event.notification).toMatchObject({
        kind: 'thread_in_followed_topic',
        subject: thread.title,
        params: { threadKind: thread.kind, topic: 'wildlife-timber' },
        threadId: thread.id,
      });
      expect((await nextNotification(sockets.both, byBoth)).event.notification.kind).toBe(
        'thread_in_followed_jurisdiction',
      );
      const created = await sockets.dan.nextLive('thread.created', (e) => e.threadId === thread.id);
      expect(created).toMatchObject({
        title: thread.title,
        authorId: anna.user.id,
        jurisdictions: ['NG'],
        topics: ['wildlife-timber'],
      });
      for (const socket of Object.values(sockets)) await noNotification(socket);

      // A thread under other tags tells none of them.
      await startThread(t, anna, { jurisdictions: ['FR'], topics: ['medical-products'] });
      for (const socket of [sockets.jurisdiction, sockets.topic, sockets.both]) await noNotification(socket);
      await unfollow(anna, 'jurisdiction', 'NG');
    });
  });

  describe('live changes in a thread', () => {
    it('push edits and title or tag changes to its subscribers, and nothing to those of another thread', async () => {
      const { thread, posts } = await startThread(t, anna);
      const elsewhere = await startThread(t, anna);
      const watcher = await t.connectAs(dan);
      const away = await t.connectAs(fay);
      await watcher.subscribe({ channel: 'thread', threadId: thread.id });
      await away.subscribe({ channel: 'thread', threadId: elsewhere.thread.id });

      const reply = await replyTo(t, ben, thread.id, undefined, 'First version.');
      await watcher.nextLive('post.created', (e) => e.post.id === reply.id);
      const edited = (await call(ben, 'PATCH', `/api/posts/${reply.id}`, {
        version: reply.version,
        body: 'Second version, **better**.',
      })) as { post: { id: string; cooked: string; version: number } };
      const update = await watcher.nextLive('post.updated', (e) => e.post.id === reply.id);
      expect(update.threadId).toBe(thread.id);
      expect(update.post).toEqual({ ...edited.post, canEdit: false, canReport: true });
      expect(update.post.cooked).toContain('<strong>better</strong>');

      await call(anna, 'PATCH', `/api/threads/${thread.id}`, {
        title: 'A sharper title for the thread',
        jurisdictions: ['FR', 'KE'],
        reason: 'Clearer.',
      });
      const changed = await watcher.nextLive('thread.updated', (e) => e.threadId === thread.id);
      expect(changed.title).toBe('A sharper title for the thread');
      expect(changed.jurisdictions.map((j) => j.code).sort()).toEqual(['FR', 'KE']);
      await away.expectNothing((m) => m.type === 'live');
      expect(posts).toHaveLength(1);
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
