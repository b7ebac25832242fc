/**
 * The forum with the keyboard alone, in Chromium (page.keyboard only, no clicks): a member goes
 * from the thread list to a thread, replies, opens the bell, marks everything read and goes back;
 * a moderator opens an application from the vetting queue and decides; another opens a queue
 * item and acts. At each step focus is where a person expects it (the new page's heading after a
 * navigation, the new post after replying) and visibly marked. Then a reply pushed over the
 * socket into an open thread is read out by a polite live region, without moving focus.
 */
import { DEMO_PASSWORD, seedDemoData, type DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/modules/auth/password.js';
import { cookMarkdown, cookSections, excerptOf } from '../../server/src/modules/threads/cook.js';
import { settled } from '../helpers/a11y.js';
import { chromiumAvailable, forumClient, launchChromium, scenario, startForum } from '../helpers/browser.js';

const available = chromiumAvailable();

const MEMBER = 'camille@lexforum.test';
const OTHER = 'adebayo@lexforum.test';
/** Moderators for France (a reported post in the queue) and for Kenya (applications waiting). */
const MODERATOR = 'sofia@lexforum.test';
const VETTER = 'daniel@lexforum.test';

interface Focused {
  tag: string;
  text: string;
  name: string;
  href: string;
  type: string;
  /** A solid focus indicator is computed: an outline or a ring (box shadow). */
  visible: boolean;
}

/** What has focus now, and whether it shows it. */
function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'BODY', text: '', name: '', href: '', type: '', visible: false };
    const style = getComputedStyle(el);
    // A ring must be solid to reach 3:1: a translucent one (rgba with alpha below 1) does not count.
    const opaque = (color: string) => !/rgba\([^)]*,\s*0?\.\d+\)/.test(color);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 && opaque(style.outlineColor);
    const ring = style.boxShadow !== 'none' && opaque(style.boxShadow);
    return {
      tag: el.tagName,
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 2000),
      name: el.getAttribute('aria-label') ?? '',
      href: el.getAttribute('href') ?? '',
      type: el.getAttribute('type') ?? '',
      visible: outline || ring,
    };
  });
}

/** Presses Tab (or Shift+Tab) until `wanted` holds for the focused element; fails after `max` presses. */
async function tabTo(
  page: Page,
  wanted: (f: Focused) => boolean,
  what: string,
  max = 120,
  key: 'Tab' | 'Shift+Tab' = 'Tab',
): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (wanted(now)) return now;
  }
  throw new Error(`Tab never reached ${what}`);
}

/** Focus is on the page's main heading after a navigation, and visibly so. */
async function expectHeadingFocused(page: Page, text?: string): Promise<void> {
  await expect.poll(async () => (await focused(page)).tag, { timeout: 10_000 }).toBe('H1');
  if (text) expect((await focused(page)).text).toContain(text);
  await expectFocusShown(page);
}

/** The focused element shows a solid indicator (polled: fields fade their ring in). */
async function expectFocusShown(page: Page): Promise<void> {
  await expect.poll(async () => (await focused(page)).visible, { timeout: 3000 }).toBe(true);
}

