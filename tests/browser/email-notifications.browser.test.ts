/**
 * Notification email in Chromium: a member chooses an email setting per kind and a weekly digest
 * in their time zone; a reply reaches them by email; the email's "stop" link opens, without
 * signing in, a page that says what it turns off and does it on a click; an administrator reads
 * the mail queue and puts a failed message back in it. Screenshots of each screen.
 */
import { mailOutbox, type DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPeople,
  chromiumAvailable,
  forumClient,
  launchChromium,
  scenario,
  screenshot,
  signIn,
  startForum,
  watchForProblems,
} from '../helpers/browser.js';
import { startMailServer, type TestMailServer } from '../helpers/mail.js';
import { threadBody } from '../helpers/threads.js';

const available = chromiumAvailable();
const PASSWORD = 'harbour lantern evidence 1984';
const AUTHOR = 'nadia.benali@justice.example';
const REPLIER = 'tomas.weber@justice.example';
const ADMIN = 'admin.ops@justice.example';

describe.runIf(available)('Notification email in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let mail: TestMailServer;

  beforeAll(async () => {
    mail = await startMailServer();
    ({ app, handle, origin } = await startForum({}, { env: { SMTP_URL: mail.url, EMAIL_NOTIFY_DELAY_MINUTES: '0' } }));
    await addPeople(
      handle,
      [
        { email: AUTHOR, name: 'Nadia Benali', role: 'member', code: 'MA' },
        { email: REPLIER, name: 'Tomas Weber', role: 'member', code: 'DE' },
        { email: ADMIN, name: 'Ada Admin', role: 'admin', code: 'FR' },
      ],
      PASSWORD,
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
    await mail?.close();
  });

  it(
    'email column and digest → an email → one-click unsubscribe without signing in → the admin queue',
    { timeout: 120_000 },
    async () => {
      const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Tokyo' });
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const adminDesk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await scenario('email-notifications', [desk, phone, adminDesk], async () => {
        const page = await desk.newPage();
        const problems = watchForProblems(page);
        await signIn(page, origin, AUTHOR, PASSWORD);
        await page.goto(`${origin}/account/notifications`);
        const mentionEmail = page.getByLabel('Email for: Mention', { exact: true });
        await expect.poll(() => mentionEmail.isVisible()).toBe(true);
        expect(await page.getByLabel('Email for: Reply to your post', { exact: true }).inputValue()).toBe('immediate');
        await mentionEmail.selectOption({ label: 'In the digest' });
        await expect.poll(() => page.getByText('Notification settings saved.').isVisible()).toBe(true);

        // The digest: the browser's zone (Tokyo) is offered.
        const frequency = page.getByLabel('How often');
        await frequency.selectOption({ label: 'Once a week' });
        expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');
        await page.getByLabel('Day').selectOption({ label: 'Tuesday' });
        await page.getByLabel('Time', { exact: true }).selectOption('7');
        await page.getByRole('button', { name: 'Save digest settings' }).click();
        await expect
          .poll(() => page.getByText(/^Every Tuesday at 07:00\W*AM \(Asia\/Tokyo\)\.$/).isVisible())
          .toBe(true);
        await screenshot(page, 'email-preferences-desktop');

        const client = forumClient(origin, PASSWORD);
        const author = await client.cookieOf(AUTHOR);
        expect(await client.api(author, 'GET', '/api/notifications/digest', undefined)).toEqual({
          frequency: 'weekly',
          weekday: 2,
          hour: 7,
          timeZone: 'Asia/Tokyo',
        });
        const prefs = (await client.api(author, 'GET', '/api/notifications/preferences', undefined)) as {
          preferences: { kind: string; email: string }[];
        };
        expect(prefs.preferences.find((p) => p.kind === 'mention')?.email).toBe('digest');

        // A kind turned off has no email: its select is disabled, off, and says why.
        const acceptedEmail = page.getByLabel('Email for: Your reply accepted as the answer', { exact: true });
        expect(await acceptedEmail.inputValue()).toBe('immediate');
        await page.locator('input[name="channel-answer_accepted"][value="off"]').check();
        await expect.poll(() => acceptedEmail.isDisabled()).toBe(true);
        expect(await acceptedEmail.inputValue()).toBe('off');
        expect(await page.locator('#email-off-answer_accepted').textContent()).toContain(
          'Turn the notification on to get it by email.',
        );
        await expect
          .poll(async () =>
            (
              (await client.api(author, 'GET', '/api/notifications/preferences', undefined)) as {
                preferences: { kind: string; channel: string; email: string }[];
              }
            ).preferences.find((p) => p.kind === 'answer_accepted'),
          )
          .toEqual({ kind: 'answer_accepted', channel: 'off', email: 'off' });
        await page.locator('#email-off-answer_accepted').scrollIntoViewIfNeeded();
        await screenshot(page, 'email-preferences-channel-off-desktop');

        // Following an instrument from its page; it is then on the Following page.
        await page.goto(`${origin}/instruments/medicrime`);
        const follow = page.getByRole('button', { name: /^Follow / });
        await expect.poll(() => follow.isVisible()).toBe(true);
        await follow.click();
        await expect.poll(() => page.getByRole('button', { name: /^Following .*Unfollow$/ }).isVisible()).toBe(true);
        await screenshot(page, 'instrument-follow-desktop');
        await page.goto(`${origin}/following`);
        await expect.poll(() => page.getByRole('heading', { name: 'Legal instruments' }).isVisible()).toBe(true);
        await screenshot(page, 'following-instruments-desktop');

        // A reply, and its email (the delay is 0 here).
        const thread = (await client.api(
          author,
          'POST',
          '/api/threads',
          threadBody('discussion', { title: 'Controlled deliveries across borders' }),
        )) as { thread: { id: string } };
        const replier = await client.cookieOf(REPLIER);
        await client.api(replier, 'POST', `/api/threads/${thread.thread.id}/posts`, {
          body: 'We used a controlled delivery with the customs service.',
        });
        app.queueEmails();
        await app.mail.idle();
        const received = await mail.lastTo(AUTHOR);
        expect(received.subject).toBe('New in “Controlled deliveries across borders” · LexForum');
        const link = await mail.linkTo(AUTHOR, '/unsubscribe');

        // On the phone, signed in nowhere: opening the link changes nothing until the click.
        const phonePage = await phone.newPage();
        const phoneProblems = watchForProblems(phonePage);
        await phonePage.goto(link);
        await expect
          .poll(() => phonePage.getByRole('heading', { name: 'Stop these emails', level: 1 }).isVisible())
          .toBe(true);
        await expect
          .poll(() => phonePage.getByText('This turns off emails for: Reply to your post.').isVisible())
          .toBe(true);
        await screenshot(phonePage, 'unsubscribe-confirm-phone');
        const before = (await client.api(author, 'GET', '/api/notifications/preferences', undefined)) as typeof prefs;
        expect(before.preferences.find((p) => p.kind === 'reply_to_post')?.email).toBe('immediate');
        await phonePage.getByRole('button', { name: 'Turn off these emails' }).click();
        await expect
          .poll(() => phonePage.getByRole('heading', { name: 'Emails turned off', level: 1 }).isVisible())
          .toBe(true);
        await screenshot(phonePage, 'unsubscribe-done-phone');
        const after = (await client.api(author, 'GET', '/api/notifications/preferences', undefined)) as typeof prefs;
        expect(after.preferences.find((p) => p.kind === 'reply_to_post')?.email).toBe('off');
        expect(after.preferences.find((p) => p.kind === 'mention')?.email).toBe('digest');

        // The settings page shows it.
        await page.goto(`${origin}/account/notifications`);
        await expect
          .poll(() => page.getByLabel('Email for: Reply to your post', { exact: true }).inputValue())
          .toBe('off');

        // The administrator's queue: the sent message and a failed one to retry.
        handle.db
          .insert(mailOutbox)
          .values({
            toAddress: 'unreachable@justice.example',
            template: 'password_reset',
            subject: 'Choose a new password · LexForum',
            textBody: 'x',
            htmlBody: 'x',
            messageId: 'failed-one',
            status: 'failed',
            attempts: 10,
            nextAttemptAt: new Date(),
            lastError: '550 Mailbox unavailable',
            createdAt: new Date(Date.now() - 3600_000),
          })
          .run();
        const adminPage = await adminDesk.newPage();
        const adminProblems = watchForProblems(adminPage);
        await signIn(adminPage, origin, ADMIN, PASSWORD);
        await adminPage.goto(`${origin}/admin`);
        await adminPage.getByRole('link', { name: 'Mail queue' }).click();
        await expect
          .poll(() => adminPage.getByRole('heading', { name: 'Mail queue', level: 1 }).isVisible())
          .toBe(true);
        await expect.poll(() => adminPage.getByText(AUTHOR).first().isVisible()).toBe(true);
        await expect.poll(() => adminPage.getByText('550 Mailbox unavailable').isVisible()).toBe(true);
        await screenshot(adminPage, 'admin-mail-desktop');
        await adminPage.getByRole('link', { name: /Failed/ }).click();
        await expect.poll(() => adminPage.url()).toContain('status=failed');
        await expect.poll(() => adminPage.getByText(AUTHOR).count()).toBe(0);
        await adminPage.getByRole('button', { name: 'Retry now' }).click();
        await expect.poll(() => adminPage.getByText('The message is back in the queue.').isVisible()).toBe(true);
        await expect.poll(() => mail.to('unreachable@justice.example').length).toBe(1);
        await adminPage.getByRole('link', { name: /Sent/ }).click();
        await expect.poll(() => adminPage.getByText('unreachable@justice.example').isVisible()).toBe(true);

        await adminPage.setViewportSize({ width: 390, height: 844 });
        await screenshot(adminPage, 'admin-mail-phone');
        expect({ problems, phoneProblems, adminProblems }).toEqual({
          problems: [],
          phoneProblems: [],
          adminProblems: [],
        });
      });
    },
  );
});
