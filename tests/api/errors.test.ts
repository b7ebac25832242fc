import { createDb } from '@lexforum/db';
import { buildApp } from '@lexforum/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, type TestApp } from '../helpers/app.js';

describe('Error policy', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  it('answers an unknown /api route with a JSON 404', async () => {
    const res = await t.request({ method: 'GET', url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: 'No route GET /api/no-such-thing.' } });
  });

  it('answers malformed JSON with a 400 envelope', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json', origin: t.config.publicOrigin },
      payload: '{"email": ',
    });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
  });

  it('names why each field was refused with an issue code the client words in its language', async () => {
    const schema = await t.request({
      method: 'POST',
      url: '/api/auth/register',
      body: { email: 'judge@court.example', displayName: 'Judge Ama', password: 'x'.repeat(300), extra: 1 },
    });
    expect(schema.statusCode).toBe(400);
    const schemaIssues = (schema.json() as { error: { details: { issues: unknown[] } } }).error.details.issues;
    expect(schemaIssues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/extra', code: 'unknown_field', params: { field: 'extra' } }),
      ]),
    );

    const rules = await t.request({
      method: 'POST',
      url: '/api/auth/register',
      body: { email: 'not-an-email', displayName: 'Judge  Ama', password: 'password1234' },
    });
    expect(rules.statusCode).toBe(400);
    const issues = (rules.json() as { error: { details: { issues: unknown[] } } }).error.details.issues;
    expect(issues).toEqual([
      expect.objectContaining({ path: '/email', code: 'email_invalid' }),
      expect.objectContaining({ path: '/displayName', code: 'name_double_space' }),
      expect.objectContaining({ path: '/password', code: 'password_common' }),
    ]);
    // The English message stays, for clients without a wording for the code.
    expect(issues[0]).toMatchObject({ message: 'Enter a valid email address, like name@court.example.' });

    const short = await t.request({
      method: 'POST',
      url: '/api/auth/register',
      body: { email: 'judge@court.example', displayName: 'Judge Ama', password: 'short' },
    });
    expect((short.json() as { error: { details: { issues: unknown[] } } }).error.details.issues).toEqual([
      expect.objectContaining({ path: '/password', code: expect.stringMatching(/^(too_short|password_too_short)$/) }),
    ]);
  });

  it('answers a non-JSON body with 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'text/xml', origin: t.config.publicOrigin },
      payload: '<x/>',
    });
    expect(res.statusCode).toBe(415);
    expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an oversized body with 413', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/auth/sign-in',
      body: { email: 'a@b.example', password: 'x'.repeat(300 * 1024) },
    });
    expect(res.statusCode).toBe(413);
    expect(errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('masks an unexpected error as 500 and logs it with the request context', async () => {
    const lines: string[] = [];
    const handle = createDb(':memory:');
    const app = await buildApp({
      config: t.config,
      db: handle,
      logger: { level: 'error', stream: { write: (line: string) => void lines.push(line) } },
    });
    app.get('/api/boom', async () => {
      throw new Error('secret internal detail');
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/boom' });
      expect(res.statusCode).toBe(500);
      expect(errorCode(res)).toBe('INTERNAL_ERROR');
      expect(res.body).not.toContain('secret internal detail');
      const reference = res.json().error.message.match(/reference (req-\w+)/)?.[1];
      expect(reference).toBeDefined();
      const entry = JSON.parse(lines.find((l) => l.includes('secret internal detail'))!);
      expect(entry).toMatchObject({ reqId: reference, url: '/api/boom', method: 'GET' });
    } finally {
      await app.close();
      handle.close();
    }
  });
});

describe('Security headers and the web client', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  it('sends a strict CSP and the usual hardening headers', async () => {
    const res = await t.request({ method: 'GET', url: '/api/health' });
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['strict-transport-security']).toBeUndefined(); // http origin: no HSTS
  });

  it('serves the built SPA for any non-API path (history fallback), uncached', async () => {
    for (const path of ['/', '/account', '/some/deep/link']) {
      const res = await t.request({ method: 'GET', url: path });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="app"');
      expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    }
  });

  it('answers a missing asset with 404, not the SPA', async () => {
    const res = await t.request({ method: 'GET', url: '/assets/gone-1234.js' });
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('ROUTE_NOT_FOUND');
  });

  it('serves hashed assets with a long cache life', async () => {
    const html = (await t.request({ method: 'GET', url: '/' })).body;
    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(asset).toBeDefined();
    const res = await t.request({ method: 'GET', url: asset! });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('publishes the OpenAPI document built from the route schemas', async () => {
    const res = await t.request({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/register', '/api/auth/sign-in', '/api/account/sessions/{id}', '/api/health']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const ui = await t.request({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('reports health with the database checked', async () => {
    const res = await t.request({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('reports 503 when the database is gone', async () => {
    t.handle.close();
    const res = await t.request({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'degraded', database: 'unreachable' });
  });
});
