import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { UserRow } from '@lexforum/db';
import { SessionState, SignInBody, SignInResult } from '@lexforum/shared';
import Type from 'typebox';
import { errorResponses } from '../../lib/schemas.js';
import { requestMeta } from '../../lib/request-meta.js';
import { AuthService } from './auth.service.js';

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = new AuthService(app.db, app.clock, app.signInGuard, app.knownDevicePolicy, app.mailLinks);
  const present = (user: UserRow) => app.userViews.current(user);

  app.get(
    '/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in (null when nobody is)',
        response: { 200: SessionState },
      },
    },
    async (request) => ({ user: request.auth ? present(request.auth.user) : null }),
  );

  app.post(
    '/auth/sign-in',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Sign in with email and password (a new session, or the second step when the account has a second factor)',
        body: SignInBody,
        response: { 200: SignInResult, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      // A new session every time; a session already on this browser is ended first.
      if (request.auth) service.signOut(request.auth.session.id);
      const result = await service.signIn(request.body, requestMeta(request), app.deviceToken(request));
      if ('pending' in result) {
        const { token, expiresAt, methods } = result.pending;
        app.setPendingSignInCookie(reply, token, expiresAt);
        return { secondFactor: { methods, expiresAt: expiresAt.toISOString() } };
      }
      const { user, session, token, deviceToken } = result;
      app.setSessionCookie(reply, token, session);
      app.setDeviceCookie(reply, deviceToken);
      return { user: present(user) };
    },
  );

  app.post(
    '/auth/sign-out',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the current session',
        response: { 204: Type.Null(), ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      if (request.auth) service.signOut(request.auth.session.id);
      app.clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );
};