describe.runIf(available)('Keyboard and screen-reader paths in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  const cookies: Record<string, string> = {};
  const one = <T>(sql: string, ...args: unknown[]) =>
    handle.sqlite
      .prepare(sql)
      .pluck()
      .get(...args) as T;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    await seedDemoData(handle.db, hashPassword, {
      cook: { markdown: cookMarkdown, sections: cookSections, excerpt: excerptOf },
    });
    const { cookieOf } = forumClient(origin, DEMO_PASSWORD);
    for (const email of [MEMBER, OTHER, MODERATOR, VETTER]) cookies[email] = await cookieOf(email);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  async function signedIn(email: string): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [name, value] = cookies[email]!.split('=') as [string, string];
    await context.addCookies([{ name, value, url: origin, httpOnly: true, sameSite: 'Lax' }]);
    return context;
  }

  const bellName = (page: Page) => page.getByRole('button', { name: /^Notifications, / }).getAttribute('aria-label');

  it('a member goes from the list to a thread, replies, reads the bell and goes back, all by keyboard', async () => {
    const context = await signedIn(MEMBER);
    await scenario('keyboard-member', [context], async () => {
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      await settled(page);
      await expect.poll(() => bellName(page)).not.toBe('Notifications, none unread');

      // The first thread of the list, reached with Tab: each stop on the way shows its focus.
      const link = await tabTo(
        page,
        (f) => f.tag === 'A' && f.href.startsWith('/threads/') && f.href !== '/threads/new',
        'a thread link',
      );
      await expectFocusShown(page);
      await page.keyboard.press('Enter');
      await expect.poll(() => new URL(page.url()).pathname).toBe(link.href);
      await expectHeadingFocused(page, link.text.slice(0, 30));

      // Reply: the composer takes focus, the reply is typed and sent with the keyboard.
      await tabTo(page, (f) => f.tag === 'BUTTON' && /^Reply( to |$)/.test(f.name || f.text), 'Reply');
      await expectFocusShown(page);
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await focused(page)).tag).toBe('TEXTAREA');
      await expectFocusShown(page);
      const text = 'Typed with the keyboard alone: the seizure record must name every carton sampled.';
      await page.keyboard.type(text);
      await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Post reply', 'Post reply');
      await expectFocusShown(page);
      await page.keyboard.press('Enter');
      // Focus follows to the new post, which shows it.
      await expect.poll(async () => (await focused(page)).tag, { timeout: 10_000 }).toBe('ARTICLE');
      const post = await focused(page);
      expect(post.text).toContain(text);
      await expectFocusShown(page);

      // The bell, further on with Tab (around the page), opened, everything marked read.
      await tabTo(page, (f) => f.tag === 'BUTTON' && f.name.startsWith('Notifications, '), 'the bell');
      await expectFocusShown(page);
      await page.keyboard.press('Enter');
      await tabTo(page, (f) => f.text === 'Mark all as read', 'Mark all as read', 20);
      await expectFocusShown(page);
      await page.keyboard.press('Enter');
      await expect.poll(() => bellName(page)).toBe('Notifications, none unread');
      expect((await focused(page)).tag).not.toBe('BODY');
      await page.keyboard.press('Escape');
      await expect.poll(async () => (await focused(page)).name).toMatch(/^Notifications, /);

      // And back to the list (its link in the header, just before the bell), focus on its heading again.
      await tabTo(page, (f) => f.tag === 'A' && f.href === '/', 'the Threads link', 20, 'Shift+Tab');
      await expectFocusShown(page);
      await page.keyboard.press('Enter');
      await expect.poll(() => new URL(page.url()).pathname).toBe('/');
      await expectHeadingFocused(page);
    });
  });

  it('a moderator opens an application from the vetting queue and asks a question, by keyboard', async () => {
    const application = one<string>(
      `select a.id from applications a where a.status = 'submitted' and a.jurisdiction_code in
         (select m.jurisdiction_code from moderator_jurisdictions m join users u on u.id = m.user_id where u.email = ?)
       limit 1`,
      VETTER,
    );
    const context = await signedIn(VETTER);
    await scenario('keyboard-vetting', [context], async () => {
      const page = await context.newPage();
      await page.goto(`${origin}/vetting`);
      await settled(page);
      const link = await tabTo(page, (f) => f.href === `/vetting/${application}`, 'the application');
      await expectFocusShown(page);
      await page.keyboard.press('Enter');
      await expectHeadingFocused(page, link.text);

      // The decision: the radio group is one tab stop, the arrows choose inside it.
      await tabTo(page, (f) => f.type === 'radio', 'the decision');
      await expectFocusShown(page);
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => page.getByRole('radio', { name: 'Request more information' }).isChecked()).toBe(true);
      await tabTo(page, (f) => f.tag === 'TEXTAREA', 'the question');
      await expectFocusShown(page);
      await page.keyboard.type('Which unit of the prosecution service do you work in?');
      await tabTo(page, (f) => f.text === 'Send question', 'Send question', 10);
      await expectFocusShown(page);
      await page.keyboard.press('Enter');
      await expect
        .poll(() => one<string>('select status from applications where id = ?', application))
        .toBe('info_requested');
    });
  });

  it('a moderator opens a queue item and acts on it, by keyboard', async () => {
    const item = one<number>(
      `select id from review_items r where status = 'open' and kind = 'post' and exists
         (select 1 from json_each(r.jurisdictions) j where j.value in
           (select m.jurisdiction_code from moderator_jurisdictions m join users u on u.id = m.user_id where u.email = ?))
       limit 1`,
      MODERATOR,
    );
    const context = await signedIn(MODERATOR);
    await scenario('keyboard-moderation', [context], async () => {
      const page = await context.newPage();
      await page.goto(`${origin}/moderation`);
      await settled(page);
      await tabTo(page, (f) => f.href === `/moderation/${item}`, 'the queue item');
      await expectFocusShown(page);
      await page.keyboard.press('Enter');
      await expectHeadingFocused(page);

      // The first action offered (keep the post: no confirmation), chosen with Space, with a reason.
      await tabTo(page, (f) => f.type === 'radio', 'the actions');
      await expectFocusShown(page);
      await page.keyboard.press('Space');
      await tabTo(page, (f) => f.tag === 'TEXTAREA', 'the reason');
      await expectFocusShown(page);
      await page.keyboard.type('Checked against the amended text: the figures cited are the current ones.');
      await tabTo(page, (f) => f.tag === 'BUTTON' && f.type === 'submit', 'the action button', 10);
      await expectFocusShown(page);
      await page.keyboard.press('Enter');
      await expect.poll(() => one<string>('select status from review_items where id = ?', item)).not.toBe('open');
    });
  });

  it('a reply pushed over the socket is read out by a live region, and focus stays put', async () => {
    const threadId = one<string>("select id from threads where kind = 'discussion' order by created_at limit 1");
    const context = await signedIn(MEMBER);
    await scenario('keyboard-live-reply', [context], async () => {
      const page = await context.newPage();
      await page.goto(`${origin}/threads/${threadId}`);
      await settled(page);
      // The socket connects after the page shows; a reply made before would come by re-reading.
      await page.waitForTimeout(1500);
      await page.keyboard.press('Tab');
      const before = await focused(page);

      const text = 'Pushed live: the appellate court has just ruled on the sampling question.';
      const { api } = forumClient(origin, DEMO_PASSWORD);
      await api(cookies[OTHER]!, 'POST', `/api/threads/${threadId}/posts`, { body: text });

      const live = page.locator('[role="status"][data-testid="reply-live"]');
      await expect.poll(() => live.textContent(), { timeout: 10_000 }).toContain(text);
      expect(await live.textContent()).toContain('Adebayo Olaniyan');
      expect(await focused(page)).toEqual(before);
    });
  });
});
