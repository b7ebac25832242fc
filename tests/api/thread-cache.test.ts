/**
 * The cached thread page says exactly what the uncached one says, to every reader, after every
 * kind of write. Two apps share one database file: one with the page cache (the default), one
 * without (`THREAD_CACHE_ENTRIES=0`). Each step reads the page as every reader on the cached app
 * first (so the cache holds the page as it was), writes, then reads again on both apps: a page
 * served stale from the cache differs from the uncached one, and the step's own check that the
 * write shows makes sure there was something to miss.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ThreadWithPosts } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import {
  configure,
  ok,
  pendingReply,
  quickActor,
  quickAdmin,
  quickMember,
  quickModerator,
  reply,
  report,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

describe('Thread page cache', () => {
  let dir: string;
  let cached: TestApp;
  let uncached: TestApp;
  let admin: Actor;
  let modFR: Actor;
  let modKE: Actor;
  let author: Actor;
  let member: Actor;
  let replier: Actor;
  let held: Actor;
  let applicant: Actor;
  let threadId: string;
  let otherThreadId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lexforum-thread-cache-'));
    const database = join(dir, 'forum.db');
    cached = await buildTestApp({ database });
    uncached = await buildTestApp({ database, env: { THREAD_CACHE_ENTRIES: '0' } });
    await configure(cached, { premoderatedPosts: 0, confidentialReportsToHide: 0 });
    admin = await quickAdmin(cached, { displayName: 'Ada Admin' });
    modFR = await quickModerator(cached, ['FR'], { displayName: 'Fabienne Moderator' });
    modKE = await quickModerator(cached, ['KE'], { displayName: 'Kamau Moderator' });
    author = await quickMember(cached, 'FR', { displayName: 'Arthur Author' });
    member = await quickMember(cached, 'DE', { displayName: 'Mona Member' });
    replier = await quickMember(cached, 'DE', { displayName: 'Rita Replier' });
    held = await quickMember(cached, 'DE', { displayName: 'Hugo Held', underReview: true });
    applicant = await quickActor(cached, { role: 'applicant', displayName: 'Anna Applicant' });

    const opened = await thread(cached, author, { title: 'Cross-border freezing orders', jurisdictions: ['FR'] });
    threadId = opened.thread.id;
    const first = opened.posts[0]!;
    await reply(cached, replier, threadId, 'A first reply.', first.id);
    await reply(cached, author, threadId, 'The author answers.');
    // A member's report: their page shows the post as not reportable again.
    await report(cached, member, (await reply(cached, replier, threadId, 'A reply reported by Mona.')).id);
    otherThreadId = (await thread(cached, replier, { title: 'Quoted elsewhere', jurisdictions: ['FR'] })).thread.id;
  });

  afterAll(async () => {
    await cached?.close();
    await uncached?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const readers = () => ({ author, member, replier, held, modFR, modKE, admin, applicant });

  async function page(t: TestApp, who: Actor, id = threadId) {
    const res = await send(t, who, 'GET', `/api/threads/${id}`);
    return { status: res.statusCode, type: res.headers['content-type'], body: res.json() as unknown };
  }

  /** Every reader's page on both apps, the cached one read twice (a fill, then a hit). */
  async function expectSamePages(id = threadId) {
    for (const [name, who] of Object.entries(readers())) {
      const plain = await page(uncached, who, id);
      const fill = await page(cached, who, id);
      const hit = await page(cached, who, id);
      expect({ reader: name, ...fill }).toEqual({ reader: name, ...plain });
      expect({ reader: name, ...hit }).toEqual({ reader: name, ...plain });
    }
  }

  async function memberPage(): Promise<ThreadWithPosts> {
    return (await page(cached, member)).body as ThreadWithPosts;
  }

  /** Warms the cache for every reader, runs the write, checks it shows to a member, compares all. */
  async function afterWrite(write: () => Promise<void>, shows: (page: ThreadWithPosts) => void) {
    await expectSamePages();
    await write();
    shows(await memberPage());
    await expectSamePages();
  }

  const confirm = (who: Actor) => ok(cached, who, 'POST', '/api/auth/reauth', { password: TEST_PASSWORD });

  it('serves every reader the same page as without the cache, applicants refused alike', async () => {
    await expectSamePages();
    expect((await page(cached, applicant)).status).toBe(403);
    const mine = (await page(cached, author)).body as ThreadWithPosts;
    expect(mine.posts.filter((p) => p.canEdit).length).toBe(2);
    const theirs = await memberPage();
    expect(theirs.posts.filter((p) => !p.canReport).length).toBe(1);
  });

  it('after a reply', async () => {
    await afterWrite(
      async () => void (await reply(cached, replier, threadId, 'A later reply.')),
      (p) => expect(p.posts.at(-1)!.cooked).toContain('A later reply.'),
    );
  });

  it('after an edit', async () => {
    await afterWrite(
      async () => {
        const first = (await memberPage()).posts[0]!;
        await ok(cached, author, 'PATCH', `/api/posts/${first.id}`, {
          version: first.version,
          body: 'The opening post, edited: the facts of the case as they now stand.',
        });
      },
      (p) => expect(p.posts[0]!.cooked).toContain('edited'),
    );
  });

  it('while a reply is held (its author sees it pending), and after it is approved', async () => {
    const pending = await pendingReply(cached, held, threadId, 'A held reply, approved later.');
    await expectSamePages();
    await afterWrite(
      async () => void (await ok(cached, modFR, 'POST', `/api/moderation/queue/${pending.id}/approve`, {})),
      (p) => expect(p.posts.at(-1)!.cooked).toContain('A held reply'),
    );
  });

  it('after a post is hidden, and after it is restored', async () => {
    const target = (await memberPage()).posts[1]!;
    await afterWrite(
      async () =>
        void (await ok(cached, modFR, 'POST', `/api/moderation/posts/${target.id}/hide`, {
          reason: 'Off topic here.',
        })),
      (p) => expect(p.posts[1]!.withheld).toBe(true),
    );
    await afterWrite(
      async () =>
        void (await ok(cached, modFR, 'POST', `/api/moderation/posts/${target.id}/restore`, {
          reason: 'On reflection.',
        })),
      (p) => expect(p.posts[1]!.withheld).toBe(false),
    );
  });

  it('after a quoted post elsewhere is hidden (the quote is withheld) and restored', async () => {
    const quoted = (await ok<ThreadWithPosts>(cached, replier, 'GET', `/api/threads/${otherThreadId}`)).posts[0]!;
    await reply(
      cached,
      member,
      threadId,
      `[Rita Replier wrote](/posts/${quoted.id}/history?version=1):\n> A quoted sentence.\n\nI agree.`,
    );
    await afterWrite(
      async () =>
        void (await ok(cached, modFR, 'POST', `/api/moderation/posts/${quoted.id}/hide`, {
          reason: 'Off topic here.',
        })),
      (p) => expect(p.posts.at(-1)!.cooked).not.toContain('A quoted sentence.'),
    );
    await afterWrite(
      async () =>
        void (await ok(cached, modFR, 'POST', `/api/moderation/posts/${quoted.id}/restore`, {
          reason: 'On reflection.',
        })),
      (p) => expect(p.posts.at(-1)!.cooked).toContain('A quoted sentence.'),
    );
  });

  it('after a change of title and tags', async () => {
    await afterWrite(
      async () =>
        void (await ok(cached, author, 'PATCH', `/api/threads/${threadId}`, {
          title: 'Freezing orders across borders',
          jurisdictions: ['FR', 'DE'],
        })),
      (p) => expect(p.thread.title).toBe('Freezing orders across borders'),
    );
  });

  it('after a lock and a pin', async () => {
    await afterWrite(
      async () =>
        void (await ok(cached, modFR, 'POST', `/api/moderation/threads/${threadId}/lock`, { reason: 'Enough said.' })),
      (p) => expect([p.thread.locked, p.thread.canReply]).toEqual([true, false]),
    );
    await afterWrite(
      async () =>
        void (await ok(cached, modFR, 'POST', `/api/moderation/threads/${threadId}/pin`, {
          reason: 'Useful to all.',
          jurisdiction: 'FR',
        })),
      (p) => expect(p.thread.pin).toEqual({ jurisdiction: 'FR' }),
    );
  });

  it("after a question's answer is marked, its reply hidden and restored, and the mark taken back", async () => {
    const q = await thread(cached, author, {
      kind: 'question',
      title: 'Who may freeze assets?',
      jurisdictions: ['FR'],
    });
    const answer = await reply(cached, replier, q.thread.id, 'The investigating judge, under article 706-153.');
    const answers = async () =>
      ((await page(cached, member, q.thread.id)).body as ThreadWithPosts).thread.acceptedAnswers.map((a) => a.postId);
    await expectSamePages(q.thread.id);
    await ok(cached, author, 'PUT', `/api/threads/${q.thread.id}/answer`, { postId: answer.id });
    expect(await answers()).toEqual([answer.id]);
    await expectSamePages(q.thread.id);
    await ok(cached, modFR, 'POST', `/api/moderation/posts/${answer.id}/hide`, { reason: 'Wrong article.' });
    expect(await answers()).toEqual([]);
    await expectSamePages(q.thread.id);
    await ok(cached, modFR, 'POST', `/api/moderation/posts/${answer.id}/restore`, { reason: 'It was right.' });
    expect(await answers()).toEqual([answer.id]);
    await ok(cached, modFR, 'DELETE', `/api/threads/${q.thread.id}/answer`);
    expect(await answers()).toEqual([]);
    await expectSamePages(q.thread.id);
  });

  it('after a redaction', async () => {
    await afterWrite(
      async () =>
        void (await ok(cached, modFR, 'POST', `/api/posts/${(await memberPage()).posts[0]!.id}/redactions`, {
          kind: 'span',
          text: 'the facts of the case',
          reason: 'A detail that identifies the parties.',
        })),
      (p) => expect(p.posts[0]!.cooked).not.toContain('the facts of the case'),
    );
  });

  it('after the author changes their display name', async () => {
    await afterWrite(
      async () => void (await ok(cached, author, 'PATCH', '/api/account', { displayName: 'Arthur A. Author' })),
      (p) => expect(p.posts[0]!.author.displayName).toBe('Arthur A. Author'),
    );
  });

  it('after the author is promoted', async () => {
    await confirm(admin);
    await afterWrite(
      async () =>
        void (await ok(cached, admin, 'PUT', `/api/admin/users/${replier.user.id}/role`, {
          role: 'moderator',
          reason: 'Trusted member.',
        })),
      (p) => expect(p.posts.find((x) => x.author.id === replier.user.id)!.author.role).toBe('moderator'),
    );
  });

  it('after the author is suspended (the badge goes)', async () => {
    await confirm(admin);
    await afterWrite(
      async () =>
        void (await ok(cached, admin, 'POST', `/api/admin/users/${author.user.id}/suspend`, {
          reason: 'Shared case files outside the forum.',
        })),
      (p) => expect(p.posts[0]!.author.badge).toBeNull(),
    );
  });
});
