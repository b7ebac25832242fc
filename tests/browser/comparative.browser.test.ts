/**
 * A comparative question in Chromium, from asking to paper. Claire asks whether the online sale of
 * falsified medicines is an offence in its own right, of France, Kenya and Nigeria. François
 * answers for France and Otieno for Kenya, each stating the provisions and the date of the law;
 * François then corrects his date in the post editor.
 * Claire accepts Kenya's answer; the question's bar counts one of three. The comparison has a row
 * per jurisdiction, Kenya's accepted answer marked, Nigeria's "no answer yet"; its CSV holds the
 * same. Claire cites François's answer and pastes the citation into a reply. The comparison and
 * the thread print to PDF (Chromium's `page.pdf`, read back with pdftotext): the table, the
 * pinned addresses, no buttons. Nigeria's page lists the question as open for it.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, runAxe, settled } from '../helpers/a11y.js';
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
import { pdfText, pdftotextAvailable } from '../helpers/pdf.js';

const available = chromiumAvailable();
const canReadPdf = available && pdftotextAvailable();

const PASSWORD = 'harbour ledger statute 2031';
const CLAIRE = { email: 'claire.martin@justice.example', name: 'Claire Martin', code: 'FR', role: 'member' } as const;
const FRANCOIS = { email: 'francois.roy@justice.example', name: 'François Roy', code: 'FR', role: 'member' } as const;
const OTIENO = { email: 'otieno.were@judiciary.example', name: 'Otieno Were', code: 'KE', role: 'member' } as const;
const ADMIN = { email: 'admin@lexforum.example', name: 'Forum Admin', code: 'FR', role: 'admin' } as const;
const TITLE = 'Is the online sale of falsified medicines an offence in its own right?';
const KENYA_SHORT = 'Yes: section 35 reaches the online seller directly.';

describe.runIf(available)('Comparative questions in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    await addPeople(handle, [CLAIRE, FRANCOIS, OTIENO, ADMIN], PASSWORD);
    const { cookieOf, api } = forumClient(origin, PASSWORD);
    await api(await cookieOf(ADMIN.email), 'PATCH', '/api/admin/settings', { premoderatedPosts: 0 });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  async function pick(page: Page, label: string, text: string, option: RegExp): Promise<void> {
    await page.getByRole('combobox', { name: label, exact: true }).fill(text);
    await page.getByRole('option', { name: option }).click();
  }

  /** Replies to the thread open in `page`, answering for `jurisdiction`. */
  async function answer(
    page: Page,
    body: string,
    facts: { jurisdiction: string; provisions: string; lawAsOf: string; short?: string },
  ): Promise<void> {
    await page.getByRole('button', { name: 'Reply to the thread' }).click();
    await page.getByRole('textbox', { name: 'Your reply' }).fill(body);
    await page.getByLabel('Answering for').selectOption({ label: facts.jurisdiction });
    await page.getByRole('textbox', { name: 'Provisions relied on' }).fill(facts.provisions);
    await page.getByLabel('Law stated as at').fill(facts.lawAsOf);
    if (facts.short) await page.getByRole('textbox', { name: 'Short answer' }).fill(facts.short);
    await page.getByRole('button', { name: 'Post reply' }).click();
    await expect
      .poll(() => page.getByRole('article').filter({ hasText: body }).count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
  }

  it('is asked of three jurisdictions, answered for two, accepted for one, compared, exported, cited and printed', async () => {
    const claireContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await claireContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const francoisContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const otienoContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await scenario('comparative', [claireContext, francoisContext, otienoContext], async () => {
      const claire = await claireContext.newPage();
      const problems = watchForProblems(claire);
      await signIn(claire, origin, CLAIRE.email, PASSWORD);

      // Claire asks her question of France, Kenya and Nigeria.
      await claire.getByRole('link', { name: 'New thread' }).click();
      await expect
        .poll(() => claire.getByRole('heading', { name: 'New thread', level: 1 }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      await claire.getByRole('radio', { name: /^Question/ }).check();
      await claire.getByLabel('Title', { exact: true }).fill(TITLE);
      await pick(claire, 'Jurisdictions', 'France', /^France/);
      await pick(claire, 'Jurisdictions', 'Kenya', /^Kenya/);
      await pick(claire, 'Jurisdictions', 'Nigeria', /^Nigeria/);
      await pick(claire, 'Topics', 'falsified', /falsified medical products/);
      await claire.getByLabel(/Ask each jurisdiction separately/).check();
      await claire
        .getByLabel('Post', { exact: true })
        .fill('Does your law punish the online sale of falsified medicines as such, or only through fraud?');
      await claire.getByRole('button', { name: 'Post thread' }).click();
      await expect
        .poll(() => claire.getByRole('heading', { name: TITLE, level: 1 }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      const bar = claire.getByRole('region', { name: 'Comparative question' });
      await expect.poll(() => bar.textContent()).toContain('0 of 3 jurisdictions have an accepted answer');
      const threadUrl = claire.url();

      // François answers for France, Otieno (on a phone) for Kenya.
      const francois = await francoisContext.newPage();
      await signIn(francois, origin, FRANCOIS.email, PASSWORD);
      await francois.goto(threadUrl);
      await answer(francois, 'In France the offence stands alone since the 2012 ordinance.', {
        jurisdiction: 'France',
        provisions: 'Code de la santé publique, art. L.5421-2\nCode de la santé publique, art. L.5125-34',
        lawAsOf: '2026-06-30',
      });
      const otieno = await otienoContext.newPage();
      await signIn(otieno, origin, OTIENO.email, PASSWORD);
      await otieno.goto(threadUrl);
      await answer(otieno, 'In Kenya the Pharmacy and Poisons Act covers it without proof of fraud.', {
        jurisdiction: 'Kenya',
        provisions: 'Pharmacy and Poisons Act, s. 35',
        lawAsOf: '2026-09-01',
        short: KENYA_SHORT,
      });
      const kenyan = otieno.getByRole('article').filter({ hasText: 'Pharmacy and Poisons Act covers it' });
      await expect.poll(() => kenyan.getByRole('complementary', { name: 'Answers for Kenya' }).isVisible()).toBe(true);
      await screenshot(otieno, 'comparative-answer-phone');

      // François corrects the date his answer states, in the post's editor.
      const french = francois.getByRole('article').filter({ hasText: 'In France the offence stands alone' });
      await french.getByRole('button', { name: 'Edit', exact: true }).click();
      const editor = francois.getByRole('form', { name: 'Edit' });
      await expect.poll(() => editor.getByLabel('Law stated as at').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await editor.getByLabel('Answering for').inputValue()).toBe('FR');
      await editor.getByLabel('Law stated as at').fill('2026-07-31');
      await editor.getByRole('button', { name: 'Save changes' }).click();
      await expect
        .poll(() => french.getByRole('complementary', { name: 'Answers for France' }).textContent(), {
          timeout: 10_000,
        })
        .toContain('July 31, 2026');

      // Claire accepts Kenya's answer from the reply.
      await claire.reload();
      const kenyaReply = claire.getByRole('article').filter({ hasText: 'Pharmacy and Poisons Act covers it' });
      await expect.poll(() => kenyaReply.isVisible(), { timeout: 10_000 }).toBe(true);
      await kenyaReply.getByRole('button', { name: `Accept ${OTIENO.name}'s reply as the answer for Kenya` }).click();
      await expect.poll(() => bar.textContent()).toContain('1 of 3 jurisdictions have an accepted answer');
      await expect.poll(() => claire.getByRole('region', { name: 'Accepted answer' }).textContent()).toContain('Kenya');

      // The comparison: a row per jurisdiction, the accepted answer marked, Nigeria without one.
      await bar.getByRole('link', { name: 'Compare the answers' }).click();
      const table = claire.getByRole('table', { name: 'Answers by jurisdiction' });
      await expect.poll(() => table.isVisible(), { timeout: 10_000 }).toBe(true);
      const rows = await table.locator('tbody').allInnerTexts();
      expect(rows).toHaveLength(3);
      expect(rows[0]).toContain('France');
      expect(rows[0]).toContain('In France the offence stands alone since the 2012 ordinance.');
      expect(rows[0]).toContain('Code de la santé publique, art. L.5125-34');
      expect(rows[0]).toContain('July 31, 2026');
      expect(rows[1]).toContain('Kenya');
      expect(rows[1]).toContain('Accepted');
      expect(rows[1]).toContain(KENYA_SHORT);
      expect(rows[2]).toContain('Nigeria');
      expect(rows[2]).toContain('No answer yet');
      await settled(claire);
      expect(describeViolations('comparison', await runAxe(claire))).toEqual([]);
      await screenshot(claire, 'comparison');

      // The CSV the link downloads holds the same rows.
      const csvHref = await claire.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
      const csv = await claire.evaluate(async (url) => (await fetch(url!)).text(), csvHref);
      const lines = csv.trim().split('\r\n');
      expect(lines).toHaveLength(4);
      expect(lines[2]).toContain('"KE","Kenya","accepted"');
      expect(lines[3]).toBe('"NG","Nigeria","no answer yet","","","","","","","",""');
      const frenchAddress = lines[1]!.split(',').at(-1)!.replace(/"/g, '');
      expect(frenchAddress).toMatch(/\/posts\/[0-9a-f-]+\/history\?version=2$/);

      if (canReadPdf) {
        // Printed (or saved as PDF): the table and the pinned addresses, no buttons.
        await claire.emulateMedia({ media: 'print' });
        const paper = pdfText(await claire.pdf({ format: 'A4' }));
        await claire.emulateMedia({ media: 'screen' });
        expect(paper).toContain(TITLE);
        expect(paper).toContain('No answer yet');
        // A cell's text may wrap, and pdftotext reads a table row by row across its columns: the
        // short answer's words in order, whatever the other cells put between its lines.
        const inOrder = KENYA_SHORT.split(' ').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
        expect(paper).toMatch(new RegExp(inOrder.join('[\\s\\S]*?')));
        // A pinned address may wrap in its narrow cell: compared without the spaces.
        expect(paper.replace(/ /g, '')).toContain(frenchAddress);
        expect(paper).toContain('Printed from LexForum');
        expect(paper).not.toContain('Download CSV');
        expect(paper).not.toContain('Print or save as PDF');
      }

      // On a phone, each answer is a card with its cells named.
      await otieno.goto(claire.url());
      await expect
        .poll(() => otieno.getByRole('table', { name: 'Answers by jurisdiction' }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      await screenshot(otieno, 'comparison-phone');

      // Claire cites François's answer (the version on screen) and pastes it into a reply.
      await claire.goto(threadUrl);
      const frenchReply = claire.getByRole('article').filter({ hasText: 'In France the offence stands alone' });
      await expect.poll(() => frenchReply.isVisible(), { timeout: 10_000 }).toBe(true);
      await frenchReply.getByRole('link', { name: `Cite the post by ${FRANCOIS.name}` }).click();
      const dialog = claire.getByRole('dialog', { name: 'Cite version 2' });
      await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(true);
      await dialog.getByRole('button', { name: 'Copy the Legal citation' }).click();
      const citation = await dialog.locator('[data-style="legal"]').textContent();
      expect(citation).toContain(FRANCOIS.name);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await claire.goto(threadUrl);
      await claire.getByRole('button', { name: 'Reply to the thread' }).click();
      const composer = claire.getByRole('textbox', { name: 'Your reply' });
      await composer.focus();
      await claire.keyboard.press('Control+V');
      await expect.poll(() => composer.inputValue()).toBe(citation);

      if (canReadPdf) {
        // The thread on paper: its title, each post's version and pinned address, no buttons.
        await claire.emulateMedia({ media: 'print' });
        const paper = pdfText(await claire.pdf({ format: 'A4' }));
        await claire.emulateMedia({ media: 'screen' });
        expect(paper).toContain(TITLE);
        expect(paper).toContain('Answers for France');
        expect(paper).toContain('Pharmacy and Poisons Act, s. 35');
        expect(paper.replace(/ /g, '')).toContain(`Post#2,version2:${frenchAddress}`);
        expect(paper).not.toContain('Compare the answers');
        expect(paper).not.toContain('Reply to the thread');
      }

      // Nigeria's page lists the question as open for it; Kenya's no longer does.
      await claire.goto(`${origin}/jurisdictions/NG`);
      const open = claire.getByRole('region', { name: 'Open questions for Nigeria' });
      await expect.poll(() => open.textContent(), { timeout: 10_000 }).toContain(TITLE);
      await claire.goto(`${origin}/jurisdictions/KE`);
      await expect
        .poll(() => claire.getByRole('region', { name: 'Open questions for Kenya' }).textContent(), {
          timeout: 10_000,
        })
        .toContain('No question awaits an answer for this jurisdiction.');
      expect(problems).toEqual([]);
    });
  }, 120_000);
});
