import { sql } from 'drizzle-orm';
import { blob, check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Enumerations mirror @lexforum/shared (db depends on nothing of ours, so they are restated here;
// tests/db/schema.test.ts checks that the two lists agree).
export const roleValues = ['applicant', 'member', 'moderator', 'admin'] as const;
export const userStatusValues = ['active', 'suspended'] as const;
export const professionValues = [
  'judge',
  'prosecutor',
  'investigating_magistrate',
  'law_enforcement_investigator',
  'customs_officer',
  'government_legal_adviser',
  'international_official',
  'academic',
  'private_sector_counsel',
  'other',
] as const;
export const applicationStatusValues = [
  'draft',
  'submitted',
  'info_requested',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export const applicationEventKindValues = [
  'submitted',
  'info_requested',
  'answered',
  'approval',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export const notificationKindValues = [
  'application_submitted',
  'application_info_requested',
  'application_approved',
  'application_rejected',
  'role_changed',
] as const;
export const jurisdictionKindValues = ['country', 'territory', 'regional', 'international'] as const;
export const instrumentKindValues = ['convention', 'protocol', 'agreement', 'regulation', 'directive'] as const;

/** A fixed list of enum literals as SQL, for CHECK constraints (literals are ours, never input). */
function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

export const jurisdictions = sqliteTable('jurisdictions', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: jurisdictionKindValues }).notNull(),
  region: text('region').notNull(),
  sortOrder: integer('sort_order').notNull(),
});

export const topics = sqliteTable('topics', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  sortOrder: integer('sort_order').notNull(),
});

export const instruments = sqliteTable('instruments', {
  slug: text('slug').primaryKey(),
  shortName: text('short_name').notNull(),
  title: text('title').notNull(),
  year: integer('year').notNull(),
  kind: text('kind', { enum: instrumentKindValues }).notNull(),
  body: text('body').notNull(),
  sortOrder: integer('sort_order').notNull(),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** As the user typed it (trimmed). Uniqueness is case-insensitive through the index below. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: roleValues }).notNull().default('applicant'),
    status: text('status', { enum: userStatusValues }).notNull().default('active'),
    // Verified professional details, written by vetting; null for applicants.
    profession: text('profession', { enum: professionValues }),
    position: text('position'),
    institution: text('institution'),
    jurisdictionCode: text('jurisdiction_code').references(() => jurisdictions.code),
    /** Jurisdiction codes of further expertise and ISO 639-1 working languages, JSON arrays. */
    otherJurisdictions: text('other_jurisdictions', { mode: 'json' }).$type<string[]>().notNull().default([]),
    languages: text('languages', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** Set by the approval that verified the member and by each re-verification. */
    verifiedAt: integer('verified_at', { mode: 'timestamp_ms' }),
    verifiedById: text('verified_by_id'),
    suspendedAt: integer('suspended_at', { mode: 'timestamp_ms' }),
    suspendedReason: text('suspended_reason'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('users_jurisdiction_idx').on(t.jurisdictionCode),
    index('users_institution_idx').on(sql`lower(${t.institution})`),
    // Addresses are ASCII-only (shared/validation), so SQLite's ASCII lower() is a full case fold.
    uniqueIndex('users_email_lower_unique').on(sql`lower(${t.email})`),
    index('users_role_idx').on(t.role),
    check('users_role_check', sql.raw(`role in (${sqlList(roleValues)})`)),
    check('users_status_check', sql.raw(`status in (${sqlList(userStatusValues)})`)),
  ],
);

