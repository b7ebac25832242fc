/** A question's accepted answer: marked and unmarked by its author or a moderator in scope. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AcceptAnswerBody, ThreadEnvelope, ThreadParams } from '@lexforum/shared';
import { errorResponses } from '../../lib/schemas.js';
import { ThreadService } from '../threads/threads.service.js';
import { AnswerService } from './answers.service.js';

export const answerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const threads = new ThreadService(app.db, app.clock, app.reference, app.userViews, app.realtime, app.cookPool);
  const answers = new AnswerService(app.db, app.clock, app.realtime, threads);
  const tags = ['threads'];
  const write = errorResponses(400, 401, 403, 404, 409);

  app.put(
    '/threads/:id/answer',
    {
      schema: {
        tags,
        summary: "Mark a reply as the question's answer (replacing the one marked before)",
        params: ThreadParams,
        body: AcceptAnswerBody,
        response: { 200: ThreadEnvelope, ...write },
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
        response: { 200: ThreadEnvelope, ...write },
      },
    },
    async (request) => ({ thread: answers.unaccept(request.guardian(), request.params.id) }),
  );
};
