/**
 * Authentication: reads the session cookie on every request, validates it (session.ts) and puts
 * `{ user, session }` on `request.auth`, or null. A stale or forged cookie is cleared. Routes call
 * `requireAuth(request)`; authorization rules beyond "signed in" live in the services. It also
 * holds what sign-in and password change share: the failure throttle (one per app, so both count
 * together) and the known-device cookie.
 */
import type { SessionRow, UserRow } from '@lexforum/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { unauthenticated } from '../lib/errors.js';
import type { KnownDevicePolicy } from '../modules/auth/known-devices.js';
import { deleteExpiredSessions, validateSessionToken, type SessionPolicy } from '../modules/auth/session.js';
import { SignInGuard } from '../modules/auth/sign-in-guard.js';

export interface RequestAuth {
  user: UserRow;
  session: SessionRow;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
  interface FastifyInstance {
    sessionPolicy: SessionPolicy;
    sessionCookieName: string;
    setSessionCookie(reply: FastifyReply, token: string, session: SessionRow): void;
    clearSessionCookie(reply: FastifyReply): void;
    signInGuard: SignInGuard;
    knownDevicePolicy: KnownDevicePolicy;
    /** The known-device token this browser sent, if any (unchecked). */
    deviceToken(request: FastifyRequest): string | undefined;
    setDeviceCookie(reply: FastifyReply, token: string): void;
    /** The pending sign-in (password right, second factor due) this browser holds, if any (unchecked). */
    pendingSignInToken(request: FastifyRequest): string | undefined;
    setPendingSignInCookie(reply: FastifyReply, token: string, expiresAt: Date): void;
    clearPendingSignInCookie(reply: FastifyReply): void;
  }
}

export function requireAuth(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw unauthenticated();
  return request.auth;
}

export default fp(
  async (app) => {
    const { config } = app;
    const policy: SessionPolicy = {
      idleTimeoutSeconds: config.SESSION_IDLE_TIMEOUT_SECONDS,
      maxAgeSeconds: config.SESSION_MAX_AGE_SECONDS,
    };
    // `__Host-` pins the cookie to this exact host, path / and HTTPS; browsers refuse it on http.
    const cookieName = config.secureCookies ? '__Host-lexforum_session' : 'lexforum_session';
    const cookieOptions = { httpOnly: true, sameSite: 'lax', path: '/', secure: config.secureCookies } as const;

    app.decorate('sessionPolicy', policy);
    app.decorate('sessionCookieName', cookieName);
    app.decorate('setSessionCookie', (reply: FastifyReply, token: string, session: SessionRow) => {
      // The cookie lives until the absolute deadline; the server enforces the idle one.
      const expires = new Date(session.createdAt.getTime() + policy.maxAgeSeconds * 1000);
      reply.setCookie(cookieName, token, { ...cookieOptions, expires });
    });
    app.decorate('clearSessionCookie', (reply: FastifyReply) => {
      reply.clearCookie(cookieName, cookieOptions);
    });
    app.decorateRequest('auth', null);

    app.decorate('signInGuard', new SignInGuard(app.clock, config));
    const devicePolicy: KnownDevicePolicy = {
      maxAgeDays: config.KNOWN_DEVICE_DAYS,
      maxPerUser: config.KNOWN_DEVICES_PER_USER,
    };
    // Same policy as the session cookie (httpOnly, SameSite, Secure and __Host- on https), but it
    // outlives sessions: signing out does not make a browser unknown.
    const deviceCookieName = config.secureCookies ? '__Host-lexforum_device' : 'lexforum_device';
    app.decorate('knownDevicePolicy', devicePolicy);
    app.decorate('deviceToken', (request: FastifyRequest) => request.cookies[deviceCookieName]);
    app.decorate('setDeviceCookie', (reply: FastifyReply, token: string) => {
      reply.setCookie(deviceCookieName, token, {
        ...cookieOptions,
        maxAge: devicePolicy.maxAgeDays * 86_400,
      });
    });

    // The pending sign-in between password and second factor: same policy, minutes long. Only the
    // second-factor routes read it (auth/pending-sign-in.ts); it opens nothing else.
    const pendingCookieName = config.secureCookies ? '__Host-lexforum_pending' : 'lexforum_pending';
    const pendingCookieOptions = cookieOptions;
    app.decorate('pendingSignInToken', (request: FastifyRequest) => request.cookies[pendingCookieName]);
    app.decorate('setPendingSignInCookie', (reply: FastifyReply, token: string, expiresAt: Date) => {
      reply.setCookie(pendingCookieName, token, { ...pendingCookieOptions, expires: expiresAt });
    });
    app.decorate('clearPendingSignInCookie', (reply: FastifyReply) => {
      reply.clearCookie(pendingCookieName, pendingCookieOptions);
    });

    app.addHook('onRequest', async (request, reply) => {
      const token = request.cookies[cookieName];
      if (!token) return;
      const validated = validateSessionToken(app.db, token, app.clock.now(), policy);
      if (validated) request.auth = validated;
      else app.clearSessionCookie(reply);
    });

    // Expired sessions are deleted when next seen; this sweeps the ones never seen again.
    const sweep = () => deleteExpiredSessions(app.db, app.clock.now(), policy);
    const timer = setInterval(sweep, 60 * 60 * 1000);
    timer.unref();
    app.addHook('onReady', async () => void sweep());
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'auth', fastify: '5.x', dependencies: ['db', '@fastify/cookie'] },
);
