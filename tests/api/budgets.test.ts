/**
 * Per-member budgets for expensive writes: posts, edits, draft saves, reports and uploads each spend a
 * token of the member's bucket; an empty bucket answers 429 RATE_LIMITED with Retry-After, other
 * members are unaffected, and the bucket refills with time (the TestClock).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, MINUTE, SECOND, type TestApp } from '../helpers/app.js';
import { startThread } from '../helpers/threads.js';
import { member, type Actor } from '../helpers/vetting.js';

describe('Per-member budgets', () => {
  let t: TestApp;
  let alice: Actor;
  let bob: Actor;
  beforeEach(async () => {
    // Two of each at once, then one a minute.
    const env = Object.fromEntries(
      ['POSTS', 'EDITS', 'DRAFTS', 'REPORTS', 'UPLOADS'].flatMap((c) => [
        [`BUDGET_${c}_BURST`, '2'],
        [`BUDGET_${c}_PER_HOUR`, '60'],
      ]),
    );
    t = await buildTestApp({ env });
    alice = await member(t, { displayName: 'Alice Prosecutor' });
    bob = await member(t, { displayName: 'Bob Judge' });
  });
  afterEach(async () => t.close());

  type Call = {
    method: 'POST' | 'PATCH' | 'PUT';
    url: string;
    body: unknown;
    ok: number;
    headers?: Record<string, string>;
  };
  /** Someone other than alice, whose thread alice replies to or reports (their budget, not hers). */
  const otherThread = async (n: number) => startThread(t, await member(t, { displayName: `Author ${n}` }));
  let edited: string | undefined;
  /** Each class: the n-th request of alice that spends one token of it. */
  const cases: [string, (n: number) => Promise<Call>][] = [
    [
      'posts (replies)',
      async (n) => {
        const { thread } = await otherThread(n);
        return { method: 'POST', url: `/api/threads/${thread.id}/posts`, body: { body: `Reply ${n}.` }, ok: 201 };
      },
    ],
    [
      'edits',
      async (n) => {
        edited ??= (await startThread(t, alice)).posts[0]!.id;
        return {
          method: 'PATCH',
          url: `/api/posts/${edited}`,
          body: { version: n, body: `The opening post, edited for the ${n}th time.` },
          ok: 200,
        };
      },
    ],
    ['drafts', async (n) => ({ method: 'PUT', url: '/api/drafts/thread', body: { title: `Draft ${n}` }, ok: 200 })],
    [
      'reports',
      async (n) => {
        const { posts } = await otherThread(n);
        return { method: 'POST', url: `/api/posts/${posts[0]!.id}/reports`, body: { reason: 'off_topic' }, ok: 201 };
      },
    ],
    [
      'uploads',
      async (n) => ({
        method: 'POST',
        url: `/api/attachments?name=note-${n}.txt`,
        body: Buffer.from(`A short note, number ${n}.`),
        headers: { 'content-type': 'application/octet-stream' },
        ok: 201,
      }),
    ],
  ];

  describe.each(cases)('%s', (_name, make) => {
    it('answers 429 with Retry-After past the burst, spares other members, and refills with time', async () => {
      edited = undefined;
      const calls = [await make(1), await make(2), await make(3), await make(4)];
      const send = (call: Call) =>
        t.request({
          method: call.method,
          url: call.url,
          cookie: alice.cookie,
          body: call.body,
          ...(call.headers ? { headers: call.headers } : {}),
        });
      for (const call of calls.slice(0, 2)) {
        const res = await send(call);
        expect(res.statusCode, res.body).toBe(call.ok);
      }
      const refused = await send(calls[2]!);
      expect(refused.statusCode, refused.body).toBe(429);
      expect(errorCode(refused)).toBe('RATE_LIMITED');
      expect(refused.headers['retry-after']).toBe('60');
      expect(refused.json()).toMatchObject({ error: { details: { retryAfterSeconds: 60 } } });

      t.clock.advance(30 * SECOND);
      const still = await send(calls[2]!);
      expect(still.statusCode).toBe(429);
      expect(still.headers['retry-after']).toBe('30');

      t.clock.advance(30 * SECOND);
      const later = await send(calls[2]!);
      expect(later.statusCode, later.body).toBe(calls[2]!.ok);
      expect((await send(calls[3]!)).statusCode).toBe(429);
      // Another member's bucket is their own.
      const bobs = await t.request({
        method: 'PUT',
        url: '/api/drafts/thread',
        cookie: bob.cookie,
        body: { title: 'B' },
      });
      expect(bobs.statusCode, bobs.body).toBe(200);
      t.clock.advance(MINUTE);
      expect((await send(calls[3]!)).statusCode).toBe(calls[3]!.ok);
    });
  });

  it('does not count requests of nobody signed in', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.request({ method: 'PUT', url: '/api/drafts/thread', body: { title: 'x' } });
      expect(res.statusCode).toBe(401);
    }
    const res = await t.request({
      method: 'PUT',
      url: '/api/drafts/thread',
      cookie: alice.cookie,
      body: { title: 'x' },
    });
    expect(res.statusCode, res.body).toBe(200);
  });
});
