/**
 * Bookmarks (issue 18): a member saves any post they can read with an optional note and reminder
 * date, lists them (all, or one thread's), changes and removes them; a saved post hidden since is
 * withheld in the list; a reminder that falls due becomes one notification, once.
 */
import type { Bookmark, BookmarkPage, Notification } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  configure,
  expectError,
  moderatePost,
  notificationsOf,
  quickActor,
  quickMember,
  quickModerator,
  reply,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

describe('Bookmarks API', () => {
  let t: TestApp;
  let saver: Actor;
  let author: Actor;
  let modFR: Actor;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0 });
    saver = await quickMember(t, 'KE', { displayName: 'Sara Saver' });
    author = await quickMember(t, 'FR', { displayName: 'Aurélie Author' });
    modFR = await quickModerator(t, ['FR']);
  });
  afterAll(async () => t?.close());

  const save = (who: Actor, postId: string, body: object = {}) => send(t, who, 'PUT', `/api/bookmarks/${postId}`, body);
  const list = async (who: Actor, query = '') => {
    const res = await send(t, who, 'GET', `/api/bookmarks${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as BookmarkPage;
  };
  const inFuture = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();

  it('saves a post with a note and reminder, lists it, changes it and removes it', async () => {
    const opened = await thread(t, author, { title: 'Forfeiture of smuggled fuel', jurisdictions: ['FR'] });
    const answer = await reply(t, author, opened.thread.id, 'Article 414 of the customs code applies.');
    const remindAt = inFuture(86_400_000);
    const res = await save(saver, answer.id, { note: '  For the Mombasa brief.  ', remindAt });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { bookmark: Bookmark }).bookmark).toMatchObject({
      postId: answer.id,
      note: 'For the Mombasa brief.',
      remindAt,
      remindedAt: null,
      available: true,
      threadId: opened.thread.id,
      threadTitle: 'Forfeiture of smuggled fuel',
      number: answer.number,
      author: { id: author.user.id, displayName: 'Aurélie Author' },
      excerpt: 'Article 414 of the customs code applies.',
    });
    t.clock.advance(1000);
    expect((await save(saver, opened.posts[0]!.id)).statusCode).toBe(200);

    const all = await list(saver);
    expect(all.bookmarks.map((b) => b.postId)).toEqual([opened.posts[0]!.id, answer.id]);
    expect((await list(saver, `?threadId=${opened.thread.id}&limit=1`)).nextCursor).not.toBeNull();
    const first = await list(saver, '?limit=1');
    expect(first.bookmarks.map((b) => b.postId)).toEqual([opened.posts[0]!.id]);
    const rest = await list(saver, `?limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(rest.bookmarks.map((b) => b.postId)).toEqual([answer.id]);
    // Nobody else sees them.
    expect((await list(author)).bookmarks).toEqual([]);

    // A field left out keeps its value; null clears it.
    const changed = (await save(saver, answer.id, { note: 'Cited in the brief.' })).json() as { bookmark: Bookmark };
    expect(changed.bookmark).toMatchObject({ note: 'Cited in the brief.', remindAt });
    const cleared = (await save(saver, answer.id, { remindAt: null })).json() as { bookmark: Bookmark };
    expect(cleared.bookmark).toMatchObject({ note: 'Cited in the brief.', remindAt: null });

    expect((await send(t, saver, 'DELETE', `/api/bookmarks/${answer.id}`)).statusCode).toBe(204);
    expectError(await send(t, saver, 'DELETE', `/api/bookmarks/${answer.id}`), 404, 'NOT_FOUND');
    expect((await list(saver)).bookmarks.map((b) => b.postId)).toEqual([opened.posts[0]!.id]);
  });

  it('refuses posts the member cannot read, past reminders, long notes and bad input', async () => {
    const opened = await thread(t, author, { jurisdictions: ['FR'] });
    const hidden = await reply(t, author, opened.thread.id, 'A reply the moderators hide.');
    expect((await moderatePost(t, modFR, hidden.id, 'hide')).statusCode).toBe(200);
    expectError(await save(saver, hidden.id), 404, 'NOT_FOUND');
    expectError(await save(saver, 'no-such-post'), 404, 'NOT_FOUND');
    const post = opened.posts[0]!.id;
    expectError(await save(saver, post, { remindAt: new Date(t.clock.now().getTime() - 1000).toISOString() }), 400);
    expectError(await save(saver, post, { remindAt: 'next tuesday' }), 400, 'VALIDATION_FAILED');
    expectError(await save(saver, post, { note: 'x'.repeat(501) }), 400, 'VALIDATION_FAILED');
    expectError(await save(saver, post, { note: 'A note\u202Ewith an override' }), 400, 'VALIDATION_FAILED');
    expectError(await save(saver, post, { remindAt: '9999-12-31T23:59:59-23:59' }), 400, 'VALIDATION_FAILED');
    expectError(await save(saver, post, { extra: true }), 400, 'VALIDATION_FAILED');
    expectError(await send(t, saver, 'GET', '/api/bookmarks?cursor=nope'), 400, 'VALIDATION_FAILED');
    const applicant = await quickActor(t, { role: 'applicant' });
    expectError(await save(applicant, post), 403);
    expect((await send(t, null, 'GET', '/api/bookmarks')).statusCode).toBe(401);
  });

  it('withholds a saved post hidden since, and shows it again once restored', async () => {
    const opened = await thread(t, author, { jurisdictions: ['FR'] });
    const target = await reply(t, author, opened.thread.id, 'Names a witness, then hidden.');
    expect((await save(saver, target.id, { note: 'Check this.' })).statusCode).toBe(200);
    expect((await moderatePost(t, modFR, target.id, 'hide')).statusCode).toBe(200);
    const withheld = (await list(saver)).bookmarks.find((b) => b.postId === target.id)!;
    expect(withheld).toMatchObject({ available: false, note: 'Check this.', threadTitle: null, excerpt: null });
    expect(JSON.stringify(withheld)).not.toContain('witness');
    expect((await moderatePost(t, modFR, target.id, 'restore')).statusCode).toBe(200);
    expect((await list(saver)).bookmarks.find((b) => b.postId === target.id)?.available).toBe(true);
  });

  it('sends no reminder about a post or thread the member may no longer read, and uses it up', async () => {
    const opened = await thread(t, author, { title: 'A title only its readers may see', jurisdictions: ['FR'] });
    const mine = await reply(t, saver, opened.thread.id, 'My own reply in it.');
    expect((await save(saver, mine.id, { remindAt: inFuture(60_000) })).statusCode).toBe(200);
    // The thread's opening post is hidden, then renamed: the saver may read neither any more.
    expect((await moderatePost(t, modFR, opened.posts[0]!.id, 'hide')).statusCode).toBe(200);
    const renamed = await send(t, author, 'PATCH', `/api/threads/${opened.thread.id}`, {
      title: 'Renamed while hidden',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const before = (await notificationsOf(t, saver)).length;
    t.clock.advance(60_000);
    expect(t.app.sendDueReminders()).toBe(1);
    expect(t.app.sendDueReminders()).toBe(0);
    expect((await notificationsOf(t, saver)).length).toBe(before);
    const stored = t.handle.sqlite
      .prepare(
        "select count(*) as n from notifications where user_id = ? and kind = 'bookmark_reminder' and post_id = ?",
      )
      .get(saver.user.id, mine.id) as { n: number };
    expect(stored.n).toBe(0);
    const saved = (await list(saver)).bookmarks.find((b) => b.postId === mine.id)!;
    expect(saved).toMatchObject({ available: false, threadTitle: null });
    expect(saved.remindedAt).not.toBeNull();
  });

  it('turns a reminder that falls due into one notification, once', async () => {
    const opened = await thread(t, author, { title: 'Ivory forfeiture hearing', jurisdictions: ['FR'] });
    const remindAt = inFuture(3_600_000);
    expect((await save(saver, opened.posts[0]!.id, { note: 'Hearing on Monday.', remindAt })).statusCode).toBe(200);
    expect(t.app.sendDueReminders()).toBe(0);
    t.clock.advance(3_600_000);
    expect(t.app.sendDueReminders()).toBe(1);
    expect(t.app.sendDueReminders()).toBe(0);
    const reminders = (await notificationsOf(t, saver)).filter((n: Notification) => n.kind === 'bookmark_reminder');
    expect(reminders).toEqual([
      expect.objectContaining({
        subject: 'Ivory forfeiture hearing',
        body: 'Hearing on Monday.',
        link: `/threads/${opened.thread.id}#post-1`,
      }),
    ]);
    const saved = (await list(saver)).bookmarks.find((b) => b.postId === opened.posts[0]!.id)!;
    expect(saved.remindedAt).not.toBeNull();
    // Saving the same date again keeps it sent; a new date waits for its own time.
    expect((await save(saver, opened.posts[0]!.id, { remindAt })).statusCode).toBe(200);
    expect(t.app.sendDueReminders()).toBe(0);
    expect((await save(saver, opened.posts[0]!.id, { remindAt: inFuture(60_000) })).statusCode).toBe(200);
    t.clock.advance(60_000);
    expect(t.app.sendDueReminders()).toBe(1);
    // Turned off, a reminder is marked sent but tells nothing.
    const prefs = await send(t, saver, 'PUT', '/api/notifications/preferences', {
      preferences: [{ kind: 'bookmark_reminder', channel: 'off' }],
    });
    expect(prefs.statusCode, prefs.body).toBe(200);
    const before = (await notificationsOf(t, saver)).length;
    expect((await save(saver, opened.posts[0]!.id, { remindAt: inFuture(60_000) })).statusCode).toBe(200);
    t.clock.advance(60_000);
    expect(t.app.sendDueReminders()).toBe(1);
    expect((await notificationsOf(t, saver)).length).toBe(before);
  });
});
