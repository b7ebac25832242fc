import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health } from '@lexforum/shared';
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      config: { rateLimit: false },
      schema: { tags: ['ops'], summary: 'Liveness and database reachability', response: { 200: Health, 503: Health } },
    },
    async (_request, reply) => {
      try {
        app.dbHandle.sqlite.prepare('select 1').get();
        return { status: 'ok' as const, database: 'ok' as const, version };
      } catch (err) {
        app.log.error({ err }, 'health check: database unreachable');
        return reply.status(503).send({ status: 'degraded', database: 'unreachable', version });
      }
    },
  );
};
