import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AccountSecurity, SecurityEventPage, SecurityEventQuery } from '@lexforum/shared';
import { errorResponses } from '../../lib/schemas.js';
import { requireAuth } from '../../plugins/auth.js';
import { accountSecurity } from './account-security.js';
import { listSecurityEvents } from './security-events.js';

export const securityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/account/security',
    {
      schema: {
        tags: ['account'],
        summary: "The signed-in account's address, second factors and re-authentication window",
        response: { 200: AccountSecurity, ...errorResponses(401) },
      },
    },
    async (request) => {
      const { user, session } = requireAuth(request);
      return accountSecurity(app.db, user, session, app.clock.now());
    },
  );

  app.get(
    '/account/security-events',
    {
      schema: {
        tags: ['account'],
        summary: "The signed-in member's recent security events, newest first",
        querystring: SecurityEventQuery,
        response: { 200: SecurityEventPage, ...errorResponses(400, 401) },
      },
    },
    async (request) => listSecurityEvents(app.db, requireAuth(request).user.id, request.query),
  );
};
