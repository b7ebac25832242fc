/**
 * `buildTestApp()`: a real app on a fresh, migrated SQLite database (in memory, or the file named by
 * `database`) with a clock the test controls. Requests go through `app.inject` with a browser-like
 * Origin header, so the CSRF check passes unless a test leaves it out on purpose.
 */
import { createDb, createDbFromImage, migrate, seedReferenceData, type DbHandle, type UserRow } from '@lexforum/db';
import { buildApp, loadConfig, type App, type BuildAppOptions, type Config } from '@lexforum/server';
import { unreadCountDrift } from '@lexforum/server/test-support';
import type { Role, Settings } from '@lexforum/shared';
import type { LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash } from '@node-rs/argon2';
import { insertUser } from '../../server/src/modules/users/users.repository.js';
import { writeSettings } from '../../server/src/modules/settings/settings.repository.js';
import { TEST_TOTP_KEY, totpCode } from './totp.js';

export { TEST_TOTP_KEY, totpCode } from './totp.js';

export class TestClock {
  constructor(private current = new Date('2026-11-22T09:00:00.000Z')) {}
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const TEST_PASSWORD = 'correct horse battery staple 42';
/**
 * The stored hash of TEST_PASSWORD for the members tests create: argon2id at a tenth of the cost
 * the server uses (1 MiB, t=1). The parameters travel in the hash and the server's own
 * verifyPassword reads them, so a sign-in runs the real check in 2 ms instead of 20; the suite
 * signs in thousands of times. Passwords the server hashes itself (registration, reset, change)
 * keep its full cost, and tests/api/auth.test.ts checks a registration gets it.
 */
let testPasswordHash: Promise<string> | undefined;
const testHash = () => hash(TEST_PASSWORD, { algorithm: 2, memoryCost: 1024, timeCost: 1, parallelism: 1 });

export interface TestApp {
  app: App;
  handle: DbHandle;
  clock: TestClock;
  config: Config;
  request(options: RequestOptions): Promise<LightMyRequestResponse>;
  /**
   * Moderators and admins get TEST_TOTP_KEY enrolled (staff must have a second factor) unless the
   * overrides set `secondFactor` or `totpKey` (`{ role: 'moderator', secondFactor: false }`: none).
   */
  createUser(overrides?: Partial<UserRow> & { role?: Role }): Promise<UserRow>;
  /** Signs in; an account with TOTP completes the second step with a code computed from its key. */
  loginAs(user: UserRow, password?: string): Promise<string>;
  close(): Promise<void>;
}

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  /** The `name=value` cookie pair to send. */
  cookie?: string;
  headers?: Record<string, string>;
  /** Leave out the Origin header (to test CSRF refusal). */
  noOrigin?: boolean;
  /** The client IP the server sees (default 127.0.0.1). */
  remoteAddress?: string;
}

/**
 * Instance settings for tests. Pre-moderation is off unless a test asks for it: most tests post as
 * members made a moment ago, whose first posts would otherwise wait for a moderator.
 */
const TEST_SETTINGS: Partial<Settings> = { premoderatedPosts: 0 };

/** Per-member budgets out of the way, unless a test sets them (tests post far faster than people). */
const BUDGETS = Object.fromEntries(
  [
    'POSTS',
    'EDITS',
    'DRAFTS',
    'REPORTS',
    'UPLOADS',
    'MESSAGES',
    'CONVERSATIONS',
    'NEW_MEMBER_MESSAGES',
    'NEW_MEMBER_CONVERSATIONS',
  ].flatMap((c) => [
    [`BUDGET_${c}_BURST`, '100000'],
    [`BUDGET_${c}_PER_HOUR`, '100000'],
  ]),
);

/** Without SMTP_URL, test apps write their mail here, never into the repository's data/. */
let mailDir: string | undefined;
export function testMailDir(): string {
  mailDir ??= mkdtempSync(join(tmpdir(), 'lexforum-mail-'));
  return mailDir;
}

/**
 * A migrated database with its reference data, as an image made once per test worker: each test's
 * fresh in-memory database is opened from it instead of running every migration again (the app
 * still runs `migrate` and the reference seed on it, which then find nothing to do).
 */
let migratedImage: Buffer | undefined;
function freshDatabase(): DbHandle {
  if (!migratedImage) {
    const template = createDb(':memory:');
    migrate(template.db);
    seedReferenceData(template.db);
    migratedImage = template.sqlite.serialize();
    template.close();
  }
  return createDbFromImage(migratedImage);
}

