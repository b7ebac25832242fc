/**
 * The Big List of Naughty Strings thrown at the account fields: every string is either refused
 * with a 4xx or stored and returned byte for byte; never a 5xx.
 */
import { users } from '@lexforum/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBlns, requireCorpora } from '../helpers/corpora.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

const available = requireCorpora();

describe.runIf(available)('Account fields against blns.json', () => {
  let t: TestApp;
  let cookie: string;
  const strings = available ? readBlns() : [];

  beforeAll(async () => {
    t = await buildTestApp();
    cookie = await t.loginAs(await t.createUser());
  });
  afterAll(async () => t.close());

  it('has the corpus it expects', () => {
    expect(strings.length).toBeGreaterThan(500);
  });

  it('round-trips or refuses every string as a display name', async () => {
    let stored = 0;
    for (const value of strings) {
      const res = await t.request({ method: 'PATCH', url: '/api/account', cookie, body: { displayName: value } });
      expect(res.statusCode, `displayName ${JSON.stringify(value)}`).toBeLessThan(500);
      if (res.statusCode === 200) {
        stored++;
        const me = await t.request({ method: 'GET', url: '/api/account', cookie });
        expect(me.json().user.displayName, JSON.stringify(value)).toBe(value);
      } else {
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }
    }
    // Most of the list is legitimate text (scripts, emoji, quotes) and must be accepted.
    expect(stored).toBeGreaterThan(strings.length / 2);
  });

  it('round-trips or refuses every string as an email at registration', async () => {
    for (const [i, value] of strings.entries()) {
      const res = await t.request({
        method: 'POST',
        url: '/api/auth/register',
        body: { email: value, password: 'a long unusual passphrase', displayName: `Applicant ${i}` },
      });
      expect(res.statusCode, `email ${JSON.stringify(value)}`).toBeLessThan(500);
      // Accepted: the account keeps the address as typed (trimmed); the answer never says more.
      if (res.statusCode === 202) {
        expect(res.json()).toEqual({ status: 'verification_sent' });
        const stored = t.handle.db
          .select()
          .from(users)
          .where(eq(users.displayName, `Applicant ${i}`))
          .get();
        expect(stored?.email).toBe(value.trim());
      } else expect([400, 409]).toContain(res.statusCode);
    }
  });

  it('round-trips or refuses every string as a sign-in email and password', async () => {
    const throttled = await buildTestApp({ env: { SIGN_IN_MAX_FAILURES_PER_IP: '100000' } });
    try {
      for (const value of strings.slice(0, 120)) {
        const res = await throttled.request({
          method: 'POST',
          url: '/api/auth/sign-in',
          body: { email: value, password: value },
        });
        expect([400, 401, 429], JSON.stringify(value)).toContain(res.statusCode);
      }
    } finally {
      await throttled.close();
    }
  });
});
