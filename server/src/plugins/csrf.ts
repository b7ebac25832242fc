/**
 * CSRF defence for a cookie-authenticated API: a state-changing request must come from the
 * forum's own origin. Browsers send `Sec-Fetch-Site`; it must be `same-origin`. Where it is
 * absent (older browsers) the `Origin` header must equal PUBLIC_ORIGIN. A request with neither is
 * refused: every browser that could carry our cookie sends at least one of them.
 */
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Waives the check for one route, deliberately: only the one-click unsubscribe (RFC 8058),
     * which mail clients post from outside any page, with no cookie; its URL's token is its authority.
     */
    csrfExempt?: boolean;
  }
}

export default fp(
  async (app) => {
    const allowedOrigin = app.config.publicOrigin;
    app.addHook('onRequest', async (request) => {
      if (SAFE_METHODS.has(request.method)) return;
      if (request.routeOptions.config.csrfExempt === true) return;
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
