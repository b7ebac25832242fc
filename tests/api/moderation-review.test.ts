/**
 * Regressions from the review of the moderation server: each test is a leak, a hole or a wrong
 * count that a hostile reading found, proved through the API before it was fixed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, MINUTE, type TestApp } from '../helpers/app.js';
import {
  configure,
  itemOfPost,
  itemOfSubmission,
  ok,
  pendingReply,
  quickAdmin,
  quickMember,
  quickModerator,
  reply,
  report,
  send,
  thread,
} from '../helpers/moderation.js';
import { threadBody } from '../helpers/threads.js';
import type { Actor } from '../helpers/vetting.js';

const R = { reason: 'A sufficient reason.' };
let n = 0;
const secret = () => `Qzxsecret${++n}y`;

describe('Moderation review regressions', () => {
  let t: TestApp;
  let admin: Actor, modFR: Actor, modFR2: Actor, author: Actor, reader: Actor;
  const username = (a: Actor) =>
    (t.handle.sqlite.prepare('select username from users where id = ?').get(a.user.id) as { username: string })
      .username;
  /** Everything stored for a member that could carry text: notifications and their pushed events. */
  const storedFor = (a: Actor) =>
    JSON.stringify([
      t.handle.sqlite.prepare('select * from notifications where user_id = ?').all(a.user.id),
      t.handle.sqlite.prepare('select * from user_events where user_id = ?').all(a.user.id),
    ]);

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0, confidentialReportsToHide: 2 });
    admin = await quickAdmin(t);
    modFR = await quickModerator(t, ['FR']);
    modFR2 = await quickModerator(t, ['FR']);
    author = await quickMember(t, 'FR', { displayName: 'Arthur' });
    reader = await quickMember(t, 'FR', { displayName: 'Rita' });
  });
  afterAll(async () => t?.close());

  it('tells nobody of a mention added to a hidden post', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const post = await reply(t, author, op.thread.id, 'An innocent reply.');
    await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/hide`, R);
    const bystander = await quickMember(t, 'FR', { displayName: 'Bystander' });
    const word = secret();
    const res = await send(t, author, 'PATCH', `/api/posts/${post.id}`, {
      version: 1,
      body: `@${username(bystander)} the witness is ${word}.`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(storedFor(bystander)).not.toContain(word);
  });

  it('tells no follower of a reply in a thread whose opening post is hidden', async () => {
    const title = `Hidden title ${secret()}`;
    const op = await thread(t, author, { jurisdictions: ['FR'], title });
    await reply(t, reader, op.thread.id, 'I follow this thread by replying.');
    await ok(t, modFR, 'POST', `/api/moderation/posts/${op.posts[0]!.id}/hide`, R);
    const before = storedFor(reader);
    const word = secret();
    expect(
      (await send(t, author, 'POST', `/api/threads/${op.thread.id}/posts`, { body: `More: ${word}` })).statusCode,
    ).toBe(201);
    expect(storedFor(reader)).toBe(before);
  });

  it('lists a followed thread taken out of view to its author only', async () => {
    const op = await thread(t, author, { jurisdictions: ['FR'] });
    await ok(t, reader, 'PUT', `/api/follows/thread/${op.thread.id}`);
    await ok(t, modFR, 'POST', `/api/moderation/posts/${op.posts[0]!.id}/hide`, R);
    await ok(t, author, 'PATCH', `/api/threads/${op.thread.id}`, { title: 'Renamed Glockenspielsecret' });
    expect(JSON.stringify(await ok(t, reader, 'GET', '/api/follows'))).not.toContain('Glockenspielsecret');
    expect(JSON.stringify(await ok(t, author, 'GET', '/api/follows'))).toContain('Glockenspielsecret');
  });

  it('keeps another moderator’s claim on a post against a moderator’s edit', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const post = await reply(t, author, op.thread.id, 'Reported reply.');
    await report(t, reader, post.id, 'off_topic');
    const item = (await itemOfPost(t, modFR, post.id))!;
    await ok(t, modFR, 'POST', `/api/moderation/queue/${item.id}/claim`);
    const edit = await send(t, modFR2, 'PATCH', `/api/posts/${post.id}`, {
      version: 1,
      body: 'Edited by the second moderator.',
      reason: 'Removing a name.',
    });
    expect(edit.statusCode, edit.body).toBe(409);
    expect(edit.json().error.code).toBe('CLAIMED_BY_OTHER');
    expect((await itemOfPost(t, modFR, post.id))?.status).toBe('open');
    // The holder edits, and the item closes as edited.
    await ok(t, modFR, 'PATCH', `/api/posts/${post.id}`, {
      version: 1,
      body: 'Name removed.',
      reason: 'Removing a name.',
    });
    expect((await itemOfPost(t, modFR, post.id, 'closed'))?.resolution?.action).toBe('edited');
  });

  it('leaves a global pin to admins, and locks and pins of a moderator’s own thread to others', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    await ok(t, admin, 'POST', `/api/moderation/threads/${op.thread.id}/pin`, { ...R, jurisdiction: null });
    const repin = await send(t, modFR, 'POST', `/api/moderation/threads/${op.thread.id}/pin`, {
      ...R,
      jurisdiction: 'FR',
    });
    expect(repin.statusCode).toBe(403);
    expect((await send(t, modFR, 'POST', `/api/moderation/threads/${op.thread.id}/unpin`, R)).statusCode).toBe(403);
    await ok(t, admin, 'POST', `/api/moderation/threads/${op.thread.id}/unpin`, R);

    const own = await thread(t, modFR, { jurisdictions: ['FR'] });
    expect((await send(t, modFR, 'POST', `/api/moderation/threads/${own.thread.id}/lock`, R)).statusCode).toBe(403);
    await ok(t, modFR2, 'POST', `/api/moderation/threads/${own.thread.id}/lock`, R);
  });

  it('approves a held thread without touching the author’s newer draft; not into a locked or hidden thread', async () => {
    const newbie = await quickMember(t, 'FR', { displayName: 'Newbie' });
    await ok(t, modFR, 'PUT', `/api/moderation/users/${newbie.user.id}/review`, {
      reason: 'Watch them.',
      underReview: true,
    });
    const sub = await send(t, newbie, 'POST', '/api/threads', threadBody('discussion', { jurisdictions: ['FR'] }));
    expect(sub.statusCode).toBe(202);
    await ok(t, newbie, 'PUT', '/api/drafts/thread', { title: 'My next thread draft', body: 'Half written.' });
    const item = (await itemOfSubmission(t, modFR, sub.json().pending.id))!;
    await ok(t, modFR, 'POST', `/api/moderation/queue/${item.id}/approve`, {});
    const draft = await ok<{ draft: { data: { title: string } } | null }>(t, newbie, 'GET', '/api/drafts/thread');
    expect(draft.draft?.data.title).toBe('My next thread draft');

    const locked = await thread(t, reader, { jurisdictions: ['FR'] });
    const held = await pendingReply(t, newbie, locked.thread.id, 'Pending while open.');
    await ok(t, modFR, 'POST', `/api/moderation/threads/${locked.thread.id}/lock`, R);
    const lockedItem = (await itemOfSubmission(t, modFR, held.id))!;
    const intoLocked = await send(t, modFR, 'POST', `/api/moderation/queue/${lockedItem.id}/approve`, {});
    expect(intoLocked.statusCode).toBe(409);

    const hidden = await thread(t, author, { jurisdictions: ['FR'] });
    await ok(t, reader, 'PUT', `/api/follows/thread/${hidden.thread.id}`);
    const word = secret();
    const held2 = await pendingReply(t, newbie, hidden.thread.id, `Pending ${word}.`);
    await ok(t, modFR, 'POST', `/api/moderation/posts/${hidden.posts[0]!.id}/hide`, R);
    const hiddenItem = (await itemOfSubmission(t, modFR, held2.id))!;
    expect((await send(t, modFR, 'POST', `/api/moderation/queue/${hiddenItem.id}/approve`, {})).statusCode).toBe(409);
    expect(storedFor(reader)).not.toContain(word);
  });

  it('counts a member whose only other post is hidden as a participant again when they reply', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const first = await reply(t, author, op.thread.id, 'First.');
    await ok(t, modFR, 'POST', `/api/moderation/posts/${first.id}/hide`, R);
    await reply(t, author, op.thread.id, 'Second.');
    const page = await ok<{ thread: { participantCount: number } }>(t, reader, 'GET', `/api/threads/${op.thread.id}`);
    expect(page.thread.participantCount).toBe(2);
  });

  it('keeps the target thread’s latest activity when an older post is merged into it', async () => {
    const source = await thread(t, reader, { jurisdictions: ['FR'] });
    const old = await reply(t, author, source.thread.id, 'An old reply to merge.');
    t.clock.advance(24 * 60 * MINUTE);
    const target = await thread(t, reader, { jurisdictions: ['FR'] });
    await reply(t, modFR2, target.thread.id, 'The latest reply in the target.');
    type Page = { thread: { lastPostAt: string; lastPoster: { id: string } } };
    const before = await ok<Page>(t, reader, 'GET', `/api/threads/${target.thread.id}`);
    await ok(t, modFR, 'POST', `/api/moderation/posts/${old.id}/move`, { ...R, toThreadId: target.thread.id });
    const after = await ok<Page>(t, reader, 'GET', `/api/threads/${target.thread.id}`);
    expect(after.thread.lastPostAt).toBe(before.thread.lastPostAt);
    expect(after.thread.lastPoster.id).toBe(modFR2.user.id);
  });

  it('does not say who took part in a hidden thread or wrote a hidden post (mention picker)', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const hiddenReply = await reply(t, author, op.thread.id, 'A reply that will be hidden.');
    const picker = async () =>
      (
        await ok<{ members: { id: string; inThread: boolean }[] }>(
          t,
          modFR2,
          'GET',
          `/api/members/mentionable?q=&threadId=${op.thread.id}`,
        )
      ).members;
    const inThread = async (who: Actor) => (await picker()).find((m) => m.id === who.user.id)?.inThread;
    expect(await inThread(author)).toBe(true);
    await ok(t, modFR, 'POST', `/api/moderation/posts/${hiddenReply.id}/hide`, R);
    expect(await inThread(author)).toBe(false);
    expect(await inThread(reader)).toBe(true);
    await ok(t, modFR, 'POST', `/api/moderation/posts/${op.posts[0]!.id}/hide`, R);
    expect(await inThread(reader)).toBe(false);
  });

  it('tells reporters a restored post’s reports were dismissed, not upheld', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const post = await reply(t, author, op.thread.id, 'A reply reported twice.');
    const second = await quickMember(t, 'FR');
    await report(t, reader, post.id, 'confidential_data');
    await report(t, second, post.id, 'confidential_data');
    await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/restore`, R);
    const statuses = t.handle.sqlite.prepare('select status from reports where post_id = ?').all(post.id);
    expect(statuses).toEqual([{ status: 'dismissed' }, { status: 'dismissed' }]);
  });
});
