/**
 * Passkeys in Chromium, through its virtual authenticator (DevTools protocol WebAuthn domain): a
 * member enrols a passkey on the security page, renames it, and removes it from a session whose
 * confirmation went stale, confirming in the re-authentication dialog with the passkey; a stale
 * add is confirmed with the password; then the passkey answers the second step of a sign-in.
 * The forum is served at http://localhost (WebAuthn refuses IP-address origins).
 */
import { sessions, type DbHandle } from '@lexforum/db';
import { createPendingSignIn, type App } from '@lexforum/server';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPeople,
  chromiumAvailable,
  launchChromium,
  scenario,
  screenshot,
  signIn,
  startForum,
  watchForProblems,
} from '../helpers/browser.js';
import { describeViolations, runAxe } from '../helpers/a11y.js';

const available = chromiumAvailable();
const PASSWORD = 'quiet orchard ledger 2031';

describe.runIf(available)('Passkeys in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let ids: Record<string, string>;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum({}, { localhost: true }));
    ids = await addPeople(
      handle,
      [
        { email: 'nadia.haddad@justice.example', name: 'Nadia Haddad', role: 'member' },
        { email: 'tomas.varga@justice.example', name: 'Tomas Varga', role: 'member' },
        // Each sign-in scenario has its own person: once a passkey is on an account, its password
        // alone no longer signs in (after the two-step sign-in is merged).
        { email: 'ines.moreau@justice.example', name: 'Ines Moreau', role: 'member' },
        { email: 'omar.sall@justice.example', name: 'Omar Sall', role: 'member' },
        { email: 'lena.berg@justice.example', name: 'Lena Berg', role: 'member' },
      ],
      PASSWORD,
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  /** A platform authenticator that verifies the user and answers at once (no prompt to click). */
  async function virtualAuthenticator(context: BrowserContext, page: Page): Promise<void> {
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
  }

  /** Makes every session of the account older than the re-authentication window. */
  function makeStale(userId: string): void {
    handle.db
      .update(sessions)
      .set({ reauthAt: new Date(Date.now() - 11 * 60_000) })
      .where(eq(sessions.userId, userId))
      .run();
  }

  const passkeyRows = (page: Page) => page.getByRole('list', { name: 'Your passkeys' }).getByRole('listitem');

  it('enrols a passkey, renames it, and confirms a stale removal with it in the re-authentication dialog', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await scenario('passkeys-enrol', [context], async () => {
      const page = await context.newPage();
      const problems = watchForProblems(page);
      await virtualAuthenticator(context, page);
      await signIn(page, origin, 'nadia.haddad@justice.example', PASSWORD);
      await page.goto(`${origin}/account/security`);
      const card = page.getByRole('region', { name: 'Passkeys and security keys' });
      await expect.poll(() => card.getByText('No passkeys yet.').isVisible()).toBe(true);
      await screenshot(page, 'passkeys-empty');

      // Enrol: a name, then the browser's prompt (answered by the virtual authenticator).
      await card.getByLabel('Name for a new passkey').fill('Work laptop');
      await card.getByRole('button', { name: 'Add a passkey' }).click();
      await saveRecoveryCodes(page);
      await expect.poll(() => passkeyRows(page).count()).toBe(1);
      await expect.poll(() => passkeyRows(page).first().textContent()).toMatch(/Work laptop.*Not used yet/s);
      await expect.poll(() => page.getByText('Passkey “Work laptop” added.').isVisible()).toBe(true);
      await screenshot(page, 'passkeys-list');

      // Rename in place.
      await card.getByRole('button', { name: 'Rename the passkey “Work laptop”' }).click();
      await card.getByLabel('New name for “Work laptop”').fill('Chromium laptop');
      await card.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => passkeyRows(page).first().textContent()).toMatch(/Chromium laptop/);

      // The confirmation goes stale; removing asks in place, and the passkey itself confirms.
      makeStale(ids['nadia.haddad@justice.example']!);
      await card.getByRole('button', { name: 'Remove the passkey “Chromium laptop”' }).click();
      const confirm = page.getByRole('dialog', { name: 'Remove this passkey?' });
      await confirm.getByRole('button', { name: 'Remove' }).click();
      const reauth = page.getByRole('dialog', { name: 'Confirm it is you' });
      await expect.poll(() => reauth.isVisible()).toBe(true);
      await screenshot(page, 'passkeys-reauth-dialog');
      await reauth.getByRole('button', { name: 'Use a passkey' }).click();
      await expect.poll(() => reauth.isVisible()).toBe(false);
      await expect.poll(() => card.getByText('No passkeys yet.').isVisible()).toBe(true);

      // Stale again, without passkeys: Escape cancels (nothing added), the password confirms.
      makeStale(ids['nadia.haddad@justice.example']!);
      await card.getByLabel('Name for a new passkey').fill('Desk key');
      await card.getByRole('button', { name: 'Add a passkey' }).click();
      await expect.poll(() => reauth.isVisible()).toBe(true);
      expect(await reauth.getByRole('button', { name: 'Use a passkey' }).count()).toBe(0);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? '')).toMatch(/password$/);
      await page.keyboard.press('Escape');
      await expect.poll(() => reauth.isVisible()).toBe(false);
      await expect.poll(() => card.getByRole('alert').textContent()).toMatch(/Confirm it is you/);
      expect(await passkeyRows(page).count()).toBe(0);

      await card.getByRole('button', { name: 'Add a passkey' }).click();
      await expect.poll(() => reauth.isVisible()).toBe(true);
      await reauth.getByLabel('Password').fill('not the password at all');
      await reauth.getByRole('button', { name: 'Confirm' }).click();
      await expect.poll(() => reauth.getByText(/password is not correct/).isVisible()).toBe(true);
      await reauth.getByLabel('Password').fill(PASSWORD);
      await reauth.getByRole('button', { name: 'Confirm' }).click();
      // Its only factor went with the first passkey, and its recovery codes with it: new ones.
      await saveRecoveryCodes(page);
      await expect.poll(() => passkeyRows(page).count()).toBe(1);
      await expect.poll(() => passkeyRows(page).first().textContent()).toMatch(/Desk key/);
      expect(problems).toEqual([]);
    });
  });

  it('fits a phone and passes axe, with the list and with the re-authentication dialog open', async () => {
    // bypassCSP: axe is injected as an inline script (helpers/a11y.ts).
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, bypassCSP: true });
    await scenario('passkeys-phone', [context], async () => {
      const page = await context.newPage();
      await virtualAuthenticator(context, page);
      await signIn(page, origin, 'tomas.varga@justice.example', PASSWORD);
      await page.goto(`${origin}/account/security`);
      const card = page.getByRole('region', { name: 'Passkeys and security keys' });
      await card.getByLabel('Name for a new passkey').fill('A passkey with a rather long descriptive name');
      await card.getByRole('button', { name: 'Add a passkey' }).click();
      // The recovery codes shown once, at phone width, pass axe too.
      await expect.poll(() => page.getByRole('button', { name: 'I have saved them' }).isVisible()).toBe(true);
      expect(describeViolations('recovery codes', await runAxe(page))).toEqual([]);
      await saveRecoveryCodes(page);
      await expect.poll(() => passkeyRows(page).count()).toBe(1);
      // Nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await card.scrollIntoViewIfNeeded();
      await screenshot(page, 'passkeys-phone');
      expect(describeViolations('security page', await runAxe(page))).toEqual([]);

      makeStale(ids['tomas.varga@justice.example']!);
      await card.getByRole('button', { name: /^Remove the passkey/ }).click();
      await page.getByRole('dialog', { name: 'Remove this passkey?' }).getByRole('button', { name: 'Remove' }).click();
      const reauth = page.getByRole('dialog', { name: 'Confirm it is you' });
      await expect.poll(() => reauth.isVisible()).toBe(true);
      await screenshot(page, 'passkeys-reauth-phone');
      expect(describeViolations('re-authentication dialog', await runAxe(page))).toEqual([]);
      await reauth.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => reauth.isVisible()).toBe(false);
      expect(await passkeyRows(page).count()).toBe(1);
    });
  });

  it('says so where the browser cannot use passkeys, and still lists them', async () => {
    const context = await browser.newContext();
    await scenario('passkeys-unsupported', [context], async () => {
      const page = await context.newPage();
      await context.addInitScript(() => {
        Object.defineProperty(window, 'PublicKeyCredential', { value: undefined });
      });
      await signIn(page, origin, 'lena.berg@justice.example', PASSWORD);
      await page.goto(`${origin}/account/security`);
      const card = page.getByRole('region', { name: 'Passkeys and security keys' });
      await expect
        .poll(() => card.getByText('This browser cannot use passkeys.', { exact: false }).isVisible())
        .toBe(true);
      expect(await card.getByRole('button', { name: 'Add a passkey' }).count()).toBe(0);
      await expect.poll(() => card.getByText('No passkeys yet.').isVisible()).toBe(true);
      await screenshot(page, 'passkeys-unsupported');
    });
  });

  it('answers the second step of a sign-in with the enrolled passkey', async () => {
    const context = await browser.newContext();
    await scenario('passkeys-sign-in', [context], async () => {
      const page = await context.newPage();
      await virtualAuthenticator(context, page);
      await signIn(page, origin, 'ines.moreau@justice.example', PASSWORD);
      await page.goto(`${origin}/account/security`);
      const card = page.getByRole('region', { name: 'Passkeys and security keys' });
      await card.getByLabel('Name for a new passkey').fill('This browser');
      await card.getByRole('button', { name: 'Add a passkey' }).click();
      await saveRecoveryCodes(page);
      await expect.poll(() => passkeyRows(page).filter({ hasText: 'This browser' }).count()).toBe(1);
      await page.evaluate(() => fetch('/api/auth/sign-out', { method: 'POST' }));
      await context.clearCookies();

      // The password step (another part of this work) opens the pending sign-in; here it is made
      // directly, and the page answers the second step with Chromium's WebAuthn as the client does.
      const { token } = createPendingSignIn(
        handle.db,
        ids['ines.moreau@justice.example']!,
        { userAgent: 'test', ip: '127.0.0.1' },
        new Date(),
      );
      await context.addCookies([{ name: 'lexforum_pending', value: token, url: origin }]);
      const answer = await page.evaluate(async () => {
        const fromB64 = (s: string) =>
          Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
        const toB64 = (b: ArrayBuffer) =>
          btoa(String.fromCharCode(...new Uint8Array(b)))
            .replace(/\+/g, '-')
            .replace(/\//g, '_')
            .replace(/=+$/, '');
        const { options } = (await (await fetch('/api/auth/sign-in/passkey/options', { method: 'POST' })).json()) as {
          options: { challenge: string; rpId: string; allowCredentials: { id: string; type: 'public-key' }[] };
        };
        const credential = (await navigator.credentials.get({
          publicKey: {
            challenge: fromB64(options.challenge),
            rpId: options.rpId,
            allowCredentials: options.allowCredentials.map((c) => ({ type: 'public-key', id: fromB64(c.id) })),
            userVerification: 'preferred',
          },
        })) as PublicKeyCredential;
        const response = credential.response as AuthenticatorAssertionResponse;
        const res = await fetch('/api/auth/sign-in/passkey', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            response: {
              id: credential.id,
              rawId: toB64(credential.rawId),
              type: 'public-key',
              response: {
                clientDataJSON: toB64(response.clientDataJSON),
                authenticatorData: toB64(response.authenticatorData),
                signature: toB64(response.signature),
                ...(response.userHandle ? { userHandle: toB64(response.userHandle) } : {}),
              },
              clientExtensionResults: {},
            },
          }),
        });
        return { status: res.status, body: await res.json() };
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.user.email).toBe('ines.moreau@justice.example');
      await page.goto(`${origin}/account/security`);
      await expect.poll(() => passkeyRows(page).filter({ hasText: 'This browser' }).textContent()).toMatch(/Last used/);
    });
  });

  // The whole way through the sign-in page: the password, then "Use a passkey".
  it('signs in with the password and then the passkey through the sign-in page', async () => {
    const context = await browser.newContext();
    await scenario('passkeys-sign-in-form', [context], async () => {
      const page = await context.newPage();
      await virtualAuthenticator(context, page);
      await signIn(page, origin, 'omar.sall@justice.example', PASSWORD);
      await page.goto(`${origin}/account/security`);
      const card = page.getByRole('region', { name: 'Passkeys and security keys' });
      await card.getByLabel('Name for a new passkey').fill('Form sign-in');
      await card.getByRole('button', { name: 'Add a passkey' }).click();
      await saveRecoveryCodes(page);
      await expect.poll(() => passkeyRows(page).filter({ hasText: 'Form sign-in' }).count()).toBe(1);
      await page.evaluate(() => fetch('/api/auth/sign-out', { method: 'POST' }));

      await page.goto(`${origin}/sign-in`);
      await page.getByLabel('Email').fill('omar.sall@justice.example');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await expect.poll(() => page.url()).not.toContain('/sign-in');
      await page.goto(`${origin}/account/security`);
      await expect.poll(() => passkeyRows(page).filter({ hasText: 'Form sign-in' }).textContent()).toMatch(/Last used/);
    });
  });
});

/** A first passkey comes with ten recovery codes, shown once: the member saves them, then sees the list. */
async function saveRecoveryCodes(page: Page): Promise<void> {
  const saved = page.getByRole('button', { name: 'I have saved them' });
  await expect.poll(() => saved.isVisible()).toBe(true);
  expect(
    await page
      .getByRole('list', { name: /recovery codes/i })
      .getByRole('listitem')
      .count(),
  ).toBe(10);
  await saved.click();
}
