/**
 * CSRF defence for a cookie-authenticated API: a state-changing request must come from the
 * forum's own origin. Browsers send `Sec-Fetch-Site`; it must be `same-origin`. Where it is
 * absent (older browsers) the `Origin` header must equal PUBLIC_ORIGIN. A request with neither is
 * refused: every browser that could carry our cookie sends at least one of them.
 */
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export default fp(
  async (app) => {
    const allowedOrigin = app.config.publicOrigin;
    app.addHook('onRequest', async (request) => {
      if (SAFE_METHODS.has(request.method)) return;
      const site = request.headers['sec-fetch-site'];
      if (site !== undefined) {
        if (site === 'same-origin') return;
        throw new AppError(403, 'CSRF_REJECTED', 'This request did not come from the forum itself.');
      }
      const origin = request.headers.origin;
      if (origin !== undefined && origin === allowedOrigin) return;
      throw new AppError(403, 'CSRF_REJECTED', 'This request did not come from the forum itself.');
    });
  },
  { name: 'csrf', fastify: '5.x' },
);
