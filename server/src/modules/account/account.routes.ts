import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ChangePasswordBody,
  ChangeUsernameBody,
  RevokedCount,
  SessionIdParams,
  SessionList,
  UpdateAccountBody,
  UpdateLocaleBody,
  UserEnvelope,
} from '@lexforum/shared';
import Type from 'typebox';
import { requireAuth } from '../../plugins/auth.js';
import { requireRecentAuth } from '../auth/reauth.js';
import { requestMeta } from '../../lib/request-meta.js';
import { errorResponses } from '../../lib/schemas.js';
import { AccountService } from './account.service.js';

export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = new AccountService(
    app.db,
    app.clock,
    app.sessionPolicy,
    app.signInGuard,
    app.knownDevicePolicy,
    app.mailLinks,
  );
  const tags = ['account'];

  app.get(
    '/account',
    { schema: { tags, summary: 'The signed-in account', response: { 200: UserEnvelope, ...errorResponses(401) } } },
    async (request) => ({ user: app.userViews.current(requireAuth(request).user) }),
  );

  app.patch(
    '/account',
    {
      schema: {
        tags,
        summary: 'Update profile basics',
        body: UpdateAccountBody,
        response: { 200: UserEnvelope, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = service.updateProfile(requireAuth(request).user, request.body);
      return { user: app.userViews.current(user) };
    },
  );

  app.put(
    '/account/locale',
    {
      schema: {
        tags,
        summary: 'Choose the interface language (every device follows it)',
        body: UpdateLocaleBody,
        response: { 200: UserEnvelope, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = service.changeLocale(requireAuth(request).user, request.body.locale);
      return { user: app.userViews.current(user) };
    },
  );

  app.put(
    '/account/username',
    {
      schema: {
        tags,
        summary: 'Choose your username (what @mentions use)',
        body: ChangeUsernameBody,
        response: { 200: UserEnvelope, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => {
      const user = service.changeUsername(requireAuth(request).user, request.body.username);
      return { user: app.userViews.current(user) };
    },
  );

  app.post(
    '/account/password',
    {
      schema: {
        tags,
        summary: 'Change password; ends every other session',
        body: ChangePasswordBody,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { user, session } = requireAuth(request);
      await service.changePassword(user, session, request.body, {
        ...requestMeta(request),
        deviceToken: app.deviceToken(request),
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/account/sessions',
    {
      schema: {
        tags,
        summary: 'Active sessions of the signed-in user, most recently used first',
        response: { 200: SessionList, ...errorResponses(401) },
      },
    },
    async (request) => {
      const { user, session } = requireAuth(request);
      return { sessions: service.listSessions(user, session) };
    },
  );

  app.delete(
    '/account/sessions/:id',
    {
      schema: {
        tags,
        summary: 'End one of your sessions (the current one signs you out)',
        params: SessionIdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { user, session } = requireAuth(request);
      // Signing this browser out needs no confirmation; ending another session does.
      if (request.params.id !== session.id) requireRecentAuth(request, app.db, app.clock.now());
      service.endSession(user, request.params.id);
      if (request.params.id === session.id) app.clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/account/sessions/revoke-others',
    {
      schema: {
        tags,
        summary: 'End every session but this one',
        response: { 200: RevokedCount, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const { user, session } = requireRecentAuth(request, app.db, app.clock.now());
      return { revoked: service.endOtherSessions(user, session, requestMeta(request)) };
    },
  );
};
