/** The append-only audit log: who did what to whom, when, why, and what changed. */
import Type from 'typebox';
import { Person } from './vetting.js';

export const AUDIT_ACTIONS = [
  'application.submit',
  'application.answer',
  'application.withdraw',
  'application.claim',
  'application.release',
  'application.request_info',
  'application.approval',
  'application.approve',
  'application.reject',
  'member.reverify',
  'user.role_change',
  'user.jurisdictions_change',
  'user.suspend',
  'user.reinstate',
  'settings.change',
  'review.claim',
  'review.release',
  'submission.approve',
  'submission.reject',
  'report.dismiss',
  'post.hide',
  'post.auto_hide',
  'post.restore',
  'post.edit',
  'post.delete',
  'post.move',
  'post.redact',
  /** A reported direct message hidden from the review queue (the entry names it, never its text). */
  'message.hide',
  'user.warn',
  'user.review',
  'thread.lock',
  'thread.unlock',
  'thread.pin',
  'thread.unpin',
  'thread.retag',
  'thread.retitle_redact',
  'thread.resolve',
  'thread.unresolve',
  'thread.accept_answer',
  'thread.unaccept_answer',
  // One per security event kind (security.ts), written with the member's own record of it.
  'security.sign_in',
  'security.sign_in_new_device',
  'security.second_factor_failed',
  'security.password_changed',
  'security.password_reset',
  'security.password_reset_sent_by_admin',
  'security.email_verified',
  'security.email_changed',
  'security.totp_enabled',
  'security.totp_disabled',
  'security.recovery_codes_generated',
  'security.recovery_code_used',
  'security.passkey_added',
  'security.passkey_removed',
  'security.second_factor_reset',
  'security.sessions_ended',
  // An administrator put a failed email back in the mail queue.
  'mail.retry',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_TARGET_TYPES = [
  'application',
  'user',
  'settings',
  'post',
  'thread',
  'review',
  'message',
  'mail',
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  action: Type.Enum(AUDIT_ACTIONS),
  actor: Nullable(Person),
  targetType: Type.Enum(AUDIT_TARGET_TYPES),
  targetId: Nullable(Type.String()),
  /** The user the action concerned (the applicant, for application actions). */
  targetUser: Nullable(Person),
  jurisdictionCode: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  createdAt: Timestamp,
});
export type AuditEntry = Type.Static<typeof AuditEntry>;

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD (UTC), inclusive' });

export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 64 })),
    action: Type.Optional(Type.Enum(AUDIT_ACTIONS)),
    /** A user id: entries whose target user is this user. */
    target: Type.Optional(Type.String({ maxLength: 64 })),
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    /** Entries older than this id (the `nextCursor` of the previous page). */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Type.Static<typeof AuditQuery>;

export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry),
  nextCursor: Nullable(Type.Integer()),
});
export type AuditPage = Type.Static<typeof AuditPage>;
