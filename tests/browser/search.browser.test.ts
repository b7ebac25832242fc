/**
 * Search in Chromium, against the real server: a Kenyan judge presses `/` and types in the header
 * (suggestions as she types; arrows and Enter open a suggested thread), searches a drug's name
 * (Enter opens the search page), ticks the Kenya facet, opens the result and lands on the matching
 * reply, highlighted. A moderator for Kenya hides that reply: the moderator still finds it, marked
 * as hidden, and the same search no longer finds it for the judge. In the new-thread composer, a title like an existing
 * thread's shows that thread under "Already discussed?". Screenshots of the search page (results,
 * empty state, no result) at 1280 and 390 px go to /tmp/shots-search/ for a person to look at.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPeople,
  chromiumAvailable,
  forumClient,
  launchChromium,
  scenario,
  signIn,
  startForum,
  watchForProblems,
} from '../helpers/browser.js';
import { threadBody } from '../helpers/threads.js';

const available = chromiumAvailable();
const PASSWORD = 'cocoa harbour evidence 1987';
const JUDGE = 'wanjiku.mwangi@judiciary.example';
const PROSECUTOR = 'chinedu.okafor@justice.example';
const MODERATOR = 'achieng.otieno@judiciary.example';
const CLERK = 'ruth.kamau@judiciary.example';
const KENYAN_TITLE = 'Counterfeit antimalarials seized at Mombasa port: which offence applies?';
const NIGERIAN_TITLE = 'Falsified antimalarials sold in Lagos markets: NAFDAC powers of seizure';
/** Written once in a reply in each thread, nowhere else. */
const DRUG = 'sulfadoxine';
const SHOTS = '/tmp/shots-search';

