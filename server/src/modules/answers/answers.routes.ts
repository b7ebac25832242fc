/** A question's accepted answer: marked and unmarked by its author or a moderator in scope. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AcceptAnswerBody, Comparison, ThreadEnvelope, ThreadParams, UnacceptAnswerQuery } from '@lexforum/shared';
import { errorResponses } from '../../lib/schemas.js';
import { ThreadService } from '../threads/threads.service.js';
import { AnswerService } from './answers.service.js';
import { comparisonCsv, ComparisonService } from './comparison.service.js';

export const answerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const threads = new ThreadService(app.db, app.clock, app.reference, app.userViews, app.realtime, app.cookPool);
  const answers = new AnswerService(app.db, app.clock, app.realtime, threads);
  const tags = ['threads'];
  const comparisons = new ComparisonService(app.db, threads.views);
  // Reads answer 409 too: a question that is not comparative has no comparison.
  const errors = errorResponses(400, 401, 403, 404, 409);

  app.get(
    '/threads/:id/comparison',
    {
      schema: {
        tags,
        summary: 'A comparative question side by side: one row per jurisdiction asked, with its answers',
        params: ThreadParams,
        response: { 200: Comparison, ...errors },
      },
    },
    async (request) => comparisons.comparison(request.guardian(), request.params.id),
  );

  app.get(
    '/threads/:id/comparison.csv',
    {
      schema: {
        tags,
        summary: 'The comparison as CSV (UTF-8), one line per answer and per jurisdiction without one',
        params: ThreadParams,
        produces: ['text/csv'],
        response: { 200: Type.String(), ...errors },
      },
    },
    async (request, reply) => {
      const comparison = comparisons.comparison(request.guardian(), request.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="comparison-${comparison.thread.id}.csv"`)
        .header('cache-control', 'private, no-store')
        .send(comparisonCsv(comparison, app.config.publicOrigin));
    },
  );

  app.put(
    '/threads/:id/answer',
    {
      schema: {
        tags,
        summary: "Mark a reply as the question's answer (replacing the one marked before)",
        params: ThreadParams,
        body: AcceptAnswerBody,
        response: { 200: ThreadEnvelope, ...errors },
      },
    },
    async (request) => ({ thread: answers.accept(request.guardian(), request.params.id, request.body.postId) }),
  );

  app.delete(
    '/threads/:id/answer',
    {
      schema: {
        tags,
        summary: "Take back the question's accepted answer",
        params: ThreadParams,
        querystring: UnacceptAnswerQuery,
        response: { 200: ThreadEnvelope, ...errors },
      },
    },
    async (request) => ({
      thread: answers.unaccept(request.guardian(), request.params.id, request.query.jurisdiction),
    }),
  );
};
