/** In-app notifications, stored per user (the real-time issue pushes them live). */
import Type from 'typebox';
import type { Role } from './roles.js';

export const NOTIFICATION_KINDS = [
  'application_submitted',
  'application_info_requested',
  'application_approved',
  'application_rejected',
  'role_changed',
  'reply_to_post',
  'reply_in_followed_thread',
  'mention',
  'thread_in_followed_jurisdiction',
  'thread_in_followed_topic',
  'content_moderated',
  'moderation_warning',
  'report_resolved',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Where a kind of notification goes: `app` (the bell), `desktop` (the bell and, when the tab is
 * hidden and the member allowed it in the browser, a desktop notification) or `off` (nowhere).
 */
export const NOTIFICATION_CHANNELS = ['app', 'desktop', 'off'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** What a member gets until they choose otherwise: the personal kinds reach the desktop. */
export const DEFAULT_NOTIFICATION_CHANNELS: Readonly<Record<NotificationKind, NotificationChannel>> = {
  application_submitted: 'app',
  application_info_requested: 'desktop',
  application_approved: 'desktop',
  application_rejected: 'desktop',
  role_changed: 'app',
  reply_to_post: 'desktop',
  reply_in_followed_thread: 'app',
  mention: 'desktop',
  thread_in_followed_jurisdiction: 'app',
  thread_in_followed_topic: 'app',
  content_moderated: 'desktop',
  moderation_warning: 'desktop',
  report_resolved: 'app',
};

/**
 * When one post would notify a member for several reasons, they get one notification, of the
 * first kind in this order whose channel they have not turned off.
 */
export const POST_NOTIFICATION_PRIORITY = [
  'mention',
  'reply_to_post',
  'reply_in_followed_thread',
  'thread_in_followed_jurisdiction',
  'thread_in_followed_topic',
] as const satisfies readonly NotificationKind[];

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Notification = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(NOTIFICATION_KINDS),
  /** One line a person can read, written when the notification was created. */
  title: Type.String(),
  body: Nullable(Type.String()),
  /** Where opening it leads, a path inside the web client. */
  link: Nullable(Type.String()),
  /** Who caused it (the replying member, the deciding moderator), when that is a person. */
  actor: Nullable(Type.Object({ id: Type.String(), displayName: Type.String() })),
  /** The thread it is about, if any: lets the client mark it read when the thread is opened. */
  threadId: Nullable(Type.String()),
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

/**
 * The member's latest user-event number when a count was read. A client that also receives
 * pushes applies a count from an HTTP answer only if this is not older than the last push it
 * applied: answers and pushes can cross on the wire.
 */
const CountSeq = Type.Integer({ minimum: 0 });

export const NotificationPage = Type.Object({
  notifications: Type.Array(Notification),
  unreadCount: Type.Integer({ minimum: 0 }),
  nextCursor: Nullable(Type.Integer()),
  seq: CountSeq,
});
export type NotificationPage = Type.Static<typeof NotificationPage>;

export const UnreadCount = Type.Object({ unreadCount: Type.Integer({ minimum: 0 }), seq: CountSeq });
export type UnreadCount = Type.Static<typeof UnreadCount>;

export const NotificationIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export type NotificationIdParams = Type.Static<typeof NotificationIdParams>;

export const NotificationPreference = Type.Object({
  kind: Type.Enum(NOTIFICATION_KINDS),
  channel: Type.Enum(NOTIFICATION_CHANNELS),
});
export type NotificationPreference = Type.Static<typeof NotificationPreference>;

/** Every kind the member can receive, with its channel (defaults filled in). */
export const NotificationPreferences = Type.Object({ preferences: Type.Array(NotificationPreference) });
export type NotificationPreferences = Type.Static<typeof NotificationPreferences>;

export const UpdateNotificationPreferencesBody = Type.Object(
  { preferences: Type.Array(NotificationPreference, { minItems: 1, maxItems: NOTIFICATION_KINDS.length }) },
  { additionalProperties: false },
);
export type UpdateNotificationPreferencesBody = Type.Static<typeof UpdateNotificationPreferencesBody>;

/** Kinds a role can receive: applicants hear only about their own application. */
export function notificationKindsFor(role: Role): NotificationKind[] {
  const applicant: NotificationKind[] = [
    'application_info_requested',
    'application_approved',
    'application_rejected',
    'role_changed',
  ];
  if (role === 'applicant') return applicant;
  const forum: NotificationKind[] = [
    'mention',
    'reply_to_post',
    'reply_in_followed_thread',
    'thread_in_followed_jurisdiction',
    'thread_in_followed_topic',
    'content_moderated',
    'moderation_warning',
    'report_resolved',
    'role_changed',
  ];
  return role === 'member' ? forum : ['application_submitted', ...forum];
}
