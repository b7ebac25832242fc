/**
 * Notifications by email, against a real SMTP server and a clock the tests move: "immediate"
 * email only for what is still unread in the app after the delay, one email per thread; the
 * one-click unsubscribe (RFC 8058) without a session; what the member may see checked when the
 * message is sent, not when it was queued; and an outbox that survives an SMTP outage and a
 * restart without losing or repeating a message. Digests: email-digest.test.ts.
 */
import { mailOutbox, notificationEmails, threads, users } from '@lexforum/db';
import type { Notification, NotificationPreferences } from '@lexforum/shared';
import { eq } from 'drizzle-orm';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  claimMail,
  markDropped,
  markFailedAttempt,
  markSent,
  SENDING_LEASE_MS,
} from '../../server/src/modules/mail/outbox.js';
import { buildTestApp, MINUTE, type TestApp } from '../helpers/app.js';
import { startMailServer, type ReceivedMail, type TestMailServer } from '../helpers/mail.js';
import {
  expectError,
  moderatePost,
  ok,
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

const mailApp = (env: Record<string, string> = {}, database?: string) =>
  buildTestApp({ env: { SMTP_URL: mail.url, ...env }, ...(database ? { database } : {}) });

/** Queues what is due now and waits until the app has delivered it. */
async function sendDue(t: TestApp) {
  const queued = t.app.queueEmails();
  await t.app.mail.deliver();
  await t.app.mail.idle();
  return queued;
}

const messageId = (m: ReceivedMail) => m.parsed.messageId;
/** A header's raw value (mailparser folds List-* headers into an object). */
const header = (m: ReceivedMail, name: string) => {
  const line = m.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).trim();
};
const unsubscribeUrl = (m: ReceivedMail) => /^<([^>]+)>$/.exec(header(m, 'List-Unsubscribe') ?? '')![1]!;

async function notificationsOf(t: TestApp, who: Actor) {
  return (await ok<{ notifications: Notification[] }>(t, who, 'GET', '/api/notifications')).notifications;
}

