/**
 * Authorization: `request.guardian()` returns the Guardian for the signed-in user (401 if nobody
 * is signed in), loading the facts it needs once per request and only when a route asks.
 */
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Guardian } from '../modules/guardian/guardian.js';
import { guardianFor } from '../modules/guardian/guardian-for.js';
import { UserViews } from '../modules/users/users.views.js';
import { requireAuth } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    guardian(): Guardian;
  }
  interface FastifyInstance {
    /** Turns user rows into API output (own view, badges, staff view). */
    userViews: UserViews;
  }
}

const cache = new WeakMap<FastifyRequest, Guardian>();

export { staffedJurisdictions } from '../modules/guardian/guardian-for.js';

export default fp(
  async (app) => {
    app.decorate('userViews', new UserViews(app.db, app.reference, app.clock));
    app.decorateRequest('guardian', function (this: FastifyRequest): Guardian {
      const cached = cache.get(this);
      if (cached) return cached;
      const { user } = requireAuth(this);
      const guardian = guardianFor(app.db, user);
      cache.set(this, guardian);
      return guardian;
    });
  },
  { name: 'guardian', fastify: '5.x', dependencies: ['auth', 'db'] },
);