export async function buildTestApp(
  overrides: Partial<Config> & {
    env?: Record<string, string>;
    database?: string;
    settings?: Partial<Settings>;
    /** Fastify's logger option (e.g. `{ level: 'info', stream }` to capture what the server logs). */
    logger?: BuildAppOptions['logger'];
  } = {},
): Promise<TestApp> {
  const { env, database = ':memory:', settings, logger, ...configOverrides } = overrides;
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      RATE_LIMIT_PER_MINUTE: '100000',
      REGISTRATIONS_PER_HOUR_PER_IP: '100000',
      MAIL_DIR: testMailDir(),
      // Each app its own folder of attached files (tests compare what the store holds).
      ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'lexforum-attachments-')),
      ...BUDGETS,
      ...env,
    },
    configOverrides,
  );
  const handle = database === ':memory:' ? freshDatabase() : createDb(database);
  const clock = new TestClock();
  const app = await buildApp({ config, db: handle, clock, ...(logger !== undefined ? { logger } : {}) });
  await app.ready();
  writeSettings(handle.db, { ...TEST_SETTINGS, ...settings }, 'test', clock.now());

  const request = (o: RequestOptions) =>
    app.inject({
      method: o.method,
      url: o.url,
      ...(o.body !== undefined ? { payload: o.body as object } : {}),
      ...(o.remoteAddress ? { remoteAddress: o.remoteAddress } : {}),
      headers: {
        ...(o.noOrigin ? {} : { origin: config.publicOrigin }),
        ...(o.cookie ? { cookie: o.cookie } : {}),
        ...o.headers,
      },
    });

  return {
    app,
    handle,
    clock,
    config,
    request,
    async createUser(o = {}) {
      testPasswordHash ??= testHash();
      const now = clock.now();
      const staff = o.role === 'moderator' || o.role === 'admin';
      const enrol = staff && o.secondFactor === undefined && o.totpKey === undefined;
      const row = {
        ...(enrol ? { totpKey: TEST_TOTP_KEY, totpEnabledAt: now, secondFactor: true } : {}),
        id: randomUUID(),
        email: `${randomUUID().slice(0, 8)}@court.example`,
        displayName: 'Test Member',
        passwordHash: await testPasswordHash,
        role: 'member' as const,
        status: 'active' as const,
        emailVerifiedAt: now,
        createdAt: now,
        updatedAt: now,
        ...o,
      };
      return insertUser(handle.db, row);
    },
    async loginAs(user, password = TEST_PASSWORD) {
      const res = await request({ method: 'POST', url: '/api/auth/sign-in', body: { email: user.email, password } });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
      if (!('secondFactor' in (res.json() as object))) return sessionCookie(res);
      // The second step. The last accepted step is forgotten first, so a test may sign the same
      // account in several times within one 30-second step of its clock.
      const row = handle.sqlite.prepare('select totp_key as key from users where id = ?').get(user.id) as {
        key: Buffer | null;
      };
      if (!row.key) throw new Error(`sign-in of ${user.email} asks for a second factor the test cannot give`);
      handle.sqlite.prepare('update users set totp_last_step = null where id = ?').run(user.id);
      const second = await request({
        method: 'POST',
        url: '/api/auth/sign-in/second-factor',
        cookie: pendingCookie(res),
        body: { method: 'totp', code: totpCode(row.key, clock.now()) },
      });
      if (second.statusCode !== 200) throw new Error(`second step failed: ${second.statusCode} ${second.body}`);
      return sessionCookie(second);
    },
    async close() {
      // Every test that wrote notifications also checks the kept unread counts against the rule.
      const drift = handle.sqlite.open ? unreadCountDrift(handle.db) : [];
      await app.close();
      handle.close();
      if (drift.length > 0) throw new Error(`unread counts drifted from the visibility rule: ${JSON.stringify(drift)}`);
    },
  };
}

/** The `name=value` pair of the session cookie a response set. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name.endsWith('lexforum_session') && c.value);
  if (!cookie) throw new Error(`no session cookie in response: ${JSON.stringify(res.headers['set-cookie'])}`);
  return `${cookie.name}=${cookie.value}`;
}

/** The `name=value` pair of the pending sign-in cookie (password right, second factor due). */
export function pendingCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name.endsWith('lexforum_pending') && c.value);
  if (!cookie) throw new Error(`no pending sign-in cookie in response: ${JSON.stringify(res.headers['set-cookie'])}`);
  return `${cookie.name}=${cookie.value}`;
}

export function errorCode(res: LightMyRequestResponse): string | undefined {
  return (res.json() as { error?: { code?: string } }).error?.code;
}
