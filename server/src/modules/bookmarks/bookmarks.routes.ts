/** A member's bookmarks: save a post (with a note and a reminder), list them, remove one. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BookmarkBody, BookmarkEnvelope, BookmarkPage, BookmarkParams, BookmarkQuery } from '@lexforum/shared';
import Type from 'typebox';
import { errorResponses } from '../../lib/schemas.js';
import { snapshot } from '../../lib/snapshot.js';
import { BookmarkService } from './bookmarks.service.js';

export const bookmarkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const bookmarks = new BookmarkService(app.db, app.clock);
  const tags = ['bookmarks'];

  app.get(
    '/bookmarks',
    {
      schema: {
        tags,
        summary: 'Your bookmarks, newest first (all, or those in one thread), by cursor',
        querystring: BookmarkQuery,
        response: { 200: BookmarkPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => snapshot(app.db, () => bookmarks.list(request.guardian(), request.query)),
  );

  app.put(
    '/bookmarks/:postId',
    {
      schema: {
        tags,
        summary: 'Save a post, or change its note and reminder',
        params: BookmarkParams,
        body: BookmarkBody,
        response: { 200: BookmarkEnvelope, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ bookmark: bookmarks.save(request.guardian(), request.params.postId, request.body) }),
  );

  app.delete(
    '/bookmarks/:postId',
    {
      schema: {
        tags,
        summary: 'Remove a bookmark',
        params: BookmarkParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      bookmarks.remove(request.guardian(), request.params.postId);
      return reply.code(204).send(null);
    },
  );
};
