/**
 * Hidden means 404 on every route for those who cannot read it, and a moderator's view of
 * moderation history stays within their jurisdictions. A thread whose opening post is hidden does
 * not exist for other members nor for a moderator out of scope: no route that writes read state,
 * follows, drafts, reports or moderation answers anything but 404 about it (no size, no title,
 * no 403 that says it is there). Its author, the moderators in scope and admins still reach it.
 */
import type { ReviewItemDetail } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  configure,
  itemOfPost,
  moderatePost,
  ok,
  quickAdmin,
  quickMember,
  quickModerator,
  reply,
  report,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

describe('Visibility: hidden means 404', () => {
  let t: TestApp;
  let admin: Actor;
  let modFR: Actor;
  let modKE: Actor;
  let author: Actor;
  let reader: Actor;
  let threadId: string;
  let replyId: string;
  let hiddenReplyId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0 });
    admin = await quickAdmin(t);
    modFR = await quickModerator(t, ['FR']);
    modKE = await quickModerator(t, ['KE']);
    author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    reader = await quickMember(t, 'FR', { displayName: 'Rita Reader' });
    const opening = await thread(t, author);
    threadId = opening.thread.id;
    replyId = (await reply(t, reader, threadId)).id;
    hiddenReplyId = (await reply(t, reader, threadId)).id;
    await reply(t, reader, threadId);
    expect((await moderatePost(t, admin, hiddenReplyId, 'hide')).statusCode).toBe(200);
    expect((await moderatePost(t, admin, opening.posts[0]!.id, 'hide')).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  type Route = [string, 'GET' | 'PUT' | 'POST' | 'DELETE', () => string, unknown?];
  const routes: Route[] = [
    ['mark read', 'PUT', () => `/api/threads/${threadId}/read`, { lastReadNumber: 1000 }],
    ['follow', 'PUT', () => `/api/follows/thread/${threadId}`],
    ['unfollow', 'DELETE', () => `/api/follows/thread/${threadId}`],
    ['read a reply draft', 'GET', () => `/api/drafts/reply/${threadId}`],
    ['save a reply draft', 'PUT', () => `/api/drafts/reply/${threadId}`, { body: 'A draft.' }],
    ['reply', 'POST', () => `/api/threads/${threadId}/posts`, { body: 'A reply.' }],
    ['report a reply', 'POST', () => `/api/posts/${replyId}/reports`, { reason: 'off_topic' }],
  ];
  const moderatorRoutes: Route[] = [
    ['lock the thread', 'POST', () => `/api/moderation/threads/${threadId}/lock`, { reason: 'Locked for a while.' }],
    ['hide a reply', 'POST', () => `/api/moderation/posts/${replyId}/hide`, { reason: 'Hidden for a while.' }],
    ['restore a hidden reply', 'POST', () => `/api/moderation/posts/${hiddenReplyId}/restore`, { reason: 'Back.' }],
  ];

  it.each(routes)('%s: 404 for another member', async (_name, method, url, body) => {
    const res = await send(t, reader, method, url(), body);
    expect(res.statusCode, res.body).toBe(404);
    expect(res.body).not.toMatch(/Falsified medicines/);
  });

  it.each([...routes, ...moderatorRoutes])('%s: 404 for a moderator out of scope', async (_name, method, url, body) => {
    const res = await send(t, modKE, method, url(), body);
    expect(res.statusCode, res.body).toBe(404);
  });

  it.each(routes.filter(([name]) => !name.startsWith('report')))(
    '%s: reachable by the thread author',
    async (_name, method, url, body) => {
      const res = await send(t, author, method, url(), body);
      expect(res.statusCode, res.body).toBeLessThan(300);
    },
  );

  it('lets a moderator in scope act on the hidden thread', async () => {
    const res = await send(t, modFR, 'PUT', `/api/threads/${threadId}/read`, { lastReadNumber: 2 });
    expect(res.statusCode, res.body).toBe(200);
    const restore = await moderatePost(t, modFR, hiddenReplyId, 'restore');
    expect(restore.statusCode, restore.body).toBe(200);
  });
});

describe("Visibility: a moderator sees an author's record within their jurisdictions", () => {
  let t: TestApp;
  let admin: Actor;
  let modFR: Actor;
  let modKE: Actor;
  let author: Actor;
  let reader: Actor;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0 });
    admin = await quickAdmin(t);
    modFR = await quickModerator(t, ['FR']);
    modKE = await quickModerator(t, ['KE']);
    author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    reader = await quickMember(t, 'FR', { displayName: 'Rita Reader' });
  });
  afterAll(async () => t?.close());

  it("leaves another jurisdiction's history out of the review item's author record", async () => {
    // Kenya: the author's post hidden by Kenya's moderator, with a reason only Kenya may read.
    const ke = await thread(t, reader, { jurisdictions: ['KE'] });
    const kePost = await reply(t, author, ke.thread.id, 'A Kenyan reply.');
    await report(t, reader, kePost.id);
    const keReason = 'Kenyan matter: names the Mombasa informant.';
    expect((await moderatePost(t, modKE, kePost.id, 'hide', { reason: keReason })).statusCode).toBe(200);
    // France: a reported post of the same author.
    const fr = await thread(t, reader);
    const frPost = await reply(t, author, fr.thread.id, 'A French reply.');
    await report(t, reader, frPost.id);
    const item = await itemOfPost(t, modFR, frPost.id);

    const asFR = await ok<ReviewItemDetail>(t, modFR, 'GET', `/api/moderation/queue/${item!.id}`);
    expect(JSON.stringify(asFR.authorRecord)).not.toContain('Mombasa');
    expect(asFR.authorRecord.history.every((e) => e.jurisdictionCode === 'FR')).toBe(true);
    expect(asFR.authorRecord.counts).toMatchObject({ hidden: 0, upheldReports: 0 });

    const asAdmin = await ok<ReviewItemDetail>(t, admin, 'GET', `/api/moderation/queue/${item!.id}`);
    expect(JSON.stringify(asAdmin.authorRecord)).toContain('Mombasa');
    expect(asAdmin.authorRecord.counts.hidden).toBe(1);
  });
});
