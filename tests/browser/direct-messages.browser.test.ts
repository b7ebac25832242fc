/**
 * Direct messages, as members and a moderator see them in Chromium. Amina (FR) writes to Otieno
 * (KE) from his profile; each sees the other's message arrive without a reload, and the header's
 * Messages link counts the unread conversation; Otieno mutes and unmutes it. Amina edits a
 * message within the window and deletes another, live on Otieno's page. She reports one of his
 * messages; Daniel, a moderator, finds that message alone (with the participants) in the review
 * queue and hides it; Amina's open conversation then says "Hidden by moderation" (also in Arabic,
 * right to left). Otieno blocks Amina: her next message is refused with a clear error, and her
 * post in a thread is folded away for him. Last, she leaves the conversation and he sees that she
 * left. Real server on a free port, real SQLite file, the built web client.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLocale } from '../helpers/a11y.js';
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
import { threadBody } from '../helpers/threads.js';

const available = chromiumAvailable();

const PASSWORD = 'harbour lights evidence 2031';
const AMINA = { email: 'amina.diallo@justice.example', name: 'Amina Diallo', code: 'FR', role: 'member' } as const;
const OTIENO = { email: 'otieno.were@judiciary.example', name: 'Otieno Were', code: 'KE', role: 'member' } as const;
const DANIEL = { email: 'daniel.roux@justice.example', name: 'Daniel Roux', code: 'FR', role: 'moderator' } as const;

const FIRST = 'Could you share the customs guidance on **test purchases** you mentioned?';
const REPLY = 'Of course: the circular of March 2024 covers it. I will send the reference.';
const RUDE = 'Stop asking me for documents, it is not my job to do your research.';
const TITLE = 'Test purchases of falsified medicines: admissibility across jurisdictions';
const AMINA_POST = 'In France the Cour de cassation admitted a test purchase made by a customs officer.';

describe.runIf(available)('Direct messages in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let ids: Record<string, string>;
  let threadUrl: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    ids = await addPeople(handle, [AMINA, OTIENO, DANIEL], PASSWORD);
    // A thread with a reply by Amina, through the API: what Otieno's block folds away.
    const { cookieOf, api } = forumClient(origin, PASSWORD);
    const otienoCookie = await cookieOf(OTIENO.email);
    const created = await api(otienoCookie, 'POST', '/api/threads', threadBody('question', { title: TITLE }));
    const threadId = (created['thread'] as { id: string }).id;
    await api(await cookieOf(AMINA.email), 'POST', `/api/threads/${threadId}/posts`, { body: AMINA_POST });
    threadUrl = `${origin}/threads/${threadId}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await aminaContext?.close();
    await otienoContext?.close();
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  const messagesLink = (page: Page) => page.getByRole('link', { name: /^Messages(, |$)/ });
  const messagesLabel = (page: Page) => messagesLink(page).getAttribute('aria-label');
  const message = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text });

  let aminaContext: BrowserContext;
  let otienoContext: BrowserContext;
  let amina: Page;
  let otieno: Page;
  let conversationUrl: string;
  /** Page errors and CSP refusals on the two members' pages, all along. */
  let problems: string[][] = [];

  /** Runs a step; on failure keeps a screenshot of every page (the contexts live on for the next step). */
  async function step(name: string, pages: Page[], body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      for (const [i, page] of pages.entries())
        console.error(`screenshot kept: ${await screenshot(page, `${name}-${i}`)}`);
      throw error;
    }
  }

  it('two members exchange messages live, and the header counts the unread conversation', async () => {
    aminaContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    otienoContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    amina = await aminaContext.newPage();
    otieno = await otienoContext.newPage();
    problems = [watchForProblems(amina), watchForProblems(otieno)];

    await step('dm-live', [amina, otieno], async () => {
      await signIn(otieno, origin, OTIENO.email, PASSWORD);
      await otieno.goto(`${origin}/messages`);
      await expect.poll(() => otieno.getByText('No conversations yet').isVisible()).toBe(true);
      await expect.poll(() => messagesLabel(otieno)).toBe('Messages');
      await screenshot(otieno, 'dm-inbox-empty-phone');

      // Amina writes to Otieno from his profile.
      await signIn(amina, origin, AMINA.email, PASSWORD);
      await amina.goto(`${origin}/members/${ids[OTIENO.email]}`);
      await amina.getByRole('link', { name: `Message to ${OTIENO.name}` }).click();
      await expect.poll(() => amina.getByRole('list', { name: 'Recipients' }).textContent()).toContain(OTIENO.name);
      await amina.getByLabel('Message', { exact: true }).fill(FIRST);
      await screenshot(amina, 'dm-new-wide');
      await amina.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => new URL(amina.url()).pathname).toMatch(/^\/messages\/(?!new$)[^/]+$/);
      conversationUrl = amina.url();
      await expect.poll(() => message(amina, 'Could you share the customs guidance').count()).toBe(1);
      // Cooked as posts are: the bold is bold.
      expect(await message(amina, 'Could you share').locator('strong').textContent()).toBe('test purchases');

      // Otieno's inbox gets it without a reload, and his header counts it.
      await otieno.evaluate(() => ((window as { stayed?: boolean }).stayed = true));
      await expect.poll(() => otieno.getByRole('link', { name: new RegExp(AMINA.name) }).count()).toBe(1);
      await expect.poll(() => messagesLabel(otieno)).toBe('Messages, 1 conversation unread');
      await screenshot(otieno, 'dm-inbox-unread-phone');

      // He opens it: read, the count falls; he answers.
      await otieno.getByRole('link', { name: new RegExp(AMINA.name) }).click();
      await expect.poll(() => message(otieno, 'Could you share the customs guidance').count()).toBe(1);
      await expect.poll(() => messagesLabel(otieno)).toBe('Messages');
      await otieno.getByLabel('Your message', { exact: true }).fill(REPLY);
      await otieno.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => message(otieno, 'circular of March 2024').count()).toBe(1);
      expect(await otieno.evaluate(() => (window as { stayed?: boolean }).stayed)).toBe(true);

      // Amina's open conversation shows it without a reload; she reads it there, so no count.
      await expect.poll(() => message(amina, 'circular of March 2024').count(), { timeout: 10_000 }).toBe(1);
      await expect.poll(() => messagesLabel(amina)).toBe('Messages');

      // A second message while Amina is on her inbox: it moves up, unread.
      await amina.getByRole('link', { name: 'All conversations' }).click();
      // On the inbox, not still on the conversation (which would read the message as it comes).
      await expect.poll(() => amina.getByRole('list', { name: 'Your conversations' }).isVisible()).toBe(true);
      await otieno.getByLabel('Your message', { exact: true }).fill(RUDE);
      await otieno.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => messagesLabel(amina), { timeout: 10_000 }).toBe('Messages, 1 conversation unread');
      await expect
        .poll(() => amina.getByRole('list', { name: 'Your conversations' }).textContent())
        .toContain('Stop asking me');
      await screenshot(amina, 'dm-inbox-wide');
      await screenshot(otieno, 'dm-conversation-phone');

      // Otieno mutes it, and unmutes it: the toggle and the mark follow.
      const mute = otieno.getByRole('button', { name: 'Mute', exact: true });
      await mute.click();
      await expect.poll(() => mute.getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => otieno.getByText('Muted', { exact: true }).isVisible()).toBe(true);
      await mute.click();
      await expect.poll(() => mute.getAttribute('aria-pressed')).toBe('false');
      expect(problems.flat()).toEqual([]);
    });
  }, 120_000);

  it('a message is edited and another deleted; a reported one reaches the moderators alone, who hide it', async () => {
    const danielContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await scenario('dm-report', [danielContext], async () => {
      await step('dm-report-members', [amina, otieno], async () => {
        await amina.goto(conversationUrl);
        await expect.poll(() => messagesLabel(amina)).toBe('Messages');

        // Within the edit window Amina corrects her first message; Otieno's open page follows.
        await message(amina, 'Could you share the customs guidance').getByRole('button', { name: 'Edit' }).click();
        await amina.getByLabel('Edit your message', { exact: true }).fill(`${FIRST} (the 2024 one)`);
        await amina.getByRole('button', { name: 'Save', exact: true }).click();
        await expect.poll(() => message(otieno, '(the 2024 one)').count(), { timeout: 10_000 }).toBe(1);
        expect(await message(otieno, '(the 2024 one)').textContent()).toContain('edited');
        // A message sent by mistake, deleted: "Message deleted" in its place, for both.
        await amina.getByLabel('Your message', { exact: true }).fill('Sent to the wrong person, sorry.');
        await amina.getByRole('button', { name: 'Send', exact: true }).click();
        await expect.poll(() => message(otieno, 'Sent to the wrong person').count(), { timeout: 10_000 }).toBe(1);
        await message(amina, 'Sent to the wrong person').getByRole('button', { name: 'Delete' }).click();
        await amina
          .getByRole('dialog', { name: 'Delete this message?' })
          .getByRole('button', { name: 'Delete', exact: true })
          .click();
        await expect.poll(() => message(otieno, 'Message deleted').count(), { timeout: 10_000 }).toBe(1);
        expect(await otieno.getByText('Sent to the wrong person').count()).toBe(0);
        expect(await amina.getByText('Sent to the wrong person').count()).toBe(0);
        await message(amina, 'Stop asking me')
          .getByRole('button', { name: `Report message by ${OTIENO.name}` })
          .click();
        // Named by its title, which becomes "Report sent" once the report is in.
        const dialog = amina.getByRole('dialog');
        await expect.poll(() => dialog.getByRole('heading', { name: 'Report this message' }).isVisible()).toBe(true);
        await dialog.getByLabel('Disrespectful').check();
        await dialog.getByRole('button', { name: 'Send report' }).click();
        await expect.poll(() => dialog.getByText('Report sent').isVisible()).toBe(true);
        await dialog.getByRole('button', { name: 'Close' }).click();

        // Daniel finds it in the queue: that message, and the participants; nothing else of it.
        const daniel = await danielContext.newPage();
        const danielProblems = watchForProblems(daniel);
        await signIn(daniel, origin, DANIEL.email, PASSWORD);
        await daniel.goto(`${origin}/moderation`);
        await daniel.getByRole('link', { name: /A private message/ }).click();
        await expect
          .poll(() => daniel.getByRole('heading', { name: 'A private message', level: 1 }).isVisible())
          .toBe(true);
        const reported = daniel.getByRole('article', { name: 'The reported message' });
        await expect.poll(() => reported.textContent()).toContain('Stop asking me for documents');
        const participants = daniel.getByRole('list', { name: 'Participants in the conversation' });
        await expect.poll(() => participants.textContent()).toContain(AMINA.name);
        expect(await participants.textContent()).toContain(OTIENO.name);
        // The rest of the conversation is not on the page.
        expect(await daniel.getByText('circular of March 2024').count()).toBe(0);
        expect(await daniel.getByText('Could you share the customs guidance').count()).toBe(0);
        await screenshot(daniel, 'dm-moderation-item-wide');

        const decision = daniel.getByRole('region', { name: 'Decision' });
        await decision.getByRole('radio', { name: /Hide the message/ }).check();
        await decision
          .getByLabel('Reason', { exact: false })
          .fill('Hostile message to a colleague asking for sources.');
        await decision.getByRole('button', { name: 'Hide the message' }).click();
        await expect.poll(() => daniel.getByText('The message is hidden.').first().isVisible()).toBe(true);

        // Amina's open conversation says so, without a reload.
        await expect.poll(() => message(amina, 'Hidden by moderation').count(), { timeout: 10_000 }).toBeGreaterThan(0);
        expect(await amina.getByText('Stop asking me for documents').count()).toBe(0);
        expect(danielProblems).toEqual([]);
      });
    });
  }, 120_000);

  it('reads right to left in Arabic', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ar' });
    await setLocale(context, origin, 'ar');
    // Signed in with a session cookie: the sign-in page would be in Arabic too.
    const [name, value] = (await forumClient(origin, PASSWORD).cookieOf(AMINA.email)).split('=') as [string, string];
    await context.addCookies([{ name, value, url: origin, httpOnly: true, sameSite: 'Lax' }]);
    await scenario('dm-arabic', [context], async () => {
      const page = await context.newPage();
      await page.goto(conversationUrl);
      await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await expect.poll(() => page.getByText('أخفاها الإشراف').count()).toBeGreaterThan(0);
      await screenshot(page, 'dm-conversation-ar-phone');
    });
  }, 60_000);

  it('a member blocks another: the blocked one cannot write any more, and their posts fold away for the blocker', async () => {
    await step('dm-block', [amina, otieno], async () => {
      await otieno.goto(`${origin}/members/${ids[AMINA.email]}`);
      await otieno.getByRole('button', { name: 'Block', exact: true }).click();
      const dialog = otieno.getByRole('dialog', { name: `Block ${AMINA.name}?` });
      await dialog.getByRole('button', { name: 'Block', exact: true }).click();
      await expect.poll(() => otieno.getByRole('button', { name: 'Unblock', exact: true }).isVisible()).toBe(true);

      // Amina, still on the conversation, tries to write: refused, and told why.
      await amina.getByLabel('Your message', { exact: true }).fill('Sorry to insist, one last question.');
      await amina.getByRole('button', { name: 'Send', exact: true }).click();
      const alert = amina.getByRole('alert');
      await expect.poll(() => alert.textContent()).toBe('You cannot write to this member: a block stands between you.');
      await screenshot(amina, 'dm-refused-wide');
      // Read again, the conversation offers no composer, and says why.
      await amina.reload();
      await expect.poll(() => amina.getByText('a block stands between you').isVisible()).toBe(true);

      // Otieno's thread folds Amina's reply away until he asks for it.
      await otieno.goto(threadUrl);
      const folded = otieno.getByRole('article', { name: 'Post by a member you blocked' });
      await expect.poll(() => folded.count()).toBe(1);
      expect(await otieno.getByText(AMINA_POST).count()).toBe(0);
      await screenshot(otieno, 'dm-thread-folded-phone');
      await folded.getByRole('button', { name: /^Show/ }).click();
      await expect.poll(() => otieno.getByText(AMINA_POST).isVisible()).toBe(true);

      // His settings list her, with Unblock.
      await otieno.goto(`${origin}/account/messages`);
      await expect
        .poll(() => otieno.getByRole('region', { name: 'Blocked members' }).textContent())
        .toContain(AMINA.name);
      await screenshot(otieno, 'dm-settings-phone');

      // Amina leaves the conversation: it goes from her list; Otieno's says she left.
      await amina.getByRole('button', { name: 'Leave', exact: true }).click();
      await amina
        .getByRole('dialog', { name: 'Leave this conversation?' })
        .getByRole('button', { name: 'Leave', exact: true })
        .click();
      await expect.poll(() => new URL(amina.url()).pathname).toBe('/messages');
      await expect.poll(() => amina.getByText('No conversations yet').isVisible()).toBe(true);
      await otieno.goto(conversationUrl);
      await expect.poll(() => otieno.getByText('left the conversation').textContent()).toContain(AMINA.name);
      expect(problems.flat()).toEqual([]);
    });
  }, 120_000);
});
