/**
 * Edits go through the same door as posts: a member whose posts wait for review (placed under
 * review, or still within their first `premoderatedPosts`) has their edits, retitles and retags
 * held too. Nobody reads the change until a moderator approves it; approval writes it as the
 * author's own edit (a revision, audited as a submission decision), refused when the post moved on.
 * Search reads the post as it stands: held words are found by nobody until approved.
 */
import type {
  PendingSubmission,
  Post,
  PostHistory,
  ReviewItemDetail,
  SearchPage,
  SubmissionList,
  ThreadWithPosts,
} from '@lexforum/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  auditRows,
  configure,
  expectError,
  notifiedDuring,
  ok,
  quickMember,
  quickModerator,
  reply,
  send,
  thread,
} from '../helpers/moderation.js';
import { VALID_SECTIONS } from '../helpers/threads.js';
import type { Actor } from '../helpers/vetting.js';

const R = { reason: 'A sufficient reason.' };
let n = 0;
const word = () => `Heldword${++n}x`;

describe('Held edits API', () => {
  let t: TestApp;
  let modFR: Actor, modFR2: Actor, author: Actor, reader: Actor, member: Actor;

  /** Places `who` under review directly (the route is tested elsewhere). */
  const underReview = (who: Actor, on: boolean) =>
    t.handle.sqlite.prepare('update users set under_review = ? where id = ?').run(on ? 1 : 0, who.user.id);

  /** Everything a reader can read of a post: the thread page, the post, its history. */
  async function readerView(who: Actor, post: Post) {
    const page = await ok<ThreadWithPosts>(t, who, 'GET', `/api/threads/${post.threadId}`);
    const one = await ok<{ post: Post }>(t, who, 'GET', `/api/posts/${post.id}`);
    const history = await ok<PostHistory>(t, who, 'GET', `/api/posts/${post.id}/revisions`);
    return JSON.stringify({
      title: page.thread.title,
      jurisdictions: page.thread.jurisdictions,
      topics: page.thread.topics,
      post: page.posts.find((p) => p.id === post.id),
      one: one.post,
      history: history.revisions,
    });
  }

  /** The posts (`thread/post` ids) a search for `q` finds for `who`. */
  async function searchFinds(who: Actor, q: string) {
    const page = await ok<SearchPage>(t, who, 'GET', `/api/search?q=${encodeURIComponent(q)}&limit=50`);
    return page.results.flatMap((r) => (r.posts.length ? r.posts.map((p) => `${r.thread.id}/${p.id}`) : [r.thread.id]));
  }

  async function heldEdit(who: Actor, post: Post, body: string, version = post.version) {
    const res = await send(t, who, 'PATCH', `/api/posts/${post.id}`, { version, body });
    expect(res.statusCode, res.body).toBe(202);
    return (res.json() as { pending: PendingSubmission }).pending;
  }

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0 });
    modFR = await quickModerator(t, ['FR']);
    modFR2 = await quickModerator(t, ['FR'], { displayName: 'Second Moderator' });
    author = await quickMember(t, 'FR', { displayName: 'Arthur' });
    reader = await quickMember(t, 'FR', { displayName: 'Rita' });
    member = await quickMember(t, 'FR', { displayName: 'Mona' });
  });
  afterAll(async () => t?.close());
  // A failed test must not leave the author held for the next one.
  afterEach(() => underReview(author, false));

  it('holds an edit by a member under review: 202, the post unchanged for every reader', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const post = await reply(t, author, op.thread.id, 'The original text of the reply.');
    underReview(author, true);
    const before = { reader: await readerView(reader, post), author: await readerView(author, post) };
    const secret = word();
    const pending = await heldEdit(author, post, `The edited text with ${secret}.`);
    expect(pending).toMatchObject({
      kind: 'edit',
      status: 'pending',
      threadId: op.thread.id,
      postId: post.id,
      change: {
        postId: post.id,
        baseVersion: 1,
        current: { text: 'The original text of the reply.' },
        proposed: { text: `The edited text with ${secret}.` },
      },
    });
    expect(pending.cooked).toContain(secret);
    expect(await readerView(reader, post)).toBe(before.reader);
    expect(await readerView(author, post)).toBe(before.author);
    expect(await readerView(modFR, post)).not.toContain(secret);
    // Search reads the post as it is: the held words are found by nobody, the current ones still are.
    for (const who of [reader, author, modFR]) {
      expect(await searchFinds(who, secret)).toEqual([]);
      expect(await searchFinds(who, '"original text of the reply"')).toContain(`${op.thread.id}/${post.id}`);
    }
    // Its author sees it waiting, on the thread page and in their submissions.
    const page = await ok<ThreadWithPosts>(t, author, 'GET', `/api/threads/${op.thread.id}`);
    expect(page.thread.pending.map((p) => [p.id, p.kind, p.postId])).toEqual([[pending.id, 'edit', post.id]]);
    const mine = await ok<SubmissionList>(t, author, 'GET', '/api/account/submissions');
    expect(mine.submissions.find((s) => s.id === pending.id)).toMatchObject({ kind: 'edit', status: 'pending' });
    // Nobody else sees it waiting.
    const theirs = await ok<ThreadWithPosts>(t, reader, 'GET', `/api/threads/${op.thread.id}`);
    expect(theirs.thread.pending).toEqual([]);
    underReview(author, false);
  });

  it('shows a held edit in the queue and on the item page as an edit with both versions', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const post = await reply(t, author, op.thread.id, 'Before the edit.');
    underReview(author, true);
    const pending = await heldEdit(author, post, 'After the edit.');
    underReview(author, false);
    const detail = await ok<ReviewItemDetail>(t, modFR, 'GET', `/api/moderation/queue/${pending.id}`);
    expect(detail.item).toMatchObject({ kind: 'submission', status: 'open', thread: { id: op.thread.id } });
    expect(detail.item.submission).toMatchObject({
      kind: 'edit',
      change: { current: { text: 'Before the edit.' }, proposed: { text: 'After the edit.' } },
    });
    const counts = (await ok<{ counts: { submissions: number } }>(t, modFR, 'GET', '/api/moderation/queue')).counts;
    expect(counts.submissions).toBeGreaterThan(0);
  });

  it('approves a held edit: applied as the author’s own edit, a revision, audited, the author told', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const post = await reply(t, author, op.thread.id, 'First wording.');
    underReview(author, true);
    const pending = await heldEdit(author, post, 'Second wording, approved.');
    const notes = await notifiedDuring(t, author, () =>
      ok(t, modFR, 'POST', `/api/moderation/queue/${pending.id}/approve`, {}),
    );
    const after = await ok<{ post: Post }>(t, reader, 'GET', `/api/posts/${post.id}`);
    expect(after.post).toMatchObject({ version: 2, editedByModerator: false });
    expect(after.post.cooked).toContain('Second wording, approved.');
    expect(await searchFinds(reader, '"second wording approved"')).toEqual([`${op.thread.id}/${post.id}`]);
    expect(await searchFinds(reader, '"first wording"')).not.toContain(`${op.thread.id}/${post.id}`);
    const history = await ok<PostHistory>(t, reader, 'GET', `/api/posts/${post.id}/revisions`);
    expect(history.revisions.map((r) => [r.version, r.byModerator, r.editor.id])).toEqual([
      [1, false, author.user.id],
      [2, false, author.user.id],
    ]);
    expect(notes.map((x) => [x.kind, x.params])).toEqual([
      ['content_moderated', { action: 'approve', submission: 'edit' }],
    ]);
    const audit = auditRows(t, { action: 'submission.approve', targetId: String(pending.id) });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: modFR.user.id, targetUserId: author.user.id, jurisdictionCode: 'FR' });
    const mine = await ok<SubmissionList>(t, author, 'GET', '/api/account/submissions');
    expect(mine.submissions.find((s) => s.id === pending.id)).toMatchObject({ kind: 'edit', status: 'approved' });
    // A decided edit is not decided twice.
    expectError(await send(t, modFR, 'POST', `/api/moderation/queue/${pending.id}/approve`, {}), 409, 'INVALID_STATE');
    underReview(author, false);
  });

  it('rejects a held edit: the post as it was, the author told why', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const post = await reply(t, author, op.thread.id, 'Kept wording.');
    underReview(author, true);
    const secret = word();
    const pending = await heldEdit(author, post, `Rejected wording ${secret}.`);
    const before = await readerView(reader, post);
    const notes = await notifiedDuring(t, author, () =>
      ok(t, modFR, 'POST', `/api/moderation/queue/${pending.id}/reject`, { reason: 'It names a witness.' }),
    );
    expect(await readerView(reader, post)).toBe(before);
    for (const who of [reader, author, modFR]) expect(await searchFinds(who, secret)).toEqual([]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ body: 'It names a witness.', link: '/account/submissions' });
    expect(notes[0]!.params).toEqual({ action: 'reject', submission: 'edit' });
    const mine = await ok<SubmissionList>(t, author, 'GET', '/api/account/submissions');
    expect(mine.submissions.find((s) => s.id === pending.id)).toMatchObject({
      status: 'rejected',
      reason: 'It names a witness.',
    });
    expect(auditRows(t, { action: 'submission.reject', targetId: String(pending.id) })).toHaveLength(1);
    underReview(author, false);
  });

  it('refuses to approve an edit of a post that changed meanwhile, was hidden, or whose thread was locked', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const changed = await reply(t, author, op.thread.id, 'Will be changed by a moderator.');
    const hidden = await reply(t, author, op.thread.id, 'Will be hidden.');
    underReview(author, true);
    const a = await heldEdit(author, changed, 'Edit of a post that moves on.');
    const b = await heldEdit(author, hidden, 'Edit of a post that gets hidden.');
    await ok(t, modFR2, 'PATCH', `/api/posts/${changed.id}`, { version: 1, body: 'A moderator’s edit.', ...R });
    await ok(t, modFR2, 'POST', `/api/moderation/posts/${hidden.id}/hide`, R);
    const conflict = await send(t, modFR, 'POST', `/api/moderation/queue/${a.id}/approve`, {});
    expectError(conflict, 409, 'CONFLICT');
    expect(conflict.json().error.message).toMatch(/version 1.*version 2/);
    expectError(await send(t, modFR, 'POST', `/api/moderation/queue/${b.id}/approve`, {}), 409, 'INVALID_STATE');
    expect((await ok<{ post: Post }>(t, modFR, 'GET', `/api/posts/${changed.id}`)).post.version).toBe(2);

    underReview(author, false);
    const inLocked = await reply(t, author, op.thread.id, 'Written before the lock.');
    underReview(author, true);
    const c = await heldEdit(author, inLocked, 'Edit in a locked thread.');
    await ok(t, modFR2, 'POST', `/api/moderation/threads/${op.thread.id}/lock`, R);
    expectError(await send(t, modFR, 'POST', `/api/moderation/queue/${c.id}/approve`, {}), 409, 'INVALID_STATE');
    // Each stays open, to be rejected.
    for (const item of [a, b, c]) await ok(t, modFR, 'POST', `/api/moderation/queue/${item.id}/reject`, R);
    underReview(author, false);
  });

  it('keeps one open held edit per post: a new edit replaces it, refused while a moderator reviews it', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const post = await reply(t, author, op.thread.id, 'One held edit at a time.');
    underReview(author, true);
    const first = await heldEdit(author, post, 'First proposal.');
    const second = await heldEdit(author, post, 'Second proposal.');
    expect(second.id).toBe(first.id);
    expect(second.change?.proposed.text).toBe('Second proposal.');
    const count = t.handle.sqlite
      .prepare(`select count(*) as n from review_items where post_id = ? and kind = 'submission' and status = 'open'`)
      .get(post.id) as { n: number };
    expect(count.n).toBe(1);
    await ok(t, modFR, 'POST', `/api/moderation/queue/${first.id}/claim`);
    const refused = await send(t, author, 'PATCH', `/api/posts/${post.id}`, { version: 1, body: 'Third proposal.' });
    expectError(refused, 409, 'INVALID_STATE');
    expect(refused.json().error.message).toContain('A moderator is reviewing');
    await ok(t, modFR, 'POST', `/api/moderation/queue/${first.id}/approve`, {});
    const after = await ok<{ post: Post }>(t, reader, 'GET', `/api/posts/${post.id}`);
    expect(after.post.cooked).toContain('Second proposal.');
    underReview(author, false);
  });

  it('holds a retitle and a retag: the thread unchanged until approved, then a new opening revision', async () => {
    const op = await thread(t, author, { jurisdictions: ['FR'] });
    underReview(author, true);
    const opener = op.posts[0]!;
    const before = await readerView(reader, opener);
    const secret = word();
    const title = `A held new title ${secret}`;
    const res = await send(t, author, 'PATCH', `/api/threads/${op.thread.id}`, { title });
    expect(res.statusCode, res.body).toBe(202);
    const pending = (res.json() as { pending: PendingSubmission }).pending;
    expect(pending).toMatchObject({
      kind: 'thread_edit',
      postId: opener.id,
      change: { current: { title: op.thread.title }, proposed: { title } },
    });
    // A retag adds to the pending change.
    const retag = await send(t, author, 'PATCH', `/api/threads/${op.thread.id}`, { topics: ['illicit-tobacco'] });
    expect(retag.statusCode, retag.body).toBe(202);
    const merged = (retag.json() as { pending: PendingSubmission }).pending;
    expect(merged.id).toBe(pending.id);
    expect(merged.change?.proposed).toMatchObject({ title, tags: expect.arrayContaining(['#illicit-tobacco']) });
    expect(merged.change?.proposed.tags).not.toContain('#medical-products');
    expect(await readerView(reader, opener)).toBe(before);
    for (const who of [reader, author, modFR]) expect(await searchFinds(who, `${secret} in:title`)).toEqual([]);

    await ok(t, modFR, 'POST', `/api/moderation/queue/${pending.id}/approve`, {});
    expect(await searchFinds(reader, `${secret} in:title`)).toEqual([`${op.thread.id}/${opener.id}`]);
    const page = await ok<ThreadWithPosts>(t, reader, 'GET', `/api/threads/${op.thread.id}`);
    expect(page.thread.title).toBe(title);
    expect(page.thread.topics.map((x) => x.code)).toEqual(['illicit-tobacco']);
    const history = await ok<PostHistory>(t, reader, 'GET', `/api/posts/${opener.id}/revisions`);
    expect(history.revisions.at(-1)).toMatchObject({ version: 2, title, byModerator: false });
    underReview(author, false);
  });

  it('holds an edit of a legal analysis’s sections and its date, and applies both on approval', async () => {
    const op = await thread(t, author, { kind: 'legal_analysis', jurisdictions: ['FR'] });
    const opener = op.posts[0]!;
    underReview(author, true);
    const sections = { ...VALID_SECTIONS, conclusion: 'No: only the supply is an offence under article 7.' };
    const res = await send(t, author, 'PATCH', `/api/posts/${opener.id}`, { version: 1, sections });
    expect(res.statusCode, res.body).toBe(202);
    const pending = (res.json() as { pending: PendingSubmission }).pending;
    expect(pending.change?.current.text).toContain(`Conclusion\n${VALID_SECTIONS.conclusion}`);
    expect(pending.change?.proposed.text).toContain('Conclusion\nNo: only the supply');
    const date = await send(t, author, 'PATCH', `/api/threads/${op.thread.id}`, {
      analysis: { lawAsOf: '2026-02-01', personalCapacity: true },
    });
    expect(date.statusCode, date.body).toBe(202);
    const dated = (date.json() as { pending: PendingSubmission }).pending;
    expect(dated.change).toMatchObject({ current: { lawAsOf: '2026-01-01' }, proposed: { lawAsOf: '2026-02-01' } });
    // Two open changes of the opening post, one of its text and one of the thread: each decided
    // alone, and one does not stand in the other's way (both make a new version).
    expect(dated.id).not.toBe(pending.id);
    await ok(t, modFR, 'POST', `/api/moderation/queue/${pending.id}/approve`, {});
    await ok(t, modFR, 'POST', `/api/moderation/queue/${dated.id}/approve`, {});
    const page = await ok<ThreadWithPosts>(t, reader, 'GET', `/api/threads/${op.thread.id}`);
    expect(page.posts[0]!.sections?.find((x) => x.key === 'conclusion')?.cooked).toContain('only the supply');
    expect(page.thread.lawAsOf).toBe('2026-02-01');
    expect(page.posts[0]!.version).toBe(3);

    // A thread change whose title a moderator changed meanwhile is refused.
    const retitle = await send(t, author, 'PATCH', `/api/threads/${op.thread.id}`, { title: 'The author’s title' });
    expect(retitle.statusCode, retitle.body).toBe(202);
    await ok(t, modFR2, 'PATCH', `/api/threads/${op.thread.id}`, { title: 'The moderator’s title', ...R });
    const held = (retitle.json() as { pending: PendingSubmission }).pending;
    expectError(await send(t, modFR, 'POST', `/api/moderation/queue/${held.id}/approve`, {}), 409, 'CONFLICT');
    underReview(author, false);
  });

  it('holds the edits of a member still within their first pre-moderated posts', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const newcomer = await quickMember(t, 'FR', { displayName: 'Nina' });
    const post = await reply(t, newcomer, op.thread.id, 'My first post, approved.');
    await configure(t, { premoderatedPosts: 3 });
    try {
      await heldEdit(newcomer, post, 'My edit waits too.');
      const title = await send(t, newcomer, 'PATCH', `/api/threads/${op.thread.id}`, { title: 'Not my thread' });
      expectError(title, 403);
    } finally {
      await configure(t, { premoderatedPosts: 0 });
    }
  });

  it('applies at once the edits of a member who is not held, and moderators’ edits', async () => {
    const op = await thread(t, member, { jurisdictions: ['FR'] });
    const post = await reply(t, member, op.thread.id, 'A normal member’s post.');
    const res = await send(t, member, 'PATCH', `/api/posts/${post.id}`, { version: 1, body: 'Edited at once.' });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { post: Post }).post).toMatchObject({ version: 2 });
    const retitle = await send(t, member, 'PATCH', `/api/threads/${op.thread.id}`, { title: 'Retitled at once' });
    expect(retitle.statusCode, retitle.body).toBe(200);
    // A moderator's edit of a held member's post is a moderator's edit, never held.
    underReview(author, true);
    const held = await reply(t, reader, op.thread.id, 'Reader post for a moderator edit.');
    const mod = await send(t, modFR, 'PATCH', `/api/posts/${held.id}`, { version: 1, body: 'Moderated.', ...R });
    expect(mod.statusCode, mod.body).toBe(200);
    expect((mod.json() as { post: Post }).post).toMatchObject({ version: 2, editedByModerator: true });
    underReview(author, false);
  });
});
