/**
 * Screenshots of the main screens with the demo data, at 390 and 1280 px, light and dark, for the
 * design notes (docs/design/). Not a test: run it after building the web client, from tests/:
 *
 *   npx tsx --conditions=@lexforum/source bench/screenshots.ts ../docs/design/after
 *
 * `LOCALE=ar` (or fr, es) saves that interface language on the admin account first, and
 * `SCHEMES=light` / `WIDTHS=390` / `SCREENS=home,thread` narrow the set, for looking at the screens in each
 * language.
 *
 * Each shot is one viewport high (the top of the page, what a person sees first), which keeps the
 * files small; pages whose point is further down are scrolled there first.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { DEMO_PASSWORD, demoThreadIds, startDemoForum } from '../helpers/demo-forum.js';
import { freshTotpCode } from '../helpers/totp.js';

const out = resolve(process.argv[2] ?? '../docs/design/after');
mkdirSync(out, { recursive: true });

const forum = await startDemoForum();
const { analysis, busiest } = demoThreadIds(forum.handle);
const screens: { name: string; path: string; ready: (page: Page) => Promise<unknown> }[] = [
  { name: 'home', path: '/', ready: (page) => page.getByRole('heading', { level: 1 }).first().waitFor() },
  { name: 'thread', path: `/threads/${busiest}`, ready: (page) => page.locator('article').first().waitFor() },
  { name: 'analysis', path: `/threads/${analysis}`, ready: (page) => page.locator('article').first().waitFor() },
  { name: 'new-thread', path: '/threads/new', ready: (page) => page.getByRole('textbox').first().waitFor() },
  {
    // The composer's body and its toolbar (further down the page).
    name: 'composer',
    path: '/threads/new',
    ready: (page) =>
      page
        .getByRole('textbox')
        .first()
        .waitFor()
        .then(() =>
          page
            .locator('textarea')
            .first()
            .evaluate((el) => el.scrollIntoView({ block: 'center' })),
        ),
  },
  { name: 'account', path: '/account', ready: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
  {
    name: 'security',
    path: '/account/security',
    ready: (page) => page.getByRole('heading', { name: 'Recent security activity' }).waitFor(),
  },
  { name: 'members', path: '/members', ready: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
  { name: 'admin', path: '/admin', ready: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
  { name: 'vetting', path: '/vetting', ready: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
  { name: 'moderation', path: '/moderation', ready: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
];

const only = process.env['SCREENS']?.split(',');
const chosen = only ? screens.filter((screen) => only.includes(screen.name)) : screens;
const browser = await launchChromium();
try {
  const locale = process.env['LOCALE'];
  const schemes = (process.env['SCHEMES'] ?? 'light,dark').split(',') as ('light' | 'dark')[];
  const widths = (process.env['WIDTHS'] ?? '390,1280').split(',').map(Number);
  for (const scheme of schemes) {
    for (const width of widths) {
      const context = await browser.newContext({
        viewport: { width, height: width < 600 ? 844 : 900 },
        colorScheme: scheme,
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      await page.goto(`${forum.origin}/sign-in`);
      await page.getByLabel('Email').fill('admin@lexforum.test');
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // The demo admin has the demo staff key: the second step's code is computed as an app would.
      const code = page.getByLabel('Authentication code');
      await code.waitFor();
      await code.fill(await freshTotpCode('admin@lexforum.test'));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
      if (locale) {
        const saved = await page.request.put(`${forum.origin}/api/account/locale`, {
          data: { locale },
          headers: { origin: forum.origin },
        });
        if (!saved.ok()) throw new Error(`locale: ${saved.status()} ${await saved.text()}`);
      }
      for (const screen of chosen) {
        await page.goto(`${forum.origin}${screen.path}`);
        await screen.ready(page);
        await page.waitForLoadState('networkidle').catch(() => undefined);
        await page.waitForTimeout(300);
        const file = join(out, `${screen.name}-${width}-${scheme}${locale ? `-${locale}` : ''}.png`);
        await page.screenshot({ path: file });
        process.stdout.write(`${file}\n`);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await forum.app.close();
  forum.handle.sqlite.close();
}
