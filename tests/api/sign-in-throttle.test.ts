import { knownDevices } from '@lexforum/db';
import type { LightMyRequestResponse } from 'fastify';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, MINUTE, sessionCookie, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

const OWNER_IP = '198.51.100.7';
const ATTACKER_IP = '203.0.113.66';

/** The `name=value` pair of the known-device cookie a response set, or undefined. */
function deviceCookie(res: LightMyRequestResponse): string | undefined {
  const cookie = res.cookies.find((c) => c.name.endsWith('lexforum_device') && c.value);
  return cookie ? `${cookie.name}=${cookie.value}` : undefined;
}

function expectTooMany(res: LightMyRequestResponse): number {
  expect(res.statusCode).toBe(429);
  expect(errorCode(res)).toBe('TOO_MANY_ATTEMPTS');
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(res.json().error.details.retryAfterSeconds).toBe(retryAfter);
  return retryAfter;
}

describe('Sign-in throttling and known devices', () => {
  let t: TestApp;
  const limits = {
    SIGN_IN_MAX_FAILURES_PER_ACCOUNT_IP: '3',
    SIGN_IN_MAX_FAILURES_PER_IP: '10',
    SIGN_IN_FAILURE_WINDOW_SECONDS: '600',
    SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '8',
    SIGN_IN_ACCOUNT_WINDOW_SECONDS: '3600',
  };
  beforeEach(async () => {
    t = await buildTestApp({ env: limits });
  });
  afterEach(async () => t.close());

  const signIn = (email: string, password: string, ip: string, cookie?: string) =>
    t.request({
      method: 'POST',
      url: '/api/auth/sign-in',
      body: { email, password },
      remoteAddress: ip,
      ...(cookie ? { cookie } : {}),
    });

  /** Failed sign-ins for `email` spread over as many IPs as it takes to stay under the per-IP limits. */
  async function failFromManyIps(email: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const res = await signIn(email, `wrong password ${i}`, `192.0.2.${Math.floor(i / 2) + 1}`);
      expect([401, 429]).toContain(res.statusCode);
    }
  }

  describe('POST /api/auth/sign-in', () => {
    it('an attacker failing from one IP cannot lock the owner out: the owner signs in from another', async () => {
      const owner = await t.createUser();
      for (let i = 0; i < 6; i++) await signIn(owner.email, `guess ${i}`, ATTACKER_IP);
      expectTooMany(await signIn(owner.email, TEST_PASSWORD, ATTACKER_IP));

      const res = await signIn(owner.email, TEST_PASSWORD, OWNER_IP);
      expect(res.statusCode).toBe(200);
      sessionCookie(res);
    });

    it('past the per-account limit an unknown device waits, and the owner on a known device still signs in', async () => {
      const owner = await t.createUser();
      const first = await signIn(owner.email, TEST_PASSWORD, OWNER_IP);
      expect(first.statusCode).toBe(200);
      const device = deviceCookie(first)!;
      expect(device).toBeDefined();

      await failFromManyIps(owner.email, 8);

      // The right password from a browser the account has never signed in from: refused, with the wait.
      const stranger = await signIn(owner.email, TEST_PASSWORD, '198.51.100.99');
      const wait = expectTooMany(stranger);
      expect(wait).toBeLessThanOrEqual(3600);
      expect(stranger.json().error.message).toMatch(/Try again in \d+ minutes?/);
      // A wrong password from the owner's IP without the device is refused the same way (no oracle).
      expectTooMany(await signIn(owner.email, 'still guessing', OWNER_IP));

      // The owner's own browser passes the per-account limit, from any IP.
      const known = await signIn(owner.email, TEST_PASSWORD, '198.51.100.200', device);
      expect(known.statusCode).toBe(200);
      sessionCookie(known);
      // ...but only with the right password: the device is not a key by itself.
      expect((await signIn(owner.email, 'not my password', OWNER_IP, device)).statusCode).toBe(401);
    });

    it('a device cookie of another account does not pass this account’s limit', async () => {
      const owner = await t.createUser();
      const other = await t.createUser();
      const otherDevice = deviceCookie(await signIn(other.email, TEST_PASSWORD, ATTACKER_IP))!;
      await failFromManyIps(owner.email, 8);
      expectTooMany(await signIn(owner.email, TEST_PASSWORD, ATTACKER_IP, otherDevice));
      expectTooMany(await signIn(owner.email, TEST_PASSWORD, ATTACKER_IP, 'lexforum_device=' + 'a'.repeat(52)));
    });

    it('counts unknown addresses like known ones, so the answer does not reveal who has an account', async () => {
      const owner = await t.createUser();
      for (const email of [owner.email, 'nobody@court.example']) {
        for (let i = 0; i < 3; i++) expect((await signIn(email, `guess ${i}`, ATTACKER_IP)).statusCode).toBe(401);
        expectTooMany(await signIn(email, `guess 4`, ATTACKER_IP));
      }
    });

    it('lets each window expire with the clock', async () => {
      const owner = await t.createUser();
      for (let i = 0; i < 3; i++) await signIn(owner.email, `guess ${i}`, ATTACKER_IP);
      const pairWait = expectTooMany(await signIn(owner.email, TEST_PASSWORD, ATTACKER_IP));
      expect(pairWait).toBeLessThanOrEqual(600);
      t.clock.advance(pairWait * 1000);
      expect((await signIn(owner.email, TEST_PASSWORD, ATTACKER_IP)).statusCode).toBe(200);

      await failFromManyIps(owner.email, 8);
      const accountWait = expectTooMany(await signIn(owner.email, TEST_PASSWORD, '198.51.100.99'));
      expect(accountWait).toBeGreaterThan(600);
      t.clock.advance(accountWait * 1000);
      expect((await signIn(owner.email, TEST_PASSWORD, '198.51.100.99')).statusCode).toBe(200);
    });

    it('keeps a per-IP limit across accounts', async () => {
      for (let i = 0; i < 10; i++) {
        expect((await signIn(`user${i}@court.example`, 'wrong password!', ATTACKER_IP)).statusCode).toBe(401);
      }
      const user = await t.createUser();
      expectTooMany(await signIn(user.email, TEST_PASSWORD, ATTACKER_IP));
      expect((await signIn(user.email, TEST_PASSWORD, OWNER_IP)).statusCode).toBe(200);
    });
  });

  describe('known devices', () => {
    it('sets an httpOnly, SameSite, long-lived cookie and stores only its SHA-256', async () => {
      const owner = await t.createUser();
      const res = await signIn(owner.email, TEST_PASSWORD, OWNER_IP);
      const cookie = res.cookies.find((c) => c.name === 'lexforum_device')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie.maxAge).toBe(t.config.KNOWN_DEVICE_DAYS * 86_400);
      const rows = t.handle.db.select().from(knownDevices).all();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.userId).toBe(owner.id);
      expect(rows[0]!.tokenHash.equals(createHash('sha256').update(cookie.value).digest())).toBe(true);
      expect(JSON.stringify(rows)).not.toContain(cookie.value);
    });

    it('refreshes last use when the same browser signs in again, and keeps the same token', async () => {
      const owner = await t.createUser();
      const device = deviceCookie(await signIn(owner.email, TEST_PASSWORD, OWNER_IP))!;
      t.clock.advance(10 * MINUTE);
      const again = await signIn(owner.email, TEST_PASSWORD, OWNER_IP, device);
      expect(deviceCookie(again)).toBe(device);
      const [row] = t.handle.db.select().from(knownDevices).all();
      expect(row!.lastUsedAt.getTime()).toBe(t.clock.now().getTime());
      expect(row!.createdAt.getTime()).toBe(t.clock.now().getTime() - 10 * MINUTE);
    });

    it('keeps at most KNOWN_DEVICES_PER_USER per member, forgetting the least recently used', async () => {
      const bounded = await buildTestApp({ env: { ...limits, KNOWN_DEVICES_PER_USER: '2' } });
      try {
        const owner = await bounded.createUser();
        const devices: string[] = [];
        for (let i = 0; i < 3; i++) {
          const res = await bounded.request({
            method: 'POST',
            url: '/api/auth/sign-in',
            body: { email: owner.email, password: TEST_PASSWORD },
          });
          devices.push(deviceCookie(res)!);
          bounded.clock.advance(MINUTE);
        }
        expect(new Set(devices).size).toBe(3);
        expect(bounded.handle.db.select().from(knownDevices).all()).toHaveLength(2);
        // The first device was dropped: it no longer passes the per-account limit.
        for (let i = 0; i < 8; i++) {
          await bounded.request({
            method: 'POST',
            url: '/api/auth/sign-in',
            body: { email: owner.email, password: `guess ${i}` },
            remoteAddress: `192.0.2.${Math.floor(i / 2) + 1}`,
          });
        }
        const viaFirst = await bounded.request({
          method: 'POST',
          url: '/api/auth/sign-in',
          body: { email: owner.email, password: TEST_PASSWORD },
          cookie: devices[0]!,
        });
        expect(viaFirst.statusCode).toBe(429);
        const viaLast = await bounded.request({
          method: 'POST',
          url: '/api/auth/sign-in',
          body: { email: owner.email, password: TEST_PASSWORD },
          cookie: devices[2]!,
        });
        expect(viaLast.statusCode).toBe(200);
      } finally {
        await bounded.close();
      }
    });

    it('forgets a device not used for KNOWN_DEVICE_DAYS', async () => {
      const owner = await t.createUser();
      const device = deviceCookie(await signIn(owner.email, TEST_PASSWORD, OWNER_IP))!;
      t.clock.advance(t.config.KNOWN_DEVICE_DAYS * 86_400_000 + MINUTE);
      await failFromManyIps(owner.email, 8);
      expectTooMany(await signIn(owner.email, TEST_PASSWORD, OWNER_IP, device));
    });

    it('uses Secure and the __Host- prefix when the public origin is https', async () => {
      const https = await buildTestApp({ env: { PUBLIC_ORIGIN: 'https://forum.example.org' } });
      try {
        const owner = await https.createUser();
        const res = await https.request({
          method: 'POST',
          url: '/api/auth/sign-in',
          body: { email: owner.email, password: TEST_PASSWORD },
        });
        const cookie = res.cookies.find((c) => c.name === '__Host-lexforum_device');
        expect(cookie).toMatchObject({ secure: true, httpOnly: true, path: '/', sameSite: 'Lax' });
        expect(cookie?.domain).toBeUndefined();
      } finally {
        await https.close();
      }
    });
  });

  describe('POST /api/account/password', () => {
    const change = (cookie: string, currentPassword: string, ip: string) =>
      t.request({
        method: 'POST',
        url: '/api/account/password',
        cookie,
        remoteAddress: ip,
        body: { currentPassword, newPassword: 'an entirely new passphrase' },
      });

    it('throttles wrong current passwords per account and IP with 429 and Retry-After', async () => {
      const owner = await t.createUser();
      const cookie = await t.loginAs(owner);
      for (let i = 0; i < 3; i++) expect((await change(cookie, `guess ${i}`, ATTACKER_IP)).statusCode).toBe(401);
      const wait = expectTooMany(await change(cookie, TEST_PASSWORD, ATTACKER_IP));
      expect(wait).toBeLessThanOrEqual(600);
      // They count with sign-in failures from that IP, and nowhere else.
      expectTooMany(await signIn(owner.email, TEST_PASSWORD, ATTACKER_IP));
      t.clock.advance(wait * 1000);
      expect((await change(cookie, TEST_PASSWORD, ATTACKER_IP)).statusCode).toBe(204);
    });

    it('a correct current password clears the failures counted for that account and IP', async () => {
      const owner = await t.createUser();
      const cookie = await t.loginAs(owner);
      for (let i = 0; i < 2; i++) expect((await change(cookie, `guess ${i}`, OWNER_IP)).statusCode).toBe(401);
      // A correct current password with a refused new one still counts as the right password.
      const weak = await t.request({
        method: 'POST',
        url: '/api/account/password',
        cookie,
        remoteAddress: OWNER_IP,
        body: { currentPassword: TEST_PASSWORD, newPassword: 'qwerty123456' },
      });
      expect(weak.statusCode).toBe(400);
      for (let i = 0; i < 2; i++) expect((await change(cookie, `again ${i}`, OWNER_IP)).statusCode).toBe(401);
      expect((await change(cookie, TEST_PASSWORD, OWNER_IP)).statusCode).toBe(204);
    });
  });
});
