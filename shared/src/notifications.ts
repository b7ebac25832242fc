/** In-app notifications, stored per user (the real-time issue pushes them live). */
import Type from 'typebox';

export const NOTIFICATION_KINDS = [
  'application_submitted',
  'application_info_requested',
  'application_approved',
  'application_rejected',
  'role_changed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Notification = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(NOTIFICATION_KINDS),
  /** One line a person can read, written when the notification was created. */
  title: Type.String(),
  body: Nullable(Type.String()),
  /** Where opening it leads, a path inside the web client. */
  link: Nullable(Type.String()),
  readAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Notification = Type.Static<typeof Notification>;

export const NotificationQuery = Type.Object(
  {
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    unread: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NotificationQuery = Type.Static<typeof NotificationQuery>;

export const NotificationPage = Type.Object({
  notifications: Type.Array(Notification),
  unreadCount: Type.Integer({ minimum: 0 }),
  nextCursor: Nullable(Type.Integer()),
});
export type NotificationPage = Type.Static<typeof NotificationPage>;

export const UnreadCount = Type.Object({ unreadCount: Type.Integer({ minimum: 0 }) });
export type UnreadCount = Type.Static<typeof UnreadCount>;

export const NotificationIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export type NotificationIdParams = Type.Static<typeof NotificationIdParams>;
