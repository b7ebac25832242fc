/**
 * The one WebSocket endpoint. The upgrade is an ordinary GET through every hook first (rate limit
 * aside), so the session cookie is already validated; the checks below refuse it with an HTTP
 * status, before any socket exists, when the Origin is not the forum's own (a page elsewhere
 * cannot open a socket with our cookie), when nobody is signed in, or when the member already has
 * too many sockets open.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { REALTIME_PATH } from '@lexforum/shared';
import { AppError } from '../../lib/errors.js';
import { requireAuth } from '../../plugins/auth.js';
import { findThread } from '../threads/threads.repository.js';
import { unreadCount } from '../notifications/notifications.repository.js';
import { Connection } from './connection.js';
import { currentSeq, eventsSince } from './user-events.repository.js';

export const realtimeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { realtime } = app;
  const context = {
    hub: realtime.hub,
    replay: (userId: string, lastSeq: number | null) =>
      lastSeq === null
        ? { kind: 'replay' as const, seq: currentSeq(app.db, userId), events: [] }
        : eventsSince(app.db, userId, lastSeq, app.replayWindow()),
    unreadCount: (userId: string) => unreadCount(app.db, userId),
    threadExists: (threadId: string) => findThread(app.db, threadId) !== undefined,
    log: app.log,
  };

  app.get(
    REALTIME_PATH.replace(/^\/api/, ''),
    {
      websocket: true,
      // Sockets are long-lived and capped per member below; a reconnect storm after a restart is
      // legitimate and must not be answered with 429s.
      config: { rateLimit: false },
      schema: { tags: ['realtime'], summary: 'The WebSocket for pushes (see shared/src/realtime.ts)' },
      preValidation: async (request) => {
        if (request.headers.origin !== app.config.publicOrigin) {
          throw new AppError(403, 'CSRF_REJECTED', 'This connection did not come from the forum itself.');
        }
        const { user } = requireAuth(request);
        if (realtime.socketsOf(user.id) >= app.config.REALTIME_MAX_SOCKETS_PER_USER) {
          throw new AppError(429, 'RATE_LIMITED', 'Too many open connections. Close some tabs and try again.');
        }
      },
    },
    (socket, request) => {
      const { session } = requireAuth(request);
      const connection = new Connection(socket, session.id, request.guardian(), context);
      realtime.add(connection);
      socket.on('close', () => {
        connection.dispose();
        realtime.remove(connection);
      });
    },
  );
};
