/**
 * Late draft saves: a composer sends its token with every autosave and with the post it becomes;
 * once the post (or thread) exists, a save still carrying that token is discarded, whatever the
 * order the requests arrive in, so posted text never comes back as a draft.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, DAY, HOUR, type TestApp } from '../helpers/app.js';
import { startThread, threadBody } from '../helpers/threads.js';
import { member, type Actor } from '../helpers/vetting.js';

const TOKEN = 'composer-token-1';
const LONG = 'A reply that the composer autosaves while it is being posted, about **evidence**.\n\n';

describe('Late draft saves', () => {
  let t: TestApp;
  let alice: Actor;
  let bob: Actor;
  let threadId: string;
  beforeEach(async () => {
    t = await buildTestApp();
    alice = await member(t, { displayName: 'Alice Prosecutor' });
    bob = await member(t, { displayName: 'Bob Judge' });
    threadId = (await startThread(t, bob)).thread.id;
  });
  afterEach(async () => t.close());

  const saveReply = (body: string, token = TOKEN, who = alice) =>
    t.request({
      method: 'PUT',
      url: `/api/drafts/reply/${threadId}?token=${token}`,
      cookie: who.cookie,
      body: { body },
    });
  const postReply = (body: string, draftToken = TOKEN) =>
    t.request({
      method: 'POST',
      url: `/api/threads/${threadId}/posts`,
      cookie: alice.cookie,
      body: { body, draftToken },
    });
  const draftKeys = async () => {
    const res = await t.request({ method: 'GET', url: '/api/drafts', cookie: alice.cookie });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { drafts: { key: string }[] }).drafts.map((d) => d.key);
  };
  const replyDraft = async () =>
    (await t.request({ method: 'GET', url: `/api/drafts/reply/${threadId}`, cookie: alice.cookie })).json() as {
      draft: unknown;
    };

  describe('PUT /api/drafts/reply/:id', () => {
    it('discards a save that arrives after the reply it became was posted', async () => {
      expect((await saveReply('My reply, being typed')).statusCode).toBe(200);
      expect(await draftKeys()).toEqual([`reply:${threadId}`]);
      const posted = await postReply('My reply, as it was posted.');
      expect(posted.statusCode, posted.body).toBe(201);
      expect(await draftKeys()).toEqual([]);

      const late = await saveReply('My reply, as it was posted.');
      expect(late.statusCode, late.body).toBe(200);
      expect(late.json()).toEqual({ draft: null, discarded: true });
      expect(await draftKeys()).toEqual([]);
      expect(await replyDraft()).toEqual({ draft: null });
    });

    it('leaves no draft when the save and the post race, whichever finishes first', async () => {
      const body = LONG.repeat(40);
      for (let i = 0; i < 3; i++) {
        const token = `racing-composer-${i}`;
        const [save, post] = await Promise.all([saveReply(body, token), postReply(body, token)]);
        expect(post.statusCode, post.body).toBe(201);
        expect(save.statusCode, save.body).toBe(200);
        expect(await draftKeys()).toEqual([]);
        // A save sent after both answered is discarded too.
        expect((await saveReply(body, token)).json()).toEqual({ draft: null, discarded: true });
      }
    });

    it('keeps drafts of a new composer, of saves without a token, and of other members', async () => {
      expect((await postReply('My first reply in this thread.')).statusCode).toBe(201);
      const fresh = await saveReply('A second reply, being typed', 'composer-token-2');
      expect(fresh.json()).toMatchObject({ draft: { data: { body: 'A second reply, being typed' } } });
      expect(await draftKeys()).toEqual([`reply:${threadId}`]);
      // Bob's composer happens to pick the same token: his key is his own.
      expect((await saveReply('Bob types', TOKEN, bob)).json()).toMatchObject({
        draft: { data: { body: 'Bob types' } },
      });
    });

    it('discards a late save of a reply held for review', async () => {
      t.handle.sqlite.prepare('update users set under_review = 1 where id = ?').run(alice.user.id);
      const held = await postReply('A reply that waits for a moderator.');
      expect(held.statusCode, held.body).toBe(202);
      expect((await saveReply('A reply that waits for a moderator.')).json()).toEqual({ draft: null, discarded: true });
      expect(await draftKeys()).toEqual([]);
    });
  });

  describe('PUT /api/drafts/thread', () => {
    it('discards a save that arrives after the thread it became was created', async () => {
      const save = (title: string) =>
        t.request({ method: 'PUT', url: `/api/drafts/thread?token=${TOKEN}`, cookie: alice.cookie, body: { title } });
      expect((await save('A new thread')).statusCode).toBe(200);
      const created = await t.request({
        method: 'POST',
        url: '/api/threads',
        cookie: alice.cookie,
        body: threadBody('discussion', { draftToken: TOKEN }),
      });
      expect(created.statusCode, created.body).toBe(201);
      expect((await save('A new thread, autosaved late')).json()).toEqual({ draft: null, discarded: true });
      expect(await draftKeys()).toEqual([]);
    });
  });

  it('prunes spent tokens after a day', async () => {
    expect((await postReply('My first reply in this thread.')).statusCode).toBe(201);
    const spent = () => t.handle.sqlite.prepare('select token from spent_drafts order by token').all();
    expect(spent()).toEqual([{ token: TOKEN }]);
    t.clock.advance(DAY + HOUR);
    expect((await postReply('My second reply in this thread.', 'composer-token-2')).statusCode).toBe(201);
    expect(spent()).toEqual([{ token: 'composer-token-2' }]);
  });

  it('refuses a malformed token', async () => {
    const res = await saveReply('text', 'not a token!');
    expect(res.statusCode).toBe(400);
  });
});
