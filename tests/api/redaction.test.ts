/**
 * Redaction through the real app. The strongest check is the database itself: after a redaction
 * every table of the database is read row by row, and the removed text must occur nowhere (the
 * post's versions, quoting posts, notifications, stored member events, review items, report
 * notes, drafts, audit before/after, the redaction record). Then who may (author, moderator in
 * scope, admin; not a moderator out of scope nor another member), what the history shows to
 * whom, the audit entry (no text, the counts), and the errors.
 */
import type { Notification, PostHistory, RedactionResult } from '@lexforum/shared';
import { REDACTED_PLACEHOLDER } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  auditRows,
  configure,
  expectError,
  moderatePost,
  notificationsOf,
  ok,
  pendingReply,
  quickAdmin,
  quickMember,
  quickModerator,
  reply,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';
import { usernameOf } from '../helpers/ws.js';

const REASON = 'Personal data of a witness: her home address.';

/** Every row of every table, as JSON text: where the removed text must not be found. */
export function tablesContaining(t: TestApp, needle: string): string[] {
  const tables = t.handle.sqlite
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
    .all() as { name: string }[];
  const found: string[] = [];
  for (const { name } of tables) {
    const rows = t.handle.sqlite.prepare(`select * from "${name}"`).all();
    for (const row of rows) {
      const text = JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? '' : v));
      if (text.includes(needle) || text.includes(JSON.stringify(needle).slice(1, -1))) {
        found.push(`${name}: ${text.slice(0, 300)}`);
      }
    }
  }
  return found;
}

