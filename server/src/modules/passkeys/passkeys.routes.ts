import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AddPasskeyBody,
  Passkey,
  PasskeyAdded,
  PasskeyAnswerBody,
  PasskeyIdParams,
  RenamePasskeyBody,
  UserEnvelope,
  WebAuthnOptions,
} from '@lexforum/shared';
import Type from 'typebox';
import { requestMeta } from '../../lib/request-meta.js';
import { errorResponses } from '../../lib/schemas.js';
import { requireAuth } from '../../plugins/auth.js';
import { requireRecentAuth } from '../auth/reauth.js';
import { invalidateSession } from '../auth/session.js';
import { PasskeySignIn } from './passkey-sign-in.js';
import { PasskeyService } from './passkeys.service.js';
import { relyingParty } from './relying-party.js';

/** The library's option objects, passed through to the browser as they are. */
const asOptions = (options: object) => ({ options: options as Record<string, unknown> });

export const passkeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const rp = relyingParty(app.config.publicOrigin);
  const service = new PasskeyService(app.db, app.clock, rp);
  const signIn = new PasskeySignIn(app.db, app.clock, rp, app.signInGuard, app.knownDevicePolicy, app.mailLinks);
  const tags = ['account'];

  app.post(
    '/account/passkeys/options',
    {
      schema: {
        tags,
        summary: "Start adding a passkey: options for the browser's prompt (asks for a recent confirmation)",
        response: { 200: WebAuthnOptions, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const auth = requireRecentAuth(request, app.db, app.clock.now());
      return asOptions(await service.registrationOptions(auth));
    },
  );

  app.post(
    '/account/passkeys',
    {
      schema: {
        tags,
        summary: "Add a passkey from the browser's answer to the options",
        body: AddPasskeyBody,
        response: { 201: PasskeyAdded, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const auth = requireRecentAuth(request, app.db, app.clock.now());
      const added = await service.add(auth, request.body, requestMeta(request));
      return reply.status(201).send(added);
    },
  );

  app.patch(
    '/account/passkeys/:id',
    {
      schema: {
        tags,
        summary: 'Rename one of your passkeys',
        params: PasskeyIdParams,
        body: RenamePasskeyBody,
        response: { 200: Type.Object({ passkey: Passkey }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      passkey: service.rename(requireAuth(request).user, request.params.id, request.body.name),
    }),
  );

  app.delete(
    '/account/passkeys/:id',
    {
      schema: {
        tags,
        summary: 'Remove one of your passkeys (asks for a recent confirmation)',
        params: PasskeyIdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { user } = requireRecentAuth(request, app.db, app.clock.now());
      service.remove(user, request.params.id, requestMeta(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/sign-in/passkey/options',
    {
      schema: {
        tags: ['auth'],
        summary: "Second step of a sign-in: options for the browser's passkey prompt",
        response: { 200: WebAuthnOptions, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request) =>
      asOptions(await signIn.options(app.pendingSignInToken(request), requestMeta(request), app.deviceToken(request))),
  );

  app.post(
    '/auth/sign-in/passkey',
    {
      schema: {
        tags: ['auth'],
        summary: 'Second step of a sign-in: the passkey answer; starts the session',
        body: PasskeyAnswerBody,
        response: { 200: UserEnvelope, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      // A new session every time; a session already on this browser is ended (as sign-in does).
      if (request.auth) invalidateSession(app.db, request.auth.session.id);
      const { user, session, token, deviceToken } = await signIn.finish(
        app.pendingSignInToken(request),
        request.body.response,
        requestMeta(request),
        app.deviceToken(request),
      );
      app.setSessionCookie(reply, token, session);
      app.setDeviceCookie(reply, deviceToken);
      app.clearPendingSignInCookie(reply);
      return { user: app.userViews.current(user) };
    },
  );
};
