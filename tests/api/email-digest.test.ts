/**
 * The email digest against a real SMTP server and a moved clock: due at each member's own hour in
 * their own time zone (daily or weekly), never twice for one period, empty ones not sent; its
 * content (what they follow, the most active threads, comparative questions awaiting their
 * jurisdiction, their digest notifications) read at delivery, so what was hidden meanwhile is not
 * in it; its one-click unsubscribe; and the administrators' view of the mail queue.
 */
import { digestRuns, digestSettings, emailUnsubscribeTokens, mailOutbox, users } from '@lexforum/db';
import type { AdminMailPage, DigestSettings, FollowList } from '@lexforum/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, DAY, HOUR, MINUTE, type TestApp } from '../helpers/app.js';
import { DIGEST_ACTIVE_SQL } from '../../server/src/modules/mail/mail-content.js';
import { startMailServer, type ReceivedMail, type TestMailServer } from '../helpers/mail.js';
import {
  expectError,
  moderatePost,
  ok,
  quickAdmin,
  quickMember,
  quickModerator,
  reply,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

let mail: TestMailServer;
beforeAll(async () => {
  mail = await startMailServer();
});
afterAll(async () => mail.close());

async function sendDue(t: TestApp) {
  const queued = t.app.queueEmails();
  await t.app.mail.deliver();
  await t.app.mail.idle();
  return queued;
}

const header = (m: ReceivedMail, name: string) => {
  const line = m.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).trim();
};

/** Moves the test clock to an absolute time (never back). */
function moveTo(t: TestApp, iso: string) {
  const gap = Date.parse(iso) - t.clock.now().getTime();
  expect(gap).toBeGreaterThanOrEqual(0);
  t.clock.advance(gap);
}

const digest = (t: TestApp, who: Actor, settings: DigestSettings) =>
  ok<DigestSettings>(t, who, 'PUT', '/api/notifications/digest', settings);

