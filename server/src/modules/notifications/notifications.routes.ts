import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  DigestSettings,
  isTimeZone,
  NotificationIdParams,
  NotificationPage,
  NotificationPreferences,
  NotificationQuery,
  UnreadCount,
  UpdateNotificationPreferencesBody,
  notificationKindsFor,
} from '@lexforum/shared';
import { AppError, notFound } from '../../lib/errors.js';
import { errorResponses } from '../../lib/schemas.js';
import { snapshot } from '../../lib/snapshot.js';
import { requireAuth } from '../../plugins/auth.js';
import { readDigestSettings, saveDigestSettings } from '../mail/digest-settings.js';
import { transact } from '../realtime/outbox.js';
import { currentSeq } from '../realtime/user-events.repository.js';
import {
  listNotifications,
  listPreferences,
  markAllRead,
  markRead,
  savePreferences,
  unreadCount,
} from './notifications.repository.js';

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
      // One snapshot: the page, the count and the sequence number agree.
      return snapshot(app.db, () => ({
        ...listNotifications(app.db, user.id, request.query),
        unreadCount: unreadCount(app.db, user.id),
        seq: currentSeq(app.db, user.id),
      }));
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
      return transact(app.db, app.realtime, (tx, outbox) => {
        if (!markRead(tx, outbox, user.id, request.params.id, app.clock.now())) throw notFound('That notification');
        return { unreadCount: unreadCount(tx, user.id), seq: currentSeq(tx, user.id) };
      });
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
      return transact(app.db, app.realtime, (tx, outbox) => {
        markAllRead(tx, outbox, user.id, app.clock.now());
        return { unreadCount: 0, seq: currentSeq(tx, user.id) };
      });
    },
  );

  app.get(
    '/notifications/preferences',
    {
      schema: {
        tags,
        summary: 'Where each kind of notification goes (in app, on the desktop, off)',
        response: { 200: NotificationPreferences, ...errorResponses(401) },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      return { preferences: listPreferences(app.db, user.id, notificationKindsFor(user.role)) };
    },
  );

  app.put(
    '/notifications/preferences',
    {
      schema: {
        tags,
        summary: 'Change where some kinds of notification go',
        body: UpdateNotificationPreferencesBody,
        response: { 200: NotificationPreferences, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      const allowed = notificationKindsFor(user.role);
      const issues = request.body.preferences.flatMap((p, i) =>
        allowed.includes(p.kind) ? [] : [{ path: `/preferences/${i}/kind`, message: 'You do not receive this kind.' }],
      );
      const kinds = request.body.preferences.map((p) => p.kind);
      kinds.forEach((kind, i) => {
        if (kinds.indexOf(kind) !== i) issues.push({ path: `/preferences/${i}/kind`, message: 'Listed twice.' });
      });
      if (issues.length > 0) {
        throw new AppError(400, 'VALIDATION_FAILED', 'Some preferences could not be saved.', { issues });
      }
      app.db.transaction((tx) => savePreferences(tx, user.id, request.body.preferences, app.clock.now()));
      return { preferences: listPreferences(app.db, user.id, allowed) };
    },
  );

  app.get(
    '/notifications/digest',
    {
      schema: {
        tags,
        summary: 'When your email digest comes (off, daily or weekly; hour and time zone)',
        response: { 200: DigestSettings, ...errorResponses(401) },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      return readDigestSettings(app.db, user.id);
    },
  );

  app.put(
    '/notifications/digest',
    {
      schema: {
        tags,
        summary: 'Change when your email digest comes',
        body: DigestSettings,
        response: { 200: DigestSettings, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { user } = requireAuth(request);
      if (!isTimeZone(request.body.timeZone)) {
        throw new AppError(400, 'VALIDATION_FAILED', 'That is not a time zone.', {
          issues: [{ path: '/timeZone', message: 'Not a known IANA time zone.' }],
        });
      }
      app.db.transaction((tx) => saveDigestSettings(tx, user.id, request.body, app.clock.now()));
      return readDigestSettings(app.db, user.id);
    },
  );
};
