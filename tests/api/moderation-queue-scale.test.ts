/**
 * The review queue at 10,000 open items: the scope (the Guardian's rule on each item's thread's
 * current jurisdictions, or the submitted ones) is applied by the database, through indexes, and
 * gives the same answer as the Guardian item by item: every shape of jurisdictions (one of the
 * moderator's, another covered one, an uncovered one, INT, none, mixed; on a thread or submitted
 * without one) is checked against the Guardian's own answer (the item's detail route: 200, or 403/404).
 */
import type { ReviewQueue } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { ok, quickAdmin, quickMember, quickModerator, send, thread } from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

const ITEMS = 10_000;

describe('Moderation queue at scale', () => {
  let t: TestApp;
  let modFR: Actor;
  let modKE: Actor;
  let admin: Actor;
  /** Per shape: the ids of its open items. */
  const shapes = new Map<string, number[]>();

  beforeAll(async () => {
    t = await buildTestApp();
    modFR = await quickModerator(t, ['FR']);
    modKE = await quickModerator(t, ['KE']);
    admin = await quickAdmin(t);
    const author = await quickMember(t);
    // FR and KE are covered; DE is nobody's (so every moderator's); INT is every moderator's.
    const threadShapes: [string, string[]][] = [
      ['thread FR', ['FR']],
      ['thread KE', ['KE']],
      ['thread DE', ['DE']],
      ['thread INT', ['INT']],
      ['thread FR+KE', ['FR', 'KE']],
      ['thread KE+DE', ['KE', 'DE']],
      ['thread without jurisdictions', ['KE']],
    ];
    const threadIds = new Map<string, string>();
    for (const [name, jurisdictions] of threadShapes) {
      threadIds.set(name, (await thread(t, author, { jurisdictions })).thread.id);
    }
    const bare = threadIds.get('thread without jurisdictions')!;
    t.handle.sqlite.prepare('delete from thread_jurisdictions where thread_id = ?').run(bare);
    t.handle.sqlite.prepare(`update threads set jurisdictions = '[]' where id = ?`).run(bare);
    const submittedShapes: [string, string[]][] = [
      ['submitted FR', ['FR']],
      ['submitted KE', ['KE']],
      ['submitted DE', ['DE']],
      ['submitted KE+INT', ['KE', 'INT']],
      ['submitted none', []],
    ];
    const all: [string, string | null, string[]][] = [
      // The submitted jurisdictions of an item on a thread are stale on purpose: the thread's count.
      ...threadShapes.map(([name]) => [name, threadIds.get(name)!, ['KE']] as [string, string, string[]]),
      ...submittedShapes.map(([name, j]) => [name, null, j] as [string, null, string[]]),
    ];
    const insert = t.handle.sqlite.prepare(
      `insert into review_items (kind, status, thread_id, author_id, submission, jurisdictions, created_at)
       values (?, ?, ?, ?, ?, ?, ?)`,
    );
    const submission = JSON.stringify({ type: 'reply', body: { body: 'A held reply.' } });
    t.handle.sqlite.transaction(() => {
      for (let i = 0; i < ITEMS + 500; i++) {
        const [name, threadId, jurisdictions] = all[i % all.length]!;
        const open = i < ITEMS;
        const info = insert.run(
          'submission',
          open ? 'open' : 'closed',
          threadId,
          author.user.id,
          submission,
          JSON.stringify(jurisdictions),
          t.clock.now().getTime(),
        );
        if (open) shapes.set(name, [...(shapes.get(name) ?? []), Number(info.lastInsertRowid)]);
      }
    })();
  }, 120_000);
  afterAll(async () => t.close());

  /** The ids the Guardian lets `who` see: one item of each shape through the detail route. */
  async function expectedIds(who: Actor): Promise<number[]> {
    const ids: number[] = [];
    for (const [, items] of shapes) {
      const res = await send(t, who, 'GET', `/api/moderation/queue/${items[0]}`);
      expect([200, 403, 404]).toContain(res.statusCode);
      if (res.statusCode === 200) ids.push(...items);
    }
    return ids.sort((a, b) => a - b);
  }

  it.each([
    ['a moderator of FR', () => modFR],
    ['a moderator of KE', () => modKE],
    ['an admin', () => admin],
  ])('lists and counts for %s exactly the items the Guardian lets them see', async (_name, who) => {
    const expected = await expectedIds(who());
    const first = await ok<ReviewQueue>(t, who(), 'GET', '/api/moderation/queue?limit=100');
    expect(first.counts).toMatchObject({ open: expected.length, submissions: expected.length, reports: 0 });
    expect(first.items.map((i) => i.id)).toEqual(expected.slice(0, 100));
    // A page from deep in the queue.
    const cursor = expected[expected.length - 150]!;
    const deep = await ok<ReviewQueue>(t, who(), 'GET', `/api/moderation/queue?limit=100&cursor=${cursor}`);
    expect(deep.items.map((i) => i.id)).toEqual(expected.slice(expected.length - 149, expected.length - 49));
  });

  it('the scope table: which shapes a moderator of FR and of KE see', async () => {
    const seen = async (who: Actor) => {
      const out: Record<string, boolean> = {};
      for (const [name, items] of shapes) {
        out[name] = (await send(t, who, 'GET', `/api/moderation/queue/${items[0]}`)).statusCode === 200;
      }
      return out;
    };
    expect(await seen(modFR)).toEqual({
      'thread FR': true,
      'thread KE': false,
      'thread DE': true,
      'thread INT': true,
      'thread FR+KE': true,
      'thread KE+DE': true,
      'thread without jurisdictions': true,
      'submitted FR': true,
      'submitted KE': false,
      'submitted DE': true,
      'submitted KE+INT': true,
      'submitted none': true,
    });
    expect(await seen(modKE)).toMatchObject({ 'thread KE': true, 'thread FR': false, 'submitted FR': false });
  });

  it('reads a page and the counts through indexes (EXPLAIN QUERY PLAN), not every open item', async () => {
    const statements = captureStatements(t, /review_items/);
    await ok<ReviewQueue>(t, modFR, 'GET', '/api/moderation/queue?limit=30');
    statements.stop();
    const queries = statements.seen.filter((s) => /from "?review_items"?/i.test(s.sql));
    expect(queries.length).toBeGreaterThanOrEqual(2);
    // A page of 30 (and one more, to know there is a next page) and one row of counts, not 10,000 rows.
    expect(queries.reduce((n, q) => n + q.rows, 0)).toBeLessThanOrEqual(40);
    for (const { sql, params } of queries) {
      const plan = (t.handle.sqlite.prepare(`explain query plan ${sql}`).all(...params) as { detail: string }[]).map(
        (r) => r.detail,
      );
      if (process.env['SHOW_PLANS']) console.warn(sql, '\n  ', plan.join('\n   '));
      const onItems = plan.filter((d) => /\breview_items\b/.test(d));
      expect(onItems.length, plan.join('\n')).toBeGreaterThan(0);
      for (const detail of onItems)
        expect(detail, `${sql}\n${plan.join('\n')}`).toMatch(/USING (COVERING )?INDEX|PRIMARY KEY/);
      expect(plan.join('\n'), sql).not.toMatch(/SCAN review_items(?! USING)/);
    }
  });
});

/** Records the SQL and parameters of the statements run through better-sqlite3 while it listens. */
function captureStatements(t: TestApp, match: RegExp) {
  const sqlite = t.handle.sqlite;
  const prepare = sqlite.prepare;
  const seen: { sql: string; params: unknown[]; rows: number }[] = [];
  sqlite.prepare = function (this: typeof sqlite, source: string) {
    const statement = prepare.call(this, source);
    if (!match.test(source)) return statement;
    for (const method of ['all', 'get', 'run', 'iterate'] as const) {
      const original = statement[method] as (...args: unknown[]) => unknown;
      // Patched per statement: records what drizzle binds, then runs it unchanged.
      (statement as unknown as Record<string, unknown>)[method] = (...params: unknown[]) => {
        const result = original.apply(statement, params);
        seen.push({ sql: source, params, rows: Array.isArray(result) ? result.length : 1 });
        return result;
      };
    }
    return statement;
  } as typeof sqlite.prepare;
  return {
    seen,
    stop: () => {
      sqlite.prepare = prepare;
    },
  };
}
