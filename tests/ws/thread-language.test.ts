/**
 * A thread's language travels with the live pushes that describe it: `thread.created` to the thread
 * list (so a list filtered by language offers only its own new threads), and `thread.updated` to a
 * thread's readers when its language is corrected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThread } from '../helpers/threads.js';
import { member, type Actor } from '../helpers/vetting.js';
import { listenTestApp, type ListeningTestApp } from '../helpers/ws.js';

describe('Thread language over the socket', () => {
  let t: ListeningTestApp;
  let author: Actor;
  let reader: Actor;

  beforeAll(async () => {
    t = await listenTestApp();
    author = await member(t, { displayName: 'Karim Haddad', locale: 'ar' });
    reader = await member(t, { displayName: 'Lucía Gómez' });
  });
  afterAll(async () => t?.close());

  it('pushes the language of a new thread to the list, and a corrected one to its readers', async () => {
    const list = await t.connectAs(reader);
    await list.subscribe({ channel: 'threads' });
    const { thread } = await startThread(t, author, { title: 'حجز الأصول الرقمية في القضايا الجنائية' });
    const created = await list.nextLive('thread.created', (e) => e.threadId === thread.id);
    expect(created.language).toBe('ar');

    const watcher = await t.connectAs(reader);
    await watcher.subscribe({ channel: 'thread', threadId: thread.id });
    const res = await t.request({
      method: 'PATCH',
      url: `/api/threads/${thread.id}`,
      cookie: author.cookie,
      body: { language: 'fr' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const updated = await watcher.nextLive('thread.updated', (e) => e.threadId === thread.id);
    expect(updated.language).toBe('fr');
  });
});
