import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PasskeyAnswerBody, ReauthBody, ReauthState, WebAuthnOptions } from '@lexforum/shared';
import { requestMeta } from '../../lib/request-meta.js';
import { errorResponses } from '../../lib/schemas.js';
import { requireAuth } from '../../plugins/auth.js';
import { relyingParty } from '../passkeys/relying-party.js';
import { ReauthService } from './reauth.service.js';

export const reauthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const rp = relyingParty(app.config.publicOrigin);
  const service = new ReauthService(app.db, app.clock, rp, app.signInGuard, app.knownDevicePolicy);
  const tags = ['auth'];

  app.post(
    '/auth/reauth',
    {
      schema: {
        tags,
        summary: 'Confirm it is you (password or a second-factor code) before sensitive changes',
        body: ReauthBody,
        response: { 200: ReauthState, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request) =>
      service.confirm(requireAuth(request), request.body, {
        ...requestMeta(request),
        deviceToken: app.deviceToken(request),
      }),
  );

  app.post(
    '/auth/reauth/passkey/options',
    {
      schema: {
        tags,
        summary: "Confirm it is you with a passkey: options for the browser's prompt",
        response: { 200: WebAuthnOptions, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({
      options: (await service.passkeyOptions(requireAuth(request))) as unknown as Record<string, unknown>,
    }),
  );

  app.post(
    '/auth/reauth/passkey',
    {
      schema: {
        tags,
        summary: "Confirm it is you with a passkey: the browser's answer",
        body: PasskeyAnswerBody,
        response: { 200: ReauthState, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => service.confirmWithPasskey(requireAuth(request), request.body.response),
  );
};
