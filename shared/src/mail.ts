/**
 * Email beyond the account links: the member's digest settings, the one-click unsubscribe of a
 * kind of email (RFC 8058), and the administrators' view of the mail queue.
 */
import Type from 'typebox';
import { NOTIFICATION_KINDS, type NotificationKind } from './notifications.js';

export const DIGEST_FREQUENCIES = ['off', 'daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/** Whether `zone` is an IANA time zone this runtime knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * When the digest comes: `daily` at `hour` (0-23) in `timeZone`, or `weekly` on `weekday`
 * (0 Sunday … 6 Saturday) at that hour; `off`, never. The hour is the member's wall-clock hour,
 * so it follows daylight-saving changes.
 */
export const DigestSettings = Type.Object(
  {
    frequency: Type.Enum(DIGEST_FREQUENCIES),
    weekday: Type.Integer({ minimum: 0, maximum: 6 }),
    hour: Type.Integer({ minimum: 0, maximum: 23 }),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type DigestSettings = Type.Static<typeof DigestSettings>;

export const DEFAULT_DIGEST_SETTINGS: DigestSettings = { frequency: 'off', weekday: 1, hour: 8, timeZone: 'UTC' };

/** What an unsubscribe link turns off: one kind of notification email, or the digest. */
export const UNSUBSCRIBE_KINDS = [...NOTIFICATION_KINDS, 'digest'] as const;
export type UnsubscribeKind = NotificationKind | 'digest';

export const UnsubscribeQuery = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type UnsubscribeQuery = Type.Static<typeof UnsubscribeQuery>;

/**
 * The body is ignored: mail clients post `List-Unsubscribe=One-Click` as a form (RFC 8058), the
 * forum's page posts nothing; the token in the URL says what to turn off.
 */
export const UnsubscribeBody = Type.Unknown();

export const UnsubscribeInfo = Type.Object({
  kind: Type.Enum(UNSUBSCRIBE_KINDS),
  /** Whether that email is off now. */
  unsubscribed: Type.Boolean(),
});
export type UnsubscribeInfo = Type.Static<typeof UnsubscribeInfo>;

export const MAIL_STATUSES = ['pending', 'sending', 'sent', 'failed', 'dropped'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export const AdminMailQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(MAIL_STATUSES)),
    /** The id of the last row of the previous page. */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type AdminMailQuery = Type.Static<typeof AdminMailQuery>;

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });

export const AdminMailRow = Type.Object({
  id: Type.Integer(),
  to: Type.String(),
  template: Type.String(),
  status: Type.Enum(MAIL_STATUSES),
  attempts: Type.Integer({ minimum: 0 }),
  /** The last delivery error, or why a message was dropped. */
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(Time),
  createdAt: Time,
  sentAt: Nullable(Time),
});
export type AdminMailRow = Type.Static<typeof AdminMailRow>;

export const AdminMailPage = Type.Object({
  counts: Type.Object({
    pending: Type.Integer({ minimum: 0 }),
    sending: Type.Integer({ minimum: 0 }),
    sent: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0 }),
    dropped: Type.Integer({ minimum: 0 }),
  }),
  rows: Type.Array(AdminMailRow),
  nextCursor: Nullable(Type.Integer()),
});
export type AdminMailPage = Type.Static<typeof AdminMailPage>;

export const AdminMailIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export type AdminMailIdParams = Type.Static<typeof AdminMailIdParams>;