describe('Notification email', () => {
  let t: TestApp;
  let author: Actor;
  let replier: Actor;
  beforeEach(async () => {
    mail.clear();
    mail.refuseWith(null);
    t = await mailApp();
    author = await quickMember(t, 'FR', { displayName: 'Amélie Author' });
    replier = await quickMember(t, 'DE', { displayName: 'Rainer Replier' });
  });
  afterEach(async () => t.close());

  describe('immediate email', () => {
    it('waits EMAIL_NOTIFY_DELAY_MINUTES, then mails a reply still unread, with a link straight to the post', async () => {
      const th = await thread(t, author, { title: 'Cross-border seizure of falsified medicines' });
      const post = await reply(t, replier, th.thread.id, 'The **customs** route worked for us.');
      t.clock.advance(9 * MINUTE);
      expect((await sendDue(t)).immediate).toBe(0);
      expect(mail.to(author.user.email)).toHaveLength(0);

      t.clock.advance(1 * MINUTE);
      expect((await sendDue(t)).immediate).toBe(1);
      const [message] = mail.to(author.user.email);
      expect(message!.subject).toBe('New in “Cross-border seizure of falsified medicines” · LexForum');
      expect(message!.text).toContain('A reply to your post: Cross-border seizure of falsified medicines');
      expect(message!.text).toContain('by Rainer Replier');
      expect(message!.text).toContain('The customs route worked for us.');
      expect(message!.text).toContain(`${t.config.publicOrigin}/threads/${th.thread.id}#post-${post.number}`);
      expect(message!.html).toContain(`href="${t.config.publicOrigin}/threads/${th.thread.id}#post-${post.number}"`);
      // One-click unsubscribe headers, and a Message-ID of the outbox row.
      expect(unsubscribeUrl(message!)).toMatch(
        new RegExp(`^${t.config.publicOrigin}/api/email/unsubscribe\\?token=[\\w-]+$`),
      );
      // RFC 8058 one-click needs HTTPS: not offered on this plain-http test origin (see below).
      expect(header(message!, 'List-Unsubscribe-Post')).toBeUndefined();
      const row = t.handle.db.select().from(mailOutbox).where(eq(mailOutbox.template, 'notification_batch')).get()!;
      expect(messageId(message!)).toBe(`<${row.messageId}@localhost>`);
      expect(row).toMatchObject({ status: 'sent', attempts: 0 });

      // Nothing more, however often the worker runs.
      t.clock.advance(60 * MINUTE);
      await sendDue(t);
      expect(mail.to(author.user.email)).toHaveLength(1);
    });

    it('sends nothing for a notification read in the app before the delay', async () => {
      const th = await thread(t, author);
      await reply(t, replier, th.thread.id);
      t.clock.advance(3 * MINUTE);
      const [notification] = await notificationsOf(t, author);
      await ok(t, author, 'POST', `/api/notifications/${notification!.id}/read`);
      t.clock.advance(20 * MINUTE);
      expect((await sendDue(t)).immediate).toBe(0);
      expect(mail.to(author.user.email)).toHaveLength(0);
      expect(
        t.handle.db
          .select()
          .from(notificationEmails)
          .all()
          .map((r) => r.state),
      ).toEqual(['skipped']);
    });

    it('sends one email per thread with every pending notification of that thread', async () => {
      const other = await quickMember(t, 'ES', { displayName: 'Olga Other' });
      const th = await thread(t, author, { title: 'Thread one' });
      const th2 = await thread(t, author, { title: 'Thread two' });
      await reply(t, replier, th.thread.id, 'First answer in thread one.');
      t.clock.advance(4 * MINUTE);
      await reply(t, other, th.thread.id, 'Second answer in thread one.');
      await reply(t, other, th2.thread.id, 'An answer in thread two.');
      t.clock.advance(7 * MINUTE);
      // The first is due; the second of its thread goes with it; thread two waits for its own delay.
      expect((await sendDue(t)).immediate).toBe(1);
      const [first] = mail.to(author.user.email);
      expect(first!.subject).toContain('Thread one');
      expect(first!.text).toContain('First answer in thread one.');
      expect(first!.text).toContain('Second answer in thread one.');
      expect(first!.text).not.toContain('thread two');
      t.clock.advance(4 * MINUTE);
      expect((await sendDue(t)).immediate).toBe(1);
      expect(mail.to(author.user.email).map((m) => m.subject)).toEqual([
        'New in “Thread one” · LexForum',
        'New in “Thread two” · LexForum',
      ]);
    });

    it('follows the member choice: off sends nothing, and the channel is kept', async () => {
      const saved = await ok<NotificationPreferences>(t, author, 'PUT', '/api/notifications/preferences', {
        preferences: [{ kind: 'reply_to_post', channel: 'app', email: 'off' }],
      });
      expect(saved.preferences.find((p) => p.kind === 'reply_to_post')).toEqual({
        kind: 'reply_to_post',
        channel: 'app',
        email: 'off',
      });
      expect(saved.preferences.find((p) => p.kind === 'mention')).toMatchObject({ email: 'immediate' });
      const th = await thread(t, author);
      await reply(t, replier, th.thread.id);
      t.clock.advance(11 * MINUTE);
      await sendDue(t);
      expect(mail.to(author.user.email)).toHaveLength(0);
      // A channel change alone keeps the email choice.
      const again = await ok<NotificationPreferences>(t, author, 'PUT', '/api/notifications/preferences', {
        preferences: [{ kind: 'reply_to_post', channel: 'desktop' }],
      });
      expect(again.preferences.find((p) => p.kind === 'reply_to_post')).toMatchObject({
        channel: 'desktop',
        email: 'off',
      });
      expectError(
        await send(t, author, 'PUT', '/api/notifications/preferences', {
          preferences: [{ kind: 'reply_to_post', channel: 'app', email: 'hourly' }],
        }),
        400,
      );
    });

    it('saves the email choice off for a kind whose notification is turned off, and says so', async () => {
      const saved = await ok<NotificationPreferences>(t, author, 'PUT', '/api/notifications/preferences', {
        preferences: [{ kind: 'reply_to_post', channel: 'off', email: 'immediate' }],
      });
      expect(saved.preferences.find((p) => p.kind === 'reply_to_post')).toEqual({
        kind: 'reply_to_post',
        channel: 'off',
        email: 'off',
      });
      const read = await ok<NotificationPreferences>(t, author, 'GET', '/api/notifications/preferences');
      expect(read.preferences.find((p) => p.kind === 'reply_to_post')).toMatchObject({ channel: 'off', email: 'off' });
      // Turned on again, the email choice is what the member then picks (or stays off).
      const on = await ok<NotificationPreferences>(t, author, 'PUT', '/api/notifications/preferences', {
        preferences: [{ kind: 'reply_to_post', channel: 'app' }],
      });
      expect(on.preferences.find((p) => p.kind === 'reply_to_post')).toMatchObject({ channel: 'app', email: 'off' });
    });

    it('writes in the member language: French, and Arabic right to left', async () => {
      const french = await quickMember(t, 'FR', { locale: 'fr', displayName: 'Françoise' });
      const arabic = await quickMember(t, 'EG', { locale: 'ar', displayName: 'ليلى' });
      const a = await thread(t, french, { title: 'Saisies transfrontalières' });
      const b = await thread(t, arabic, { title: 'مصادرة الأدوية المزيفة' });
      await reply(t, replier, a.thread.id);
      await reply(t, replier, b.thread.id);
      t.clock.advance(11 * MINUTE);
      await sendDue(t);
      const fr = mail.to(french.user.email)[0]!;
      expect(fr.subject).toBe('Du nouveau dans « Saisies transfrontalières » · LexForum');
      expect(fr.text).toContain('Une réponse à votre message');
      expect(fr.html).toContain('<html lang="fr" dir="ltr">');
      const ar = mail.to(arabic.user.email)[0]!;
      expect(ar.subject).toBe('جديد في «مصادرة الأدوية المزيفة» · LexForum');
      expect(ar.text).toContain('ردّ على مشاركتك');
      expect(ar.html).toContain('<html lang="ar" dir="rtl">');
    });
  });

  describe('direct messages', () => {
    const start = (from: Actor, to: Actor, markdown: string) =>
      ok<{ conversation: { id: string }; message: { id: string } }>(t, from, 'POST', '/api/conversations', {
        recipientIds: [to.user.id],
        markdown,
      });

    it('mails a direct message still unread after the delay, linking to the conversation', async () => {
      const { conversation } = await start(replier, author, 'Could we speak about your **extradition** case?');
      t.clock.advance(10 * MINUTE);
      expect((await sendDue(t)).immediate).toBe(1);
      const [message] = mail.to(author.user.email);
      expect(message!.subject).not.toMatch(/undefined|null|“”/);
      expect(message!.text).toContain('A new direct message');
      expect(message!.text).toContain('Could we speak about your extradition case?');
      expect(message!.text).toContain(`${t.config.publicOrigin}/messages/${conversation.id}`);
      expect(mail.to(replier.user.email)).toHaveLength(0);
    });

    it('mails nothing of a message its author deleted before the email went', async () => {
      const { conversation, message } = await start(replier, author, 'Sent to the wrong colleague: secret-42');
      t.clock.advance(5 * MINUTE);
      await ok(t, replier, 'DELETE', `/api/conversations/${conversation.id}/messages/${message.id}`);
      t.clock.advance(10 * MINUTE);
      await sendDue(t);
      expect(mail.messages.filter((m) => m.text.includes('secret-42'))).toHaveLength(0);
      expect(mail.to(author.user.email)).toHaveLength(0);
    });
  });

  describe('visibility at send time', () => {
    it('drops a queued email whose post a moderator hid while the SMTP server was down', async () => {
      const moderator = await quickModerator(t, ['FR']);
      const th = await thread(t, author);
      const post = await reply(t, replier, th.thread.id, 'Something a moderator will hide.');
      t.clock.advance(11 * MINUTE);
      mail.refuseWith(451);
      expect((await sendDue(t)).immediate).toBe(1);
      let row = t.handle.db.select().from(mailOutbox).where(eq(mailOutbox.template, 'notification_batch')).get()!;
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });

      expect((await moderatePost(t, moderator, post.id, 'hide')).statusCode).toBe(200);
      mail.refuseWith(null);
      t.clock.advance(2 * MINUTE);
      await sendDue(t);
      expect(mail.to(author.user.email)).toHaveLength(0);
      row = t.handle.db.select().from(mailOutbox).where(eq(mailOutbox.id, row.id)).get()!;
      expect(row.status).toBe('dropped');
      expect(row.lastError).toMatch(/nothing left/);
    });

    it('names a thread the reader can no longer see by the title they were told, never its new one', async () => {
      // The replier's post in the author's thread is hidden: the replier keeps the notice (it is
      // about their own post), but the thread itself is then renamed and hidden by others.
      const moderator = await quickModerator(t, ['FR']);
      const th = await thread(t, author, { title: 'The original title' });
      const post = await reply(t, replier, th.thread.id, 'A reply a moderator will hide.');
      expect((await moderatePost(t, moderator, post.id, 'hide')).statusCode).toBe(200);
      t.handle.db
        .update(threads)
        .set({ title: 'A secret renamed title', state: 'hidden' })
        .where(eq(threads.id, th.thread.id))
        .run();
      t.clock.advance(11 * MINUTE);
      await sendDue(t);
      const [message] = mail.to(replier.user.email);
      expect(message).toBeDefined();
      for (const part of [message!.subject, message!.text, message!.html]) {
        expect(part).not.toContain('A secret renamed title');
      }
      expect(message!.subject).toContain('The original title');
    });

    it('drops the email of a member suspended before it was sent', async () => {
      const th = await thread(t, author);
      await reply(t, replier, th.thread.id);
      t.clock.advance(11 * MINUTE);
      mail.refuseWith(451);
      await sendDue(t);
      t.handle.db.update(users).set({ status: 'suspended' }).where(eq(users.id, author.user.id)).run();
      mail.refuseWith(null);
      t.clock.advance(2 * MINUTE);
      await sendDue(t);
      expect(mail.to(author.user.email)).toHaveLength(0);
      expect(t.handle.db.select().from(mailOutbox).get()).toMatchObject({
        status: 'dropped',
        lastError: 'account not active',
      });
    });
  });

  describe('one-click unsubscribe', () => {
    async function firstMail() {
      const th = await thread(t, author);
      await reply(t, replier, th.thread.id);
      t.clock.advance(11 * MINUTE);
      await sendDue(t);
      return mail.to(author.user.email)[0]!;
    }

    it('turns off exactly that kind with an RFC 8058 POST carrying no cookie and no Origin', async () => {
      const message = await firstMail();
      const url = new URL(unsubscribeUrl(message));
      const before = await ok<NotificationPreferences>(t, author, 'GET', '/api/notifications/preferences');

      // A GET (a link scanner) tells what it would do and changes nothing.
      const look = await t.request({ method: 'GET', url: `${url.pathname}${url.search}`, noOrigin: true });
      expect(look.json()).toEqual({ kind: 'reply_to_post', unsubscribed: false });
      expect(await ok(t, author, 'GET', '/api/notifications/preferences')).toEqual(before);

      const res = await t.request({
        method: 'POST',
        url: `${url.pathname}${url.search}`,
        noOrigin: true,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ kind: 'reply_to_post', unsubscribed: true });
      const after = await ok<NotificationPreferences>(t, author, 'GET', '/api/notifications/preferences');
      expect(after.preferences.filter((p, i) => JSON.stringify(p) !== JSON.stringify(before.preferences[i]))).toEqual([
        { kind: 'reply_to_post', channel: 'desktop', email: 'off' },
      ]);
      // The body's link opens the web page with the same token.
      expect(message.text).toContain(`${t.config.publicOrigin}/unsubscribe#token=${url.searchParams.get('token')}`);

      // And no more such email.
      const th = await thread(t, author);
      await reply(t, replier, th.thread.id);
      t.clock.advance(11 * MINUTE);
      await sendDue(t);
      expect(mail.to(author.user.email)).toHaveLength(1);
    });

    it('offers one-click (List-Unsubscribe-Post) on an HTTPS origin', async () => {
      const secure = await mailApp({ PUBLIC_ORIGIN: 'https://forum.example' });
      try {
        // The session cookie is __Host- prefixed on an HTTPS origin.
        const onHttps = (who: Actor) => ({ ...who, cookie: `__Host-${who.cookie}` });
        const a = onHttps(await quickMember(secure, 'FR'));
        const b = onHttps(await quickMember(secure, 'DE'));
        const th = await thread(secure, a);
        await reply(secure, b, th.thread.id);
        secure.clock.advance(11 * MINUTE);
        await sendDue(secure);
        const [message] = mail.to(a.user.email);
        expect(unsubscribeUrl(message!)).toMatch(/^https:\/\/forum\.example\/api\/email\/unsubscribe\?token=/);
        expect(header(message!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      } finally {
        await secure.close();
      }
    });

    it('keeps the one-click token out of request logs, and offers no one-click POST on plain http', async () => {
      const lines: string[] = [];
      const plain = await buildTestApp({
        env: { SMTP_URL: mail.url, PUBLIC_ORIGIN: 'http://forum.example' },
        logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } },
      });
      try {
        const a = await quickMember(plain, 'FR');
        const b = await quickMember(plain, 'DE');
        const th = await thread(plain, a);
        await reply(plain, b, th.thread.id);
        plain.clock.advance(11 * MINUTE);
        await sendDue(plain);
        const [message] = mail.to(a.user.email);
        expect(unsubscribeUrl(message!)).toMatch(/^http:\/\/forum\.example\/api\/email\/unsubscribe\?token=/);
        expect(header(message!, 'List-Unsubscribe-Post')).toBeUndefined();
        const url = new URL(unsubscribeUrl(message!));
        const token = url.searchParams.get('token')!;
        const res = await plain.request({
          method: 'POST',
          url: `${url.pathname}${url.search}`,
          noOrigin: true,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        });
        expect(res.statusCode).toBe(200);
        const logged = lines.join('\n');
        expect(logged).toContain('/api/email/unsubscribe?token=[redacted]');
        expect(logged).not.toContain(token);
      } finally {
        await plain.close();
      }
    });

    it('refuses a bad token with 404 and never needs the CSRF check on that route only', async () => {
      await firstMail();
      for (const method of ['GET', 'POST'] as const) {
        const res = await t.request({ method, url: '/api/email/unsubscribe?token=not-a-token', noOrigin: true });
        expectError(res, 404, 'LINK_INVALID');
      }
      expectError(await t.request({ method: 'POST', url: '/api/email/unsubscribe', noOrigin: true }), 400);
      // Other routes still refuse a request without Origin.
      expectError(
        await t.request({ method: 'POST', url: '/api/notifications/read-all', cookie: author.cookie, noOrigin: true }),
        403,
        'CSRF_REJECTED',
      );
    });
  });
});

