/**
 * Membership vetting, as people do it in Chromium: an admin makes a member the moderator for Kenya;
 * the new moderator is made to set up an authenticator app before anything else (the test reads the
 * key the page shows and computes codes as the app would) and saves the recovery codes; an
 * applicant registers and applies; the moderator asks a question, the applicant answers it in
 * place, the moderator approves, and the new member finds the forum home and their badge. Then a
 * second applicant is rejected and reads the reason. Real server on a free port, real SQLite file.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/modules/auth/password.js';
import { startMailServer, type TestMailServer } from '../helpers/mail.js';
import { insertUser } from '../../server/src/modules/users/users.repository.js';
import { freshTotpCode, TEST_TOTP_KEY } from '../helpers/totp.js';
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
const ADMIN = { email: 'registrar@forum.example', name: 'Hélène Registrar' };
const MODERATOR = { email: 'wanjiru.kamau@judiciary.example', name: 'Wanjiru Kamau' };

describe.runIf(available)('Membership vetting in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let mail: TestMailServer;

  beforeAll(async () => {
    mail = await startMailServer();
    ({ app, handle, origin } = await startForum({}, { env: { SMTP_URL: mail.url } }));

    // The first admin exists as `create-admin` makes one; the future moderator is a vetted member.
    const passwordHash = await hashPassword(PASSWORD);
    const now = new Date();
    const base = { passwordHash, status: 'active' as const, createdAt: now, updatedAt: now };
    insertUser(handle.db, {
      ...base,
      id: randomUUID(),
      email: ADMIN.email,
      displayName: ADMIN.name,
      role: 'admin',
      // Enrolled with an authenticator app, as an admin must be (the helper computes its codes).
      totpKey: TEST_TOTP_KEY,
      totpEnabledAt: now,
      secondFactor: true,
    });
    insertUser(handle.db, {
      ...base,
      id: randomUUID(),
      email: MODERATOR.email,
      displayName: MODERATOR.name,
      role: 'member',
      profession: 'judge',
      position: 'Judge of the High Court',
      institution: 'Judiciary of Kenya',
      jurisdictionCode: 'KE',
      languages: ['en', 'sw'],
      verifiedAt: now,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await mail?.close();
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  const visible = (page: Page, ...args: Parameters<Page['getByRole']>) =>
    expect.poll(() => page.getByRole(...args).isVisible());

  /** The moderator's authenticator key, as the page showed it when she set it up. */
  let moderatorKey = '';
  const signIn = (page: Page, email: string) =>
    signInAs(page, origin, email, PASSWORD, email === MODERATOR.email ? moderatorKey : TEST_TOTP_KEY);

  /** A moderator with no second factor is sent to the Security page and sets up an authenticator app. */
  async function enrolTotp(page: Page): Promise<void> {
    await expect.poll(() => page.url()).toBe(`${origin}/account/security`);
    await expect.poll(() => page.getByText('Set up a second factor to continue').isVisible()).toBe(true);
    // Every other screen sends her back here until she has one.
    await page.goto(`${origin}/vetting`);
    await expect.poll(() => page.url()).toBe(`${origin}/account/security`);
    const card = page.getByRole('region', { name: 'Authenticator app' });
    await card.getByRole('button', { name: 'Set up' }).click();
    await expect
      .poll(() => card.getByRole('img', { name: 'QR code for your authenticator app' }).isVisible())
      .toBe(true);
    const key = card.getByLabel('Authenticator key');
    await expect.poll(() => key.isVisible()).toBe(true);
    moderatorKey = ((await key.textContent()) ?? '').replace(/\s/g, '');
    expect(moderatorKey).toMatch(/^[A-Z2-7]{32}$/);
    await card
      .getByLabel('Enter the six-digit code the app shows')
      .fill(await freshTotpCode(MODERATOR.email, moderatorKey));
    await card.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('region', { name: 'Your recovery codes' });
    await expect.poll(() => codes.getByRole('listitem').count()).toBe(10);
    expect(await codes.getByRole('listitem').first().textContent()).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      codes.getByRole('button', { name: 'Download as a text file' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('lexforum-recovery-codes.txt');
    await codes.getByRole('button', { name: 'I have saved them' }).click();
    await expect.poll(() => card.getByText('Recovery codes left: 10.').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Set up a second factor to continue').isVisible()).toBe(false);
  }

  async function register(page: Page, name: string, email: string): Promise<void> {
    await page.goto(`${origin}/register`);
    await page.getByLabel('Display name').fill(name);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await visible(page, 'heading', { name: 'Check your email', level: 1 }).toBe(true);
    // The link in the email confirms the address and signs in; a new account lands on its
    // application, the only forum screen open to it.
    await page.goto(await mail.linkTo(email, '/verify-email'));
    await visible(page, 'heading', { name: 'Address confirmed', level: 1 }).toBe(true);
    await page.getByRole('button', { name: 'Continue' }).click();
    await visible(page, 'heading', { name: 'Membership application', level: 1 }).toBe(true);
    await expect.poll(() => page.url()).toBe(`${origin}/apply`);
  }

  /** Picks a choice from a type-ahead picker, as a person would: type, then choose the option. */
  async function pick(page: Page, label: string, text: string, option: RegExp): Promise<void> {
    await page.getByRole('combobox', { name: label, exact: true }).fill(text);
    await page.getByRole('option', { name: option }).click();
  }

  async function applyAsProsecutorInKenya(page: Page, institution: string): Promise<void> {
    await page.getByLabel('Profession', { exact: true }).selectOption({ label: 'Prosecutor' });
    await page.getByLabel('Position or title').fill('Senior State Counsel');
    await page.getByLabel('Institution', { exact: true }).fill(institution);
    await pick(page, 'Jurisdiction', 'Kenya', /^Kenya/);
    await pick(page, 'Working languages', 'Swahili', /^Swahili/);
    // The keyboard works as well: type, arrow down to the first match, Enter.
    await page.getByRole('combobox', { name: 'Working languages', exact: true }).fill('Engl');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('button', { name: 'Remove English' }).isVisible()).toBe(true);
    await page
      .getByLabel('Statement of expertise')
      .fill('Eight years prosecuting counterfeit medicines and wildlife trafficking cases.');
    await page.getByLabel('Reason for joining').fill('To compare charging practice with prosecutors in the region.');
    await page.getByRole('button', { name: 'Submit application' }).click();
    await visible(page, 'heading', { name: 'Your application', level: 2, exact: true }).toBe(true);
    await expect.poll(() => page.getByText('Waiting for review').first().isVisible()).toBe(true);
  }

  /** The moderator opens an applicant's application from the queue. */
  async function openFromQueue(page: Page, applicant: string): Promise<void> {
    await page.goto(`${origin}/vetting`);
    await page.getByRole('link', { name: applicant }).click();
    await visible(page, 'heading', { name: applicant, level: 1 }).toBe(true);
  }

  it('admin appoints a moderator for Kenya; an applicant is questioned, answers, is approved and becomes a member', async () => {
    const [adminContext, moderatorContext, applicantContext] = await Promise.all([
      browser.newContext({ viewport: { width: 1280, height: 900 } }),
      browser.newContext({ viewport: { width: 1280, height: 900 } }),
      browser.newContext({ viewport: { width: 390, height: 844 } }),
    ]);
    await scenario('vetting-approve', [adminContext, moderatorContext, applicantContext], async () => {
      // The admin makes Wanjiru a moderator and gives her Kenya.
      const admin = await adminContext.newPage();
      const adminProblems = watchForProblems(admin);
      await signIn(admin, ADMIN.email);
      await admin.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Admin' }).click();
      await admin.getByRole('link', { name: MODERATOR.name }).click();
      await visible(admin, 'heading', { name: MODERATOR.name, level: 1 }).toBe(true);
      const roleCard = admin.getByRole('region', { name: 'Role' });
      await roleCard.getByLabel('Role').selectOption({ label: 'Moderator' });
      await roleCard.getByLabel('Reason').fill('Appointed moderator for Kenya by the steering group.');
      await roleCard.getByRole('button', { name: 'Change role' }).click();
      await expect.poll(() => admin.getByText('Role changed to Moderator.').isVisible()).toBe(true);
      const jurisdictionsCard = admin.getByRole('region', { name: 'Moderator jurisdictions' });
      await jurisdictionsCard.getByRole('combobox', { name: 'Jurisdictions covered' }).fill('Kenya');
      await admin.getByRole('option', { name: /^Kenya/ }).click();
      await jurisdictionsCard.getByRole('button', { name: 'Save jurisdictions' }).click();
      await expect.poll(() => admin.getByText('Jurisdictions saved.').isVisible()).toBe(true);

      // An applicant registers on a phone and applies; until vetted, the forum sends her back.
      const applicant = await applicantContext.newPage();
      const applicantProblems = watchForProblems(applicant);
      await register(applicant, 'Amina Odhiambo', 'amina.odhiambo@odpp.example');
      await applicant.goto(`${origin}/members`);
      await expect.poll(() => applicant.url()).toBe(`${origin}/apply`);
      await applyAsProsecutorInKenya(applicant, 'Office of the Director of Public Prosecutions');

      // The new moderator must set up a second factor first; then she lands on the forum home,
      // sees one waiting, and asks a question.
      const moderator = await moderatorContext.newPage();
      const moderatorProblems = watchForProblems(moderator);
      await signIn(moderator, MODERATOR.email);
      await enrolTotp(moderator);
      await moderator.goto(`${origin}/`);
      await expect.poll(() => moderator.getByText('1 application waiting').isVisible()).toBe(true);
      await openFromQueue(moderator, 'Amina Odhiambo');
      await moderator.getByRole('button', { name: 'Claim' }).click();
      await expect.poll(() => moderator.getByText(/You are working on this until/).isVisible()).toBe(true);
      await moderator.getByRole('radio', { name: 'Request more information' }).check();
      await moderator
        .getByLabel('Question for the applicant')
        .fill('Which unit of the ODPP do you work in, and who can confirm your appointment?');
      await moderator.getByRole('button', { name: 'Send question' }).click();
      await expect.poll(() => moderator.getByText('Question sent to the applicant.').isVisible()).toBe(true);

      // The applicant sees the question (and a notification) without reloading, and answers where
      // it is asked.
      await visible(applicant, 'button', { name: /Notifications, 1 unread/ }).toBe(true);
      await expect.poll(() => applicant.getByText('More information requested').first().isVisible()).toBe(true);
      await expect
        .poll(() =>
          applicant
            .getByText(/Which unit of the ODPP/)
            .first()
            .isVisible(),
        )
        .toBe(true);
      await applicant.getByLabel('Your answer').fill('The Counterfeits and Wildlife Unit; the Deputy DPP can confirm.');
      await applicant.getByRole('button', { name: 'Send answer' }).click();
      await expect
        .poll(() => applicant.getByText('Answer sent. Your application is back with the moderators.').isVisible())
        .toBe(true);
      await expect.poll(() => applicant.getByText('Waiting for review').first().isVisible()).toBe(true);

      // The moderator reads the answer in the history and approves.
      await moderator.reload();
      await expect
        .poll(() =>
          moderator
            .getByText(/Counterfeits and Wildlife Unit/)
            .first()
            .isVisible(),
        )
        .toBe(true);
      await moderator.getByRole('radio', { name: 'Approve' }).check();
      await moderator.getByRole('button', { name: 'Approve', exact: true }).click();
      await expect.poll(() => moderator.getByText(/^Approved on /).isVisible()).toBe(true);

      // The new member opens the forum: home with her badge; the directory is open to her now.
      await applicant.goto(`${origin}/`);
      await visible(applicant, 'heading', { name: 'Welcome, Amina Odhiambo', level: 1 }).toBe(true);
      const badge = applicant.getByRole('button', { name: /^Verified: Prosecutor · Kenya/ }).first();
      await expect.poll(() => badge.isVisible()).toBe(true);
      await badge.click();
      await expect.poll(() => applicant.getByText(`Verified by ${MODERATOR.name}`).first().isVisible()).toBe(true);
      await applicant.keyboard.press('Escape');
      await applicant.goto(`${origin}/members`);
      await visible(applicant, 'heading', { name: 'Member directory', level: 1 }).toBe(true);
      await visible(applicant, 'link', { name: 'Amina Odhiambo' }).toBe(true);

      expect([...adminProblems, ...moderatorProblems, ...applicantProblems]).toEqual([]);
    });
  });

  it('a rejected applicant reads the reason', async () => {
    const [moderatorContext, applicantContext] = await Promise.all([
      browser.newContext({ viewport: { width: 1280, height: 900 } }),
      browser.newContext({ viewport: { width: 1280, height: 900 } }),
    ]);
    await scenario('vetting-reject', [moderatorContext, applicantContext], async () => {
      const applicant = await applicantContext.newPage();
      await register(applicant, 'Brian Otieno', 'brian.otieno@brandguard.example');
      await applyAsProsecutorInKenya(applicant, 'BrandGuard Consulting Ltd');

      const moderator = await moderatorContext.newPage();
      await signIn(moderator, MODERATOR.email);
      await openFromQueue(moderator, 'Brian Otieno');
      await moderator.getByRole('radio', { name: 'Reject' }).check();
      await moderator.getByLabel('Start from a template').selectOption({ label: 'Credentials could not be verified' });
      const reason = moderator.getByLabel('Reason', { exact: true });
      await expect.poll(() => reason.inputValue()).toMatch(/^We could not verify your position/);
      await reason.fill(`${await reason.inputValue()} BrandGuard Consulting is not a prosecution service.`);
      await moderator.getByRole('button', { name: 'Reject application' }).click();
      await expect.poll(() => moderator.getByText(/^Not approved, on /).isVisible()).toBe(true);

      await applicant.reload();
      await expect.poll(() => applicant.getByText('Your application was not approved.').isVisible()).toBe(true);
      const reasonShown = applicant.getByText(/BrandGuard Consulting is not a prosecution service/).first();
      await expect.poll(() => reasonShown.isVisible()).toBe(true);
      // Rejected is final here: no form to edit, and the forum stays closed.
      expect(await applicant.getByRole('button', { name: 'Submit application' }).count()).toBe(0);
      await applicant.goto(`${origin}/members`);
      await expect.poll(() => applicant.url()).toBe(`${origin}/apply`);
    });
  });
});
