/**
 * Chromium for end-to-end tests: Debian's /usr/bin/chromium driven by playwright-core. Where it
 * is missing, browser tests skip with a message, except under CI=true, where they fail.
 */
import { createDb, migrate, moderatorJurisdictions, type DbHandle } from '@lexforum/db';
import { buildApp, loadConfig, type App } from '@lexforum/server';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { assertBuilt, repoRoot } from './process.js';
import type { Settings } from '@lexforum/shared';
import { hashPassword } from '../../server/src/modules/auth/password.js';
import { writeSettings } from '../../server/src/modules/settings/settings.repository.js';
import { insertUser } from '../../server/src/modules/users/users.repository.js';
import { freshTotpCode, TEST_TOTP_KEY } from './totp.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['CI'] === 'true') throw new Error(`CI=true but Chromium is missing at ${CHROMIUM}`);
  console.warn(`Skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium).`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot under test-results/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(repoRoot, 'test-results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  await page.screenshot({ path, fullPage: true }).catch(() => undefined);
  return path;
}

/** Collects page errors and CSP violations, which a test asserts are absent. */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) {
      problems.push(`csp: ${message.text()}`);
    }
  });
  return problems;
}

/** Runs a browser scenario; on failure keeps a screenshot of every open page, then closes the contexts. */
export async function scenario(name: string, contexts: BrowserContext[], body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    for (const [i, context] of contexts.entries()) {
      for (const [j, page] of context.pages().entries()) {
        const file = await screenshot(page, `${name}-${i}-${j}`);
        console.error(`screenshot kept: ${file}`);
      }
    }
    throw error;
  } finally {
    for (const context of contexts) await context.close();
  }
}

/**
 * Signs in through the sign-in page, as a person would, and waits to leave it. Staff with a second
 * factor (the helpers and the demo seed enrol them with TEST_TOTP_KEY) get the code step: the code
 * is computed as their authenticator app would.
 */
export async function signIn(
  page: Page,
  origin: string,
  email: string,
  password: string,
  totpKey: Uint8Array | string = TEST_TOTP_KEY,
): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const codeField = page.getByLabel('Authentication code');
  await expect.poll(async () => !page.url().includes('/sign-in') || (await codeField.isVisible())).toBe(true);
  if (page.url().includes('/sign-in')) {
    await codeField.fill(await freshTotpCode(email, totpKey));
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await expect.poll(() => page.url()).not.toContain('/sign-in');
}

/**
 * The built forum on an ephemeral port with a fresh database file, for a browser to visit. Its
 * PUBLIC_ORIGIN is the origin the browser sees: the WebSocket upgrade (and a request without
 * Sec-Fetch-Site) must carry exactly that Origin.
 */
export async function startForum(
  settings: Partial<Settings> = {},
  options: {
    /**
     * Serve at `http://localhost:<port>` rather than the IP: WebAuthn refuses IP-address origins
     * (it binds passkeys to a domain), and localhost counts as a secure context on plain http.
     */
    localhost?: boolean;
    /** More configuration, e.g. `{ SMTP_URL }` of a test mail server (else mail goes to a temp dir). */
    env?: Record<string, string>;
  } = {},
): Promise<{ app: App; handle: DbHandle; origin: string }> {
  assertBuilt();
  const handle = createDb(join(mkdtempSync(join(tmpdir(), 'lexforum-e2e-')), 'forum.db'));
  migrate(handle.db);
  // Pre-moderation off unless asked for (scenarios post as members made a moment ago).
  writeSettings(handle.db, { premoderatedPosts: 0, ...settings }, 'test', new Date());
  // The port is free when probed, but another test file may take it before we listen: try again.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const origin = `http://${options.localhost ? 'localhost' : '127.0.0.1'}:${port}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: String(port),
      PUBLIC_ORIGIN: origin,
      MAIL_DIR: mkdtempSync(join(tmpdir(), 'lexforum-e2e-mail-')),
      ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'lexforum-e2e-attachments-')),
      ...options.env,
    });
    const app = await buildApp({ config, db: handle });
    try {
      await app.listen({ host: '127.0.0.1', port });
      return { app, handle, origin };
    } catch (error) {
      await app.close();
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw error;
    }
  }
}

/** A port free on 127.0.0.1 just now (the origin has to be known before the app is built). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A verified person for a browser scenario; the details left out are a French prosecutor's. */
export interface Person {
  email: string;
  name: string;
  role: 'member' | 'moderator' | 'admin';
  /** The person's jurisdiction, and a moderator's jurisdiction to moderate. */
  code?: string;
  /** Staff are enrolled with TEST_TOTP_KEY unless this is false. */
  secondFactor?: boolean;
  position?: string;
  institution?: string;
  languages?: readonly string[];
}

/**
 * Inserts verified, active people who sign in with `password`, a moderator with a
 * moderator_jurisdictions row for their own jurisdiction. Returns each one's user id by email.
 */
export async function addPeople(
  handle: DbHandle,
  people: readonly Person[],
  password: string,
): Promise<Record<string, string>> {
  const passwordHash = await hashPassword(password);
  const now = new Date();
  const ids: Record<string, string> = {};
  for (const person of people) {
    const code = person.code ?? 'FR';
    const user = insertUser(handle.db, {
      id: randomUUID(),
      email: person.email,
      displayName: person.name,
      passwordHash,
      status: 'active',
      role: person.role,
      profession: 'prosecutor',
      position: person.position ?? 'Prosecutor',
      institution: person.institution ?? 'Public Prosecution Service',
      jurisdictionCode: code,
      languages: [...(person.languages ?? ['en'])],
      ...(person.role !== 'member' && person.secondFactor !== false
        ? { totpKey: TEST_TOTP_KEY, totpEnabledAt: now, secondFactor: true }
        : {}),
      verifiedAt: now,
      emailVerifiedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    ids[person.email] = user.id;
    if (person.role === 'moderator') {
      handle.db.insert(moderatorJurisdictions).values({ userId: user.id, jurisdictionCode: code }).run();
    }
  }
  return ids;
}

/** Calls to the forum at `origin` as a client would make them, everyone signing in with `password`. */
export function forumClient(
  origin: string,
  password: string,
): {
  cookieOf: (email: string) => Promise<string>;
  api: (cookie: string, method: string, path: string, body: unknown) => Promise<Record<string, unknown>>;
} {
  /** A session cookie for `email`, through the API. */
  const cookieOf = async (email: string): Promise<string> => {
    const res = await fetch(`${origin}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ email, password }),
    });
    expect(res.status).toBe(200);
    const cookies = (r: Response) => r.headers.getSetCookie().map((c) => c.split(';')[0]!);
    if (!('secondFactor' in ((await res.json()) as object))) {
      return cookies(res).find((c) => c.includes('lexforum_session='))!;
    }
    const second = await fetch(`${origin}/api/auth/sign-in/second-factor`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin,
        cookie: cookies(res).find((c) => c.includes('lexforum_pending='))!,
      },
      body: JSON.stringify({ method: 'totp', code: await freshTotpCode(email) }),
    });
    expect(second.status).toBe(200);
    return cookies(second).find((c) => c.includes('lexforum_session='))!;
  };
  /** A JSON call through the real server, which has to succeed (status below 300). */
  const api = async (cookie: string, method: string, path: string, body: unknown) => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin, cookie },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
    return JSON.parse(text) as Record<string, unknown>;
  };
  return { cookieOf, api };
}
