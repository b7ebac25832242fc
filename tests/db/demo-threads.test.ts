import { DEMO_PASSWORD, DEMO_THREADS, seedDemoData, users } from '@lexforum/db';
import { THREAD_KINDS, type ThreadPage, type ThreadWithPosts } from '@lexforum/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/modules/auth/password.js';
import { cookMarkdown, cookSections, excerptOf } from '../../server/src/modules/threads/cook.js';
import { buildTestApp, DAY, type TestApp } from '../helpers/app.js';
import { threadInvariantViolations } from '../helpers/thread-invariants.js';

describe('Demo threads', () => {
  let t: TestApp;
  const all = <T>(sql: string, ...params: unknown[]) => t.handle.sqlite.prepare(sql).all(...params) as T[];
  const one = <T>(sql: string, ...params: unknown[]) => t.handle.sqlite.prepare(sql).get(...params) as T;

  // As server.ts does on a non-production boot: the app migrates and seeds reference data, then
  // the demo seed runs with the server's cooking pipeline and clock.
  beforeAll(async () => {
    t = await buildTestApp();
    const seeded = await seedDemoData(t.app.db, hashPassword, {
      cook: { markdown: cookMarkdown, sections: cookSections, excerpt: excerptOf },
      now: t.clock.now(),
    });
    expect(seeded.seeded).toBe(true);
  });
  afterAll(() => t.close());

  it('come with one conversation between Camille and Johan, its last message unread for Camille (API view)', async () => {
    const camille = one<{ id: string }>("select id from users where email = 'camille@lexforum.test'");
    const cookie = await t.loginAs(t.app.db.select().from(users).where(eq(users.id, camille.id)).get()!, DEMO_PASSWORD);
    const res = await t.request({ method: 'GET', url: '/api/conversations', cookie });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as {
      conversations: { participants: { displayName: string }[]; unreadCount: number }[];
      unreadTotal: number;
    };
    expect(page.conversations).toHaveLength(1);
    expect(page.conversations[0]!.participants.map((p) => p.displayName).sort()).toEqual([
      'Camille Durand',
      'Johan Lindqvist',
    ]);
    expect(page.conversations[0]!.unreadCount).toBe(1);
    expect(page.unreadTotal).toBe(1);
  });

  it('keep every counter and denormalized column in agreement with the rows', () => {
    expect(one<{ n: number }>('select count(*) as n from threads').n).toBe(DEMO_THREADS.length);
    expect(threadInvariantViolations(t.handle.sqlite)).toEqual([]);
  });

  it("come with the reply notifications the server would have sent: to the parent post's author, never to oneself", () => {
    const rows = all<{
      recipient: string;
      actor: string;
      parent_author: string;
      number: number;
      link: string;
      read: number;
      last_read: number | null;
    }>(
      `select n.user_id as recipient, n.actor_id as actor, parent.author_id as parent_author, p.number, n.link,
              n.read_at is not null as read, r.last_read_number as last_read
       from notifications n join posts p on p.id = n.post_id join posts parent on parent.id = p.parent_id
       left join thread_reads r on r.user_id = n.user_id and r.thread_id = n.thread_id
       where n.kind = 'reply_to_post'`,
    );
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) {
      expect(r.recipient).toBe(r.parent_author);
      expect(r.actor).not.toBe(r.recipient);
      expect(r.link).toMatch(new RegExp(`#post-${r.number}$`));
      // Read exactly when the recipient has read that far.
      expect(r.read === 1).toBe((r.last_read ?? 0) >= r.number);
    }
    expect(rows.some((r) => r.read === 0)).toBe(true);
  });

  it('cover every kind, with legal analyses in five sections, stated law and personal capacity', () => {
    const kinds = all<{ kind: string; n: number }>('select kind, count(*) as n from threads group by kind');
    expect(kinds.map((k) => k.kind).sort()).toEqual([...THREAD_KINDS].sort());
    const analyses = all<{ law_as_of: string; personal_capacity: number; body: string | null; cooked: string }>(
      `select t.law_as_of, t.personal_capacity, p.body, p.cooked from threads t
       join posts p on p.thread_id = t.id and p.number = 1 where t.kind = 'legal_analysis'`,
    );
    expect(analyses.length).toBeGreaterThanOrEqual(2);
    for (const a of analyses) {
      expect(a.law_as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(a.personal_capacity).toBe(1);
      expect(a.body).toBeNull();
      expect(a.cooked.match(/<section class="analysis-section"/g)).toHaveLength(5);
    }
  });

  it('include a legal analysis citing the Medicrime Convention by article', () => {
    const row = one<{ citations: string } | undefined>(
      `select t.citations from threads t join thread_instruments i on i.thread_id = t.id
       where t.kind = 'legal_analysis' and i.instrument = 'medicrime'`,
    );
    expect(JSON.parse(row!.citations)).toContainEqual({ instrument: 'medicrime', provision: 'art. 5' });
  });

  it('tag countries, regional bodies and international law, and several crime areas', () => {
    const kinds = all<{ kind: string }>(
      'select distinct j.kind from thread_jurisdictions tj join jurisdictions j on j.code = tj.code',
    ).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['country', 'regional', 'international']));
    expect(one<{ n: number }>('select count(distinct code) as n from thread_jurisdictions').n).toBeGreaterThan(15);
    expect(one<{ n: number }>('select count(distinct slug) as n from thread_topics').n).toBeGreaterThan(8);
  });

  it('nest replies to replies at least three deep', () => {
    expect(one<{ d: number }>('select max(depth) as d from posts').d).toBeGreaterThanOrEqual(3);
  });

  it('keep every version of an edited post, the original first', () => {
    const edited = all<{ id: string; version: number; body: string | null }>(
      'select id, version, body from posts where version > 1',
    );
    expect(edited.length).toBeGreaterThanOrEqual(3);
    expect(edited.some((p) => p.version >= 3)).toBe(true);
    for (const p of edited) {
      const revisions = all<{ version: number; reason: string | null }>(
        'select version, reason from post_revisions where post_id = ? order by version',
        p.id,
      );
      expect(revisions.map((r) => r.version)).toEqual(Array.from({ length: p.version }, (_, i) => i + 1));
      expect(revisions[0]!.reason).toBeNull();
      expect(revisions.slice(1).every((r) => r.reason)).toBe(true);
    }
    // An opening post's revisions carry the thread's title.
    expect(
      one<{ n: number }>(
        `select count(*) as n from post_revisions r join posts p on p.id = r.post_id
         where p.number = 1 and r.title is null`,
      ).n,
    ).toBe(0);
  });

  it("keep the thread's title and tags on every version of an opening post, and on no reply's", () => {
    const rows = all<{ number: number; title: string | null; meta: string | null; jurisdictions: string }>(
      `select p.number, r.title, r.meta, t.jurisdictions from post_revisions r
       join posts p on p.id = r.post_id join threads t on t.id = p.thread_id`,
    );
    for (const row of rows.filter((r) => r.number === 1)) {
      expect(row.title).not.toBeNull();
      expect(JSON.parse(row.meta ?? 'null')).toMatchObject({ jurisdictions: JSON.parse(row.jurisdictions) });
    }
    expect(rows.filter((r) => r.number > 1 && (r.title !== null || r.meta !== null))).toEqual([]);
  });

  it('have authors follow their threads and the threads they replied to; some follow tags', () => {
    const missing = all<{ id: string }>(
      `select p.id from posts p where not exists (
         select 1 from follows f where f.user_id = p.author_id and f.target = 'thread' and f.key = p.thread_id)`,
    );
    expect(missing).toEqual([]);
    const tags = all<{ target: string }>("select distinct target from follows where target != 'thread'");
    expect(tags.map((r) => r.target).sort()).toEqual(['jurisdiction', 'topic']);
  });

  it('leave demo members with unread posts, and only vetted people as authors', () => {
    const unread = one<{ n: number }>(
      `select count(*) as n from thread_reads r join threads t on t.id = r.thread_id
       where r.last_read_number < t.post_count`,
    ).n;
    expect(unread).toBeGreaterThan(5);
    const authors = all<{ role: string }>(
      'select distinct u.role from posts p join users u on u.id = p.author_id order by u.role',
    );
    expect(authors.map((a) => a.role)).not.toContain('applicant');
  });

  it('date everything in the past few weeks, before the seed clock', () => {
    const now = t.clock.now().getTime();
    const span = one<{ first: number; last: number }>(
      'select min(created_at) as first, max(created_at) as last from posts',
    );
    expect(span.last).toBeLessThanOrEqual(now);
    expect(now - span.first).toBeGreaterThan(21 * DAY);
    expect(now - span.first).toBeLessThan(60 * DAY);
    const latest = one<{ t: number }>(
      'select max(t) as t from (select max(created_at) as t from post_revisions union all select max(updated_at) from thread_reads)',
    );
    expect(latest.t).toBeLessThanOrEqual(now);
  });

  it('are served by the API as they are: every thread opens, and a member has unread posts', async () => {
    const camille = t.handle.db.select().from(users).where(eq(users.email, 'camille@lexforum.test')).get()!;
    const cookie = await t.loginAs(camille, DEMO_PASSWORD);
    const list = await t.request({ method: 'GET', url: '/api/threads?limit=100', cookie });
    expect(list.statusCode).toBe(200);
    const page = list.json<ThreadPage>();
    expect(page.threads).toHaveLength(DEMO_THREADS.length);
    expect(page.threads.some((th) => th.lastReadNumber !== null && th.unreadCount > 0)).toBe(true);
    for (const summary of page.threads) {
      const res = await t.request({ method: 'GET', url: `/api/threads/${summary.id}`, cookie });
      expect(res.statusCode, summary.title).toBe(200);
      const { thread, posts } = res.json<ThreadWithPosts>();
      expect(posts).toHaveLength(thread.postCount);
      if (thread.kind === 'legal_analysis') expect(posts[0]!.sections).toHaveLength(5);
    }
  });

  it('is seeded once: a second run adds nothing', async () => {
    const before = one<{ n: number }>('select count(*) as n from posts').n;
    const again = await seedDemoData(t.app.db, async (p) => p, {
      cook: { markdown: cookMarkdown, sections: cookSections, excerpt: excerptOf },
    });
    expect(again.seeded).toBe(false);
    expect(one<{ n: number }>('select count(*) as n from posts').n).toBe(before);
  });
});
