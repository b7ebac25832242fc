/**
 * The hostile-input corpora as what notification email carries: thread titles in subjects and
 * bodies, post excerpts in bodies, names. Subjects stay one header line; the HTML part holds no
 * markup but the template's (every value escaped); the text part carries what was written, intact.
 * Every corpus line goes through the email renderers themselves (fast); a sample goes the whole way,
 * through the forum's API, the queue, the outbox and a real SMTP server.
 */
import type { Notification } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailLinks } from '../../server/src/modules/mail/links.js';
import type { NotificationMailItem } from '../../server/src/modules/mail/mail-content.js';
import { renderDigestMail, renderNotificationMail } from '../../server/src/modules/mail/render-notify.js';
import { buildTestApp, MINUTE, type TestApp } from '../helpers/app.js';
import { readBlns, readXssLines, requireCorpora } from '../helpers/corpora.js';
import { startMailServer, type TestMailServer } from '../helpers/mail.js';
import { ok, quickMember, send } from '../helpers/moderation.js';
import { threadBody } from '../helpers/threads.js';

const corpora = requireCorpora();

/** The tags the notification template writes; anything else in the HTML came from content. */
const TEMPLATE_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'body',
  'div',
  'p',
  'a',
  'h2',
  'ul',
  'li',
  'hr',
  'br',
  'bdi',
]);

/** A title as a subject or list line shows it: control characters and line breaks as spaces. */
const asLine = (text: string) =>
  text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
/** The marks the renderer isolates titles and names with are not kept from content. */
const unmarked = (text: string) => text.replace(/[\u2068\u2069]/g, '');
const expectedSubject = (title: string) => {
  const chars = [...asLine(title)];
  return `New in “${unmarked(chars.length > 120 ? `${chars.slice(0, 120).join('')}…` : chars.join(''))}” · LexForum`;
};

/** What in this HTML is not the template's own markup (a tag it does not write, an event handler). */
function foreignMarkup(html: string): string[] {
  const found: string[] = [];
  for (const [whole, tag, attributes] of html.matchAll(/<\s*\/?\s*([a-zA-Z][\w-]*)([^>]*)>/g)) {
    if (!TEMPLATE_TAGS.has(tag!.toLowerCase()) || /\son\w+\s*=/i.test(attributes!)) found.push(whole);
  }
  return found;
}

