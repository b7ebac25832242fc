/**
 * The OpenAPI UI and document at /api/docs, served according to API_DOCS: `public` to anyone,
 * `members` to signed-in, vetted, active accounts only (the default in production: the API's map
 * is no business of scanners or applicants), `off` not at all (404). The document itself is built
 * by @fastify/swagger, registered before the routes it describes; this plugin only serves it, so
 * it comes after authentication and authorization, whose hooks it uses.
 */
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    const mode = app.config.apiDocs;
    if (mode === 'off') return;
    // In its own scope, so the gate covers every route the UI plugin adds, its static files too.
    await app.register(async (scope) => {
      if (mode === 'members') {
        scope.addHook('onRequest', async (request) => {
          request.guardian().ensureForumAccess();
        });
      }
      await scope.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
    });
  },
  { name: 'docs', fastify: '5.x', dependencies: ['auth', 'guardian', '@fastify/swagger'] },
);
