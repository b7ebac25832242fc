import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SearchPage, SearchQuery, SimilarPage, SimilarQuery, SuggestPage, SuggestQuery } from '@lexforum/shared';
import { errorResponses } from '../../lib/schemas.js';
import { SearchService } from './search.service.js';

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = new SearchService(app.db, app.clock, app.reference, app.userViews, app.searchPool);
  const tags = ['search'];
  const errors = errorResponses(400, 401, 403, 503);

  app.get(
    '/search',
    {
      schema: {
        tags,
        summary: 'Full-text search of titles, opening posts, analyses and replies, with filters; grouped by thread',
        querystring: SearchQuery,
        response: { 200: SearchPage, ...errors },
      },
    },
    async (request) => service.search(request.guardian(), request.query),
  );

  app.get(
    '/search/similar',
    {
      schema: {
        tags,
        summary: 'Threads whose titles are like this one ("Already discussed?" while composing)',
        querystring: SimilarQuery,
        response: { 200: SimilarPage, ...errors },
      },
    },
    async (request) => service.similar(request.guardian(), request.query.title),
  );

  app.get(
    '/search/suggest',
    {
      schema: {
        tags,
        summary: 'Suggestions as you type: threads, members, jurisdictions, topics and instruments',
        querystring: SuggestQuery,
        response: { 200: SuggestPage, ...errors },
      },
    },
    async (request) => service.suggest(request.guardian(), request.query.q),
  );
};
