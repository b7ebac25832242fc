/**
 * Redaction routes: take text out of a post (a span, a whole version) or out of its thread's
 * title, for good. Thin: schema and a call; who may, and what is scrubbed, is the service's.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, RedactBody, RedactionResult } from '@lexforum/shared';
import { errorResponses } from '../../lib/schemas.js';
import { ThreadService } from '../threads/threads.service.js';
import { RedactionService } from './redaction.service.js';

/**
 * A redaction rewrites many rows in one transaction: a twentieth of the API's per-IP budget
 * (30 a minute by default) is plenty for a person cleaning up a thread.
 */
const REDACTION_SHARE = 20;

export const redactionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const threads = new ThreadService(app.db, app.clock, app.reference, app.userViews, app.realtime, app.cookPool);
  const service = new RedactionService(app.db, app.clock, app.realtime, threads);

  app.post(
    '/posts/:id/redactions',
    {
      config: {
        // A redaction re-cooks every version it touches: it spends the member's edit budget too.
        budget: 'edits',
        rateLimit: {
          max: Math.max(1, Math.floor(app.config.RATE_LIMIT_PER_MINUTE / REDACTION_SHARE)),
          timeWindow: '1 minute',
        },
      },
      schema: {
        tags: ['moderation'],
        summary:
          'Redact a post: remove a span of text from every version, a whole version, or a span of the thread’s title (opening posts), from every stored copy; by its author or a moderator in scope',
        params: IdParams,
        body: RedactBody,
        response: { 201: RedactionResult, ...errorResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(service.redact(request.guardian(), request.params.id, request.body)),
  );
};