describe.runIf(corpora)('Notification email against the corpora', () => {
  const strings = corpora ? [...readBlns(), ...readXssLines().map((x) => x.line)] : [];
  const links = mailLinks('https://forum.example');

  it('renders every corpus line: one-line subjects, escaped HTML, text intact', () => {
    expect(strings.length).toBeGreaterThan(1000);
    // Plain checks gathered per line, one assertion at the end (thousands of expect calls are slow).
    const problems: string[] = [];
    const check = (ok: boolean, what: string, value: string) => {
      if (!ok) problems.push(`${what}: ${JSON.stringify(value)}`);
    };
    strings.forEach((value, i) => {
      const item: NotificationMailItem = {
        id: i,
        kind: 'reply_to_post',
        threadId: `t${i}`,
        title: value,
        body: value,
        link: `/threads/t${i}#post-2`,
        actor: value,
        createdAt: 0,
      };
      const mail = renderNotificationMail('en', value, [item], [{ kind: 'reply_to_post', href: 'https://x/u' }], links);
      check(!/[\r\n]/.test(mail.subject), 'subject on two lines', value);
      if (asLine(value) !== '') check(mail.subject === expectedSubject(value), 'subject', value);
      check(mail.text.includes(asLine(unmarked(value)).slice(0, 300)), 'title in text', value);
      check(mail.text.includes(unmarked(value).slice(0, 600)), 'body in text', value);
      check(foreignMarkup(mail.html).length === 0, `markup ${foreignMarkup(mail.html).join(' ')}`, value);
      const digest = renderDigestMail(
        'ar',
        value,
        'daily',
        {
          notifications: [item],
          followed: [{ id: 'a', title: value, kind: 'question', author: value }],
          active: [{ id: 'b', title: value, kind: 'discussion', author: value, newPosts: 3 }],
          awaiting: [{ id: 'c', title: value, kind: 'question', author: value }],
          moreNotifications: 2,
        },
        'https://x/u',
        links,
      );
      check(!/[\r\n]/.test(digest.subject), 'digest subject on two lines', value);
      check(foreignMarkup(digest.html).length === 0, `digest markup ${foreignMarkup(digest.html).join(' ')}`, value);
      // Isolation marks pair: as many <bdi> opened as closed.
      check(digest.html.split('<bdi>').length === digest.html.split('</bdi>').length, 'unpaired <bdi>', value);
    });
    expect(problems).toEqual([]);
  });

  describe('a sample through the app, the outbox and a real SMTP server', () => {
    let mail: TestMailServer;
    let t: TestApp;
    beforeAll(async () => {
      mail = await startMailServer();
      t = await buildTestApp({ env: { SMTP_URL: mail.url } });
    });
    afterAll(async () => {
      await t.close();
      await mail.close();
    });

    it('keeps subjects on one line, escapes the HTML and keeps the text intact', async () => {
      // Spread across both corpora: every n-th line, 16 in all.
      const step = Math.floor(strings.length / 16);
      const sample = strings.filter((_, i) => i % step === 0).slice(0, 16);
      const author = await quickMember(t, 'FR', { displayName: '<img src=x onerror=alert(1)> Author' });
      const replier = await quickMember(t, 'DE', { displayName: '"><script>alert(1)</script>' });
      const threads = new Map<string, string>();
      for (const value of sample) {
        const res = await send(t, author, 'POST', '/api/threads', threadBody('discussion', { title: value }));
        const created =
          res.statusCode === 201
            ? (res.json() as { thread: { id: string; title: string } }).thread
            : // A title the forum refuses still tests the body: a plain title, the string as the reply.
              (
                await ok<{ thread: { id: string; title: string } }>(
                  t,
                  author,
                  'POST',
                  '/api/threads',
                  threadBody('discussion'),
                )
              ).thread;
        threads.set(created.id, created.title);
        const answer = await send(t, replier, 'POST', `/api/threads/${created.id}/posts`, { body: value });
        if (answer.statusCode !== 201)
          await send(t, replier, 'POST', `/api/threads/${created.id}/posts`, { body: `Reply: ${value}` });
      }
      const notifications = new Map<string, Notification>();
      const page = await ok<{ notifications: Notification[] }>(t, author, 'GET', '/api/notifications');
      for (const n of page.notifications) if (n.threadId) notifications.set(n.threadId, n);

      t.clock.advance(11 * MINUTE);
      t.app.queueEmails();
      await t.app.mail.deliver();
      await t.app.mail.idle();
      const received = mail.to(author.user.email);
      const mailed = new Set(received.map((m) => /\/threads\/([\w-]+)#post-/.exec(m.text)![1]!));
      // Every notified thread has its email (a string refused even as "Reply: …" notified nobody).
      expect([...notifications.keys()].filter((id) => !mailed.has(id))).toEqual([]);
      expect(received).toHaveLength(notifications.size);
      expect(notifications.size).toBeGreaterThan(threads.size * 0.8);

      for (const message of received) {
        const threadId = /\/threads\/([\w-]+)#post-/.exec(message.text)![1]!;
        const title = threads.get(threadId)!;
        const label = JSON.stringify(title);
        expect(message.subject, label).not.toMatch(/[\r\n]/);
        expect(message.subject, label).toBe(expectedSubject(title));
        expect(message.text, label).toContain(asLine(unmarked(title)));
        expect(message.text, label).toContain(unmarked(notifications.get(threadId)!.body!));
        expect(message.text).toContain('"><script>alert(1)</script>');
        expect(foreignMarkup(message.html), label).toEqual([]);
      }
    });
  });
});
