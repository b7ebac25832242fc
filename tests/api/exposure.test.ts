import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, type TestApp } from '../helpers/app.js';

describe('What the server exposes', () => {
  describe('Cache-Control on personal API responses', () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await buildTestApp();
    });
    afterEach(async () => t.close());

    it.each(['/api/session', '/api/account', '/api/account/sessions', '/api/notifications', '/api/drafts'])(
      'GET %s signed in carries no-store',
      async (url) => {
        const cookie = await t.loginAs(await t.createUser());
        const res = await t.request({ method: 'GET', url, cookie });
        expect(res.statusCode).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
      },
    );

    it('marks errors and writes no-store too, and leaves a route’s own policy alone', async () => {
      expect((await t.request({ method: 'GET', url: '/api/account' })).headers['cache-control']).toBe('no-store');
      const cookie = await t.loginAs(await t.createUser());
      const write = await t.request({
        method: 'PATCH',
        url: '/api/account',
        cookie,
        body: { displayName: 'New Name' },
      });
      expect(write.headers['cache-control']).toBe('no-store');
      const topics = await t.request({ method: 'GET', url: '/api/reference/topics', cookie });
      expect(topics.headers['cache-control']).toBe('private, max-age=300');
    });
  });

  describe('API docs', () => {
    const docs = async (env: Record<string, string>, who: 'anonymous' | 'applicant' | 'member') => {
      const t = await buildTestApp({ env });
      try {
        const cookie = who === 'anonymous' ? undefined : await t.loginAs(await t.createUser({ role: who }));
        const json = await t.request({ method: 'GET', url: '/api/docs/json', ...(cookie ? { cookie } : {}) });
        const ui = await t.request({ method: 'GET', url: '/api/docs/', ...(cookie ? { cookie } : {}) });
        const asset = await t.request({
          method: 'GET',
          url: '/api/docs/static/swagger-ui.css',
          ...(cookie ? { cookie } : {}),
        });
        return { json, ui, asset };
      } finally {
        await t.close();
      }
    };

    it('in production serves the document and UI to vetted members only', async () => {
      const prod = { NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:9' };
      const anonymous = await docs(prod, 'anonymous');
      for (const res of [anonymous.json, anonymous.ui, anonymous.asset]) {
        expect(res.statusCode).toBe(401);
        expect(errorCode(res)).toBe('UNAUTHENTICATED');
      }
      const applicant = await docs(prod, 'applicant');
      expect(applicant.json.statusCode).toBe(403);
      expect(applicant.ui.statusCode).toBe(403);
      const member = await docs(prod, 'member');
      expect(member.json.statusCode).toBe(200);
      expect(member.json.json().openapi).toMatch(/^3\./);
      expect(member.ui.statusCode).toBe(200);
      expect(member.asset.statusCode).toBe(200);
    });

    it('API_DOCS=public serves them to anyone, and is the default outside production', async () => {
      const envs: Record<string, string>[] = [
        { NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:9', API_DOCS: 'public' },
        {},
      ];
      for (const env of envs) {
        const anonymous = await docs(env, 'anonymous');
        expect(anonymous.json.statusCode).toBe(200);
        expect(anonymous.ui.statusCode).toBe(200);
      }
    });

    it('API_DOCS=off serves them to nobody', async () => {
      const member = await docs({ API_DOCS: 'off' }, 'member');
      expect(member.json.statusCode).toBe(404);
      expect(member.ui.statusCode).toBe(404);
    });
  });

  describe('web client source maps', () => {
    let dist: string;
    beforeAll(() => {
      dist = mkdtempSync(join(tmpdir(), 'lexforum-web-'));
      mkdirSync(join(dist, 'assets'));
      writeFileSync(join(dist, 'index.html'), '<!doctype html><title>LexForum</title>');
      writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1);\n//# sourceMappingURL=app-abc123.js.map');
      writeFileSync(join(dist, 'assets', 'app-abc123.js.map'), '{"version":3,"sources":["secret.ts"]}');
    });
    afterAll(() => rmSync(dist, { recursive: true, force: true }));

    it('serves the built assets but never a .map file, even one left in the build', async () => {
      const t = await buildTestApp({ env: { NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:9', WEB_DIST: dist } });
      try {
        expect((await t.request({ method: 'GET', url: '/assets/app-abc123.js' })).statusCode).toBe(200);
        const map = await t.request({ method: 'GET', url: '/assets/app-abc123.js.map' });
        expect(map.statusCode).toBe(404);
        expect(map.body).not.toContain('secret.ts');
      } finally {
        await t.close();
      }
    });
  });
});
