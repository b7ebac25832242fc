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
  /** The computed focus indicator: an outline or a box shadow. */
  visible: boolean;
}

/** What has focus now, and whether it shows it. */
function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'BODY', text: '', name: '', href: '', type: '', visible: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return {
      tag: el.tagName,
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 2000),
      name: el.getAttribute('aria-label') ?? '',
      href: el.getAttribute('href') ?? '',
      type: el.getAttribute('type') ?? '',
      visible: outline || style.boxShadow !== 'none',
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
  const now = await focused(page);
  if (text) expect(now.text).toContain(text);
  expect(now.visible, 'the heading shows focus').toBe(true);
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
      expect(link.visible).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(() => new URL(page.url()).pathname).toBe(link.href);
      await expectHeadingFocused(page, link.text.slice(0, 30));

      // Reply: the composer takes focus, the reply is typed and sent with the keyboard.
      const reply = await tabTo(page, (f) => f.tag === 'BUTTON' && /^Reply( to |$)/.test(f.name || f.text), 'Reply');
      expect(reply.visible).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await focused(page)).tag).toBe('TEXTAREA');
      expect((await focused(page)).visible, 'the composer shows focus').toBe(true);
      const text = 'Typed with the keyboard alone: the seizure record must name every carton sampled.';
      await page.keyboard.type(text);
      const send = await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Post reply', 'Post reply');
      expect(send.visible).toBe(true);
      await page.keyboard.press('Enter');
      // Focus follows to the new post, which shows it.
      await expect.poll(async () => (await focused(page)).tag, { timeout: 10_000 }).toBe('ARTICLE');
      const post = await focused(page);
      expect(post.text).toContain(text);
      expect(post.visible, 'the new post shows focus').toBe(true);

      // The bell, further on with Tab (around the page), opened, everything marked read.
      const bell = await tabTo(page, (f) => f.tag === 'BUTTON' && f.name.startsWith('Notifications, '), 'the bell');
      expect(bell.visible).toBe(true);
      await page.keyboard.press('Enter');
      const readAll = await tabTo(page, (f) => f.text === 'Mark all as read', 'Mark all as read', 20);
      expect(readAll.visible).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(() => bellName(page)).toBe('Notifications, none unread');
      expect((await focused(page)).tag).not.toBe('BODY');
      await page.keyboard.press('Escape');
      await expect.poll(async () => (await focused(page)).name).toMatch(/^Notifications, /);

      // And back to the list (its link in the header, just before the bell), focus on its heading again.
      const threads = await tabTo(page, (f) => f.tag === 'A' && f.href === '/', 'the Threads link', 20, 'Shift+Tab');
      expect(threads.visible).toBe(true);
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
      expect(link.visible).toBe(true);
      await page.keyboard.press('Enter');
      await expectHeadingFocused(page, link.text);

      // The decision: the radio group is one tab stop, the arrows choose inside it.
      const radio = await tabTo(page, (f) => f.type === 'radio', 'the decision');
      expect(radio.visible).toBe(true);
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => page.getByRole('radio', { name: 'Request more information' }).isChecked()).toBe(true);
      const question = await tabTo(page, (f) => f.tag === 'TEXTAREA', 'the question');
      expect(question.visible, 'the text field shows focus').toBe(true);
      await page.keyboard.type('Which unit of the prosecution service do you work in?');
      const send = await tabTo(page, (f) => f.text === 'Send question', 'Send question', 10);
      expect(send.visible).toBe(true);
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
      const link = await tabTo(page, (f) => f.href === `/moderation/${item}`, 'the queue item');
      expect(link.visible).toBe(true);
      await page.keyboard.press('Enter');
      await expectHeadingFocused(page);

      // The first action offered (keep the post: no confirmation), chosen with Space, with a reason.
      const radio = await tabTo(page, (f) => f.type === 'radio', 'the actions');
      expect(radio.visible).toBe(true);
      await page.keyboard.press('Space');
      const reason = await tabTo(page, (f) => f.tag === 'TEXTAREA', 'the reason');
      expect(reason.visible).toBe(true);
      await page.keyboard.type('Checked against the amended text: the figures cited are the current ones.');
      const act = await tabTo(page, (f) => f.tag === 'BUTTON' && f.type === 'submit', 'the action button', 10);
      expect(act.visible).toBe(true);
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
