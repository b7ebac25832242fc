import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditPage, AuditQuery } from '@lexforum/shared';
import { errorResponses } from '../../lib/schemas.js';
import { listAudit } from './audit.repository.js';

/** Read-only by design: the audit log has no route that changes or deletes an entry. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first: moderators see their jurisdictions, admins everything',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const guardian = request.guardian();
      guardian.ensureStaff();
      return listAudit(app.db, request.query, guardian.scope());
    },
  );
};
