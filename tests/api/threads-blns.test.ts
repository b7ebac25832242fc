/**
 * The Big List of Naughty Strings thrown at the free text of threads: titles, reply bodies,
 * provisions cited and edit reasons. Each string is refused with a 400 VALIDATION_FAILED naming
 * that field, or stored and read back through the API exactly as sent; never a 5xx. One app for
 * the whole file, and the author gets a session directly (no password hashing).
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../server/src/modules/auth/session.js';
import { buildTestApp, errorCode, type TestApp } from '../helpers/app.js';
import { readBlns, requireCorpora } from '../helpers/corpora.js';
import { replyTo, startThread, threadBody } from '../helpers/threads.js';
import type { Actor } from '../helpers/vetting.js';

const available = requireCorpora();

describe.runIf(available)('Threads free text against blns.json', () => {
  let t: TestApp;
  let author: Actor;
  const strings = available ? readBlns() : [];
  const show = (value: string) => JSON.stringify(value);

  /** True for a 2xx; otherwise it must be a 400 VALIDATION_FAILED naming `path` (and only it). */
  const accepted = (res: LightMyRequestResponse, path: string, label: string): boolean => {
    if (res.statusCode >= 200 && res.statusCode < 300) return true;
    expect(res.statusCode, `${label}: ${res.body}`).toBe(400);
    expect(errorCode(res), label).toBe('VALIDATION_FAILED');
    const paths = (res.json().error.details?.issues ?? []).map((i: { path: string }) => i.path);
    // A schema refusal of a nullable field may name the path once per branch of its union.
    expect([...new Set(paths)], label).toEqual([path]);
    return false;
  };
  const get = (url: string) => t.request({ method: 'GET', url, cookie: author.cookie });

  beforeAll(async () => {
    t = await buildTestApp();
    const user = await t.createUser({
      email: 'blns@threads.example',
      role: 'member',
      verifiedAt: t.clock.now(),
      profession: 'judge',
      jurisdictionCode: 'FR',
    });
    const { token } = createSession(t.handle.db, user.id, { userAgent: null, ip: null }, t.clock.now());
    author = { user, cookie: `lexforum_session=${token}` };
  });
  afterAll(async () => t?.close());

  it('has the corpus it expects', () => {
    expect(strings.length).toBeGreaterThan(500);
  });

  it('round-trips or refuses every string as a thread title, served as the same text everywhere', async () => {
    let stored = 0;
    for (const value of strings) {
      const label = show(value);
      const res = await t.request({
        method: 'POST',
        url: '/api/threads',
        cookie: author.cookie,
        body: threadBody('discussion', { title: value }),
      });
      if (!accepted(res, '/title', label)) continue;
      stored++;
      expect(res.headers['content-type'], label).toMatch(/^application\/json/);
      const { thread, posts } = res.json();
      expect(thread.title, label).toBe(value);
      expect((await get(`/api/threads/${thread.id}`)).json().thread.title, label).toBe(value);
      const history = (await get(`/api/posts/${posts[0].id}/revisions`)).json();
      expect(history.post.threadTitle, label).toBe(value);
      expect(history.revisions[0].title, label).toBe(value);
    }
    // The list carries every stored title as given, in one page.
    const listed = (await get('/api/threads?limit=100&sort=newest')).json();
    expect(listed.threads.length).toBe(Math.min(stored, 100));
    const sent = new Set(strings);
    for (const row of listed.threads) expect(sent.has(row.title), show(row.title)).toBe(true);
    // Most of the list is ordinary text in some script, and must be accepted.
    expect(stored).toBeGreaterThan(strings.length / 2);
  });

  it('round-trips or refuses every string as a reply body, the source exactly as sent', async () => {
    const { thread } = await startThread(t, author);
    let stored = 0;
    for (const value of strings) {
      const label = show(value);
      const res = await t.request({
        method: 'POST',
        url: `/api/threads/${thread.id}/posts`,
        cookie: author.cookie,
        body: { body: value },
      });
      if (!accepted(res, '/body', label)) continue;
      stored++;
      const id = res.json().post.id;
      expect((await get(`/api/posts/${id}/source`)).json().body, label).toBe(value);
      expect((await get(`/api/posts/${id}/revisions`)).json().revisions[0].body, label).toBe(value);
    }
    expect(stored).toBeGreaterThan(strings.length / 2);
    expect((await get(`/api/threads/${thread.id}`)).json().thread.replyCount).toBe(stored);
  });

  it('round-trips or refuses every string as a provision cited', async () => {
    let stored = 0;
    for (const value of strings) {
      const label = show(value);
      const res = await t.request({
        method: 'POST',
        url: '/api/threads',
        cookie: author.cookie,
        body: threadBody('case_note', { citations: [{ instrument: 'medicrime', provision: value }] }),
      });
      if (!accepted(res, '/citations/0/provision', label)) continue;
      stored++;
      const id = res.json().thread.id;
      expect((await get(`/api/threads/${id}`)).json().thread.citations, label).toEqual([
        { instrument: 'medicrime', shortName: 'Medicrime Convention', provision: value },
      ]);
    }
    expect(stored).toBeGreaterThan(strings.length / 2);
  });

  it('round-trips or refuses every string as the reason for an edit', async () => {
    const { thread } = await startThread(t, author);
    const reply = await replyTo(t, author, thread.id, undefined, 'Version 1.');
    let version = 1;
    let stored = 0;
    for (const value of strings) {
      const label = show(value);
      const res = await t.request({
        method: 'PATCH',
        url: `/api/posts/${reply.id}`,
        cookie: author.cookie,
        body: { version, body: `Version ${version + 1}.`, reason: value },
      });
      if (!accepted(res, '/reason', label)) continue;
      stored++;
      version++;
      expect(res.json().post.version, label).toBe(version);
      const revisions = (await get(`/api/posts/${reply.id}/revisions`)).json().revisions;
      expect(revisions.at(-1), label).toMatchObject({ version, reason: value });
    }
    expect(stored).toBeGreaterThan(strings.length / 2);
    expect((await get(`/api/posts/${reply.id}/revisions`)).json().revisions).toHaveLength(stored + 1);
  });
});