/** The Lucia guide's session table: the id is public, only a SHA-256 of the secret is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** Last time the session was used (refreshed at most once a minute); drives the idle timeout. */
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** One application per account; a withdrawn one can be reopened as a draft. */
export const applications = sqliteTable(
  'applications',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: applicationStatusValues }).notNull().default('draft'),
    profession: text('profession', { enum: professionValues }),
    position: text('position'),
    institution: text('institution'),
    jurisdictionCode: text('jurisdiction_code').references(() => jurisdictions.code),
    otherJurisdictions: text('other_jurisdictions', { mode: 'json' }).$type<string[]>().notNull().default([]),
    languages: text('languages', { mode: 'json' }).$type<string[]>().notNull().default([]),
    professionalEmail: text('professional_email'),
    expertise: text('expertise'),
    reason: text('reason'),
    refereeName: text('referee_name'),
    refereePosition: text('referee_position'),
    refereeEmail: text('referee_email'),
    pendingQuestion: text('pending_question'),
    rejectionReason: text('rejection_reason'),
    claimedById: text('claimed_by_id').references(() => users.id),
    claimedUntil: integer('claimed_until', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    /** The latest (re)submission: the queue is ordered by it, oldest first. */
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
    decidedById: text('decided_by_id').references(() => users.id),
  },
  (t) => [
    uniqueIndex('applications_user_unique').on(t.userId),
    index('applications_queue_idx').on(t.status, t.submittedAt),
    index('applications_jurisdiction_idx').on(t.jurisdictionCode, t.status),
    check('applications_status_check', sql.raw(`status in (${sqlList(applicationStatusValues)})`)),
  ],
);

/** The history of an application: submissions, questions, answers, approvals and decisions. */
export const applicationEvents = sqliteTable(
  'application_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: text('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    actorId: text('actor_id').references(() => users.id),
    kind: text('kind', { enum: applicationEventKindValues }).notNull(),
    message: text('message'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('application_events_application_idx').on(t.applicationId, t.id),
    check('application_events_kind_check', sql.raw(`kind in (${sqlList(applicationEventKindValues)})`)),
  ],
);

/** The jurisdictions a moderator vets and moderates, assigned by an admin. */
export const moderatorJurisdictions = sqliteTable(
  'moderator_jurisdictions',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    jurisdictionCode: text('jurisdiction_code')
      .notNull()
      .references(() => jurisdictions.code),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.jurisdictionCode] }),
    index('moderator_jurisdictions_code_idx').on(t.jurisdictionCode),
  ],
);

/**
 * Append-only: triggers in the migration refuse UPDATE and DELETE, so not even a bug in our
 * code can rewrite history. Actor and target are plain ids (no foreign keys) for the same reason.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    targetUserId: text('target_user_id'),
    /** The jurisdiction the action concerns: moderators see the entries of theirs. */
    jurisdictionCode: text('jurisdiction_code'),
    reason: text('reason'),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('audit_log_actor_idx').on(t.actorId, t.id),
    index('audit_log_target_user_idx').on(t.targetUserId, t.id),
    index('audit_log_action_idx').on(t.action, t.id),
    index('audit_log_jurisdiction_idx').on(t.jurisdictionCode, t.id),
  ],
);

export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: notificationKindValues }).notNull(),
    title: text('title').notNull(),
    body: text('body'),
    link: text('link'),
    readAt: integer('read_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.id),
    index('notifications_unread_idx')
      .on(t.userId)
      .where(sql`read_at is null`),
  ],
);

/** Instance settings an admin changes at run time (JSON values; defaults live in shared). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  updatedById: text('updated_by_id'),
});

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
export type SessionRow = typeof sessions.$inferSelect;
export type JurisdictionRow = typeof jurisdictions.$inferSelect;
export type TopicRow = typeof topics.$inferSelect;
export type InstrumentRow = typeof instruments.$inferSelect;
export type ApplicationRow = typeof applications.$inferSelect;
export type NewApplicationRow = typeof applications.$inferInsert;
export type ApplicationEventRow = typeof applicationEvents.$inferSelect;
export type AuditLogRow = typeof auditLog.$inferSelect;
export type NewAuditLogRow = typeof auditLog.$inferInsert;
export type NotificationRow = typeof notifications.$inferSelect;
