/** In-app notifications, stored per user (the real-time issue pushes them live). */
import Type from 'typebox';
import { ROLES, type Role } from './roles.js';
import { SUBMISSION_KINDS, THREAD_KINDS } from './threads.js';

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
  'answer_accepted',
  'bookmark_reminder',
  'question_for_jurisdiction',
  'direct_message',
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
  answer_accepted: 'desktop',
  bookmark_reminder: 'desktop',
  question_for_jurisdiction: 'app',
  direct_message: 'desktop',
};

/**
 * When one post would notify a member for several reasons, they get one notification, of the
 * first kind in this order whose channel they have not turned off.
 */
export const POST_NOTIFICATION_PRIORITY = [
  'mention',
  'question_for_jurisdiction',
  'reply_to_post',
  'reply_in_followed_thread',
  'thread_in_followed_jurisdiction',
  'thread_in_followed_topic',
] as const satisfies readonly NotificationKind[];

/**
 * Whether a kind of notification also comes by email: `off`; `immediate`, one email per thread
 * when it is still unread in the app EMAIL_NOTIFY_DELAY_MINUTES after it was made; or `digest`,
 * gathered into the member's daily or weekly digest.
 */
export const EMAIL_CHOICES = ['off', 'immediate', 'digest'] as const;
export type EmailChoice = (typeof EMAIL_CHOICES)[number];

/**
 * Little mail by default (a judge does not want much): what is addressed to the member personally
 * or decides something about them comes at once; what they follow waits for the digest; the
 * rest (reminders they set, reports, new applications for staff) only in the app. A record over
 * every kind, so a new kind is a type error here until it is given its default.
 */
export const DEFAULT_EMAIL_CHOICES: Readonly<Record<NotificationKind, EmailChoice>> = {
  application_submitted: 'off',
  application_info_requested: 'immediate',
  application_approved: 'immediate',
  application_rejected: 'immediate',
  role_changed: 'immediate',
  reply_to_post: 'immediate',
  reply_in_followed_thread: 'digest',
  mention: 'immediate',
  thread_in_followed_jurisdiction: 'digest',
  thread_in_followed_topic: 'digest',
  content_moderated: 'immediate',
  moderation_warning: 'immediate',
  report_resolved: 'off',
  answer_accepted: 'immediate',
  bookmark_reminder: 'off',
  question_for_jurisdiction: 'digest',
  direct_message: 'immediate',
};

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * What a moderation notice to an author says was done (`content_moderated`, `moderation_warning`):
 * the client words each one in the reader's language.
 */
export const MODERATION_NOTICE_ACTIONS = [
  'auto_hide',
  'hide',
  'delete',
  'restore',
  'reviewed_restore',
  'warn',
  'move',
  'edit',
  'retag',
  'redact',
  'lock',
  'unlock',
  'pin',
  'unpin',
  'resolve',
  'unresolve',
  'approve',
  'reject',
  'review',
] as const;
export type ModerationNoticeAction = (typeof MODERATION_NOTICE_ACTIONS)[number];

export const REPORT_OUTCOMES = ['upheld', 'dismissed'] as const;

/**
 * Small enumerated facts a notification is worded with, stored as data (never a sentence): which
 * moderation action, which kind of held submission, the new role, and so on. Which apply depends
 * on the kind; the web client has a wording for every kind × value.
 */
export const NotificationParams = Type.Object({
  /** content_moderated, moderation_warning: what a moderator (or the system) did. */
  action: Type.Optional(Type.Enum(MODERATION_NOTICE_ACTIONS)),
  /** action approve / reject: what was held for review. */
  submission: Type.Optional(Type.Enum(SUBMISSION_KINDS)),
  /** action review: whether the member's posts now wait for review. */
  underReview: Type.Optional(Type.Boolean()),
  /** role_changed: the new role. */
  role: Type.Optional(Type.Enum(ROLES)),
  /** application_submitted: the applicant answered a moderator's question (not a new application). */
  answered: Type.Optional(Type.Boolean()),
  /** report_resolved: whether the moderators acted on the post. */
  outcome: Type.Optional(Type.Enum(REPORT_OUTCOMES)),
  /** thread_in_followed_*: the new thread's kind. */
  threadKind: Type.Optional(Type.Enum(THREAD_KINDS)),
  /**
   * thread_in_followed_jurisdiction: the followed jurisdiction's code; question_for_jurisdiction and
   * answer_accepted (comparative questions): the jurisdiction asked (the client names it).
   */
  jurisdiction: Type.Optional(Type.String()),
  /** thread_in_followed_topic: the followed topic's code (the client names it). */
  topic: Type.Optional(Type.String()),
});
export type NotificationParams = Type.Static<typeof NotificationParams>;

export const Notification = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(NOTIFICATION_KINDS),
  /** The title of what it is about (a thread), as its author wrote it; the client isolates it. */
  subject: Nullable(Type.String()),
  /** The facts it is worded with in the reader's language. */
  params: NotificationParams,
  /**
   * Notifications made before they were stored as data carry the English sentence they were
   * written with; the client shows it when it has nothing else. Null for every new one.
   */
  legacyTitle: Nullable(Type.String()),
  /** What the member wrote or was told, verbatim (a post excerpt, a moderator's note). */
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
  email: Type.Enum(EMAIL_CHOICES),
});
export type NotificationPreference = Type.Static<typeof NotificationPreference>;

/** A change of one kind's preferences: its channel, and its email choice when given. */
export const NotificationPreferenceChange = Type.Object(
  {
    kind: Type.Enum(NOTIFICATION_KINDS),
    channel: Type.Enum(NOTIFICATION_CHANNELS),
    email: Type.Optional(Type.Enum(EMAIL_CHOICES)),
  },
  { additionalProperties: false },
);
export type NotificationPreferenceChange = Type.Static<typeof NotificationPreferenceChange>;

/** Every kind the member can receive, with its channel (defaults filled in). */
export const NotificationPreferences = Type.Object({ preferences: Type.Array(NotificationPreference) });
export type NotificationPreferences = Type.Static<typeof NotificationPreferences>;

export const UpdateNotificationPreferencesBody = Type.Object(
  { preferences: Type.Array(NotificationPreferenceChange, { minItems: 1, maxItems: NOTIFICATION_KINDS.length }) },
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
    'answer_accepted',
    'bookmark_reminder',
    'question_for_jurisdiction',
    'direct_message',
    'role_changed',
  ];
  return role === 'member' ? forum : ['application_submitted', ...forum];
}
