/**
 * The routes of email links: registration (answered the same for known and new addresses),
 * address verification, address change, forgotten password, and the administrator's "send a reset
 * link". Each action queues its emails in its own transaction; the mail plugin delivers them once
 * the response is out.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  bestLocale,
  ChangeEmailBody,
  EmailChangeSent,
  EmailTokenBody,
  EmailVerified,
  IdParams,
  PasswordResetConfirmBody,
  PasswordResetLink,
  PasswordResetRequestBody,
  PasswordResetRequested,
  PasswordResetSent,
  RegisterAccepted,
  RegisterBody,
  SignInResult,
} from '@lexforum/shared';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../lib/errors.js';
import { requestMeta } from '../../lib/request-meta.js';
import { errorResponses } from '../../lib/schemas.js';
import { requireAuth } from '../../plugins/auth.js';
import { EmailChangeService } from '../account/email-change.js';
import { mailLinks } from '../mail/links.js';
import type { SignedIn } from './finish-sign-in.js';
import { PasswordResetService } from './password-reset.js';
import { requireRecentAuth } from './reauth.js';
import { RegistrationService } from './registration.js';
import { invalidateSession } from './session.js';

export const emailLinkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const links = mailLinks(app.config.publicOrigin);
  const registration = new RegistrationService(app.db, app.clock, links, app.knownDevicePolicy);
  const emailChange = new EmailChangeService(app.db, app.clock, links);
  const reset = new PasswordResetService(app.db, app.clock, links, app.knownDevicePolicy, {
    perEmailPerHour: app.config.PASSWORD_RESETS_PER_HOUR_PER_EMAIL,
    perIpPerHour: app.config.PASSWORD_RESETS_PER_HOUR_PER_IP,
  });
  const present = app.userViews.current.bind(app.userViews);
  const setSignedIn = (reply: FastifyReply, signedIn: SignedIn) => {
    app.setSessionCookie(reply, signedIn.token, signedIn.session);
    app.setDeviceCookie(reply, signedIn.deviceToken);
    app.clearPendingSignInCookie(reply);
  };

  app.post(
    '/auth/register',
    {
      config: {
        rateLimit: { max: app.config.REGISTRATIONS_PER_HOUR_PER_IP, timeWindow: '1 hour' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Create an account (an applicant); a verification link is emailed',
        description:
          'Answers 202 whether or not the address already has an account: a new account gets a verification link, ' +
          'the owner of an existing one is told that someone tried to register with it.',
        body: RegisterBody,
        response: { 202: RegisterAccepted, ...errorResponses(400, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      await registration.register(request.body, bestLocale(request.headers['accept-language']));
      return reply.status(202).send({ status: 'verification_sent' as const });
    },
  );

  app.post(
    '/auth/verify-email',
    {
      schema: {
        tags: ['auth'],
        summary: 'Verify an address with the link sent to it (signs in when nobody is signed in)',
        body: EmailTokenBody,
        response: { 200: EmailVerified, ...errorResponses(400, 403, 410) },
      },
    },
    async (request, reply) => {
      const signedInAs = request.auth?.user ?? null;
      const { user, signedIn } = registration.verify(
        request.body.token,
        signedInAs,
        requestMeta(request),
        app.deviceToken(request),
      );
      if (signedIn) {
        setSignedIn(reply, signedIn);
        return { user: present(signedIn.user) };
      }
      return { user: signedInAs?.id === user.id ? present(user) : null };
    },
  );

  app.post(
    '/account/email/verification',
    {
      schema: {
        tags: ['account'],
        summary: 'Send the verification link again',
        response: { 202: Type.Null(), ...errorResponses(401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      registration.resendVerification(requireAuth(request).user);
      return reply.status(202).send(null);
    },
  );

  app.put(
    '/account/email',
    {
      schema: {
        tags: ['account'],
        summary: 'Change the sign-in address: a link to the new address, a notice to the current one',
        body: ChangeEmailBody,
        response: { 202: EmailChangeSent, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { user } = requireRecentAuth(request, app.db, app.clock.now());
      const pendingEmail = emailChange.request(user, request.body.email);
      return reply.status(202).send({ pendingEmail });
    },
  );

  app.post(
    '/account/email/confirm',
    {
      schema: {
        tags: ['account'],
        summary: 'Switch to the new address with the link sent to it',
        body: EmailTokenBody,
        response: { 200: EmailVerified, ...errorResponses(400, 403, 409, 410) },
      },
    },
    async (request) => {
      const signedInAs = request.auth?.user ?? null;
      const user = emailChange.confirm(request.body.token, signedInAs, requestMeta(request));
      return { user: signedInAs ? present(user) : null };
    },
  );

  app.post(
    '/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        summary: 'Email a password-reset link (the same answer whether or not the address has an account)',
        body: PasswordResetRequestBody,
        response: { 202: PasswordResetRequested, ...errorResponses(400, 403, 429) },
      },
    },
    async (request, reply) => {
      reset.request(request.body.email, request.ip ?? null);
      return reply.status(202).send({ status: 'reset_sent' as const });
    },
  );

  app.post(
    '/auth/password-reset/check',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether a reset link may still be used',
        body: EmailTokenBody,
        response: { 200: PasswordResetLink, ...errorResponses(400, 403, 410) },
      },
    },
    async (request) => ({ expiresAt: reset.check(request.body.token).toISOString() }),
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Choose a new password with a reset link; ends every session, then signs in',
        body: PasswordResetConfirmBody,
        response: { 200: SignInResult, ...errorResponses(400, 403, 410) },
      },
    },
    async (request, reply) => {
      // Whoever was signed in on this browser is signed out: the reset signs its owner in.
      if (request.auth) invalidateSession(app.db, request.auth.session.id);
      app.clearSessionCookie(reply);
      const outcome = await reset.confirm(request.body, requestMeta(request), app.deviceToken(request));
      if (outcome.kind === 'suspended') {
        const why = outcome.user.suspendedReason ? ` Reason: ${outcome.user.suspendedReason}` : '';
        throw new AppError(
          403,
          'SUSPENDED',
          `Your password was changed, but this account is suspended.${why} Contact the forum administrators.`,
        );
      }
      if (outcome.kind === 'second_factor') {
        app.setPendingSignInCookie(reply, outcome.token, outcome.expiresAt);
        return { secondFactor: { methods: outcome.methods, expiresAt: outcome.expiresAt.toISOString() } };
      }
      setSignedIn(reply, outcome.signedIn);
      return { user: present(outcome.signedIn.user) };
    },
  );

  app.post(
    '/admin/users/:id/password-reset',
    {
      schema: {
        tags: ['admin'],
        summary: 'Email a member a password-reset link (the administrator never sees the password)',
        params: IdParams,
        response: { 202: PasswordResetSent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      requireRecentAuth(request, app.db, app.clock.now());
      const user = reset.sendByAdmin(request.guardian(), request.params.id, requestMeta(request));
      return reply.status(202).send({ sentTo: user.email });
    },
  );
};
