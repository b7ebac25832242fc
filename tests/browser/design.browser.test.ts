/**
 * The design pass in Chromium, on the demo data: a dense thread list (ten whole rows in a
 * 1280×900 window), no sideways scrolling at 320px (WCAG 1.4.10 reflow), the composer's formatting
 * toolbar, no draft from merely picking a kind, and the contents list of a legal analysis.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, forumClient, launchChromium, scenario, watchForProblems } from '../helpers/browser.js';
import { DEMO_PASSWORD, demoThreadIds, startDemoForum } from '../helpers/demo-forum.js';

const available = chromiumAvailable();
const ADMIN = 'admin@lexforum.test';
/** A demo member with no draft of a new thread. */
const MEMBER = 'johan@lexforum.test';

describe.runIf(available)('The design pass in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let origin: string;
  let browser: Browser;
  let threads: { analysis: string; busiest: string };

  beforeAll(async () => {
    ({ app, handle, origin } = await startDemoForum());
    threads = demoThreadIds(handle);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  async function signedIn(
    email: string,
    viewport: { width: number; height: number },
  ): Promise<{ context: BrowserContext; page: Page }> {
    // Signed in through the API (the sign-in page has its own tests): one page load less each.
    const cookie = await forumClient(origin, DEMO_PASSWORD).cookieOf(email);
    const [name, value] = cookie.split(/=(.*)/s) as [string, string];
    const context = await browser.newContext({ viewport });
    await context.addCookies([{ name, value, url: origin }]);
    return { context, page: await context.newPage() };
  }

  it('shows at least ten whole thread rows in a 1280×900 window, staff header and all', async () => {
    const { context, page } = await signedIn(ADMIN, { width: 1280, height: 900 });
    await scenario('design-density', [context], async () => {
      await page.goto(`${origin}/`);
      const results = page.getByRole('region', { name: 'Threads' });
      const rows = results.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3 }) });
      await rows.first().waitFor();
      expect(await rows.count()).toBeGreaterThanOrEqual(10);
      const boxes = await Promise.all((await rows.all()).map((row) => row.boundingBox()));
      const whole = boxes.filter((box) => box && box.y >= 0 && box.y + box.height <= 900);
      expect(whole.length).toBeGreaterThanOrEqual(10);
      // Each title is on one line, its full text the link's name even where it is cut short.
      const first = rows.first().getByRole('heading', { level: 3 }).getByRole('link');
      expect((await first.boundingBox())!.height).toBeLessThan(30);
    });
  });

  it('lets no page scroll sideways at 320px', async () => {
    const { context, page } = await signedIn(ADMIN, { width: 320, height: 700 });
    await scenario('design-reflow', [context], async () => {
      const problems = watchForProblems(page);
      for (const path of ['/', `/threads/${threads.busiest}`, `/threads/${threads.analysis}`, '/members', '/admin']) {
        await page.goto(`${origin}${path}`);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        const { scrollWidth, clientWidth } = await page.evaluate(() => {
          const root = document.scrollingElement!;
          return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
        });
        expect(scrollWidth, path).toBeLessThanOrEqual(clientWidth);
      }
      // The staff sections fold under one button, which opens to their links.
      await page.getByRole('button', { name: /^Staff/ }).click();
      await page.getByRole('link', { name: 'Vetting' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/vetting');
      expect(problems).toEqual([]);
    });
  });

  it('bolds the selection with Ctrl+B and with the toolbar, and picking a kind alone saves no draft', async () => {
    const { context, page } = await signedIn(MEMBER, { width: 1280, height: 900 });
    await scenario('design-composer', [context], async () => {
      const draft = async () =>
        ((await (await page.request.get(`${origin}/api/drafts/thread`)).json()) as { draft: unknown }).draft;
      await page.goto(`${origin}/threads/new`);
      await page.getByRole('radio', { name: /Question/ }).check();
      // Longer than the autosave's delay: nothing is sent for a kind alone.
      await page.waitForTimeout(1800);
      expect(await draft()).toBeNull();

      const body = page.getByRole('textbox', { name: 'Post' });
      await body.fill('Hello world');
      await body.evaluate((area: HTMLTextAreaElement) => area.setSelectionRange(6, 11));
      await page.keyboard.press('Control+b');
      expect(await body.inputValue()).toBe('Hello **world**');
      await body.evaluate((area: HTMLTextAreaElement) => area.setSelectionRange(0, 5));
      const toolbar = page.getByRole('toolbar', { name: 'Formatting' });
      await toolbar.getByRole('button', { name: 'Bold' }).click();
      expect(await body.inputValue()).toBe('**Hello** **world**');
      // One tab stop: the arrows move along the toolbar.
      await toolbar.getByRole('button', { name: 'Bold' }).focus();
      await page.keyboard.press('ArrowRight');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Italic');
      // With content, the draft is saved.
      await expect.poll(draft, { timeout: 5000 }).not.toBeNull();
    });
  });

  it('lists the sections of a legal analysis, each linking to its heading', async () => {
    const { context, page } = await signedIn(MEMBER, { width: 1280, height: 900 });
    await scenario('design-contents', [context], async () => {
      await page.goto(`${origin}/threads/${threads.analysis}`);
      const contents = page.getByRole('navigation', { name: 'Contents' });
      const links = contents.getByRole('link');
      await links.first().waitFor();
      expect(await links.count()).toBe(5);
      for (const link of await links.all()) {
        const name = (await link.textContent())!.trim();
        await link.click();
        const hash = new URL(page.url()).hash.slice(1);
        const heading = page.getByRole('heading', { level: 2, name, exact: true });
        expect(await heading.getAttribute('id')).toBe(hash);
        const box = (await heading.boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(-1);
        expect(box.y).toBeLessThan(900);
      }
      // On a phone the list is folded under "Contents".
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => links.first().isVisible()).toBe(false);
      await contents.getByText('Contents').click();
      await expect.poll(() => links.first().isVisible()).toBe(true);
    });
  });
});
