import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  RecoveryCodes,
  SecondFactorCodeBody,
  StaffUserEnvelope,
  TotpConfirmBody,
  TotpSetup,
  UserEnvelope,
} from '@lexforum/shared';
import Type from 'typebox';
import { forbidden } from '../guardian/guardian.js';
import { notFound } from '../../lib/errors.js';
import { requestMeta } from '../../lib/request-meta.js';
import { errorResponses } from '../../lib/schemas.js';
import { requireRecentAuth } from '../auth/reauth.js';
import { completeSignInWithCode } from '../auth/sign-in-second-step.js';
import { findUserById } from '../users/users.repository.js';
import { resetSecondFactor } from './reset-second-factor.js';
import { SecondFactorService } from './second-factor.service.js';

export const secondFactorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = new SecondFactorService(app.db, app.clock);
  const tags = ['account'];

  app.post(
    '/account/totp/setup',
    {
      schema: {
        tags,
        summary: 'A new authenticator-app key to scan (confirmed by one code before it counts)',
        response: { 200: TotpSetup, ...errorResponses(401, 403, 409) },
      },
    },
    async (request) => service.setupTotp(requireRecentAuth(request, app.db, app.clock.now())),
  );

  app.post(
    '/account/totp/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm the new key with a code; the first factor also returns the recovery codes (shown once)',
        body: TotpConfirmBody,
        response: { 200: RecoveryCodes, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) =>
      service.confirmTotp(requireRecentAuth(request, app.db, app.clock.now()), request.body.code, requestMeta(request)),
  );

  app.delete(
    '/account/totp',
    {
      schema: {
        tags,
        summary: 'Remove the authenticator app (staff keep at least one second factor)',
        response: { 204: Type.Null(), ...errorResponses(401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { user } = requireRecentAuth(request, app.db, app.clock.now());
      service.disableTotp(user, requestMeta(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/account/recovery-codes',
    {
      schema: {
        tags,
        summary: 'A new set of recovery codes (shown once); the old ones stop working',
        response: { 200: RecoveryCodes, ...errorResponses(401, 403, 409) },
      },
    },
    async (request) => {
      const { user } = requireRecentAuth(request, app.db, app.clock.now());
      return service.regenerateRecoveryCodes(user, requestMeta(request));
    },
  );

  app.post(
    '/auth/sign-in/second-factor',
    {
      schema: {
        tags: ['auth'],
        summary: 'Second step of a sign-in: a code from the authenticator app, or a recovery code',
        body: SecondFactorCodeBody,
        response: { 200: UserEnvelope, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { user, session, token, deviceToken } = completeSignInWithCode(
        {
          db: app.db,
          clock: app.clock,
          guard: app.signInGuard,
          devices: app.knownDevicePolicy,
          links: app.mailLinks,
        },
        app.pendingSignInToken(request),
        request.body,
        requestMeta(request),
        app.deviceToken(request),
      );
      app.clearPendingSignInCookie(reply);
      app.setSessionCookie(reply, token, session);
      app.setDeviceCookie(reply, deviceToken);
      return { user: app.userViews.current(user) };
    },
  );

  app.delete(
    '/admin/users/:id/second-factor',
    {
      schema: {
        tags: ['admin'],
        summary:
          "Remove a member's second factors (authenticator app, recovery codes, passkeys) and end their sessions",
        params: IdParams,
        response: { 200: StaffUserEnvelope, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const guardian = request.guardian();
      guardian.ensureAdmin();
      const now = app.clock.now();
      requireRecentAuth(request, app.db, now);
      const target = findUserById(app.db, request.params.id);
      if (!target) throw notFound('This account');
      if (target.id === guardian.user.id) {
        throw forbidden('Manage your own second factors on your Security page.');
      }
      app.db.transaction((tx) =>
        resetSecondFactor(tx, target.id, { id: guardian.user.id, meta: requestMeta(request) }, app.mailLinks, now),
      );
      return { user: app.userViews.staff([findUserById(app.db, target.id)!])[0]! };
    },
  );
};
