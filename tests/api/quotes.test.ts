/**
 * A quote is a stored copy of another post: when its source is hidden, deleted, in a hidden thread
 * or gone, a reader who cannot read the source sees "Quoted post withheld." in its place, on every
 * path that serves cooked HTML (thread page, single post, revisions, review items); the source's
 * author and the moderators in scope, who can read it, still see the quote. The oracle is the text.
 */
import type { Post, PostHistory, ReviewItemDetail, SubmissionList, ThreadWithPosts } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  configure,
  itemOfPost,
  moderatePost,
  itemOfSubmission,
  ok,
  pendingReply,
  quickAdmin,
  quickMember,
  quickModerator,
  reply,
  report,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

let secrets = 0;
const secret = () => `Zanzibarwitness${++secrets}x`;
const NOTICE = 'quote-withheld';

/** A quote as the web composer writes it (web/src/lib/threads.ts quoteMarkdown). */
const quoteOf = (post: Post, name: string, text: string) =>
  `[${name} wrote](/posts/${post.id}/history?version=${post.version}):\n> ${text}\n\n`;

describe('Quotes of posts taken out of view', () => {
  let t: TestApp;
  let admin: Actor;
  let modFR: Actor;
  let modKE: Actor;
  let author: Actor;
  let source: Actor;
  let quoter: Actor;
  let reader: Actor;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0 });
    admin = await quickAdmin(t);
    modFR = await quickModerator(t, ['FR']);
    modKE = await quickModerator(t, ['KE']);
    author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    source = await quickMember(t, 'FR', { displayName: 'Sonia Source' });
    quoter = await quickMember(t, 'FR', { displayName: 'Quentin Quoter' });
    reader = await quickMember(t, 'FR', { displayName: 'Rita Reader' });
  });
  afterAll(async () => t?.close());

  /** A quoted reply, a post quoting it, then `takeOut` on the quoted one; the ids and the word. */
  const quoted = async (takeOut: (quotedPost: Post, threadId: string) => Promise<void>, jurisdictions = ['FR']) => {
    const opening = await thread(t, author, { jurisdictions });
    const word = secret();
    const quotedPost = await reply(t, source, opening.thread.id, `The witness is ${word}.`);
    const quoting = await reply(
      t,
      quoter,
      opening.thread.id,
      `${quoteOf(quotedPost, 'Sonia Source', `The witness is ${word}.`)}That should not be here.`,
    );
    await takeOut(quotedPost, opening.thread.id);
    return { threadId: opening.thread.id, quotedPost, quoting, word };
  };

  const hide = async (post: Post) => {
    expect((await moderatePost(t, admin, post.id, 'hide')).statusCode).toBe(200);
  };

  /** The quoting post's cooked HTML on the thread page, the single post and its revisions. */
  const cookedEverywhere = async (who: Actor, threadId: string, postId: string) => {
    const page = await ok<ThreadWithPosts>(t, who, 'GET', `/api/threads/${threadId}`);
    const single = await ok<Post>(t, who, 'GET', `/api/posts/${postId}`);
    const history = await ok<PostHistory>(t, who, 'GET', `/api/posts/${postId}/revisions`);
    return [
      page.posts.find((p) => p.id === postId)!.cooked,
      (single as Post & { post?: Post }).post?.cooked ?? single.cooked,
      ...history.revisions.map((r) => r.cooked),
    ];
  };

  it('shows the quote while its source is visible', async () => {
    const { threadId, quoting, word } = await quoted(async () => {});
    for (const cooked of await cookedEverywhere(reader, threadId, quoting.id)) {
      expect(cooked).toContain(word);
      expect(cooked).not.toContain(NOTICE);
    }
  });

  it.each([
    ['hidden', async (p: Post) => hide(p)],
    ['deleted', async (p: Post) => void expect((await moderatePost(t, admin, p.id, 'delete')).statusCode).toBe(200)],
  ])('withholds the quote of a %s post from members, not from its author or moderators in scope', async (_s, out) => {
    const { threadId, quoting, word } = await quoted(out);
    for (const who of [reader, quoter, author, modKE]) {
      for (const cooked of await cookedEverywhere(who, threadId, quoting.id)) {
        expect(cooked).not.toContain(word);
        expect(cooked).toContain(NOTICE);
        expect(cooked).toContain('That should not be here.');
      }
    }
    for (const who of [source, modFR, admin]) {
      for (const cooked of await cookedEverywhere(who, threadId, quoting.id)) expect(cooked).toContain(word);
    }
  });

  it('withholds the quote of a post in a thread that was hidden', async () => {
    const other = await thread(t, author);
    const word = secret();
    const quotedPost = await reply(t, source, other.thread.id, `Elsewhere: ${word}.`);
    const home = await thread(t, author);
    const quoting = await reply(t, quoter, home.thread.id, `${quoteOf(quotedPost, 'Sonia', word)}Hm.`);
    expect((await moderatePost(t, admin, other.posts[0]!.id, 'hide')).statusCode).toBe(200);
    for (const cooked of await cookedEverywhere(reader, home.thread.id, quoting.id)) {
      expect(cooked).not.toContain(word);
      expect(cooked).toContain(NOTICE);
    }
    for (const cooked of await cookedEverywhere(admin, home.thread.id, quoting.id)) expect(cooked).toContain(word);
  });

  it('withholds a quote whose source never existed (a forged link)', async () => {
    const home = await thread(t, author);
    const word = secret();
    const forged = { id: 'no-such-post', version: 1 } as Post;
    const quoting = await reply(t, quoter, home.thread.id, `${quoteOf(forged, 'Nobody', word)}Hm.`);
    for (const cooked of await cookedEverywhere(reader, home.thread.id, quoting.id)) {
      expect(cooked).not.toContain(word);
      expect(cooked).toContain(NOTICE);
    }
  });

  it('withholds it in a review item from a moderator who cannot read the source', async () => {
    // The source is in a KE thread (hidden: only KE's moderator reads it); the quote in an FR one.
    const ke = await thread(t, author, { jurisdictions: ['KE'] });
    const word = secret();
    const quotedPost = await reply(t, source, ke.thread.id, `Kenyan witness ${word}.`);
    await hide(quotedPost);
    const home = await thread(t, author);
    const quoting = await reply(t, quoter, home.thread.id, `${quoteOf(quotedPost, 'Sonia', word)}Reported.`);
    await report(t, reader, quoting.id);
    const item = await itemOfPost(t, modFR, quoting.id);
    const detail = await ok<ReviewItemDetail>(t, modFR, 'GET', `/api/moderation/queue/${item!.id}`);
    expect(JSON.stringify(detail)).not.toContain(word);
    expect(detail.post!.cooked).toContain(NOTICE);
    const asAdmin = await ok<ReviewItemDetail>(t, admin, 'GET', `/api/moderation/queue/${item!.id}`);
    expect(asAdmin.post!.cooked).toContain(word);
  });

  it("withholds it in a held reply, on the author's submissions page", async () => {
    const held = await quickMember(t, 'FR', { displayName: 'Hector Held', underReview: true });
    const home = await thread(t, author);
    const word = secret();
    const quotedPost = await reply(t, source, home.thread.id, `Held witness ${word}.`);
    const pending = await pendingReply(t, held, home.thread.id, `${quoteOf(quotedPost, 'Sonia', word)}Held reply.`);
    await hide(quotedPost);
    const mine = await ok<SubmissionList>(t, held, 'GET', '/api/account/submissions');
    const cooked = mine.submissions.find((s) => s.id === pending.id)!.cooked;
    expect(cooked).not.toContain(word);
    expect(cooked).toContain(NOTICE);
    const asFR = await itemOfSubmission(t, modFR, pending.id);
    expect(asFR!.submission!.cooked).toContain(word);
  });

  it('withholds it in a saved draft that quotes it, for its owner, once the source is hidden', async () => {
    const home = await thread(t, author);
    const word = secret();
    const quotedPost = await reply(t, source, home.thread.id, `Draft witness ${word}.`);
    const draft = { body: `${quoteOf(quotedPost, 'Sonia', `Draft witness ${word}.`)}My answer.` };
    await ok(t, reader, 'PUT', `/api/drafts/reply/${home.thread.id}`, draft);
    const before = await ok<{ draft: { data: { body: string } } }>(
      t,
      reader,
      'GET',
      `/api/drafts/reply/${home.thread.id}`,
    );
    expect(before.draft.data.body).toContain(word);
    await hide(quotedPost);
    const after = await ok<{ draft: { data: { body: string } } }>(
      t,
      reader,
      'GET',
      `/api/drafts/reply/${home.thread.id}`,
    );
    expect(after.draft.data.body).not.toContain(word);
    expect(after.draft.data.body).toContain('Quoted post withheld.');
    expect(after.draft.data.body).toContain('My answer.');
  });
});
