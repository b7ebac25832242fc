import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotificationIdParams, NotificationPage, NotificationQuery, UnreadCount } from '@lexforum/shared';
import { notFound } from '../../lib/errors.js';
import { errorResponses } from '../../lib/schemas.js';
import { requireAuth } from '../../plugins/auth.js';
import { listNotifications, markAllRead, markRead, unreadCount } from './notifications.repository.js';

/**
 * Every signed-in account has its own notifications, applicants included (decisions on their
 * application reach them here). Nobody can read or mark another's: ids are scoped by owner.
 */
export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['notifications'];

  app.get(
    '/notifications',
    {
      schema: {
        tags,
        summary: 'Your notifications, newest first, with the unread count',
        querystring: NotificationQuery,
        response: { 200: NotificationPage, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const page = listNotifications(app.db, user.id, request.query);
      return { ...page, unreadCount: unreadCount(app.db, user.id) };
    },
  );

  app.post(
    '/notifications/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark one notification read',
        params: NotificationIdParams,
        response: { 200: UnreadCount, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      if (!markRead(app.db, user.id, request.params.id, app.clock.now())) throw notFound('That notification');
      return { unreadCount: unreadCount(app.db, user.id) };
    },
  );

  app.post(
    '/notifications/read-all',
    {
      schema: {
        tags,
        summary: 'Mark every notification read',
        response: { 200: UnreadCount, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      markAllRead(app.db, user.id, app.clock.now());
      return { unreadCount: 0 };
    },
  );
};
