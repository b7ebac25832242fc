/**
 * The hostile-input corpora as what notification email carries: thread titles in subjects and
 * bodies, post excerpts in bodies. Subjects stay one header line; the HTML part holds no markup
 * but the template's (every value escaped); the text part carries what was written, intact.
 */
import type { Notification } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, MINUTE, type TestApp } from '../helpers/app.js';
import { readBlns, readXssLines, requireCorpora } from '../helpers/corpora.js';
import { startMailServer, type TestMailServer } from '../helpers/mail.js';
import { ok, quickMember, send } from '../helpers/moderation.js';
import { threadBody } from '../helpers/threads.js';

const corpora = requireCorpora();

/** The tags the notification template writes; anything else in the HTML came from content. */
const TEMPLATE_TAGS = new Set(['html', 'head', 'meta', 'title', 'body', 'div', 'p', 'a', 'h2', 'ul', 'li', 'hr', 'br']);

/** A title as a subject or list line shows it: control characters and line breaks as spaces. */
const asLine = (text: string) =>
  text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe.runIf(corpora)('Notification email against the corpora', () => {
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

  it('keeps subjects on one line, escapes the HTML and keeps the text intact', { timeout: 240_000 }, async () => {
    const strings = [
      ...readBlns().filter((_, i) => i % 6 === 0),
      ...readXssLines()
        .filter((_, i) => i % 60 === 0)
        .map((x) => x.line),
    ];
    const author = await quickMember(t, 'FR', { displayName: '<img src=x onerror=alert(1)> Author' });
    const replier = await quickMember(t, 'DE', { displayName: '"><script>alert(1)</script>' });
    const threads = new Map<string, string>();
    for (const value of strings) {
      const res = await send(t, author, 'POST', '/api/threads', threadBody('discussion', { title: value }));
      const id =
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
      threads.set(id.id, id.title);
      const answer = await send(t, replier, 'POST', `/api/threads/${id.id}/posts`, { body: value });
      if (answer.statusCode !== 201)
        await send(t, replier, 'POST', `/api/threads/${id.id}/posts`, { body: `Reply: ${value}` });
    }
    const notifications = new Map<string, Notification>();
    let before: number | null = null;
    do {
      const page: { notifications: Notification[]; nextCursor: number | null } = await ok(
        t,
        author,
        'GET',
        `/api/notifications${before ? `?before=${before}` : ''}`,
      );
      for (const n of page.notifications) if (n.threadId) notifications.set(n.threadId, n);
      before = page.nextCursor;
    } while (before);

    t.clock.advance(11 * MINUTE);
    t.app.queueEmails();
    await t.app.mail.deliver();
    await t.app.mail.idle();
    const received = mail.to(author.user.email);
    const mailed = new Set(received.map((m) => /\/threads\/([\w-]+)#post-/.exec(m.text)![1]!));
    // Every notified thread has its email (a string refused even as "Reply: …" notified nobody).
    expect([...notifications.keys()].filter((id) => !mailed.has(id))).toEqual([]);
    expect(received).toHaveLength(notifications.size);
    expect(notifications.size).toBeGreaterThan(threads.size * 0.9);

    for (const message of received) {
      const threadId = /\/threads\/([\w-]+)#post-/.exec(message.text)![1]!;
      const title = threads.get(threadId)!;
      const label = JSON.stringify(title);
      expect(message.subject, label).not.toMatch(/[\r\n]/);
      expect(message.subject, label).toBe(
        `New in “${asLine(title).slice(0, 120)}${asLine(title).length > 120 ? '…' : ''}” · LexForum`,
      );
      expect(message.text, label).toContain(asLine(title));
      const body = notifications.get(threadId)!.body!;
      expect(message.text, label).toContain(body);
      expect(message.text).toContain('"><script>alert(1)</script>');
      for (const [, tag, attributes] of message.html.matchAll(/<\s*\/?\s*([a-zA-Z][\w-]*)([^>]*)>/g)) {
        expect(TEMPLATE_TAGS.has(tag!.toLowerCase()), `${label}: <${tag}${attributes}>`).toBe(true);
        expect(attributes, label).not.toMatch(/\son\w+\s*=/i);
      }
    }
  });
});
