/**
 * axe-core on every page of the forum, in Chromium: each page as each role that can open it
 * (visitor, applicant, member, moderator, admin), in English and in Arabic, with zero violations
 * of WCAG 2.0/2.1/2.2 A and AA and axe's best practices. Widths (390 and 1280 px) and colour
 * schemes (light and dark) are spread across the runs rather than multiplied: each language sees
 * all four combinations, and a page gets different ones in its two languages.
 *
 * One server with the demo data, one browser, one context per role and language; pages are
 * reached by client-side navigation, as a person clicking links would, so the bundle, the
 * session and the socket load once per context.
 */
import { DEMO_PASSWORD, seedDemoData, type DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/modules/auth/password.js';
import { cookMarkdown, cookSections, excerptOf } from '../../server/src/modules/threads/cook.js';
import {
  assertLocale,
  clientNavigate,
  describeViolations,
  runAxe,
  setLocale,
  settled,
  type TestLocale,
} from '../helpers/a11y.js';
import { chromiumAvailable, forumClient, launchChromium, screenshot, startForum } from '../helpers/browser.js';

const available = chromiumAvailable();

type Role = 'visitor' | 'applicant' | 'member' | 'moderator' | 'admin';

/** Demo accounts, one per role (db/src/seed/demo-data.ts). */
const ACCOUNTS: Record<Exclude<Role, 'visitor'>, string> = {
  applicant: 'marta@lexforum.test',
  member: 'camille@lexforum.test',
  moderator: 'daniel@lexforum.test',
  admin: 'admin@lexforum.test',
};

const VETTED: Role[] = ['member', 'moderator', 'admin'];
const STAFF: Role[] = ['moderator', 'admin'];

interface Ids {
  discussion: string;
  analysis: string;
  comparative: string;
  editedPost: string;
  member: string;
  topic: string;
  instrument: string;
  application: string;
  reviewItem: number;
  /** A conversation of the member's (camille) with another member, one message of which is reported. */
  conversation: string;
  /** The review item of that reported message. */
  messageReviewItem: number;
}

/** Every route of web/src/router.ts, with the roles that can open it (web/src/lib/access.ts). */
function pagesOf(ids: Ids): { name: string; path: string; roles: Role[] }[] {
  return [
    { name: 'home', path: '/', roles: ['visitor', ...VETTED] },
    { name: 'sign in', path: '/sign-in', roles: ['visitor'] },
    { name: 'register', path: '/register', roles: ['visitor'] },
    { name: 'forgot password', path: '/forgot-password', roles: ['visitor'] },
    // Opened without a link's secret, these show their "link cannot be used" state.
    { name: 'reset password', path: '/reset-password', roles: ['visitor'] },
    { name: 'verify email', path: '/verify-email', roles: ['visitor', 'applicant'] },
    // Without a token it shows its "link cannot be used" state.
    { name: 'unsubscribe', path: '/unsubscribe', roles: ['visitor', 'member'] },
    { name: 'application', path: '/apply', roles: ['applicant', ...VETTED] },
    { name: 'account', path: '/account', roles: ['applicant', ...VETTED] },
    { name: 'notification settings', path: '/account/notifications', roles: ['applicant', ...VETTED] },
    { name: 'notifications', path: '/notifications', roles: ['applicant', ...VETTED] },
    { name: 'messaging settings', path: '/account/messages', roles: VETTED },
    { name: 'messages', path: '/messages', roles: VETTED },
    { name: 'new message', path: `/messages/new?to=${ids.member}`, roles: VETTED },
    // Only its participants may open a conversation.
    { name: 'conversation', path: `/messages/${ids.conversation}`, roles: ['member'] },
    { name: 'submissions', path: '/account/submissions', roles: VETTED },
    { name: 'discussion', path: `/threads/${ids.discussion}`, roles: VETTED },
    { name: 'new thread', path: '/threads/new', roles: VETTED },
    { name: 'post history', path: `/posts/${ids.editedPost}/history`, roles: VETTED },
    // Not next to the discussion: the same component would stay on screen between the two.
    { name: 'legal analysis', path: `/threads/${ids.analysis}`, roles: VETTED },
    { name: 'comparative question', path: `/threads/${ids.comparative}`, roles: VETTED },
    { name: 'comparison', path: `/threads/${ids.comparative}/comparison`, roles: VETTED },
    { name: 'search', path: '/search?q=counterfeit', roles: VETTED },
    { name: 'following', path: '/following', roles: VETTED },
    { name: 'jurisdictions', path: '/jurisdictions', roles: VETTED },
    { name: 'jurisdiction', path: '/jurisdictions/FR', roles: VETTED },
    { name: 'topics', path: '/topics', roles: VETTED },
    { name: 'topic', path: `/topics/${ids.topic}`, roles: VETTED },
    { name: 'instruments', path: '/instruments', roles: VETTED },
    { name: 'instrument', path: `/instruments/${ids.instrument}`, roles: VETTED },
    { name: 'members', path: '/members', roles: VETTED },
    { name: 'member profile', path: `/members/${ids.member}`, roles: VETTED },
    { name: 'moderation queue', path: '/moderation', roles: STAFF },
    { name: 'moderation item', path: `/moderation/${ids.reviewItem}`, roles: STAFF },
    { name: 'vetting queue', path: '/vetting', roles: STAFF },
    { name: 'application review', path: `/vetting/${ids.application}`, roles: STAFF },
    { name: 'audit log', path: '/audit', roles: STAFF },
    // Admins act everywhere; the moderator's scope depends on the participants' jurisdictions.
    // Not next to the moderation item: the same component would stay on screen between the two.
    { name: 'reported message', path: `/moderation/${ids.messageReviewItem}`, roles: ['admin'] },
    { name: 'admin', path: '/admin', roles: ['admin'] },
    { name: 'admin user', path: `/admin/users/${ids.member}`, roles: ['admin'] },
    { name: 'admin mail queue', path: '/admin/mail', roles: ['admin'] },
    { name: 'not found', path: '/no-such-page', roles: ['visitor', ...VETTED] },
  ];
}

/** The four width × scheme combinations; a run takes the next one, so each language sees all four. */
const LOOKS = [
  { width: 390, height: 844, colorScheme: 'light' },
  { width: 1280, height: 900, colorScheme: 'dark' },
  { width: 390, height: 844, colorScheme: 'dark' },
  { width: 1280, height: 900, colorScheme: 'light' },
] as const;

describe.runIf(available)('Accessibility (axe-core) in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let ids: Ids;
  const cookies: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    await seedDemoData(handle.db, hashPassword, {
      cook: { markdown: cookMarkdown, sections: cookSections, excerpt: excerptOf },
    });
    const one = <T>(sql: string, ...args: unknown[]) =>
      handle.sqlite
        .prepare(sql)
        .pluck()
        .get(...args) as T;
    const userId = (email: string) => one<string>('select id from users where email = ?', email);
    ids = {
      discussion: one("select id from threads where kind = 'discussion' order by created_at limit 1"),
      analysis: one("select id from threads where kind = 'legal_analysis' order by created_at limit 1"),
      comparative: one('select id from threads where comparative = 1 order by created_at limit 1'),
      editedPost: one('select post_id from post_revisions group by post_id having count(*) > 1 limit 1'),
      member: userId('adebayo@lexforum.test'),
      topic: one('select slug from topics order by sort_order limit 1'),
      instrument: one('select slug from instruments order by sort_order limit 1'),
      // What the moderator may open: an application and a queue item in their jurisdictions.
      application: one(
        `select id from applications where status = 'submitted' and jurisdiction_code in
           (select jurisdiction_code from moderator_jurisdictions where user_id = ?) limit 1`,
        userId(ACCOUNTS.moderator),
      ),
      reviewItem: one(
        `select id from review_items r where status = 'open' and exists (select 1 from json_each(r.jurisdictions) j
           where j.value in (select jurisdiction_code from moderator_jurisdictions where user_id = ?)) limit 1`,
        userId(ACCOUNTS.moderator),
      ),
      // Made below, through the API.
      conversation: '',
      messageReviewItem: 0,
    };
    const { cookieOf, api } = forumClient(origin, DEMO_PASSWORD);
    for (const [role, email] of Object.entries(ACCOUNTS)) cookies[role as Role] = await cookieOf(email);
    // A conversation between the member and Adebayo, through the API; she reports his answer.
    const started = await api(cookies.member!, 'POST', '/api/conversations', {
      recipientIds: [ids.member],
      markdown: 'Could you share the **customs circular** on test purchases?',
    });
    ids.conversation = (started['conversation'] as { id: string }).id;
    const answer = await api(
      await cookieOf('adebayo@lexforum.test'),
      'POST',
      `/api/conversations/${ids.conversation}/messages`,
      { markdown: 'Here it is: circular 2024-03, section 4 (test purchases by customs officers).' },
    );
    const messageId = (answer['message'] as { id: string }).id;
    await api(cookies.member!, 'POST', `/api/conversations/${ids.conversation}/messages/${messageId}/report`, {
      reason: 'other',
      note: 'Checking how a reported message looks to moderators.',
    });
    ids.messageReviewItem = one<number>(
      "select id from review_items where kind = 'message' and status = 'open' order by id desc limit 1",
    );
    for (const [name, id] of Object.entries(ids)) if (id === undefined) throw new Error(`no ${name} in the demo data`);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  /** A context for `role` in `locale`: signed in (the session cookie), asking for the locale. */
  async function contextFor(role: Role, locale: TestLocale): Promise<BrowserContext> {
    const context = await browser.newContext({
      locale,
      // axe is injected as an inline script, which the forum's Content-Security-Policy refuses.
      bypassCSP: true,
      viewport: { width: 1280, height: 900 },
    });
    await setLocale(context, origin, locale);
    const cookie = cookies[role];
    if (cookie) {
      const [name, value] = cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: origin, httpOnly: true, sameSite: 'Lax' }]);
    }
    return context;
  }

  it('finds no violation on any page, for any role, in English and Arabic, at 390 and 1280 px, light and dark', async () => {
    const pages = pagesOf(ids);
    const problems: string[] = [];
    let runs = 0;
    const started = Date.now();
    // The two languages run side by side (a renderer each); within one, the roles one after another.
    await Promise.all(
      (['en', 'ar'] as const).map(async (locale) => {
        // Arabic starts one step further in LOOKS: a page never gets the same look in both languages.
        let look = locale === 'en' ? 0 : 1;
        for (const role of ['visitor', 'applicant', 'member', 'moderator', 'admin'] as const) {
          const mine = pages.filter((p, n) => runsIn(p.roles, role, locale, n));
          if (mine.length === 0) continue;
          const context = await contextFor(role, locale);
          try {
            const page = await context.newPage();
            page.on('pageerror', (error) => problems.push(`${role} ${locale}: pageerror: ${error.message}`));
            await page.goto(`${origin}${mine[0]!.path}`);
            for (const [i, target] of mine.entries()) {
              const { width, height, colorScheme } = LOOKS[look++ % LOOKS.length]!;
              await page.setViewportSize({ width, height });
              await page.emulateMedia({ colorScheme });
              const where = `${target.name} (${target.path}) as ${role}, ${locale}, ${width}px ${colorScheme}`;
              const progress = (what: string | number) =>
                process.env['AXE_PROGRESS'] &&
                console.warn(`${((Date.now() - started) / 1000).toFixed(1)} ${where} ${what}`);
              try {
                if (i > 0) await visit(page, target.path);
                await settled(page);
                await assertLocale(page, locale);
                const path = new URL(page.url()).pathname;
                if (path !== target.path.split('?')[0]) throw new Error(`ended on ${path}`);
                const violations = await runAxe(page);
                runs++;
                progress(violations.length);
                if (violations.length > 0) {
                  problems.push(...describeViolations(where, violations));
                  await screenshot(page, `axe-${role}-${locale}-${target.name}`);
                }
              } catch (error) {
                problems.push(`${where}: ${(error as Error).message}`);
                progress((error as Error).message);
                await screenshot(page, `axe-${role}-${locale}-${target.name}`);
              }
            }
          } finally {
            await context.close();
          }
        }
      }),
    );
    console.warn(`axe: ${runs} runs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(problems, problems.join('\n')).toEqual([]);
  }, 420_000);
});

/**
 * Whether a page is checked as `role` in `locale`. Every page runs in both languages; its roles
 * are shared out between them (every other role in each), so that each page × role pair runs
 * once. AXE_FULL=1 runs every pair in both languages (about twice as long).
 */
function runsIn(roles: Role[], role: Role, locale: TestLocale, page: number): boolean {
  const index = roles.indexOf(role);
  if (index < 0) return false;
  if (roles.length === 1 || process.env['AXE_FULL'] === '1') return true;
  // Which half goes to English alternates from page to page, so every role sees both languages.
  return (index + page) % 2 === (locale === 'en' ? 0 : 1);
}

/** Client-side navigation; `settled` then waits for the new page's content. */
async function visit(page: Page, path: string): Promise<void> {
  await page.evaluate(() => document.querySelector('main')?.firstElementChild?.setAttribute('data-left', ''));
  await clientNavigate(page, path);
  await page
    .waitForFunction(() => !document.querySelector('main [data-left]'), undefined, { polling: 50, timeout: 10_000 })
    .catch((error: Error) => {
      throw new Error(`${error.message} (the last page is still on screen)`);
    });
}