describe('Email digest', () => {
  let t: TestApp;
  let poster: Actor;
  beforeEach(async () => {
    mail.clear();
    mail.refuseWith(null);
    // The test clock starts on Sunday 2026-11-22 at 09:00 UTC.
    t = await buildTestApp({ env: { SMTP_URL: mail.url } });
    poster = await quickMember(t, 'DE', { displayName: 'Petra Poster' });
  });
  afterEach(async () => t.close());

  describe('PUT /api/notifications/digest', () => {
    it('keeps the settings and refuses an unknown time zone or hour', async () => {
      const member = await quickMember(t);
      expect(await ok(t, member, 'GET', '/api/notifications/digest')).toEqual({
        frequency: 'off',
        weekday: 1,
        hour: 8,
        timeZone: 'UTC',
      });
      const saved = { frequency: 'weekly', weekday: 3, hour: 7, timeZone: 'Europe/Paris' } as const;
      expect(await digest(t, member, saved)).toEqual(saved);
      expect(await ok(t, member, 'GET', '/api/notifications/digest')).toEqual(saved);
      for (const bad of [
        { ...saved, timeZone: 'Mars/Olympus_Mons' },
        { ...saved, hour: 24 },
        { ...saved, weekday: 7 },
        { ...saved, frequency: 'hourly' },
        { ...saved, extra: 1 },
      ]) {
        expectError(await send(t, member, 'PUT', '/api/notifications/digest', bad), 400);
      }
      expectError(await send(t, null, 'GET', '/api/notifications/digest'), 401);
    });
  });

  it('comes at 08:00 on each member clock: New York first, Tokyo later, each once per day', async () => {
    const tokyo = await quickMember(t, 'FR', { displayName: 'Tokyo Member' });
    const newYork = await quickMember(t, 'FR', { displayName: 'New York Member', locale: 'fr' });
    for (const who of [tokyo, newYork]) await ok(t, who, 'PUT', '/api/follows/jurisdiction/DE');
    await digest(t, tokyo, { frequency: 'daily', weekday: 0, hour: 8, timeZone: 'Asia/Tokyo' });
    await digest(t, newYork, { frequency: 'daily', weekday: 0, hour: 8, timeZone: 'America/New_York' });
    // Saved at 18:00 in Tokyo and 04:00 in New York: nothing at once.
    expect((await sendDue(t)).digests).toBe(0);

    t.clock.advance(5 * MINUTE);
    const question = await thread(t, poster, {
      kind: 'question',
      jurisdictions: ['DE'],
      title: 'Is a test purchase admissible evidence?',
    });
    await thread(t, poster, {
      kind: 'question',
      comparative: true,
      jurisdictions: ['FR', 'DE'],
      title: 'How do your courts treat online pharmacies?',
    } as never);
    await reply(t, poster, question.thread.id, 'Some more context on the question.');

    moveTo(t, '2026-11-22T12:59:00Z');
    expect((await sendDue(t)).digests).toBe(0);
    moveTo(t, '2026-11-22T13:00:00Z'); // 08:00 in New York
    expect((await sendDue(t)).digests).toBe(1);
    expect(mail.to(tokyo.user.email)).toHaveLength(0);
    const ny = mail.to(newYork.user.email);
    expect(ny).toHaveLength(1);
    expect(ny[0]!.subject).toBe('Votre résumé quotidien · LexForum');
    expect(ny[0]!.text).toContain('Is a test purchase admissible evidence?');
    expect(ny[0]!.text).toContain(`${t.config.publicOrigin}/threads/${question.thread.id}`);
    expect(ny[0]!.text).toContain('Questions comparatives attendant une réponse pour votre juridiction');
    expect(ny[0]!.text).toContain('How do your courts treat online pharmacies?');
    expect(ny[0]!.text).toContain('Discussions les plus actives');
    // Plain-http test origin: RFC 8058 one-click needs HTTPS (email-notifications.test.ts checks it there).
    expect(header(ny[0]!, 'List-Unsubscribe-Post')).toBeUndefined();
    expect(header(ny[0]!, 'List-Unsubscribe')).toMatch(/^<http:\/\/localhost:3000\/api\/email\/unsubscribe\?token=/);

    moveTo(t, '2026-11-22T22:59:00Z');
    expect((await sendDue(t)).digests).toBe(0);
    moveTo(t, '2026-11-22T23:00:00Z'); // 08:00 on Monday in Tokyo
    expect((await sendDue(t)).digests).toBe(1);
    const tk = mail.to(tokyo.user.email);
    expect(tk).toHaveLength(1);
    expect(tk[0]!.subject).toBe('Your daily digest · LexForum');
    expect(tk[0]!.text).toContain('Is a test purchase admissible evidence?');

    // Never twice in one period, however often the worker runs.
    for (let i = 0; i < 3; i++) {
      t.clock.advance(20 * MINUTE);
      expect((await sendDue(t)).digests).toBe(0);
    }
    expect(
      t.handle.db
        .select()
        .from(digestRuns)
        .all()
        .map((r) => r.period)
        .sort(),
    ).toEqual(['daily:2026-11-22', 'daily:2026-11-23']);
    // The next New York day tells only what is new since (the open comparative question stays).
    moveTo(t, '2026-11-23T13:00:00Z');
    await sendDue(t);
    const second = mail.to(newYork.user.email)[1]!;
    expect(second.text).not.toContain('Is a test purchase admissible evidence?');
    expect(second.text).toContain('How do your courts treat online pharmacies?');
  });

  it('reads the most active threads through the posts date index, not every post', () => {
    const plan = t.handle.sqlite.prepare(`explain query plan ${DIGEST_ACTIVE_SQL}`).all({ user: 'u', since: 0 }) as {
      detail: string;
    }[];
    const details = plan.map((p) => p.detail).join('\n');
    expect(details).toMatch(/SEARCH p USING INDEX posts_created_idx \(created_at>\?\)/);
    expect(details).not.toMatch(/SCAN p\b/);
  });

  it('lists comparative questions awaiting any of the member jurisdictions, their other ones too', async () => {
    const member = await quickMember(t, 'FR', { otherJurisdictions: ['ES'] });
    await digest(t, member, { frequency: 'daily', weekday: 0, hour: 10, timeZone: 'UTC' });
    await thread(t, poster, {
      kind: 'question',
      comparative: true,
      jurisdictions: ['DE', 'ES'],
      title: 'Asked of Spain, where the member also practises',
    } as never);
    moveTo(t, '2026-11-22T10:00:00Z');
    await sendDue(t);
    const [message] = mail.to(member.user.email);
    expect(message!.text).toContain('Comparative questions awaiting an answer for your jurisdiction');
    expect(message!.text).toMatch(/awaiting an answer for your jurisdiction ==\s+\* Asked of Spain/);
  });

  it('a time zone this runtime does not know reads as UTC, and stops no other member digest', async () => {
    const broken = await quickMember(t, 'FR');
    const other = await quickMember(t, 'FR');
    for (const who of [broken, other]) {
      await ok(t, who, 'PUT', '/api/follows/jurisdiction/DE');
      await digest(t, who, { frequency: 'daily', weekday: 0, hour: 10, timeZone: 'UTC' });
    }
    // As an older runtime's zone database could have left it (the API refuses it today).
    t.handle.db
      .update(digestSettings)
      .set({ timeZone: 'Mars/Olympus_Mons' })
      .where(eq(digestSettings.userId, broken.user.id))
      .run();
    expect(await ok(t, broken, 'GET', '/api/notifications/digest')).toMatchObject({ timeZone: 'UTC' });
    await thread(t, poster, { kind: 'question', jurisdictions: ['DE'], title: 'For both members' });
    moveTo(t, '2026-11-22T10:00:00Z');
    expect((await sendDue(t)).digests).toBe(2);
    for (const who of [broken, other]) expect(mail.to(who.user.email)).toHaveLength(1);
  });

  it('follows instruments: listed, unknown ones refused, and new threads citing them in the digest', async () => {
    const member = await quickMember(t, 'ES');
    expect(await ok(t, member, 'PUT', '/api/follows/instrument/budapest')).toEqual({
      target: 'instrument',
      key: 'budapest',
      following: true,
    });
    expectError(await send(t, member, 'PUT', '/api/follows/instrument/no-such-treaty'), 404);
    const list = await ok<FollowList>(t, member, 'GET', '/api/follows');
    expect(list.instruments).toEqual([{ code: 'budapest', name: expect.stringContaining('Budapest') }]);
    await digest(t, member, { frequency: 'daily', weekday: 0, hour: 10, timeZone: 'UTC' });
    await thread(t, poster, {
      kind: 'question',
      jurisdictions: ['DE'],
      title: 'Seizing servers under the cybercrime convention',
      citations: [{ instrument: 'budapest', provision: 'art. 19' }],
    });
    await thread(t, poster, { kind: 'question', jurisdictions: ['DE'], title: 'A question citing another treaty' });
    moveTo(t, '2026-11-22T10:00:00Z');
    await sendDue(t);
    const [message] = mail.to(member.user.email);
    const followed = /== New in what you follow ==([\s\S]*?)(==|$)/.exec(message!.text)?.[1] ?? '';
    expect(followed).toContain('Seizing servers under the cybercrime convention');
    expect(followed).not.toContain('A question citing another treaty');
    // Unfollowed: gone from the list.
    await ok(t, member, 'DELETE', '/api/follows/instrument/budapest');
    expect((await ok<FollowList>(t, member, 'GET', '/api/follows')).instruments).toEqual([]);
  });

  it('weekly: on the chosen weekday only', async () => {
    const member = await quickMember(t, 'FR');
    await ok(t, member, 'PUT', '/api/follows/jurisdiction/DE');
    await digest(t, member, { frequency: 'weekly', weekday: 2, hour: 8, timeZone: 'UTC' }); // Tuesdays
    await thread(t, poster, { kind: 'question', jurisdictions: ['DE'], title: 'A weekly question' });
    for (let day = 0; day < 9; day++) {
      t.clock.advance(DAY);
      await sendDue(t);
    }
    // From Sunday 22nd: Tuesday 24th and Tuesday 1st December.
    expect(
      t.handle.db
        .select()
        .from(digestRuns)
        .all()
        .map((r) => r.period),
    ).toEqual(['weekly:2026-11-24', 'weekly:2026-12-01']);
    const received = mail.to(member.user.email);
    expect(received).toHaveLength(1); // the second week had nothing new
    expect(received[0]!.subject).toBe('Your weekly digest · LexForum');
    expect(received[0]!.text).toContain('A weekly question');
  });

  it('sends nothing when there is nothing to tell, and nothing to suspended members', async () => {
    const quiet = await quickMember(t, 'ES');
    const suspended = await quickMember(t, 'FR');
    await ok(t, suspended, 'PUT', '/api/follows/jurisdiction/DE');
    for (const who of [quiet, suspended]) {
      await digest(t, who, { frequency: 'daily', weekday: 0, hour: 10, timeZone: 'UTC' });
    }
    // A quiet forum: each period is recorded, no email.
    moveTo(t, '2026-11-22T10:00:00Z');
    await sendDue(t);
    expect(t.handle.db.select().from(digestRuns).all()).toHaveLength(2);
    expect(t.handle.db.select().from(mailOutbox).all()).toHaveLength(0);

    t.clock.advance(HOUR);
    await thread(t, poster, { kind: 'question', jurisdictions: ['DE'], title: 'Not for the suspended' });
    t.handle.db.update(users).set({ status: 'suspended' }).where(eq(users.id, suspended.user.id)).run();
    moveTo(t, '2026-11-23T10:00:00Z');
    await sendDue(t);
    expect(mail.to(suspended.user.email)).toHaveLength(0);
    // The other member hears of it as one of the most active threads.
    expect(mail.messages.map((m) => m.to)).toEqual([quiet.user.email]);
    expect(mail.messages[0]!.text).toContain('Not for the suspended');
  });

  it('says at delivery only what is visible then: a thread hidden while SMTP was down is left out', async () => {
    const member = await quickMember(t, 'FR');
    const moderator = await quickModerator(t, ['DE']);
    await ok(t, member, 'PUT', '/api/follows/jurisdiction/DE');
    await digest(t, member, { frequency: 'daily', weekday: 0, hour: 10, timeZone: 'UTC' });
    const hidden = await thread(t, poster, { kind: 'question', jurisdictions: ['DE'], title: 'Soon to be hidden' });
    await thread(t, poster, { kind: 'legal_analysis', jurisdictions: ['DE'], title: 'Still visible analysis' });
    moveTo(t, '2026-11-22T10:00:00Z');
    mail.refuseWith(451);
    expect((await sendDue(t)).digests).toBe(1);
    expect((await moderatePost(t, moderator, hidden.posts[0]!.id, 'hide')).statusCode).toBe(200);
    mail.refuseWith(null);
    t.clock.advance(2 * MINUTE);
    await sendDue(t);
    const [message] = mail.to(member.user.email);
    expect(message!.text).toContain('Still visible analysis');
    expect(message!.text).not.toContain('Soon to be hidden');
    expect(message!.html).not.toContain('Soon to be hidden');
  });

  it('one-click unsubscribe turns the digest off, with no session', async () => {
    const member = await quickMember(t, 'FR');
    await ok(t, member, 'PUT', '/api/follows/jurisdiction/DE');
    await digest(t, member, { frequency: 'daily', weekday: 0, hour: 10, timeZone: 'UTC' });
    await thread(t, poster, { kind: 'question', jurisdictions: ['DE'] });
    moveTo(t, '2026-11-22T10:00:00Z');
    await sendDue(t);
    const url = new URL(/^<(.+)>$/.exec(header(mail.to(member.user.email)[0]!, 'List-Unsubscribe')!)![1]!);
    const res = await t.request({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      noOrigin: true,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.json()).toEqual({ kind: 'digest', unsubscribed: true });
    expect(await ok(t, member, 'GET', '/api/notifications/digest')).toMatchObject({ frequency: 'off' });
    await thread(t, poster, { kind: 'question', jurisdictions: ['DE'] });
    t.clock.advance(DAY);
    await sendDue(t);
    expect(mail.to(member.user.email)).toHaveLength(1);
  });
  describe('its notifications', () => {
    /** Stores `count` digest-mode notifications (a kind sent by digest by default) made at `at`. */
    function digestNotifications(who: Actor, count: number, at: Date, prefix = 'Topic notice') {
      const insert = t.handle.sqlite.prepare(
        `insert into notifications (user_id, kind, subject, created_at) values (@user, 'thread_in_followed_topic', @subject, @at)`,
      );
      const pend = t.handle.sqlite.prepare(
        `insert into notification_emails (notification_id, user_id, mode, state, created_at)
         values (@id, @user, 'digest', 'pending', @at)`,
      );
      for (let i = 0; i < count; i++) {
        const { lastInsertRowid } = insert.run({ user: who.user.id, subject: `${prefix} ${i}`, at: at.getTime() });
        pend.run({ id: Number(lastInsertRowid), user: who.user.id, at: at.getTime() });
      }
    }
    const states = (who: Actor) =>
      t.handle.sqlite
        .prepare(`select state, count(*) as n from notification_emails where user_id = ? group by state order by state`)
        .all(who.user.id);

    it('lists at most 50, the latest, and says how many more there are', async () => {
      const member = await quickMember(t, 'FR');
      await digest(t, member, { frequency: 'daily', weekday: 0, hour: 10, timeZone: 'UTC' });
      digestNotifications(member, 53, t.clock.now());
      moveTo(t, '2026-11-22T10:00:00Z');
      expect((await sendDue(t)).digests).toBe(1);
      const [message] = mail.to(member.user.email);
      expect(message!.text).toContain('Topic notice 52');
      expect(message!.text).toContain('Topic notice 3\n');
      expect(message!.text).not.toContain('Topic notice 2\n');
      expect(message!.text).toContain('and 3 more notifications, in the app');
      expect(message!.html).toContain('and 3 more notifications, in the app');
      expect(states(member)).toEqual([
        { state: 'queued', n: 50 },
        { state: 'skipped', n: 3 },
      ]);
    });

    it('carries only what is newer than the last digest (one period back at most); older rows are skipped', async () => {
      const member = await quickMember(t, 'FR');
      await digest(t, member, { frequency: 'daily', weekday: 0, hour: 10, timeZone: 'UTC' });
      digestNotifications(member, 2, new Date(t.clock.now().getTime() - 3 * DAY), 'Stale notice');
      digestNotifications(member, 1, t.clock.now(), 'Fresh notice');
      moveTo(t, '2026-11-22T10:00:00Z');
      await sendDue(t);
      const [message] = mail.to(member.user.email);
      expect(message!.text).toContain('Fresh notice 0');
      expect(message!.text).not.toContain('Stale notice');
      expect(message!.text).not.toContain('more notification');
      expect(states(member)).toEqual([
        { state: 'queued', n: 1 },
        { state: 'skipped', n: 2 },
      ]);
    });

    it('turning the digest off, or unsubscribing from it, skips what was waiting for it', async () => {
      const member = await quickMember(t, 'FR');
      await digest(t, member, { frequency: 'daily', weekday: 0, hour: 10, timeZone: 'UTC' });
      digestNotifications(member, 2, t.clock.now());
      await digest(t, member, { frequency: 'off', weekday: 0, hour: 10, timeZone: 'UTC' });
      expect(states(member)).toEqual([{ state: 'skipped', n: 2 }]);
      // On again: the next digest does not bring them back.
      await digest(t, member, { frequency: 'daily', weekday: 0, hour: 10, timeZone: 'UTC' });
      moveTo(t, '2026-11-22T10:00:00Z');
      await sendDue(t);
      expect(mail.to(member.user.email)).toHaveLength(0);
    });
  });

  it('a digest queued while SMTP was down is not sent after the member unsubscribed meanwhile', async () => {
    const member = await quickMember(t, 'FR');
    await ok(t, member, 'PUT', '/api/follows/jurisdiction/DE');
    await digest(t, member, { frequency: 'daily', weekday: 0, hour: 10, timeZone: 'UTC' });
    await thread(t, poster, { kind: 'question', jurisdictions: ['DE'], title: 'A question for the digest' });
    moveTo(t, '2026-11-22T10:00:00Z');
    mail.refuseWith(451);
    expect((await sendDue(t)).digests).toBe(1);
    const row = t.handle.db.select().from(mailOutbox).where(eq(mailOutbox.template, 'digest')).get()!;
    expect(row.status).toBe('pending');
    // The one-click unsubscribe of an earlier digest (the member's digest token).
    const { token } = t.handle.db
      .select()
      .from(emailUnsubscribeTokens)
      .where(and(eq(emailUnsubscribeTokens.userId, member.user.id), eq(emailUnsubscribeTokens.kind, 'digest')))
      .get()!;
    const res = await t.request({
      method: 'POST',
      url: `/api/email/unsubscribe?token=${encodeURIComponent(token)}`,
      noOrigin: true,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.json()).toEqual({ kind: 'digest', unsubscribed: true });
    mail.refuseWith(null);
    t.clock.advance(2 * MINUTE);
    await sendDue(t);
    expect(mail.to(member.user.email)).toHaveLength(0);
    expect(t.handle.db.select().from(mailOutbox).where(eq(mailOutbox.id, row.id)).get()).toMatchObject({
      status: 'dropped',
      lastError: 'digest turned off',
    });
  });
});

describe('Admin mail queue API', () => {
  let t: TestApp;
  beforeEach(async () => {
    mail.clear();
    mail.refuseWith(null);
    t = await buildTestApp({ env: { SMTP_URL: mail.url } });
  });
  afterEach(async () => t.close());

  it('shows counts and failures to administrators only, and retries a failed message', async () => {
    const admin = await quickAdmin(t);
    const member = await quickMember(t);
    const replier = await quickMember(t, 'DE');
    const th = await thread(t, member, { title: 'Queue thread' });
    await reply(t, replier, th.thread.id);
    t.clock.advance(11 * MINUTE);
    mail.refuseWith(550);
    await sendDue(t);
    // Ten attempts later it is failed.
    for (let i = 0; i < 10; i++) {
      t.clock.advance(13 * HOUR);
      await sendDue(t);
    }
    const page = await ok<AdminMailPage>(t, admin, 'GET', '/api/admin/mail?status=failed');
    expect(page.counts).toMatchObject({ failed: 1, sent: 0, pending: 0 });
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({
      to: member.user.email,
      template: 'notification_batch',
      status: 'failed',
      attempts: 10,
      nextAttemptAt: null,
    });
    expect(page.rows[0]!.lastError).toMatch(/550|Mailbox unavailable/);
    expectError(await send(t, member, 'GET', '/api/admin/mail'), 403);
    expectError(await send(t, admin, 'GET', '/api/admin/mail?status=lost'), 400);

    mail.refuseWith(null);
    const retried = await ok(t, admin, 'POST', `/api/admin/mail/${page.rows[0]!.id}/retry`);
    expect(retried).toMatchObject({ status: 'pending', attempts: 0 });
    await t.app.mail.idle();
    await t.app.mail.deliver();
    await t.app.mail.idle();
    expect(mail.to(member.user.email)).toHaveLength(1);
    expectError(await send(t, admin, 'POST', `/api/admin/mail/${page.rows[0]!.id}/retry`), 409);
    expectError(await send(t, admin, 'POST', '/api/admin/mail/99999/retry'), 404);
    expect((await ok<AdminMailPage>(t, admin, 'GET', '/api/admin/mail')).counts).toMatchObject({ sent: 1, failed: 0 });
  });
});
