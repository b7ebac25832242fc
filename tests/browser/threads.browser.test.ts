/**
 * Threads, as members use them in Chromium: a prosecutor starts a legal analysis tagged France and
 * International, citing the Medicrime Convention art. 5, and checks the preview; a judge from Kenya
 * replies; a third member answers the judge (a nested reply); the author edits the analysis and
 * its history shows the word diff; the Medicrime page lists the thread; the jurisdiction filter
 * keeps it under France and leaves it out under Kenya. Real server on a free port, real SQLite file.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/modules/auth/password.js';
import { insertUser } from '../../server/src/modules/users/users.repository.js';
import {
  chromiumAvailable,
  startForum,
  launchChromium,
  scenario,
  watchForProblems,
  signIn as signInAs,
} from '../helpers/browser.js';

const available = chromiumAvailable();

const PASSWORD = 'cocoa harbour evidence 1987';
const PROSECUTOR = { email: 'claire.martin@justice.example', name: 'Claire Martin' };
const JUDGE = { email: 'otieno.were@judiciary.example', name: 'Otieno Were' };
const THIRD = { email: 'ana.souza@mpf.example', name: 'Ana Souza' };
const TITLE = 'Selling falsified medicines online: does Medicrime art. 5 reach the platform?';

describe.runIf(available)('Threads in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());

    const passwordHash = await hashPassword(PASSWORD);
    const now = new Date();
    const member = (
      person: { email: string; name: string },
      profession: 'prosecutor' | 'judge',
      position: string,
      institution: string,
      jurisdictionCode: string,
    ) =>
      insertUser(handle.db, {
        id: randomUUID(),
        email: person.email,
        displayName: person.name,
        passwordHash,
        status: 'active',
        role: 'member',
        profession,
        position,
        institution,
        jurisdictionCode,
        languages: ['en'],
        verifiedAt: now,
        createdAt: now,
        updatedAt: now,
      });
    member(PROSECUTOR, 'prosecutor', 'Procureure', 'Parquet de Paris, pôle santé publique', 'FR');
    member(JUDGE, 'judge', 'Judge of the High Court', 'Judiciary of Kenya', 'KE');
    member(THIRD, 'prosecutor', 'Procuradora da República', 'Ministério Público Federal', 'BR');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  const visible = (page: Page, ...args: Parameters<Page['getByRole']>) =>
    expect.poll(() => page.getByRole(...args).isVisible());

  const signIn = (page: Page, email: string) => signInAs(page, origin, email, PASSWORD);

  async function pick(page: Page, label: string, text: string, option: RegExp): Promise<void> {
    await page.getByRole('combobox', { name: label, exact: true }).fill(text);
    await page.getByRole('option', { name: option }).click();
  }

  async function newMember(): Promise<[BrowserContext, Page, string[]]> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    return [context, page, watchForProblems(page)];
  }

  it('a legal analysis is written, answered in a nested thread, edited with its history, and found by instrument and jurisdiction', async () => {
    const [authorContext, author, authorProblems] = await newMember();
    const [judgeContext, judge] = await newMember();
    const [thirdContext, third] = await newMember();

    await scenario('threads', [authorContext, judgeContext, thirdContext], async () => {
      // The prosecutor starts a legal analysis from the forum home.
      await signIn(author, PROSECUTOR.email);
      await author.getByRole('link', { name: 'New thread' }).click();
      await visible(author, 'heading', { name: 'New thread', level: 1 }).toBe(true);
      await author.getByRole('radio', { name: /Legal analysis/ }).check();
      await author.getByLabel('Title', { exact: true }).fill(TITLE);
      await pick(author, 'Jurisdictions', 'France', /^France/);
      await pick(author, 'Jurisdictions', 'INT', /^International/);
      await pick(author, 'Topics', 'falsified', /falsified medical products/);
      await pick(author, 'Citations', 'Medicrime', /^Medicrime Convention/);
      await author.getByLabel('Provision cited of Medicrime Convention').fill('art. 5');

      await author
        .getByLabel('Question presented', { exact: true })
        .fill('Does supplying falsified medicines through an online marketplace fall under art. 5?');
      await author
        .getByLabel('Relevant facts', { exact: true })
        .fill('A seller lists falsified insulin on a marketplace and never handles the goods.');
      await author
        .getByLabel('Applicable law', { exact: true })
        .fill('Medicrime Convention, art. 5: supplying, offering to supply and trafficking in falsified products.');
      await author
        .getByLabel('Analysis', { exact: true })
        .fill('Offering to supply is **enough**: the seller need never hold the medicine.');
      await author.getByLabel('Conclusion', { exact: true }).fill('The offence is made out on the facts.');
      // The preview renders the markdown as it will be posted.
      await expect
        .poll(() => author.getByRole('region', { name: 'Preview of Analysis' }).locator('strong').textContent())
        .toBe('enough');
      await author.getByLabel('Law as stated on').fill('2026-03-01');
      await author.getByLabel(/I write in a personal capacity/).check();
      // The draft is kept on the server as the author types.
      await expect.poll(() => author.getByText('Draft saved').isVisible(), { timeout: 10_000 }).toBe(true);
      await author.getByRole('button', { name: 'Post thread' }).click();

      await visible(author, 'heading', { name: TITLE, level: 1 }).toBe(true);
      await visible(author, 'heading', { name: 'Question presented', level: 2 }).toBe(true);
      await expect.poll(() => author.getByText('Law as stated on March 1, 2026').isVisible()).toBe(true);
      await expect
        .poll(() => author.getByRole('link', { name: /Medicrime Convention, art\. 5/ }).isVisible())
        .toBe(true);
      const threadUrl = author.url();

      // A judge from Kenya replies to the analysis.
      await signIn(judge, JUDGE.email);
      await judge.goto(threadUrl);
      await judge
        .getByRole('button', { name: `Reply to ${PROSECUTOR.name}` })
        .first()
        .click();
      // A reply to the opening post is a reply to the thread: its composer sits at the end.
      await judge
        .getByLabel('Your reply', { exact: true })
        .fill('In Kenya the Anti-Counterfeit Act reaches the offer as well; we charged a seller on that basis.');
      await judge.getByRole('button', { name: 'Post reply' }).click();
      await expect.poll(() => judge.getByText('Your reply is posted.').isVisible()).toBe(true);

      // A third member answers the judge: a reply nested under the judge's.
      await signIn(third, THIRD.email);
      await third.goto(threadUrl);
      await third.getByRole('button', { name: `Reply to ${JUDGE.name}` }).click();
      await third
        .getByLabel(`Your reply to ${JUDGE.name}`, { exact: true })
        .fill('Did the court accept screenshots of the listing as evidence of the offer?');
      await third.getByRole('button', { name: 'Post reply' }).click();
      await expect.poll(() => third.getByText('Your reply is posted.').isVisible()).toBe(true);
      const nested = third.getByRole('listitem').filter({ has: third.getByRole('article', { name: JUDGE.name }) });
      await expect.poll(() => nested.getByRole('article', { name: THIRD.name }).isVisible()).toBe(true);
      // In posting order, the reply says whom it answers.
      await third.getByRole('button', { name: 'Chronological' }).click();
      await expect.poll(() => third.getByRole('link', { name: 'in reply to #2' }).isVisible()).toBe(true);

      // The author edits the conclusion; the history shows what changed.
      await author.reload();
      await author
        .getByRole('article', { name: PROSECUTOR.name })
        .first()
        .getByRole('button', { name: 'Edit' })
        .click();
      await author.getByLabel('Conclusion', { exact: true }).fill('The offence is made out on these facts.');
      await author.getByLabel('Reason for the edit (optional)').fill('Narrowed the conclusion');
      await author.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => author.getByText('Your changes are saved.').isVisible()).toBe(true);
      await author.getByRole('link', { name: 'edited' }).click();
      await visible(author, 'heading', { name: 'History of post #1', level: 1 }).toBe(true);
      await visible(author, 'heading', { name: 'Changes from version 1', level: 2 }).toBe(true);
      await expect.poll(() => author.locator('ins').first().textContent()).toContain('these');
      await expect.poll(() => author.locator('del').first().textContent()).toContain('the');
      await expect.poll(() => author.getByText('“Narrowed the conclusion”').isVisible()).toBe(true);

      // The Medicrime Convention's page lists the thread, with the provision it cites.
      await author.goto(`${origin}/instruments/medicrime`);
      await visible(author, 'heading', { name: 'Medicrime Convention', level: 1 }).toBe(true);
      await visible(author, 'link', { name: TITLE }).toBe(true);
      await expect.poll(() => author.getByText('Cites: art. 5').isVisible()).toBe(true);

      // The list filtered by France shows it (picked in the filter bar); by Kenya it does not.
      await author.goto(`${origin}/`);
      await visible(author, 'link', { name: TITLE }).toBe(true);
      await pick(author, 'Jurisdictions', 'France', /^France/);
      await expect.poll(() => author.url()).toContain('jurisdiction=FR');
      await visible(author, 'link', { name: TITLE }).toBe(true);
      await author.goto(`${origin}/?jurisdiction=KE`);
      await expect.poll(() => author.getByText('No threads match these filters').isVisible()).toBe(true);
      expect(await author.getByRole('link', { name: TITLE }).count()).toBe(0);

      expect(authorProblems).toEqual([]);
    });
  }, 120_000);
});
