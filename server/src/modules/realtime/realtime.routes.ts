/**
 * The one WebSocket endpoint. The upgrade is an ordinary GET through every hook first (with a rate
 * limit of its own), so the session cookie is already validated; the checks below refuse it with
 * an HTTP status, before any socket exists, when the Origin is not the forum's own (a page
 * elsewhere cannot open a socket with our cookie), when nobody is signed in, when the account is
 * suspended, or when the member already has too many sockets open.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { REALTIME_PATH, type UserEvent } from '@lexforum/shared';
import { threads } from '@lexforum/db';
import { eq, sql } from 'drizzle-orm';
import { AppError } from '../../lib/errors.js';
import { prepared } from '../../lib/prepared.js';
import { errorResponses } from '../../lib/schemas.js';
import { requireAuth } from '../../plugins/auth.js';
import { conversationEventsNow } from '../conversations/conversation-replay.js';
import { expandNotificationRefs } from '../notifications/fanout.js';
import { upgradeStoredEvent } from '../notifications/legacy-events.js';
import { withheldEvents } from '../notifications/notification-visibility.js';
import { unreadCount } from '../notifications/notifications.repository.js';
import { Connection } from './connection.js';
import { onSocketError, type SocketOrigin } from './socket-errors.js';
import { currentSeq, eventsSince } from './user-events.repository.js';

export const realtimeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { realtime } = app;
  const context = {
    hub: realtime.hub,
    replay: (userId: string, lastSeq: number | null) => {
      if (lastSeq === null) return { kind: 'replay' as const, seq: currentSeq(app.db, userId), events: [] };
      const replay = eventsSince(app.db, userId, lastSeq, app.replayWindow());
      return replay.kind === 'replay'
        ? {
            ...replay,
            // Copies of a direct message's text are told as the message reads now.
            events: conversationEventsNow(
              app.db,
              expandNotificationRefs(app.db, replay.events).map(upgradeStoredEvent),
            ),
          }
        : replay;
    },
    unreadCount: (userId: string) => unreadCount(app.db, userId),
    withheld: (userId: string, events: readonly { seq: number; event: UserEvent }[]) =>
      withheldEvents(app.db, userId, events),
    threadFacts: (threadId: string) =>
      prepared(app.db, 'realtime.threadFacts', () =>
        app.db
          .select({
            authorId: threads.authorId,
            state: threads.state,
            jurisdictions: threads.jurisdictions,
            lockedAt: threads.lockedAt,
          })
          .from(threads)
          .where(eq(threads.id, sql.placeholder('id')))
          .prepare(),
      )
        .all({ id: threadId })
        .map((t) => ({ authorId: t.authorId, state: t.state, jurisdictions: t.jurisdictions, locked: !!t.lockedAt }))
        .at(0),
    log: app.log,
    messagesPerSecond: app.config.REALTIME_MESSAGES_PER_SECOND,
  };

  app.route({
    method: 'GET',
    url: REALTIME_PATH.replace(/^\/api/, ''),
    // Its own limit, apart from the API's: a reconnect storm after a restart is legitimate and
    // must not eat the API's budget, but unbounded upgrade attempts are not.
    config: { rateLimit: { max: app.config.REALTIME_UPGRADES_PER_MINUTE, timeWindow: '1 minute' } },
    schema: {
      tags: ['realtime'],
      summary: 'The WebSocket for pushes (see shared/src/realtime.ts)',
      response: errorResponses(401, 403, 426, 429),
    },
    preValidation: async (request) => {
      if (request.headers.origin !== app.config.publicOrigin) {
        throw new AppError(403, 'CSRF_REJECTED', 'This connection did not come from the forum itself.');
      }
      const { user } = requireAuth(request);
      // Suspension ends the sessions too; this covers a session row that outlived it.
      if (user.status !== 'active') throw new AppError(403, 'SUSPENDED', 'This account is suspended.');
      if (realtime.socketsOf(user.id) >= app.config.REALTIME_MAX_SOCKETS_PER_USER) {
        throw new AppError(429, 'RATE_LIMITED', 'Too many open connections. Close some tabs and try again.');
      }
    },
    // A plain GET (no upgrade) gets the error envelope rather than an empty 404.
    handler: async () => {
      throw new AppError(426, 'UPGRADE_REQUIRED', 'This address is a WebSocket: open it with a WebSocket client.');
    },
    wsHandler: (socket, request) => {
      const { session } = requireAuth(request);
      const connection = new Connection(socket, session.id, request.guardian(), context);
      forgetUpgradeRequest(socket, request.raw.socket, { log: request.log, auth: { user: { id: connection.userId } } });
      realtime.add(connection);
      socket.on('close', () => {
        connection.dispose();
        realtime.remove(connection);
      });
    },
  });
};

/**
 * An open socket keeps nothing of the HTTP request that opened it. @fastify/websocket's `error`
 * listener holds the Fastify request and reply (with their raw request, response and headers) for
 * the socket's whole life, and Node's hijacked response stays attached to the TCP socket. The
 * listener is replaced by the same handler given only the logger and the member's id, and the
 * response is detached, as Node does when a response ends.
 */
function forgetUpgradeRequest(socket: WebSocket, tcp: Socket | null, origin: SocketOrigin): void {
  socket.removeAllListeners('error');
  socket.on('error', (error) => onSocketError(error, socket, origin));
  const response = (tcp as (Socket & { _httpMessage?: ServerResponse | null }) | null)?._httpMessage;
  if (tcp && response instanceof ServerResponse) response.detachSocket(tcp);
}
