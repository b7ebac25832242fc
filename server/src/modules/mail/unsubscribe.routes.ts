import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UnsubscribeBody, UnsubscribeInfo, UnsubscribeQuery } from '@lexforum/shared';
import { AppError } from '../../lib/errors.js';
import { errorResponses } from '../../lib/schemas.js';
import { isUnsubscribed, resolveUnsubscribeToken, unsubscribe } from './unsubscribe.js';

/**
 * One-click unsubscribe, for whoever holds the link (no session): the URL in an email's
 * `List-Unsubscribe` header. A POST unsubscribes (RFC 8058: mail clients post
 * `List-Unsubscribe=One-Click` as a form, without cookies and from no page of ours, so the CSRF
 * check is waived for this route alone: the token in the URL is the authority, and it can only
 * turn one kind of email off). A GET changes nothing (link scanners open every link): it says what
 * the token would turn off, for the web page that asks the person to confirm.
 */
export const unsubscribeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['email'];
  // The forms mail clients post; the body says nothing the URL does not (encapsulated here).
  for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data']) {
    app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) => done(null, {}));
  }
  const badToken = () => new AppError(404, 'LINK_INVALID', 'This unsubscribe link is not valid.');
  const response = { 200: UnsubscribeInfo, ...errorResponses(400, 404, 415) };

  app.get(
    '/email/unsubscribe',
    {
      schema: {
        tags,
        summary: 'What an unsubscribe link turns off (changes nothing)',
        querystring: UnsubscribeQuery,
        response,
      },
    },
    async (request) => {
      const found = resolveUnsubscribeToken(app.db, request.query.token);
      if (!found) throw badToken();
      return { kind: found.kind, unsubscribed: isUnsubscribed(app.db, found.userId, found.kind) };
    },
  );

  app.post(
    '/email/unsubscribe',
    {
      config: { csrfExempt: true },
      schema: {
        tags,
        summary: 'Turn off one kind of email (RFC 8058 one-click; no session needed)',
        querystring: UnsubscribeQuery,
        body: UnsubscribeBody,
        response,
      },
    },
    async (request) => {
      const found = resolveUnsubscribeToken(app.db, request.query.token);
      if (!found) throw badToken();
      app.db.transaction((tx) => unsubscribe(tx, found.userId, found.kind, app.clock.now()));
      request.log.info({ userId: found.userId, kind: found.kind }, 'email unsubscribed');
      return { kind: found.kind, unsubscribed: true };
    },
  );
};
