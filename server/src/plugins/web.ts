/**
 * Serves the built SPA (web/dist) from the same origin as the API: hashed assets cached for a
 * year, index.html never cached, and every unknown non-API GET answered with index.html so the
 * client router can take it (history mode). Unknown /api paths get a JSON 404. The not-found
 * handler is rate-limited, as scanners hit it most. Source maps are never served (the build does
 * not emit them; a stray one from an older build is refused): they would hand out the client's
 * source, comments included.
 */
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.js';
import { sendError } from './errors.js';

export default fp(
  async (app) => {
    const root = app.config.webDistDir;
    const hasClient = existsSync(join(root, 'index.html'));
    if (hasClient) {
      await app.register(fastifyStatic, {
        root,
        wildcard: true,
        index: false,
        allowedPath: (pathName) => !pathName.endsWith('.map'),
        // sendFile('index.html') passes through here too: the page is never cached, so a deploy
        // is picked up at once; hashed assets are immutable.
        setHeaders(res, path) {
          const policy = path.endsWith('index.html')
            ? 'no-cache'
            : path.startsWith(join(root, 'assets'))
              ? 'public, max-age=31536000, immutable'
              : 'public, max-age=3600';
          res.header('cache-control', policy);
        },
      });
      // The wildcard static route would answer `/` with a directory 403: the root is the SPA too.
      app.get('/', { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
    } else {
      app.log.warn({ root }, 'web client not built: run `pnpm build` to serve the forum UI');
    }

    app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const isApi = path === '/api' || path.startsWith('/api/');
      // A missing file (a stale hashed asset) is a real 404; only page paths get the SPA.
      const isFile = /\.[a-z0-9]+$/i.test(path);
      if (!isApi && !isFile && hasClient && (request.method === 'GET' || request.method === 'HEAD')) {
        return reply.sendFile('index.html');
      }
      return sendError(reply, new AppError(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${path}.`));
    });
  },
  { name: 'web', fastify: '5.x', dependencies: ['@fastify/rate-limit'] },
);
