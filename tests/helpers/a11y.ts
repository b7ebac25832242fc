/**
 * Accessibility checks in Chromium: axe-core (Deque's engine, the one browser vendors and most
 * audit tools build on) injected into the page as it is, the interface locale a browser context
 * asks for, and a wait for a page that has finished loading its data.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, RunOptions } from 'axe-core';
import { LOCALE_COOKIE } from '@lexforum/shared';
import type { BrowserContext, Page } from 'playwright-core';

/** The rule sets the forum must pass: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice'] as const;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; summary: string }[];
}

/**
 * Runs axe on the whole document as it is now. The context needs `bypassCSP: true`: the forum's
 * Content-Security-Policy (rightly) refuses inline scripts, and axe is injected as one.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async (tags) => {
    // Colours caught halfway through a transition (a button leaving its busy state takes 140 ms)
    // would fail the contrast rule at random: the finite animations and transitions end first.
    await Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    );
    const axe = (window as unknown as { axe: { run: (context: Document, options: RunOptions) => Promise<AxeResults> } })
      .axe;
    // Only the violations' elements are described (passes cost a selector each); no preloading of
    // the style sheets (a fetch per run) for the one rule that reads them (css-orientation-lock).
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: [...tags] },
      resultTypes: ['violations'],
      preload: false,
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), summary: n.failureSummary ?? '' })),
    }));
  }, AXE_TAGS);
}

/** One line per violated rule, and one indented line per element: what a developer needs to find it. */
export function describeViolations(where: string, violations: AxeViolation[]): string[] {
  return violations.flatMap((v) => [
    `${where}: ${v.id} (${v.impact ?? 'n/a'}): ${v.help}`,
    ...v.nodes.map((n) => `    ${n.target.join(' ')}  ${n.summary.replace(/\s+/g, ' ').slice(0, 240)}`),
  ]);
}

export type TestLocale = 'en' | 'fr' | 'es' | 'ar';

/**
 * Makes `context` ask for the interface in `locale` the way a visitor's menu choice does: the
 * LOCALE_COOKIE the language menu sets (web/src/lib/i18n.ts; an account's saved locale would win,
 * and the demo accounts have none). Create the context with `locale` as well, so that the
 * browser's languages (Accept-Language, navigator.languages) agree.
 */
export async function setLocale(context: BrowserContext, origin: string, locale: TestLocale): Promise<void> {
  await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: origin }]);
}

/** Checks that the page really is in `locale` (`<html lang dir>`). */
export async function assertLocale(page: Page, locale: TestLocale): Promise<void> {
  const rtl = locale === 'ar';
  const { lang, dir } = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
  }));
  if (lang !== locale || dir !== (rtl ? 'rtl' : 'ltr')) {
    throw new Error(`expected the interface in ${locale}, found lang=${lang} dir=${dir} at ${page.url()}`);
  }
}

/**
 * Resolves once the page shows its content: no spinner, skeleton or busy region left, then two
 * frames for the last styles to apply.
 */
export async function settled(page: Page, timeout = 10_000): Promise<void> {
  const waiting = page.waitForFunction(
    () => {
      const main = document.querySelector('main');
      if (!main || main.childElementCount === 0) return false;
      return !document.querySelector('.spinner, .skeleton, [aria-busy="true"]');
    },
    undefined,
    { timeout, polling: 50 },
  );
  await waiting.catch(async (error: Error) => {
    const busy = await page.evaluate(() =>
      document.querySelector('.spinner, .skeleton, [aria-busy="true"]')?.parentElement?.outerHTML.slice(0, 300),
    );
    throw new Error(`${error.message} (still loading: ${busy ?? 'an empty page'})`);
  });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * Moves the single-page client to `path` as a link would (history entry + popstate), without
 * reloading it: the bundle, the session and the socket stay.
 */
export async function clientNavigate(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    history.pushState(history.state, '', to);
    dispatchEvent(new PopStateEvent('popstate', { state: history.state }));
  }, path);
}
