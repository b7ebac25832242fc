/**
 * A member's threads and replies on their profile (issue 18): newest first, paged by cursor, with
 * the visibility of search. Members see visible posts of visible threads; a moderator in scope
 * also hidden ones, marked; a moderator out of scope does not; an admin sees all.
 */
import type { MemberActivityPage } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  configure,
  expectError,
  moderatePost,
  ok,
  quickActor,
  quickAdmin,
  quickMember,
  quickModerator,
  reply,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

describe('Member activity API', () => {
  let t: TestApp;
  let writer: Actor;
  let reader: Actor;
  let modFR: Actor;
  let modKE: Actor;
  let admin: Actor;
  let threads: { id: string; title: string }[];
  let replies: { id: string; body: string }[];

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0 });
    writer = await quickMember(t, 'FR', { displayName: 'Wanda Writer' });
    reader = await quickMember(t, 'DE', { displayName: 'Rolf Reader' });
    modFR = await quickModerator(t, ['FR']);
    modKE = await quickModerator(t, ['KE']);
    admin = await quickAdmin(t);
    const other = await quickMember(t, 'FR');
    threads = [];
    replies = [];
    for (let i = 1; i <= 3; i++) {
      const opened = await thread(t, writer, { title: `Wanda's thread number ${i}`, jurisdictions: ['FR'] });
      threads.push({ id: opened.thread.id, title: opened.thread.title });
      t.clock.advance(1000);
    }
    const elsewhere = await thread(t, other, { title: 'Somebody else asks', jurisdictions: ['FR'] });
    for (let i = 1; i <= 5; i++) {
      const body = `Wanda's reply number ${i}.`;
      replies.push({ id: (await reply(t, writer, elsewhere.thread.id, body)).id, body });
      t.clock.advance(1000);
    }
    await reply(t, other, elsewhere.thread.id, 'Not Wanda.');
  });
  afterAll(async () => t?.close());

  const activity = (who: Actor, query: string, memberId = writer.user.id) =>
    send(t, who, 'GET', `/api/members/${memberId}/activity?${query}`);
  const page = async (who: Actor, query: string) => {
    const res = await activity(who, query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as MemberActivityPage;
  };

  it('lists the threads a member started and their replies, newest first, by cursor', async () => {
    const started = await page(reader, 'kind=threads');
    expect(started.items.map((i) => i.threadTitle)).toEqual(threads.map((x) => x.title).reverse());
    expect(started.items.every((i) => i.number === 1 && i.state === 'visible')).toBe(true);
    expect(started.nextCursor).toBeNull();

    const first = await page(reader, 'kind=replies&limit=2');
    expect(first.items.map((i) => i.excerpt)).toEqual([replies[4]!.body, replies[3]!.body]);
    expect(first.items[0]).toMatchObject({ threadTitle: 'Somebody else asks', threadKind: 'discussion' });
    const second = await page(reader, `kind=replies&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.items.map((i) => i.postId)).toEqual([replies[2]!.id, replies[1]!.id]);
    const third = await page(reader, `kind=replies&limit=2&cursor=${encodeURIComponent(second.nextCursor!)}`);
    expect(third.items.map((i) => i.postId)).toEqual([replies[0]!.id]);
    expect(third.nextCursor).toBeNull();
  });

  it('shows hidden posts to moderators in scope and admins only, marked, as search does', async () => {
    expect((await moderatePost(t, modFR, replies[0]!.id, 'hide')).statusCode).toBe(200);
    const opener = (await ok<{ posts: { id: string }[] }>(t, writer, 'GET', `/api/threads/${threads[0]!.id}`)).posts[0]!
      .id;
    expect((await moderatePost(t, modFR, opener, 'hide')).statusCode).toBe(200);
    try {
      for (const who of [reader, modKE]) {
        expect((await page(who, 'kind=replies')).items.map((i) => i.postId)).not.toContain(replies[0]!.id);
        expect((await page(who, 'kind=threads')).items.map((i) => i.threadId)).not.toContain(threads[0]!.id);
      }
      for (const who of [modFR, admin]) {
        const hidden = (await page(who, 'kind=replies')).items.find((i) => i.postId === replies[0]!.id);
        expect(hidden?.state).toBe('hidden');
        const thread = (await page(who, 'kind=threads')).items.find((i) => i.threadId === threads[0]!.id);
        expect(thread?.state).toBe('hidden');
      }
    } finally {
      await moderatePost(t, modFR, replies[0]!.id, 'restore');
      await moderatePost(t, modFR, opener, 'restore');
    }
    expect((await page(reader, 'kind=replies')).items.map((i) => i.postId)).toContain(replies[0]!.id);
  });

  it('refuses bad input, unknown or unvetted members, and readers without forum access', async () => {
    expectError(await activity(reader, 'kind=posts'), 400, 'VALIDATION_FAILED');
    expectError(await activity(reader, ''), 400, 'VALIDATION_FAILED');
    expectError(await activity(reader, 'kind=replies&cursor=not-a-cursor'), 400, 'VALIDATION_FAILED');
    expectError(await activity(reader, 'kind=replies&limit=500'), 400, 'VALIDATION_FAILED');
    expectError(await activity(reader, 'kind=replies&extra=1'), 400, 'VALIDATION_FAILED');
    expectError(await activity(reader, 'kind=threads', 'no-such-member'), 404, 'NOT_FOUND');
    const applicant = await quickActor(t, { role: 'applicant' });
    expectError(await activity(reader, 'kind=threads', applicant.user.id), 404, 'NOT_FOUND');
    expectError(await activity(applicant, 'kind=threads'), 403);
    expect((await send(t, null, 'GET', `/api/members/${writer.user.id}/activity?kind=threads`)).statusCode).toBe(401);
  });
});
