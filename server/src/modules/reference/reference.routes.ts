import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InstrumentList, JurisdictionList, TopicList } from '@lexforum/shared';
import { requireAuth } from '../../plugins/auth.js';
import { errorResponses } from '../../lib/schemas.js';

/** The tags every thread carries. Any signed-in account may read them (applicants pick a jurisdiction). */
export const referenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['reference'];
  const cache = 'private, max-age=300';

  app.get(
    '/reference/jurisdictions',
    {
      schema: {
        tags,
        summary: 'Countries, territories, regional bodies and INT',
        response: { 200: JurisdictionList, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      requireAuth(request);
      reply.header('cache-control', cache);
      return { jurisdictions: app.reference.listJurisdictions() };
    },
  );

  app.get(
    '/reference/topics',
    { schema: { tags, summary: 'Crime areas', response: { 200: TopicList, ...errorResponses(401) } } },
    async (request, reply) => {
      requireAuth(request);
      reply.header('cache-control', cache);
      return { topics: app.reference.listTopics() };
    },
  );

  app.get(
    '/reference/instruments',
    { schema: { tags, summary: 'Legal instruments', response: { 200: InstrumentList, ...errorResponses(401) } } },
    async (request, reply) => {
      requireAuth(request);
      reply.header('cache-control', cache);
      return { instruments: app.reference.listInstruments() };
    },
  );
};