describe.runIf(available)('Search in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let kenyanThread: string;
  let kenyanReply: string;
  let api: ReturnType<typeof forumClient>['api'];
  let cookieOf: ReturnType<typeof forumClient>['cookieOf'];

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    await addPeople(
      handle,
      [
        { email: JUDGE, name: 'Wanjiku Mwangi', role: 'member', code: 'KE', position: 'Judge of the High Court' },
        { email: PROSECUTOR, name: 'Chinedu Okafor', role: 'member', code: 'NG' },
        { email: MODERATOR, name: 'Achieng Otieno', role: 'moderator', code: 'KE' },
        { email: CLERK, name: 'Ruth Kamau', role: 'member', code: 'KE' },
      ],
      PASSWORD,
    );
    ({ api, cookieOf } = forumClient(origin, PASSWORD));
    const prosecutor = await cookieOf(PROSECUTOR);
    const judge = await cookieOf(JUDGE);

    const kenyan = await api(
      prosecutor,
      'POST',
      '/api/threads',
      threadBody('question', {
        title: KENYAN_TITLE,
        jurisdictions: ['KE'],
        body: 'Customs at Mombasa seized 40,000 doses of counterfeit antimalarials. Which offence fits best?',
      }),
    );
    kenyanThread = (kenyan['thread'] as { id: string }).id;
    const reply = await api(judge, 'POST', `/api/threads/${kenyanThread}/posts`, {
      body: `The tablets were labelled as ${DRUG} with pyrimethamine; the Anti-Counterfeit Act, section 32, applies.`,
    });
    kenyanReply = (reply['post'] as { id: string }).id;

    const nigerian = await api(
      prosecutor,
      'POST',
      '/api/threads',
      threadBody('discussion', {
        title: NIGERIAN_TITLE,
        jurisdictions: ['NG'],
        body: 'NAFDAC raided three markets in Lagos and found falsified antimalarials on sale.',
      }),
    );
    await api(prosecutor, 'POST', `/api/threads/${(nigerian['thread'] as { id: string }).id}/posts`, {
      body: `Most packs claimed to hold ${DRUG}; the laboratory found chalk.`,
    });
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  const shoot = async (page: Page, name: string) => {
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const resultTitles = (page: Page) => page.locator('.results ol > li h3').allInnerTexts();

  it('finds a reply from the header, narrows it to Kenya, lands on it highlighted; once hidden, it is not found', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await scenario('search', [context], async () => {
      await signIn(page, origin, JUDGE, PASSWORD);
      const field = page.getByRole('combobox', { name: 'Search the forum' });
      await field.waitFor();

      // `/` focuses the header's field; suggestions come as she types.
      await page.keyboard.press('/');
      await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.type('Counterfeit anti');
      const listbox = page.getByRole('listbox', { name: 'Suggestions' });
      await expect.poll(() => listbox.getByRole('option', { name: KENYAN_TITLE }).isVisible()).toBe(true);
      expect(await listbox.getByRole('option', { name: 'Search for “Counterfeit anti”' }).isVisible()).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => listbox.isVisible()).toBe(false);
      // Arrows move through the choices (the first is "Search for …"); Enter opens the thread.
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      const active = await field.getAttribute('aria-activedescendant');
      expect(await page.locator(`#${active}`).innerText()).toContain(KENYAN_TITLE);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.url()).toBe(`${origin}/threads/${kenyanThread}`);
      await page.keyboard.press('/');

      // Enter searches: the page lists both threads whose replies name the drug.
      await field.fill(DRUG);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.url()).toBe(`${origin}/search?q=${DRUG}`);
      await expect.poll(() => resultTitles(page)).toEqual(expect.arrayContaining([KENYAN_TITLE, NIGERIAN_TITLE]));
      expect(await page.getByRole('heading', { name: '2 threads' }).isVisible()).toBe(true);
      // The matched word is marked in the snippet.
      expect(await page.locator('.results mark').first().innerText()).toBe(DRUG);

      // The Kenya facet (with its count) narrows it to the Kenyan thread, in the address.
      const kenya = page.getByRole('checkbox', { name: /^Kenya/ });
      expect(await kenya.getAttribute('aria-label')).toBeNull();
      await kenya.check();
      await expect.poll(() => page.url()).toContain('jurisdiction=KE');
      await expect.poll(() => resultTitles(page)).toEqual([KENYAN_TITLE]);
      await expect.poll(() => page.getByRole('checkbox', { name: /^Kenya/ }).isChecked()).toBe(true);
      const searchUrl = page.url();

      // The snippet opens the reply in its thread, scrolled to and highlighted.
      await page.getByRole('link', { name: new RegExp(DRUG) }).click();
      await expect.poll(() => page.url()).toBe(`${origin}/threads/${kenyanThread}#post-2`);
      const post = page.locator('#post-2');
      await expect.poll(() => post.getAttribute('class')).toMatch(/highlighted/);
      await expect.poll(() => post.evaluate((el) => el.getBoundingClientRect().top < window.innerHeight)).toBe(true);

      // Back returns to the same search, facet ticked.
      await page.goBack();
      await expect.poll(() => resultTitles(page)).toEqual([KENYAN_TITLE]);

      // A moderator for Kenya hides the reply; the same search no longer finds it.
      await api(await cookieOf(MODERATOR), 'POST', `/api/moderation/posts/${kenyanReply}/hide`, {
        reason: 'Names a patient.',
      });
      // The moderator still finds it, marked as hidden.
      const moderatorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const moderatorPage = await moderatorContext.newPage();
      await signIn(moderatorPage, origin, MODERATOR, PASSWORD);
      await moderatorPage.goto(searchUrl);
      await expect.poll(() => resultTitles(moderatorPage)).toEqual([KENYAN_TITLE]);
      expect(await moderatorPage.getByText('Hidden — visible to moderators').count()).toBe(1);
      await moderatorContext.close();

      await page.goto(searchUrl);
      await expect.poll(() => page.getByText(`No results for “${DRUG}”`).isVisible()).toBe(true);
      expect(await resultTitles(page)).toEqual([]);
      // "Try without Kenya" offers the search without the facet: the Nigerian thread only.
      await page.getByRole('link', { name: 'without “Kenya”' }).click();
      await expect.poll(() => resultTitles(page)).toEqual([NIGERIAN_TITLE]);
      expect(problems).toEqual([]);
    });
  }, 90_000);

  it('shows an existing thread as "Already discussed?" while a title is typed', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await scenario('search-similar', [context], async () => {
      await signIn(page, origin, PROSECUTOR, PASSWORD);
      await page.goto(`${origin}/threads/new`);
      await page.getByLabel('Title', { exact: true }).fill('Counterfeit antimalarials at the port: what offence?');
      const box = page.getByRole('complementary', { name: 'Already discussed?' });
      await expect.poll(() => box.isVisible()).toBe(true);
      const link = box.getByRole('link', { name: new RegExp(KENYAN_TITLE.slice(0, 30)) });
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('href')).toBe(`/threads/${kenyanThread}`);
      await shoot(page, 'desktop-composer-similar');
      // Nothing like it: the box goes away.
      await page.getByLabel('Title', { exact: true }).fill('Zzyzx quorum');
      await expect.poll(() => box.isVisible()).toBe(false);
      expect(problems).toEqual([]);
    });
  }, 60_000);

  it('searches within a jurisdiction and within a long thread; a bad operator gets the server’s reason', async () => {
    // Three writers, so that no one's burst of posts runs out.
    const writers = [await cookieOf(JUDGE), await cookieOf(MODERATOR), await cookieOf(CLERK)];
    for (let i = 1; i <= 21; i++) {
      const body = i === 17 ? 'The port authority kept the quinine consignment for eleven days.' : `Reply ${i}.`;
      await api(writers[i % 3]!, 'POST', `/api/threads/${kenyanThread}/posts`, { body });
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await scenario('search-scoped', [context], async () => {
      await signIn(page, origin, JUDGE, PASSWORD);
      await page.goto(`${origin}/jurisdictions/KE`);
      await page.getByRole('searchbox', { name: 'Search in Kenya' }).fill('antimalarials');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.url()).toBe(`${origin}/search?q=antimalarials&jurisdiction=KE`);
      await expect.poll(() => resultTitles(page)).toEqual([KENYAN_TITLE]);

      // Past 20 replies the thread offers to search in it.
      await page.goto(`${origin}/threads/${kenyanThread}`);
      await page.getByRole('searchbox', { name: 'Search this thread' }).fill('quinine');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.url()).toBe(`${origin}/search?q=quinine&thread=${kenyanThread}`);
      await expect.poll(() => resultTitles(page)).toEqual([KENYAN_TITLE]);
      expect(await page.getByText(`In the thread “${KENYAN_TITLE}”`).isVisible()).toBe(true);
      await page.getByRole('link', { name: /quinine consignment/ }).click();
      await expect.poll(() => page.url()).toMatch(new RegExp(`/threads/${kenyanThread}#post-\\d+$`));

      // An unknown jurisdiction code is refused with the server's reason, not a generic failure.
      await page.goto(`${origin}/search?q=jurisdiction%3AZZ+antimalarials`);
      const alert = page.getByRole('alert').filter({ hasText: /ZZ/ });
      await expect.poll(() => alert.isVisible()).toBe(true);
      expect(await alert.innerText()).not.toContain('could not be run');
      // Trying the same query again would not help: no retry, the tips open instead.
      expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
      expect(await page.getByText('Every word must appear, in any order.').isVisible()).toBe(true);
      await shoot(page, 'desktop-error');
      expect(problems).toEqual([]);
    });
  }, 90_000);

  it('is laid out for a laptop and a phone (screenshots)', async () => {
    for (const [width, height, tag] of [
      [1280, 900, 'desktop'],
      [390, 844, 'phone'],
    ] as const) {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      const problems = watchForProblems(page);
      await scenario(`search-${tag}`, [context], async () => {
        await signIn(page, origin, PROSECUTOR, PASSWORD);
        await page.goto(`${origin}/search`);
        await expect.poll(() => page.getByText('Every word must appear, in any order.').isVisible()).toBe(true);
        await shoot(page, `${tag}-empty`);
        await page.goto(`${origin}/search?q=antimalarials`);
        await expect.poll(() => resultTitles(page)).toHaveLength(2);
        await shoot(page, `${tag}-results`);
        if (tag === 'desktop') {
          // The header keeps one row with the field in it (the bell and the account menu beside it).
          const field = (await page.getByRole('combobox', { name: 'Search the forum' }).boundingBox())!;
          const tools = (await page.locator('.site-header .tools').boundingBox())!;
          expect(Math.abs(field.y + field.height / 2 - (tools.y + tools.height / 2))).toBeLessThan(8);
        }
        await page.goto(`${origin}/search?q=antimalarials+quinine&jurisdiction=NG`);
        await expect.poll(() => page.getByText(/^No results for/).isVisible()).toBe(true);
        await shoot(page, `${tag}-none`);
        if (tag === 'phone') {
          // The header's field opens from its button and takes the width of the screen.
          await page.getByRole('button', { name: 'Open search' }).click();
          const field = page.getByRole('combobox', { name: 'Search the forum' });
          await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
          await page.keyboard.type('antimal');
          await expect
            .poll(() => page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').count())
            .toBeGreaterThan(1);
          const box = await field.boundingBox();
          expect(box!.width).toBeGreaterThan(280);
          await shoot(page, 'phone-suggest');
          // No horizontal scrolling on a phone.
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        }
        expect(problems).toEqual([]);
      });
    }
  }, 90_000);
});
