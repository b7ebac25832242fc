/**
 * Builds the LexForum Fastify app. `server.ts` only listens; tests build the app and inject.
 * Plugins are registered explicitly, in three tiers, each relying on the one before it.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyWebsocket from '@fastify/websocket';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DbHandle } from '@lexforum/db';
import Fastify, { type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { loadConfig, type Config } from './config.js';
import { systemClock, type Clock } from './lib/clock.js';
import { AppError } from './lib/errors.js';
import { serializerCompiler } from './lib/serializer.js';
import { validatorCompiler } from './lib/validator.js';
import { securityRoutes } from './modules/security/security.routes.js';
import { secondFactorRoutes } from './modules/second-factor/second-factor.routes.js';
import { accountRoutes } from './modules/account/account.routes.js';
import { adminRoutes } from './modules/admin/admin.routes.js';
import { mailQueueRoutes } from './modules/admin/mail-queue.routes.js';
import { unsubscribeRoutes } from './modules/mail/unsubscribe.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { emailLinkRoutes } from './modules/auth/email-links.routes.js';
import { reauthRoutes } from './modules/auth/reauth.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { memberRoutes } from './modules/members/members.routes.js';
import { notificationRoutes } from './modules/notifications/notifications.routes.js';
import { searchRoutes } from './modules/search/search.routes.js';
import { redactionRoutes } from './modules/redaction/redaction.routes.js';
import { referenceRoutes } from './modules/reference/reference.routes.js';
import { realtimeRoutes } from './modules/realtime/realtime.routes.js';
import { onSocketError } from './modules/realtime/socket-errors.js';
import { threadRoutes } from './modules/threads/threads.routes.js';
import { answerRoutes } from './modules/answers/answers.routes.js';
import { bookmarkRoutes } from './modules/bookmarks/bookmarks.routes.js';
import { conversationRoutes } from './modules/conversations/conversations.routes.js';
import { attachmentRoutes } from './modules/attachments/attachments.routes.js';
import { moderationRoutes } from './modules/moderation/moderation.routes.js';
import { passkeyRoutes } from './modules/passkeys/passkeys.routes.js';
import { vettingRoutes } from './modules/vetting/vetting.routes.js';
import authPlugin from './plugins/auth.js';
import budgetsPlugin from './plugins/budgets.js';
import compressPlugin from './plugins/compress.js';
import cookPlugin from './plugins/cook.js';
import searchPlugin from './plugins/search.js';
import securityHeadersPlugin from './plugins/security-headers.js';
import csrfPlugin from './plugins/csrf.js';
import dbPlugin from './plugins/db.js';
import docsPlugin from './plugins/docs.js';
import errorsPlugin from './plugins/errors.js';
import fanoutPlugin from './plugins/fanout.js';
import bookmarkRemindersPlugin from './plugins/bookmark-reminders.js';
import emailNotificationsPlugin from './plugins/email-notifications.js';
import attachmentsPlugin from './plugins/attachments.js';
import guardianPlugin from './plugins/guardian.js';
import mailPlugin from './plugins/mail.js';
import noStorePlugin from './plugins/no-store.js';
import realtimePlugin from './plugins/realtime.js';
import webPlugin from './plugins/web.js';

export interface BuildAppOptions {
  config?: Config;
  /** A database handle the caller owns (tests, CLI); otherwise one is opened from the config. */
  db?: DbHandle;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: Clock;
  }
}

/** Never written to logs: session cookies, credentials, tokens. */
export const LOG_REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.passwordHash',
];

/** A URL as logged: the values of secret-bearing query parameters (`?token=`, one-click unsubscribe) replaced. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

/**
 * Fastify's request serializer (the same fields), with the URL redacted: the unsubscribe endpoint
 * carries its token in the query (RFC 8058 needs it in the URL), and a request log is no place for it.
 */
const serializeRequest = (req: FastifyRequest) => ({
  method: req.method,
  url: redactUrl(req.url),
  version: [req.headers['accept-version']].flat()[0],
  host: req.host,
  remoteAddress: req.ip,
  remotePort: req.socket?.remotePort,
});

function withLogRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const base = logger === true ? {} : logger;
  return { ...base, serializers: { ...base.serializers, req: serializeRequest } };
}