describe('The outbox under failure', () => {
  beforeEach(() => {
    mail.clear();
    mail.refuseWith(null);
  });

  it('retries with backoff while the SMTP server refuses, then delivers each message exactly once', async () => {
    const t = await mailApp();
    try {
      const author = await quickMember(t);
      const replier = await quickMember(t, 'DE');
      for (let i = 0; i < 3; i++) {
        const th = await thread(t, author, { title: `Outage thread ${i}` });
        await reply(t, replier, th.thread.id);
      }
      t.clock.advance(11 * MINUTE);
      mail.refuseWith(451);
      expect((await sendDue(t)).immediate).toBe(3);
      const rows = () => t.handle.db.select().from(mailOutbox).all();
      expect(rows().map((r) => [r.status, r.attempts])).toEqual([
        ['pending', 1],
        ['pending', 1],
        ['pending', 1],
      ]);
      expect(rows()[0]!.lastError).toMatch(/451|Try again later/);
      // Not before the first backoff (one minute).
      t.clock.advance(30_000);
      await sendDue(t);
      expect(rows().map((r) => r.attempts)).toEqual([1, 1, 1]);
      t.clock.advance(31_000);
      await sendDue(t);
      expect(rows().map((r) => r.attempts)).toEqual([2, 2, 2]);

      mail.refuseWith(null);
      t.clock.advance(5 * MINUTE);
      await sendDue(t);
      t.clock.advance(60 * MINUTE);
      await sendDue(t);
      const received = mail.to(author.user.email);
      expect(received.map((m) => m.subject).sort()).toEqual([
        'New in “Outage thread 0” · LexForum',
        'New in “Outage thread 1” · LexForum',
        'New in “Outage thread 2” · LexForum',
      ]);
      expect(new Set(received.map(messageId)).size).toBe(3);
      expect(rows().map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    } finally {
      await t.close();
    }
  });

  it('keeps a message pending through an SMTP outage far longer than MAX_ATTEMPTS tries, then delivers it once', async () => {
    const t = await mailApp();
    try {
      const author = await quickMember(t);
      const replier = await quickMember(t, 'DE');
      const th = await thread(t, author, { title: 'A long outage' });
      await reply(t, replier, th.thread.id);
      t.clock.advance(11 * MINUTE);
      mail.refuseWith(451);
      await sendDue(t);
      // A week of "try again later": 15 tries, every 12 hours at the end.
      for (let i = 0; i < 14; i++) {
        t.clock.advance(13 * 60 * MINUTE);
        await sendDue(t);
      }
      const row = () => t.handle.db.select().from(mailOutbox).get()!;
      expect(row()).toMatchObject({ status: 'pending', attempts: 15, rejections: 0 });
      expect(mail.to(author.user.email)).toHaveLength(0);
      mail.refuseWith(null);
      t.clock.advance(13 * 60 * MINUTE);
      await sendDue(t);
      t.clock.advance(13 * 60 * MINUTE);
      await sendDue(t);
      expect(mail.to(author.user.email).map((m) => m.subject)).toEqual(['New in “A long outage” · LexForum']);
      expect(row().status).toBe('sent');
    } finally {
      await t.close();
    }
  });

  it('stops a delivery run at the first connection failure, and never gives up on one', async () => {
    // A port nothing listens on: every connection is refused.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const t = await mailApp({ SMTP_URL: `smtp://127.0.0.1:${closed}` });
    try {
      const author = await quickMember(t);
      const replier = await quickMember(t, 'DE');
      for (let i = 0; i < 3; i++) {
        const th = await thread(t, author, { title: `Unreachable ${i}` });
        await reply(t, replier, th.thread.id);
      }
      t.clock.advance(11 * MINUTE);
      expect((await sendDue(t)).immediate).toBe(3);
      const rows = () => t.handle.db.select().from(mailOutbox).all();
      expect(rows().map((r) => [r.status, r.attempts])).toEqual([
        ['pending', 1],
        ['pending', 0],
        ['pending', 0],
      ]);
      expect(rows()[0]!.rejections).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('gives up on a message claimed again too often after the process died sending it', async () => {
    const t = await mailApp();
    try {
      const author = await quickMember(t);
      const replier = await quickMember(t, 'DE');
      const th = await thread(t, author, { title: 'A message that crashes the process' });
      await reply(t, replier, th.thread.id);
      t.clock.advance(11 * MINUTE);
      mail.refuseWith(451);
      await sendDue(t);
      mail.refuseWith(null);
      const row = t.handle.db.select().from(mailOutbox).get()!;
      // Nine crashes already counted, the tenth just happened (claimed, never marked).
      t.handle.db
        .update(mailOutbox)
        .set({ status: 'sending', claimedAt: t.clock.now(), rejections: 9 })
        .where(eq(mailOutbox.id, row.id))
        .run();
      t.clock.advance(11 * MINUTE);
      await sendDue(t);
      expect(mail.to(author.user.email)).toHaveLength(0);
      expect(t.handle.db.select().from(mailOutbox).get()).toMatchObject({
        status: 'failed',
        rejections: 10,
        lastError: 'the process stopped while sending it, too often',
      });
    } finally {
      await t.close();
    }
  });

  it('marks a message only while it is still claimed by the delivery that marks it', async () => {
    const t = await mailApp();
    try {
      const author = await quickMember(t);
      const replier = await quickMember(t, 'DE');
      const th = await thread(t, author, { title: 'Claimed twice' });
      await reply(t, replier, th.thread.id);
      t.clock.advance(11 * MINUTE);
      mail.refuseWith(451);
      await sendDue(t);
      const stored = () => t.handle.db.select().from(mailOutbox).get()!;
      t.clock.advance(2 * MINUTE);
      // A first delivery claims it and stalls past the lease; a second one claims it again.
      const first = claimMail(t.handle.db, stored(), t.clock.now())!;
      expect(first).not.toBeNull();
      t.clock.advance(SENDING_LEASE_MS + MINUTE);
      const second = claimMail(t.handle.db, stored(), t.clock.now())!;
      expect(second).toMatchObject({ attempts: 2, rejections: 1 });
      // The stalled one comes back: its marks change nothing.
      markSent(t.handle.db, first, t.clock.now());
      markFailedAttempt(t.handle.db, first, 'late', true, null);
      markDropped(t.handle.db, first, 'late');
      expect(stored()).toMatchObject({ status: 'sending', attempts: 2, rejections: 1 });
      markSent(t.handle.db, second, t.clock.now());
      expect(stored().status).toBe('sent');
    } finally {
      mail.refuseWith(null);
      await t.close();
    }
  });

  it('resumes after a restart: what was queued before is delivered by the next process, once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lexforum-outbox-')), 'forum.db');
    const first = await mailApp({}, file);
    let email: string;
    let crashedId: string | null;
    try {
      const author = await quickMember(first);
      const replier = await quickMember(first, 'DE');
      email = author.user.email;
      for (const title of ['Before the restart A', 'Before the restart B']) {
        const th = await thread(first, author, { title });
        await reply(first, replier, th.thread.id);
      }
      first.clock.advance(11 * MINUTE);
      mail.refuseWith(451);
      expect((await sendDue(first)).immediate).toBe(2);
      // The second as a crash mid-send would leave it: claimed, never marked.
      const rows = first.handle.db.select().from(mailOutbox).all();
      first.handle.db
        .update(mailOutbox)
        .set({ status: 'sending', claimedAt: first.clock.now() })
        .where(eq(mailOutbox.id, rows[1]!.id))
        .run();
      crashedId = rows[1]!.messageId;
    } finally {
      await first.close();
    }

    mail.refuseWith(null);
    const second = await mailApp({}, file);
    try {
      second.clock.advance(11 * MINUTE + 2 * MINUTE);
      await sendDue(second);
      // The pending one goes at once; the one left `sending` only after its lease.
      expect(mail.to(email).map((m) => m.subject)).toEqual(['New in “Before the restart A” · LexForum']);
      second.clock.advance(10 * MINUTE);
      await sendDue(second);
      second.clock.advance(60 * MINUTE);
      await sendDue(second);
      const received = mail.to(email);
      expect(received.map((m) => m.subject)).toEqual([
        'New in “Before the restart A” · LexForum',
        'New in “Before the restart B” · LexForum',
      ]);
      expect(messageId(received[1]!)).toBe(`<${crashedId}@localhost>`);
      // The crash counted as a try (and towards giving up): 451, then the crash, then sent.
      expect(second.handle.db.select().from(mailOutbox).all()[1]).toMatchObject({
        status: 'sent',
        attempts: 2,
        rejections: 1,
      });
    } finally {
      await second.close();
    }
  });
});
