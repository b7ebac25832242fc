import { auditLog } from '@lexforum/db';
import type { SecurityEventPage } from '@lexforum/shared';
import { like } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, MINUTE, sessionCookie, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

describe('Security events API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  const events = async (cookie: string, url = '/api/account/security-events') => {
    const res = await t.request({ method: 'GET', url, cookie });
    expect(res.statusCode).toBe(200);
    return res.json() as SecurityEventPage;
  };

  /** Signs in with the browser's known-device cookie (if any); returns the session and device cookies. */
  async function signIn(email: string, device?: string, headers: Record<string, string> = {}) {
    const res = await t.request({
      method: 'POST',
      url: '/api/auth/sign-in',
      body: { email, password: TEST_PASSWORD },
      headers: { ...headers, ...(device ? { cookie: device } : {}) },
      remoteAddress: '203.0.113.42',
    });
    expect(res.statusCode).toBe(200);
    const deviceCookie = res.cookies.find((c) => c.name.endsWith('lexforum_device'))!;
    return { session: sessionCookie(res), device: `${deviceCookie.name}=${deviceCookie.value}` };
  }

  describe('GET /api/account/security-events', () => {
    it('needs a session', async () => {
      const res = await t.request({ method: 'GET', url: '/api/account/security-events' });
      expect(res.statusCode).toBe(401);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
    });

    it('records a sign-in from a new device apart from one from a known device, with where it came from', async () => {
      const user = await t.createUser();
      const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
      const first = await signIn(user.email, undefined, { 'user-agent': ua });
      t.clock.advance(MINUTE);
      const second = await signIn(user.email, first.device, { 'user-agent': ua });
      const page = await events(second.session);
      expect(page.events.map((e) => e.kind)).toEqual(['sign_in', 'sign_in_new_device']);
      expect(page.events[1]).toMatchObject({
        ip: '203.0.113.42',
        userAgent: ua,
        network: { kind: 'public', prefix: '203.0.113.0/24' },
        byAdmin: false,
        detail: {},
      });
      expect(page.nextCursor).toBeNull();
    });

    it("shows only the member's own events", async () => {
      const a = await t.createUser();
      const b = await t.createUser();
      await signIn(a.email);
      const { session } = await signIn(b.email);
      const page = await events(session);
      expect(page.events).toHaveLength(1);
    });

    it('pages newest first', async () => {
      const user = await t.createUser();
      let session = '';
      for (let i = 0; i < 5; i++) session = (await signIn(user.email)).session;
      const first = await events(session, '/api/account/security-events?limit=3');
      expect(first.events).toHaveLength(3);
      expect(first.nextCursor).toBe(first.events[2]!.id);
      const rest = await events(session, `/api/account/security-events?limit=3&before=${first.nextCursor}`);
      expect(rest.events).toHaveLength(2);
      expect(rest.nextCursor).toBeNull();
      const ids = [...first.events, ...rest.events].map((e) => e.id);
      expect(ids).toEqual([...ids].sort((x, y) => y - x));
    });

    it.each(['limit=0', 'limit=101', 'before=0', 'before=x', 'other=1'])('refuses ?%s with 400', async (q) => {
      const { session } = await signIn((await t.createUser()).email);
      const res = await t.request({ method: 'GET', url: `/api/account/security-events?${q}`, cookie: session });
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    });

    it('writes each event to the audit log as well', async () => {
      const user = await t.createUser();
      await signIn(user.email);
      const rows = t.handle.db.select().from(auditLog).where(like(auditLog.action, 'security.%')).all();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action: 'security.sign_in_new_device',
        actorId: user.id,
        targetType: 'user',
        targetUserId: user.id,
        after: { network: '203.0.113.0/24' },
      });
    });
  });
});