export async function buildApp(options: BuildAppOptions = {}) {
  const config = options.config ?? loadConfig();
  const requestTimeout = config.REQUEST_TIMEOUT_SECONDS * 1000;
  const app = Fastify({
    logger: withLogRedaction(options.logger),
    // A request must arrive in full (headers and body) within REQUEST_TIMEOUT_SECONDS, or Node
    // answers 408 and closes the connection: a body trickled in byte by byte cannot hold a socket.
    // Fastify's default (0) turns Node's own limit off. Node checks its connections every
    // `connectionsCheckingInterval` (30 s by default), which would add up to 30 s to the bound.
    requestTimeout,
    http: {
      headersTimeout: Math.min(60_000, requestTimeout),
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(requestTimeout / 4))),
    },
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 256 * 1024,
    // Long path parameters reach the route schemas (which answer 400 in our error format) instead
    // of the router's own 414 in Fastify's format.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2000 },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorate('config', config);
  app.decorate('clock', options.clock ?? systemClock);

  // Tier 1, external plugins: they add hooks and decorators that everything after relies on
  // (cookies parsed, headers set, limits counted before any of our code runs).
  await app.register(securityHeadersPlugin, {
    helmet: {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      hsts: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'same-origin' },
      crossOriginEmbedderPolicy: false,
    },
  });
  await app.register(fastifyCookie);
  // API answers over 1 KiB compressed at low CPU cost (the web client is precompressed at build).
  await app.register(compressPlugin);
  await app.register(fastifyRateLimit, {
    global: true,
    max: config.RATE_LIMIT_PER_MINUTE,
    // The web client's hashed files are not counted: they are immutable, served precompressed from
    // disk, and a first visit loads a dozen of them (pages load their code on first use), so
    // counting them would spend a reader's allowance on the client itself.
    allowList: (request) => request.url.startsWith('/assets/'),
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'RATE_LIMITED', 'Too many requests. Please slow down and try again shortly.', {
        retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });
  // Client messages are small (hello, subscribe, ping): anything bigger is refused by ws itself,
  // and logged as the client's fault, not ours (socket-errors.ts).
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 16 * 1024 },
    errorHandler: (error, socket, request) => onSocketError(error, socket, request),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'LexForum API',
        description:
          'The API behind the LexForum web client. Cookie sessions; state-changing requests must be same-origin.',
        version: '0.1.0',
      },
    },
  });

  // Tier 2, app plugins: the error policy, storage, CSRF, authentication and authorization that
  // every feature module uses. CSRF runs before authentication so a forged request never touches
  // a session; the guardian needs the authenticated user; the realtime hub needs both; the API docs
  // are served behind them (API_DOCS=members asks the guardian). Mail needs only storage.
  await app.register(errorsPlugin);
  await app.register(dbPlugin, { handle: options.db });
  await app.register(mailPlugin);
  await app.register(csrfPlugin);
  await app.register(authPlugin);
  await app.register(budgetsPlugin);
  await app.register(guardianPlugin);
  await app.register(realtimePlugin);
  await app.register(fanoutPlugin);
  await app.register(bookmarkRemindersPlugin);
  await app.register(emailNotificationsPlugin);
  await app.register(cookPlugin);
  await app.register(searchPlugin);
  await app.register(attachmentsPlugin);
  await app.register(docsPlugin);

  // Tier 3, feature modules under /api, then the web client and its history fallback.
  await app.register(
    async (api) => {
      await api.register(noStorePlugin);
      await api.register(healthRoutes);
      await api.register(authRoutes);
      await api.register(emailLinkRoutes);
      await api.register(accountRoutes);
      await api.register(securityRoutes);
      await api.register(reauthRoutes);
      await api.register(passkeyRoutes);
      await api.register(secondFactorRoutes);
      await api.register(referenceRoutes);
      await api.register(vettingRoutes);
      await api.register(adminRoutes);
      await api.register(mailQueueRoutes);
      await api.register(unsubscribeRoutes);
      await api.register(auditRoutes);
      await api.register(memberRoutes);
      await api.register(notificationRoutes);
      await api.register(threadRoutes);
      await api.register(answerRoutes);
      await api.register(bookmarkRoutes);
      await api.register(conversationRoutes);
      await api.register(attachmentRoutes);
      await api.register(moderationRoutes);
      await api.register(redactionRoutes);
      await api.register(searchRoutes);
      await api.register(realtimeRoutes);
    },
    { prefix: '/api' },
  );
  await app.register(webPlugin);

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
export { loadConfig, type Config } from './config.js';
export type { Clock } from './lib/clock.js';
/** Test support: the pending state a right password opens (tests start the second step from it). */
export { createPendingSignIn } from './modules/auth/pending-sign-in.js';
/** Test support: request schemas compile on first use; this compiles every one handed out so far. */
export { compileAllValidators, validatorCount } from './lib/validator.js';
