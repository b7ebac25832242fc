/**
 * Serves the built SPA (web/dist) from the same origin as the API: hashed assets cached for a
 * year, index.html never cached, and every unknown non-API GET answered with index.html so the
 * client router can take it (history mode). Unknown /api paths get a JSON 404. The not-found
 * handler is rate-limited, as scanners hit it most. Source maps are never served (the build does
 * not emit them; a stray one from an older build is refused): they would hand out the client's
 * source, comments included. The page itself is sent with `lang` and `dir` set for its reader
 * (page-locale.ts), so it varies by cookie and Accept-Language.
 *
 * Everything goes out compressed when the browser accepts it, compressed once: the build writes
 * Brotli and gzip copies beside each file (web/precompress.ts), sent as they are
 * (`preCompressed`), and each language's page is compressed once and kept.
 */
import fastifyStatic from '@fastify/static';
import { LOCALE_COOKIE } from '@lexforum/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constants, brotliCompressSync, gzipSync } from 'node:zlib';
import fp from 'fastify-plugin';
import { acceptedEncoding, type ContentEncoding } from '../lib/content-encoding.js';
import { AppError } from '../lib/errors.js';
import { localizePage, pageLocale, type PageLocale } from '../lib/page-locale.js';
import { sendError } from './errors.js';

const YEAR_SECONDS = 365 * 24 * 3600;

/** A language's page, with its compressed copies when they are smaller. */
type LocalizedPage = { identity: Buffer } & Partial<Record<ContentEncoding, Buffer>>;

function ifSmaller(copy: Buffer, original: Buffer): Buffer | undefined {
  return copy.length < original.length ? copy : undefined;
}

export default fp(
  async (app) => {
    const root = app.config.webDistDir;
    const indexFile = join(root, 'index.html');
    const hasClient = existsSync(indexFile);
    // Read again only when a deploy replaces the file, so a new build is picked up at once. Each
    // language's page is built and compressed once (a few kilobytes, four languages at most).
    let page: { mtimeMs: number; html: string; localized: Map<string, LocalizedPage> } | undefined;
    async function localizedPage(locale: PageLocale): Promise<LocalizedPage> {
      const { mtimeMs } = statSync(indexFile);
      if (page?.mtimeMs !== mtimeMs) {
        page = { mtimeMs, html: await readFile(indexFile, 'utf8'), localized: new Map() };
      }
      let built = page.localized.get(locale.locale);
      if (!built) {
        const html = Buffer.from(localizePage(page.html, locale));
        built = {
          identity: html,
          br: ifSmaller(
            brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }),
            html,
          ),
          gzip: ifSmaller(gzipSync(html, { level: constants.Z_BEST_COMPRESSION }), html),
        };
        page.localized.set(locale.locale, built);
      }
      return built;
    }
    async function sendPage(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
      const locale = pageLocale(request);
      const built = await localizedPage(locale);
      const accepted = acceptedEncoding(request.headers['accept-encoding']);
      const encoding = accepted && built[accepted] ? accepted : undefined;
      if (locale.setCookie) {
        // Read by the client's script, so not httpOnly; it holds nothing but a language code.
        reply.setCookie(LOCALE_COOKIE, locale.locale, {
          path: '/',
          sameSite: 'lax',
          secure: app.config.secureCookies,
          maxAge: YEAR_SECONDS,
        });
      }
      if (encoding) reply.header('content-encoding', encoding);
      return reply
        .header('cache-control', 'no-cache')
        .header('vary', 'Cookie, Accept-Language, Accept-Encoding')
        .type('text/html; charset=utf-8')
        .send((encoding && built[encoding]) ?? built.identity);
    }
    if (hasClient) {
      await app.register(fastifyStatic, {
        root,
        wildcard: true,
        index: false,
        allowedPath: (pathName) => !pathName.endsWith('.map'),
        // The .br or .gz copy the request accepts, else the file itself (with Vary: Accept-Encoding).
        preCompressed: true,
        // sendFile('index.html') passes through here too: the page is never cached, so a deploy
        // is picked up at once; hashed assets are immutable. `path` may be a compressed copy.
        setHeaders(res, sentPath) {
          const path = sentPath.replace(/\.(?:br|gz)$/, '');
          const policy = path.endsWith('index.html')
            ? 'no-cache'
            : path.startsWith(join(root, 'assets'))
              ? 'public, max-age=31536000, immutable'
              : 'public, max-age=3600';
          res.header('cache-control', policy);
        },
      });
      // The wildcard static route would answer `/` with a directory 403: the root is the SPA too.
      app.get('/', { schema: { hide: true } }, (request, reply) => sendPage(request, reply));
    } else {
      app.log.warn({ root }, 'web client not built: run `pnpm build` to serve the forum UI');
    }

    app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const isApi = path === '/api' || path.startsWith('/api/');
      // A missing file (a stale hashed asset) is a real 404; only page paths get the SPA.
      const isFile = /\.[a-z0-9]+$/i.test(path);
      if (!isApi && !isFile && hasClient && (request.method === 'GET' || request.method === 'HEAD')) {
        return sendPage(request, reply);
      }
      return sendError(reply, new AppError(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${path}.`));
    });
  },
  { name: 'web', fastify: '5.x', dependencies: ['@fastify/rate-limit'] },
);