describe('Redaction API', () => {
  let t: TestApp;
  let admin: Actor;
  let modFR: Actor;
  let modKE: Actor;
  let author: Actor;
  let witness: Actor;
  let quoter: Actor;
  let held: Actor;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0, confidentialReportsToHide: 0 });
    admin = await quickAdmin(t, { displayName: 'Ada Admin' });
    modFR = await quickModerator(t, ['FR'], { displayName: 'Fabienne Moderator' });
    modKE = await quickModerator(t, ['KE'], { displayName: 'Kamau Moderator' });
    author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    witness = await quickMember(t, 'FR', { displayName: 'Wanda Witness' });
    quoter = await quickMember(t, 'DE', { displayName: 'Quentin Quoter' });
    held = await quickMember(t, 'DE', { displayName: 'Hugo Held', underReview: true });
  });
  afterAll(async () => t?.close());

  const redact = (who: Actor, postId: string, body: unknown) =>
    send(t, who, 'POST', `/api/posts/${postId}/redactions`, body);
  const history = (who: Actor, postId: string) => ok<PostHistory>(t, who, 'GET', `/api/posts/${postId}/revisions`);
  const quoteOf = (postId: string, version: number, text: string) =>
    `[Arthur Author wrote](/posts/${postId}/history?version=${version}):\n${text
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n')}\n\n`;

  describe('POST /api/posts/:id/redactions (span): the text is gone from every table', () => {
    it('scrubs every version, quoting posts, notifications, events, review items, reports, drafts and audit', async () => {
      const ADDRESS = '12 rue des Lilas, 69003 Lyon';
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const threadId = opened.thread.id;
      const original = `The witness @${usernameOf(t, witness)} lives at ${ADDRESS}. She saw the van.`;
      const post = await reply(t, author, threadId, original);
      // v2 by the author, v3 by a moderator (audited with before/after): both keep the address.
      await ok(t, author, 'PATCH', `/api/posts/${post.id}`, { version: 1, body: `${original} Twice.` });
      await ok(t, modFR, 'PATCH', `/api/posts/${post.id}`, {
        version: 2,
        body: `${original} Twice, at night.`,
        reason: 'Clarifies the time, as the witness said.',
      });
      // Copies elsewhere: a quoting reply (notifies the author with an excerpt), a held reply
      // quoting it, a report note, a reply draft of the witness.
      const quoting = await reply(t, quoter, threadId, `${quoteOf(post.id, 1, original)}I agree with this account.`);
      await pendingReply(t, held, threadId, `${quoteOf(post.id, 1, original)}Held for review.`);
      await ok(t, quoter, 'POST', `/api/posts/${post.id}/reports`, {
        reason: 'confidential_data',
        note: `It gives her address (${ADDRESS}).`,
      });
      await ok(t, witness, 'PUT', `/api/drafts/reply/${threadId}`, { body: `About ${ADDRESS}: I never said that.` });
      expect(tablesContaining(t, ADDRESS).length).toBeGreaterThan(8);
      // The author's mention of her (the quoting reply's mention leaves the quote out of its excerpt).
      const mention = (await notificationsOf(t, witness)).find(
        (n) => n.kind === 'mention' && n.actor?.displayName === 'Arthur Author',
      );
      expect(mention?.body).toContain('rue des Lilas');

      const res = await redact(modFR, post.id, { kind: 'span', text: ADDRESS, reason: REASON });
      expect(res.statusCode, res.body).toBe(201);
      const result = res.json() as RedactionResult;
      // Versions 1–3 scrubbed, and the scrubbed text made version 4 (so a stale editor cannot save it back).
      expect(result.redaction).toMatchObject({
        kind: 'span',
        versions: [1, 2, 3, 4],
        byModerator: true,
        reason: REASON,
      });
      expect(result.counts).toMatchObject({ revisions: 3, quotingPosts: 1, reviewItems: 1, reports: 1, drafts: 1 });
      // The witness's mention; the quoting reply's notifications leave the quote out of their excerpts.
      expect(result.counts.notifications).toBeGreaterThanOrEqual(1);
      expect(result.counts.events).toBeGreaterThanOrEqual(1);
      expect(result.counts.auditEntries).toBeGreaterThanOrEqual(1);

      // The strongest check: nowhere in the database, in any form the tests can think of.
      expect(tablesContaining(t, ADDRESS)).toEqual([]);
      expect(tablesContaining(t, 'rue des Lilas')).toEqual([]);

      // What readers get: the placeholder, the rest of the text, cooked again (the mention is still a link).
      const now = await ok<{ post: { cooked: string } }>(t, witness, 'GET', `/api/posts/${post.id}`);
      expect(now.post.cooked).toContain(REDACTED_PLACEHOLDER);
      expect(now.post.cooked).toContain('class="mention"');
      expect(now.post.cooked).toContain('She saw the van.');
      const quoted = await ok<{ post: { cooked: string } }>(t, witness, 'GET', `/api/posts/${quoting.id}`);
      expect(quoted.post.cooked).toContain(REDACTED_PLACEHOLDER);
      const h = await history(witness, post.id);
      expect(h.revisions.map((r) => r.body?.includes(REDACTED_PLACEHOLDER))).toEqual([true, true, true, true]);
      const scrubbed = (await notificationsOf(t, witness)).find((n) => n.id === mention!.id);
      expect(scrubbed?.body).toContain(REDACTED_PLACEHOLDER);

      // JSON payloads stayed valid, and the audit log still refuses any other change.
      for (const row of t.handle.sqlite.prepare('select payload from user_events').all() as { payload: string }[]) {
        expect(() => JSON.parse(row.payload)).not.toThrow();
      }
      expect(() =>
        t.handle.sqlite.prepare(`update audit_log set reason = 'x' where action = 'post.edit'`).run(),
      ).toThrow(/append-only/);
      const scrubbedAudit = t.handle.sqlite
        .prepare(`select redacted_at as at from audit_log where action = 'post.edit' and target_id = ?`)
        .get(post.id) as { at: number | null };
      expect(scrubbedAudit.at).not.toBeNull();
    });

    it('writes one audit entry with actor, target, jurisdiction, reason, kind and counts, never the text', async () => {
      const SECRET = 'Jeanne Martin of 4 impasse Verte';
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const post = await reply(t, author, opened.thread.id, `Statement by ${SECRET}, read at the hearing.`);
      const before = auditRows(t, { action: 'post.redact' }).length;
      const res = await redact(modFR, post.id, { kind: 'span', text: SECRET, reason: REASON });
      expect(res.statusCode, res.body).toBe(201);
      const entries = auditRows(t, { action: 'post.redact', targetId: post.id });
      expect(auditRows(t, { action: 'post.redact' })).toHaveLength(before + 1);
      expect(entries).toHaveLength(1);
      const entry = entries[0]!;
      expect(entry).toMatchObject({
        actorId: modFR.user.id,
        targetType: 'post',
        jurisdictionCode: 'FR',
        reason: REASON,
      });
      expect(JSON.stringify(entry)).not.toContain('impasse Verte');
      expect(entry.after).toMatchObject({ kind: 'span', versions: [1, 2], counts: { revisions: 1 } });
      // The author is told, with the reason.
      const told = (await notificationsOf(t, author))[0];
      expect(told?.kind).toBe('content_moderated');
      expect(told?.body).toBe(REASON);
    });
  });

  describe('POST /api/posts/:id/redactions (stale editors)', () => {
    it('makes the scrubbed text a new version, so an edit from before the redaction cannot save the text back', async () => {
      const SECRET = 'Ines Moreau, 3 quai Perrache';
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const post = await reply(t, author, opened.thread.id, `The informant is ${SECRET}.`);
      // The author opened the editor at version 1; a moderator redacts meanwhile.
      expect((await redact(modFR, post.id, { kind: 'span', text: SECRET, reason: REASON })).statusCode).toBe(201);
      const stale = await send(t, author, 'PATCH', `/api/posts/${post.id}`, {
        version: 1,
        body: `The informant is ${SECRET}. Updated.`,
      });
      expect(stale.statusCode).toBe(409);
      expect(tablesContaining(t, 'Ines Moreau')).toEqual([]);
      const h = await history(author, post.id);
      expect(h.revisions.map((r) => r.version)).toEqual([1, 2]);
      expect(h.revisions[1]!.body).toBe(`The informant is ${REDACTED_PLACEHOLDER}.`);
      // An edit from the new version goes through as usual.
      const fresh = await send(t, author, 'PATCH', `/api/posts/${post.id}`, {
        version: 2,
        body: `The informant is ${REDACTED_PLACEHOLDER}. Updated.`,
      });
      expect(fresh.statusCode).toBe(200);
    });
  });

  describe('POST /api/posts/:id/redactions (version)', () => {
    it('replaces a whole version, the same text in later versions, and quotes of that version', async () => {
      const V1 = 'My neighbour Paul Durand saw the whole thing from his window.';
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const post = await reply(t, author, opened.thread.id, V1);
      await ok(t, author, 'PATCH', `/api/posts/${post.id}`, { version: 1, body: 'A neighbour saw it.' });
      const quoting = await reply(t, quoter, opened.thread.id, `${quoteOf(post.id, 1, V1)}Noted.`);
      const res = await redact(author, post.id, { kind: 'version', version: 1, reason: 'I named my neighbour.' });
      expect(res.statusCode, res.body).toBe(201);
      expect((res.json() as RedactionResult).redaction).toMatchObject({
        kind: 'version',
        versions: [1],
        byModerator: false,
      });
      expect(tablesContaining(t, 'Paul Durand')).toEqual([]);
      const h = await history(author, post.id);
      expect(h.revisions[0]!.body).toBe(REDACTED_PLACEHOLDER);
      expect(h.revisions[1]!.body).toBe('A neighbour saw it.');
      const quotingRow = t.handle.sqlite.prepare('select body from posts where id = ?').get(quoting.id) as {
        body: string;
      };
      expect(quotingRow.body).toContain(`> ${REDACTED_PLACEHOLDER}`);
      expect(quotingRow.body).toContain('Noted.');
      // Twice is refused: that version holds nothing but the placeholder now.
      expectError(
        await redact(author, post.id, { kind: 'version', version: 1, reason: 'Again.' }),
        409,
        'INVALID_STATE',
      );
    });
  });

  describe('POST /api/posts/:id/redactions (title)', () => {
    it('takes the text out of every title version, notifications naming the thread, and the audit', async () => {
      const opened = await thread(t, author, { jurisdictions: ['FR'], title: 'Witness Jane Roe and the van' });
      const opener = opened.posts[0]!;
      await ok(t, author, 'PATCH', `/api/threads/${opened.thread.id}`, {
        title: 'Witness Jane Roe and the white van',
        reason: 'More precise.',
      });
      await reply(t, quoter, opened.thread.id, 'A reply that notifies the author, naming the thread.');
      expect(tablesContaining(t, 'Jane Roe').length).toBeGreaterThan(0);
      const res = await redact(modFR, opener.id, { kind: 'title', text: 'Jane Roe', reason: REASON });
      expect(res.statusCode, res.body).toBe(201);
      expect(tablesContaining(t, 'Jane Roe')).toEqual([]);
      const th = await ok<{ thread: { title: string } }>(t, witness, 'GET', `/api/threads/${opened.thread.id}`);
      expect(th.thread.title).toBe(`Witness ${REDACTED_PLACEHOLDER} and the white van`);
      expect(auditRows(t, { action: 'thread.retitle_redact', targetId: opened.thread.id })).toHaveLength(1);
    });

    it('is refused on a reply (400)', async () => {
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const post = await reply(t, author, opened.thread.id, 'A reply.');
      expectError(await redact(modFR, post.id, { kind: 'title', text: 'Falsified', reason: REASON }), 400);
    });
  });

  describe('who may redact', () => {
    const cases: { who: () => Actor; status: number; byModerator?: boolean }[] = [
      { who: () => author, status: 201, byModerator: false },
      { who: () => modFR, status: 201, byModerator: true },
      { who: () => admin, status: 201, byModerator: true },
      { who: () => modKE, status: 403 },
      { who: () => witness, status: 403 },
    ];
    it.each(cases.map((c, i) => [i, c] as const))('case %i', async (_i, c) => {
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const post = await reply(t, author, opened.thread.id, 'The victim, Lucie Bernard, was 15.');
      const res = await redact(c.who(), post.id, { kind: 'span', text: 'Lucie Bernard', reason: REASON });
      expect(res.statusCode, res.body).toBe(c.status);
      if (c.status === 201) {
        expect((res.json() as RedactionResult).redaction.byModerator).toBe(c.byModerator);
      } else {
        expectError(res, c.status, 'FORBIDDEN');
        const body = t.handle.sqlite.prepare('select body from posts where id = ?').get(post.id) as { body: string };
        expect(body.body).toContain('Lucie Bernard');
      }
    });

    it('answers 404 to a member who cannot read the post (hidden), 401 when signed out', async () => {
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const post = await reply(t, author, opened.thread.id, 'The victim, Lucie Bernard, was 15.');
      expect((await moderatePost(t, modFR, post.id, 'hide', { reason: REASON })).statusCode).toBe(200);
      expectError(await redact(witness, post.id, { kind: 'span', text: 'Lucie', reason: REASON }), 404, 'NOT_FOUND');
      expectError(
        await send(t, null, 'POST', `/api/posts/${post.id}/redactions`, {
          kind: 'span',
          text: 'Lucie',
          reason: REASON,
        }),
        401,
      );
      expectError(await redact(witness, 'nonexistent', { kind: 'span', text: 'Lucie', reason: REASON }), 404);
      // The author still may, on their hidden post.
      expect((await redact(author, post.id, { kind: 'span', text: 'Lucie', reason: REASON })).statusCode).toBe(201);
    });
  });

  describe('the history', () => {
    it('marks redactions for everyone, with the reason for the author and the moderators in scope only', async () => {
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const post = await reply(t, author, opened.thread.id, 'Seen by Marc Petit at the station.');
      await redact(modFR, post.id, { kind: 'span', text: 'Marc Petit', reason: REASON });
      const forReader = await history(witness, post.id);
      expect(forReader.redactions).toHaveLength(1);
      expect(forReader.redactions[0]).toMatchObject({
        kind: 'span',
        versions: [1, 2],
        byModerator: true,
        reason: null,
      });
      expect((await history(author, post.id)).redactions[0]!.reason).toBe(REASON);
      expect((await history(modFR, post.id)).redactions[0]!.reason).toBe(REASON);
      expect((await history(modKE, post.id)).redactions[0]!.reason).toBeNull();
      // And the history says who may redact: the author and the moderators in scope.
      expect(forReader.canRedact).toBe(false);
      expect((await history(author, post.id)).canRedact).toBe(true);
      expect((await history(modFR, post.id)).canRedact).toBe(true);
      expect((await history(modKE, post.id)).canRedact).toBe(false);
    });
  });

  describe('errors', () => {
    let postId: string;
    beforeAll(async () => {
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      postId = (await reply(t, author, opened.thread.id, 'Nothing personal here, only the law.')).id;
    });
    const bad: [string, unknown, number][] = [
      ['a span not in the post', { kind: 'span', text: 'Somebody Else', reason: REASON }, 400],
      ['a reason too short', { kind: 'span', text: 'the law', reason: 'no' }, 400],
      ['a reason repeating the text', { kind: 'span', text: 'the law', reason: 'It says the law here.' }, 400],
      ['the placeholder itself', { kind: 'span', text: 'redacted', reason: REASON }, 400],
      ['blank text', { kind: 'span', text: '   ', reason: REASON }, 400],
      ['an unknown kind', { kind: 'word', text: 'law', reason: REASON }, 400],
      ['an extra field', { kind: 'span', text: 'law', reason: REASON, also: 1 }, 400],
      ['a version that does not exist', { kind: 'version', version: 9, reason: REASON }, 400],
      ['no body', undefined, 400],
    ];
    it.each(bad)('refuses %s', async (_name, body, status) => {
      expectError(await redact(modFR, postId, body), status);
      const row = t.handle.sqlite.prepare('select body from posts where id = ?').get(postId) as { body: string };
      expect(row.body).toBe('Nothing personal here, only the law.');
    });
  });

  it('leaves notifications of members as valid notifications (REST)', async () => {
    const list = await notificationsOf(t, witness);
    for (const n of list as Notification[]) {
      expect(typeof n.kind).toBe('string');
      expect(n.params).toBeTypeOf('object');
      expect(n.legacyTitle).toBeNull();
    }
  });
});
