import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { replyTo, startThread } from '../helpers/threads.js';
import { member } from '../helpers/vetting.js';

/** What the browser gets back, decoded as its Content-Encoding says. */
function decoded(res: { rawPayload: Buffer; headers: Record<string, unknown> }): string {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(res.rawPayload).toString();
  if (encoding === 'gzip') return gunzipSync(res.rawPayload).toString();
  expect(encoding).toBeUndefined();
  return res.rawPayload.toString();
}

describe('Compressed responses', () => {
  describe('the web client, compressed once at build time', () => {
    let dist: string;
    let t: TestApp;
    // As the build writes them (web/precompress.ts): the file, and a Brotli and a gzip copy beside it.
    const script = `export const messages = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `message ${i}`))};\n`;
    const page = '<!doctype html><html lang="en" dir="ltr"><head><title>LexForum</title></head><body>'.concat(
      '<header class="boot-bar">LexForum</header>'.repeat(40),
      '</body></html>',
    );
    beforeAll(() => {
      dist = mkdtempSync(join(tmpdir(), 'lexforum-web-'));
      mkdirSync(join(dist, 'assets'));
      writeFileSync(join(dist, 'index.html'), page);
      writeFileSync(join(dist, 'assets', 'index-abc123.js'), script);
      writeFileSync(join(dist, 'assets', 'index-abc123.js.br'), brotliCompressSync(script));
      writeFileSync(join(dist, 'assets', 'index-abc123.js.gz'), gzipSync(script));
      writeFileSync(join(dist, 'assets', 'index-abc123.js.map'), '{"version":3,"sources":["secret.ts"]}');
      writeFileSync(join(dist, 'assets', 'index-abc123.js.map.br'), brotliCompressSync('{"sources":["secret.ts"]}'));
    });
    afterAll(() => rmSync(dist, { recursive: true, force: true }));
    beforeEach(async () => {
      t = await buildTestApp({ env: { WEB_DIST: dist } });
    });
    afterEach(async () => t.close());

    const get = (url: string, acceptEncoding?: string) =>
      t.request({ method: 'GET', url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

    it('sends a hashed asset as its Brotli copy to a browser that accepts it, cached for a year', async () => {
      const res = await get('/assets/index-abc123.js', 'gzip, deflate, br, zstd');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.rawPayload.length).toBeLessThan(script.length);
      expect(decoded(res)).toBe(script);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(String(res.headers['vary'])).toMatch(/accept-encoding/i);
    });

    it('does not count the client files against the per-IP request limit, only the API', async () => {
      const limited = await buildTestApp({ env: { WEB_DIST: dist, RATE_LIMIT_PER_MINUTE: '5' } });
      try {
        const files = [];
        for (let i = 0; i < 12; i++) {
          files.push((await limited.request({ method: 'GET', url: '/assets/index-abc123.js' })).statusCode);
        }
        expect(files).toEqual(Array(12).fill(200));
        const api = [];
        for (let i = 0; i < 8; i++)
          api.push((await limited.request({ method: 'GET', url: '/api/session' })).statusCode);
        expect(api).toContain(429);
      } finally {
        await limited.close();
      }
    });

    it('sends the gzip copy to a browser that accepts only gzip (or prefers it)', async () => {
      for (const accept of ['gzip', 'br;q=0.5, gzip']) {
        const res = await get('/assets/index-abc123.js', accept);
        expect(res.headers['content-encoding']).toBe('gzip');
        expect(decoded(res)).toBe(script);
        expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(String(res.headers['vary'])).toMatch(/accept-encoding/i);
      }
    });

    it('sends the file as it is without Accept-Encoding, still marked as varying by it', async () => {
      for (const accept of [undefined, 'identity']) {
        const res = await get('/assets/index-abc123.js', accept);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-encoding']).toBeUndefined();
        expect(res.body).toBe(script);
        expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(String(res.headers['vary'])).toMatch(/accept-encoding/i);
      }
    });

    it('still refuses source maps, compressed copy or not', async () => {
      for (const accept of [undefined, 'br', 'gzip']) {
        const res = await get('/assets/index-abc123.js.map', accept);
        expect(res.statusCode).toBe(404);
        expect(decoded(res)).not.toContain('secret.ts');
      }
    });

    it('compresses the page, localized for its reader, and says it varies by encoding too', async () => {
      const br = await t.request({
        method: 'GET',
        url: '/threads/abc',
        headers: { 'accept-encoding': 'br, gzip', 'accept-language': 'ar' },
      });
      expect(br.statusCode).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(decoded(br)).toContain('<html lang="ar" dir="rtl">');
      expect(br.headers['cache-control']).toBe('no-cache');
      expect(String(br.headers['vary'])).toMatch(/Cookie, Accept-Language, Accept-Encoding/);

      for (const accept of ['gzip', 'br;q=0, gzip', 'gzip;q=1, br;q=0.8']) {
        const gzip = await get('/', accept);
        expect(gzip.headers['content-encoding']).toBe('gzip');
        expect(decoded(gzip)).toContain('<html lang="en" dir="ltr">');
      }

      const plain = await get('/');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toContain('<html lang="en" dir="ltr">');
      expect(plain.body).toContain('boot-bar');
    });
  });

  describe('API responses', () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await buildTestApp();
    });
    afterEach(async () => t.close());

    it('are compressed over 1 KiB when the client accepts it, and keep no-store', async () => {
      const author = await member(t);
      const thread = await startThread(t, author);
      for (let i = 0; i < 6; i++) await replyTo(t, author, thread.thread.id);
      const read = (acceptEncoding?: string) =>
        t.request({
          method: 'GET',
          url: `/api/threads/${thread.thread.id}`,
          cookie: author.cookie,
          headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {},
        });

      const plain = await read();
      expect(plain.statusCode).toBe(200);
      expect(plain.rawPayload.length).toBeGreaterThan(1024);
      expect(plain.headers['content-encoding']).toBeUndefined();

      for (const encoding of ['br', 'gzip']) {
        const res = await read(encoding);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-encoding']).toBe(encoding);
        expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length);
        expect(JSON.parse(decoded(res))).toEqual(plain.json());
        expect(res.headers['cache-control']).toBe('no-store');
        expect(String(res.headers['vary'])).toMatch(/accept-encoding/i);
      }
    });

    it('are sent uncompressed when another site made the browser ask (no size to measure)', async () => {
      const author = await member(t);
      const thread = await startThread(t, author);
      for (let i = 0; i < 6; i++) await replyTo(t, author, thread.thread.id);
      const read = (site: string) =>
        t.request({
          method: 'GET',
          url: `/api/threads/${thread.thread.id}`,
          cookie: author.cookie,
          headers: { 'accept-encoding': 'br, gzip', 'sec-fetch-site': site },
        });
      const ours = await read('same-origin');
      expect(ours.headers['content-encoding']).toBe('br');
      const theirs = await read('cross-site');
      expect(theirs.statusCode).toBe(200);
      expect(theirs.headers['content-encoding']).toBeUndefined();
      expect(theirs.json()).toEqual(JSON.parse(decoded(ours)));
    });

    it('leave request bodies alone: a compressed one is refused, not inflated', async () => {
      const user = await t.createUser();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        headers: { origin: t.config.publicOrigin, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        payload: gzipSync(JSON.stringify({ email: user.email, password: TEST_PASSWORD })),
      });
      expect(res.statusCode).toBe(400);
      expect(res.cookies).toEqual([]);
    });

    it('are sent as they are under 1 KiB', async () => {
      const res = await t.request({ method: 'GET', url: '/api/session', headers: { 'accept-encoding': 'br, gzip' } });
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.length).toBeLessThan(1024);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });
});
