/**
 * Citable versions (issue 18): every version of a post keeps a permanent address (`quoteLink`,
 * the history page at `?version=N`), and the history names what a citation needs: the thread's
 * kind, title at each version and language, the author with their verified badge. A hidden post's
 * versions are not served to members (404), as before.
 */
import { quoteLink, type PostHistory } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  configure,
  expectError,
  moderatePost,
  ok,
  quickMember,
  quickModerator,
  reply,
  send,
  thread,
} from '../helpers/moderation.js';
import { VALID_SECTIONS } from '../helpers/threads.js';
import type { Actor } from '../helpers/vetting.js';

describe('Citable versions API', () => {
  let t: TestApp;
  let author: Actor;
  let reader: Actor;
  let modFR: Actor;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0 });
    author = await quickMember(t, 'FR', { displayName: 'Claire Martin', position: 'Procureure' });
    reader = await quickMember(t, 'KE');
    modFR = await quickModerator(t, ['FR']);
  });
  afterAll(async () => t?.close());

  it('gives every version with its date, and the facts a citation names', async () => {
    const opened = await thread(t, author, {
      kind: 'legal_analysis',
      title: 'Online sale of falsified medicines under Medicrime',
      jurisdictions: ['FR'],
    });
    const post = opened.posts[0]!;
    t.clock.advance(86_400_000);
    const edited = await send(t, author, 'PATCH', `/api/posts/${post.id}`, {
      version: 1,
      sections: { ...VALID_SECTIONS, conclusion: 'Yes, and the attempt is punished too.' },
      reason: 'Adds the attempt.',
    });
    expect(edited.statusCode, edited.body).toBe(200);

    const history = await ok<PostHistory>(t, reader, 'GET', `/api/posts/${post.id}/revisions`);
    expect(history.post).toMatchObject({
      id: post.id,
      number: 1,
      threadTitle: 'Online sale of falsified medicines under Medicrime',
      threadKind: 'legal_analysis',
      language: 'en',
      author: {
        id: author.user.id,
        displayName: 'Claire Martin',
        badge: expect.objectContaining({ position: 'Procureure', jurisdictionCode: 'FR', jurisdictionName: 'France' }),
      },
    });
    expect(history.revisions.map((r) => [r.version, r.title])).toEqual([
      [1, 'Online sale of falsified medicines under Medicrime'],
      [2, 'Online sale of falsified medicines under Medicrime'],
    ]);
    expect(Date.parse(history.revisions[1]!.createdAt) - Date.parse(history.revisions[0]!.createdAt)).toBe(86_400_000);
    expect(quoteLink(post.id, 1)).toBe(`/posts/${post.id}/history?version=1`);
  });

  it('serves no version of a hidden post to members, and still to its author', async () => {
    const opened = await thread(t, author, { jurisdictions: ['FR'] });
    const post = opened.posts[0]!;
    expect((await moderatePost(t, modFR, post.id, 'hide')).statusCode).toBe(200);
    expectError(await send(t, reader, 'GET', `/api/posts/${post.id}/revisions`), 404, 'NOT_FOUND');
    expect((await send(t, author, 'GET', `/api/posts/${post.id}/revisions`)).statusCode).toBe(200);
  });

  it("answers a hidden or removed reply's version address with a notice and no text, for members", async () => {
    const opened = await thread(t, author, { jurisdictions: ['FR'] });
    const secret = 'The informant lives at 12 rue des Lilas.';
    const post = await reply(t, author, opened.thread.id, secret);
    const url = `/api/posts/${post.id}/revisions`;
    expect((await moderatePost(t, modFR, post.id, 'hide')).statusCode).toBe(200);
    const res = await send(t, reader, 'GET', url);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('rue des Lilas');
    const seen = res.json() as PostHistory;
    expect(seen).toMatchObject({
      post: { id: post.id, number: post.number },
      revisions: [],
      redactions: [],
      canRedact: false,
      withheld: { state: 'hidden' },
    });
    // Its author and the moderator in scope still read every version.
    for (const who of [author, modFR]) {
      const own = await ok<PostHistory>(t, who, 'GET', url);
      expect(own.withheld).toBeNull();
      expect(own.revisions[0]!.body).toBe(secret);
    }
    expect((await moderatePost(t, modFR, post.id, 'delete')).statusCode).toBe(200);
    expect((await ok<PostHistory>(t, reader, 'GET', url)).withheld).toEqual({ state: 'deleted' });
    expect((await moderatePost(t, modFR, post.id, 'restore')).statusCode).toBe(200);
    const back = await ok<PostHistory>(t, reader, 'GET', url);
    expect(back.withheld).toBeNull();
    expect(back.revisions.map((r) => r.body)).toEqual([secret]);
  });
});
