import { sql } from 'drizzle-orm';
import {
  blob,
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';

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
export const notificationChannelValues = ['app', 'desktop', 'off'] as const;
export const emailChoiceValues = ['off', 'immediate', 'digest'] as const;
export const digestFrequencyValues = ['off', 'daily', 'weekly'] as const;
export const threadKindValues = ['discussion', 'question', 'case_note', 'legal_analysis'] as const;
export const followTargetValues = ['thread', 'jurisdiction', 'topic', 'instrument'] as const;
export const postStateValues = ['visible', 'hidden', 'deleted'] as const;
export const reviewKindValues = ['post', 'submission', 'message'] as const;
export const messagingAllowFromValues = ['verified', 'jurisdictions', 'nobody'] as const;
export const messageStateValues = ['visible', 'deleted', 'hidden'] as const;
export const reviewStatusValues = ['open', 'closed'] as const;
export const reportReasonValues = [
  'confidential_data',
  'off_topic',
  'inaccurate_law',
  'disrespectful',
  'spam',
  'other',
] as const;
export const reportStatusValues = ['open', 'upheld', 'dismissed'] as const;
export const redactionKindValues = ['span', 'version', 'title'] as const;
export const jurisdictionKindValues = ['country', 'territory', 'regional', 'international'] as const;
export const instrumentKindValues = ['convention', 'protocol', 'agreement', 'regulation', 'directive'] as const;

/** A fixed list of enum literals as SQL, for CHECK constraints (literals are ours, never input). */
function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

/** Names of a reference row in another interface language, by locale code. */
export type ReferenceTranslations = Partial<Record<string, Record<string, string>>>;

export const jurisdictions = sqliteTable('jurisdictions', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: jurisdictionKindValues }).notNull(),
  region: text('region').notNull(),
  sortOrder: integer('sort_order').notNull(),
  /** Official names in the other interface languages, `{ fr: { name }, ... }` (countries use Intl). */
  translations: text('translations', { mode: 'json' }).$type<ReferenceTranslations>().notNull().default({}),
});

export const topics = sqliteTable('topics', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  sortOrder: integer('sort_order').notNull(),
  /** `{ fr: { name, description }, ... }` for the other interface languages. */
  translations: text('translations', { mode: 'json' }).$type<ReferenceTranslations>().notNull().default({}),
});

export const instruments = sqliteTable('instruments', {
  slug: text('slug').primaryKey(),
  shortName: text('short_name').notNull(),
  title: text('title').notNull(),
  year: integer('year').notNull(),
  kind: text('kind', { enum: instrumentKindValues }).notNull(),
  body: text('body').notNull(),
  sortOrder: integer('sort_order').notNull(),
  /** `{ fr: { shortName, title, body }, ... }`: official titles in the other interface languages. */
  translations: text('translations', { mode: 'json' }).$type<ReferenceTranslations>().notNull().default({}),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** As the user typed it (trimmed). Uniqueness is case-insensitive through the index below. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    /**
     * What `@name` in a post refers to: lower-case, unique, given from the display name when the
     * account is made (db/src/usernames.ts). Nullable only so the migration could add it;
     * `migrate()` fills any gap.
     */
    username: text('username'),
    /** The last sequence number given to one of this user's events (`user_events`). */
    eventSeq: integer('event_seq').notNull().default(0),
    /**
     * How many of this user's notifications are unread and visible to them now (the rule of
     * server/src/modules/notifications/notification-visibility.ts). Kept by triggers in the same
     * statement as every write it depends on (migration 0013), so a count is read, never recounted.
     */
    unreadNotifications: integer('unread_notifications').notNull().default(0),
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
    /** Placed under review by a moderator: every post waits for approval until it is lifted. */
    underReview: integer('under_review', { mode: 'boolean' }).notNull().default(false),
    /**
     * UTS #39 confusable skeleton of the display name (and of the username), so a name that looks
     * like another member's can be found by an index. Filled by the server for rows made before it.
     */
    nameSkeleton: text('name_skeleton'),
    /** Interface language (`en`, `fr`, `es`, `ar`) chosen by the user; null until first chosen. */
    locale: text('locale'),
    /** When the owner proved the address by opening a link sent to it; null until then. */
    emailVerifiedAt: integer('email_verified_at', { mode: 'timestamp_ms' }),
    /**
     * Whether the account has a second factor (a confirmed TOTP key or at least one passkey), kept
     * in the transaction of every factor change so the per-request session read decides staff
     * enforcement without another query.
     */
    secondFactor: integer('second_factor', { mode: 'boolean' }).notNull().default(false),
    /** The TOTP key (RFC 6238, 20 random bytes), once confirmed; null without TOTP. */
    totpKey: blob('totp_key', { mode: 'buffer' }),
    totpEnabledAt: integer('totp_enabled_at', { mode: 'timestamp_ms' }),
    /** The last time step whose code was accepted: a code of that step or earlier is a replay. */
    totpLastStep: integer('totp_last_step'),
    /** Who may start a conversation with this member (direct messages; its route's schema checks it). */
    messagingAllowFrom: text('messaging_allow_from', { enum: messagingAllowFromValues }).notNull().default('verified'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('users_jurisdiction_idx').on(t.jurisdictionCode),
    index('users_institution_idx').on(sql`lower(${t.institution})`),
    // Addresses are ASCII-only (shared/validation), so SQLite's ASCII lower() is a full case fold.
    uniqueIndex('users_email_lower_unique').on(sql`lower(${t.email})`),
    uniqueIndex('users_username_unique').on(t.username),
    index('users_name_skeleton_idx').on(t.nameSkeleton),
    index('users_role_idx').on(t.role),
    check('users_role_check', sql.raw(`role in (${sqlList(roleValues)})`)),
    check('users_status_check', sql.raw(`status in (${sqlList(userStatusValues)})`)),
    check(
      'users_messaging_allow_from_check',
      sql.raw(`messaging_allow_from in (${sqlList(messagingAllowFromValues)})`),
    ),
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
    /**
     * Last time the user proved who they are in this session (sign-in, or the password or a second
     * factor asked again): sensitive actions need it recent. Null only for rows made before it.
     */
    reauthAt: integer('reauth_at', { mode: 'timestamp_ms' }),
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
    /**
     * Set when a redaction scrubbed text out of `before`/`after`: the only change the append-only
     * trigger lets through (migration 0005), and only together with this mark.
     */
    redactedAt: integer('redacted_at', { mode: 'timestamp_ms' }),
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
    /**
     * Legacy: the English sentence notifications carried before they were stored as data. New rows
     * leave it null; the client words a notification from kind, actor, subject and params.
     */
    title: text('title'),
    /** What the member wrote or was told, verbatim (a post excerpt, a moderator's note). */
    body: text('body'),
    /** The title of what it is about (a thread, an application), as its author wrote it. */
    subject: text('subject'),
    /** Small enumerated facts the client words it with (`{ action: 'hide', submission: 'reply' }`). */
    params: text('params', { mode: 'json' }).$type<Record<string, string | number | boolean>>(),
    link: text('link'),
    /** Who caused it, when a person did. */
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** The thread and post it is about: reading them marks it read, and hiding them hides it. */
    threadId: text('thread_id').references((): AnySQLiteColumn => threads.id, { onDelete: 'cascade' }),
    postId: text('post_id').references((): AnySQLiteColumn => posts.id, { onDelete: 'cascade' }),
    /** direct_message: the latest message it is about (the rule hides it once gone or left). */
    messageId: text('message_id').references((): AnySQLiteColumn => directMessages.id, { onDelete: 'cascade' }),
    readAt: integer('read_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.id),
    index('notifications_thread_idx').on(t.userId, t.threadId),
    index('notifications_unread_idx')
      .on(t.userId)
      .where(sql`read_at is null`),
    // Unread notifications about a post, and about a thread alone (no post: few, so a reply's
    // notifications cost this index nothing): hiding it recounts their readers.
    index('notifications_unread_post_idx')
      .on(t.postId)
      .where(sql`read_at is null`),
    index('notifications_unread_thread_only_idx')
      .on(t.threadId)
      .where(sql`read_at is null and post_id is null`),
    index('notifications_unread_message_idx')
      .on(t.messageId)
      .where(sql`read_at is null and message_id is not null`),
  ],
);

/** Instance settings an admin changes at run time (JSON values; defaults live in shared). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  updatedById: text('updated_by_id'),
});

/**
 * A thread. Its tags are kept twice: in the join tables below, indexed for filtering, and as JSON
 * here for display, so a page of the list is one query however many tags each thread has. Both
 * are written in the same transaction. Counters are updated in the transaction of the post they
 * count.
 */
export const threads = sqliteTable(
  'threads',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: threadKindValues }).notNull(),
    title: text('title').notNull(),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    jurisdictions: text('jurisdictions', { mode: 'json' }).$type<string[]>().notNull(),
    topics: text('topics', { mode: 'json' }).$type<string[]>().notNull(),
    citations: text('citations', { mode: 'json' })
      .$type<{ instrument: string; provision: string | null }[]>()
      .notNull(),
    /** Legal analyses: the date the law is stated as at. */
    lawAsOf: text('law_as_of'),
    /** The language the thread is written in (ISO 639-1), chosen in the composer. */
    language: text('language').notNull().default('en'),
    personalCapacity: integer('personal_capacity', { mode: 'boolean' }).notNull().default(false),
    /**
     * A comparative question: asked of each of its jurisdictions (two or more), answered and
     * accepted per jurisdiction. Only questions; set when the thread is started.
     */
    comparative: integer('comparative', { mode: 'boolean' }).notNull().default(false),
    postCount: integer('post_count').notNull().default(0),
    participantCount: integer('participant_count').notNull().default(0),
    /**
     * Post numbers without a visible post (hidden, deleted, or moved to another thread): they are
     * not counted as replies (`post_count` stays the highest number).
     */
    hiddenCount: integer('hidden_count').notNull().default(0),
    /** The opening post's state: a thread whose opening post is hidden or deleted leaves the list. */
    state: text('state', { enum: postStateValues }).notNull().default('visible'),
    lockedAt: integer('locked_at', { mode: 'timestamp_ms' }),
    lockedById: text('locked_by_id').references(() => users.id, { onDelete: 'set null' }),
    lockReason: text('lock_reason'),
    /** Pinned: '*' globally, or a jurisdiction code (one of the thread's). */
    pinScope: text('pin_scope'),
    pinnedAt: integer('pinned_at', { mode: 'timestamp_ms' }),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
    resolvedById: text('resolved_by_id').references(() => users.id, { onDelete: 'set null' }),
    resolveReason: text('resolve_reason'),
    lastPostAt: integer('last_post_at', { mode: 'timestamp_ms' }).notNull(),
    lastPosterId: text('last_poster_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    /**
     * Bumped by triggers (migration 0011) on every write to the thread or its posts, whatever code
     * made it: the key of the cached thread page.
     */
    version: integer('version').notNull().default(0),
  },
  (t) => [
    index('threads_latest_idx').on(t.lastPostAt, t.id),
    index('threads_newest_idx').on(t.createdAt, t.id),
    index('threads_replies_idx').on(t.postCount, t.id),
    index('threads_kind_idx').on(t.kind, t.lastPostAt, t.id),
    index('threads_language_idx').on(t.language, t.lastPostAt, t.id),
    index('threads_author_idx').on(t.authorId, t.lastPostAt, t.id),
    index('threads_pinned_idx')
      .on(t.pinScope, t.pinnedAt)
      .where(sql`pin_scope is not null`),
    check('threads_kind_check', sql.raw(`kind in (${sqlList(threadKindValues)})`)),
  ],
);

export const threadJurisdictions = sqliteTable(
  'thread_jurisdictions',
  {
    threadId: text('thread_id')
      .notNull()
      .references((): AnySQLiteColumn => threads.id, { onDelete: 'cascade' }),
    code: text('code')
      .notNull()
      .references(() => jurisdictions.code),
  },
  (t) => [primaryKey({ columns: [t.code, t.threadId] }), index('thread_jurisdictions_thread_idx').on(t.threadId)],
);

export const threadTopics = sqliteTable(
  'thread_topics',
  {
    threadId: text('thread_id')
      .notNull()
      .references((): AnySQLiteColumn => threads.id, { onDelete: 'cascade' }),
    slug: text('slug')
      .notNull()
      .references(() => topics.slug),
  },
  (t) => [primaryKey({ columns: [t.slug, t.threadId] }), index('thread_topics_thread_idx').on(t.threadId)],
);

/** One row per instrument cited by a thread (its provisions are in `threads.citations`). */
export const threadInstruments = sqliteTable(
  'thread_instruments',
  {
    threadId: text('thread_id')
      .notNull()
      .references((): AnySQLiteColumn => threads.id, { onDelete: 'cascade' }),
    instrument: text('instrument')
      .notNull()
      .references(() => instruments.slug),
  },
  (t) => [primaryKey({ columns: [t.instrument, t.threadId] }), index('thread_instruments_thread_idx').on(t.threadId)],
);

/** What a reply to a comparative question states beside its jurisdiction (`posts.answer`). */
export interface PostAnswerMeta {
  provisions: string[];
  lawAsOf: string | null;
  shortAnswer: string | null;
}

/**
 * A post: the opening post (number 1, no parent) or a reply to any post of the same thread. The
 * markdown source is kept beside the cooked (sanitized) HTML the server serves. A legal analysis's
 * opening post keeps its sections as JSON in `sections` (and `body` is null).
 */
export const posts = sqliteTable(
  'posts',
  {
    id: text('id').primaryKey(),
    threadId: text('thread_id')
      .notNull()
      .references((): AnySQLiteColumn => threads.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    parentId: text('parent_id').references((): AnySQLiteColumn => posts.id),
    depth: integer('depth').notNull().default(0),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body'),
    sections: text('sections', { mode: 'json' }).$type<Record<string, string>>(),
    cooked: text('cooked').notNull(),
    version: integer('version').notNull().default(1),
    replyCount: integer('reply_count').notNull().default(0),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    editedAt: integer('edited_at', { mode: 'timestamp_ms' }),
    /** Moderation: hidden and deleted posts keep their content (for the author, moderators, audit). */
    state: text('state', { enum: postStateValues }).notNull().default('visible'),
    moderatedAt: integer('moderated_at', { mode: 'timestamp_ms' }),
    /** Null with `moderatedAt` set: hidden automatically by reports. */
    moderatedById: text('moderated_by_id').references((): AnySQLiteColumn => users.id, { onDelete: 'set null' }),
    moderationReason: text('moderation_reason'),
    /** The latest version is a moderator's edit. */
    editedByModerator: integer('edited_by_moderator', { mode: 'boolean' }).notNull().default(false),
    /**
     * A reply to a comparative question: the jurisdiction it answers for (one the question asks),
     * with the provisions it relies on, the date the law is stated as at and a short answer.
     */
    answerFor: text('answer_for').references(() => jurisdictions.code),
    answer: text('answer', { mode: 'json' }).$type<PostAnswerMeta>(),
  },
  (t) => [
    uniqueIndex('posts_thread_number_unique').on(t.threadId, t.number),
    index('posts_thread_author_idx').on(t.threadId, t.authorId),
    index('posts_author_idx').on(t.authorId, t.createdAt),
    index('posts_parent_idx').on(t.parentId),
    /** The digest's most active threads: the posts of the last day or week, not every post. */
    index('posts_created_idx').on(t.createdAt),
    index('posts_answer_for_idx')
      .on(t.threadId, t.answerFor)
      .where(sql`answer_for is not null`),
  ],
);

/** Every version of every post, the current one included; version 1 is the original. */
export const postRevisions = sqliteTable(
  'post_revisions',
  {
    postId: text('post_id')
      .notNull()
      .references((): AnySQLiteColumn => posts.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    editorId: text('editor_id')
      .notNull()
      .references(() => users.id),
    /** Written by a moderator, not the author (shown as such). */
    byModerator: integer('by_moderator', { mode: 'boolean' }).notNull().default(false),
    reason: text('reason'),
    /** The thread's title at this version, for opening posts. */
    title: text('title'),
    /** The thread's tags and the analysis's date at this version, for opening posts. */
    meta: text('meta', { mode: 'json' }).$type<{
      jurisdictions: string[];
      topics: string[];
      citations: { instrument: string; provision: string | null }[];
      lawAsOf: string | null;
      /** The thread's language at this version (absent on versions made before it was recorded). */
      language?: string;
    }>(),
    body: text('body'),
    sections: text('sections', { mode: 'json' }).$type<Record<string, string>>(),
    cooked: text('cooked').notNull(),
    /** A reply to a comparative question: what it answered for at this version. */
    answer: text('answer', { mode: 'json' }).$type<PostAnswerMeta & { jurisdiction: string }>(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.version] })],
);

/**
 * The reply that answers a question, marked by the question's author or a moderator in scope: one
 * per scope, `'*'` for the whole question (a comparative question will have one per jurisdiction
 * asked). Whether it shows is decided at read time: a hidden, deleted or moved post answers
 * nothing while it is so. Triggers (migration 0014) bump the thread's version on every change.
 */
export const acceptedAnswers = sqliteTable(
  'accepted_answers',
  {
    threadId: text('thread_id')
      .notNull()
      .references((): AnySQLiteColumn => threads.id, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    postId: text('post_id')
      .notNull()
      .references((): AnySQLiteColumn => posts.id, { onDelete: 'cascade' }),
    acceptedById: text('accepted_by_id').references(() => users.id, { onDelete: 'set null' }),
    acceptedAt: integer('accepted_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.scope] }), index('accepted_answers_post_idx').on(t.postId)],
);

/**
 * A member's saved posts, each with an optional note and reminder date. The reminder becomes a
 * notification when it falls due (`reminded_at` is set in the same transaction). Whether the
 * post can still be read is decided when the list is read, never stored.
 */
export const bookmarks = sqliteTable(
  'bookmarks',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    postId: text('post_id')
      .notNull()
      .references((): AnySQLiteColumn => posts.id, { onDelete: 'cascade' }),
    note: text('note'),
    remindAt: integer('remind_at', { mode: 'timestamp_ms' }),
    remindedAt: integer('reminded_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.postId] }),
    index('bookmarks_user_idx').on(t.userId, t.createdAt),
    index('bookmarks_post_idx').on(t.postId),
    index('bookmarks_due_idx')
      .on(t.remindAt)
      .where(sql`remind_at is not null and reminded_at is null`),
  ],
);

/** What a member follows: threads (automatic when they start or reply), jurisdictions and topics. */
export const follows = sqliteTable(
  'follows',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    target: text('target', { enum: followTargetValues }).notNull(),
    key: text('key').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.target, t.key] }),
    index('follows_target_idx').on(t.target, t.key),
    check('follows_target_check', sql.raw(`target in (${sqlList(followTargetValues)})`)),
  ],
);

/** The last post number each member has read in each thread they opened. */
export const threadReads = sqliteTable(
  'thread_reads',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    threadId: text('thread_id')
      .notNull()
      .references((): AnySQLiteColumn => threads.id, { onDelete: 'cascade' }),
    lastReadNumber: integer('last_read_number').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.threadId] })],
);

/** Composer drafts kept on the server: `thread` for a new thread, `reply:<threadId>` for a reply. */
export const drafts = sqliteTable(
  'drafts',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    data: text('data', { mode: 'json' }).notNull(),
    /** Plain-text excerpt made when the draft is saved, so listing drafts cooks nothing. */
    excerpt: text('excerpt'),
    /** The composer instance that wrote it (client-chosen), matched against `spent_drafts`. */
    token: text('token'),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

/**
 * Composer instances whose text became a post or thread: a draft save carrying one of these
 * tokens arrives after its post was created (whatever the timing) and is discarded.
 */
export const spentDrafts = sqliteTable(
  'spent_drafts',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    token: text('token').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key, t.token] }), index('spent_drafts_created_idx').on(t.createdAt)],
);

/**
 * Devices a member has signed in from (a long-lived random cookie; only its SHA-256 is kept): the
 * slow per-account sign-in delay lets the owner's correct password through on one of these.
 */
export const knownDevices = sqliteTable(
  'known_devices',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: blob('token_hash', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tokenHash] })],
);

/**
 * A redaction: text removed from a post's versions (a span, a whole version, or a title) by a
 * moderator in scope or by the author. The removed text is kept nowhere, not even here.
 */
export const redactions = sqliteTable(
  'redactions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    postId: text('post_id')
      .notNull()
      .references((): AnySQLiteColumn => posts.id, { onDelete: 'cascade' }),
    threadId: text('thread_id')
      .notNull()
      .references((): AnySQLiteColumn => threads.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: redactionKindValues }).notNull(),
    /** The versions whose text changed. */
    versions: text('versions', { mode: 'json' }).$type<number[]>().notNull(),
    byId: text('by_id').references(() => users.id, { onDelete: 'set null' }),
    byModerator: integer('by_moderator', { mode: 'boolean' }).notNull().default(false),
    reason: text('reason').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('redactions_post_idx').on(t.postId, t.id),
    check('redactions_kind_check', sql.raw(`kind in (${sqlList(redactionKindValues)})`)),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type AcceptedAnswerRow = typeof acceptedAnswers.$inferSelect;
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
export type ThreadRow = typeof threads.$inferSelect;
export type NewThreadRow = typeof threads.$inferInsert;
export type PostRow = typeof posts.$inferSelect;
export type NewPostRow = typeof posts.$inferInsert;
export type PostRevisionRow = typeof postRevisions.$inferSelect;

/** A member's choice of channel for one kind of notification; no row means the kind's default. */
export const notificationPreferences = sqliteTable(
  'notification_preferences',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: notificationKindValues }).notNull(),
    channel: text('channel', { enum: notificationChannelValues }).notNull(),
    /** Email for this kind: off, immediate (if still unread after a delay) or in the digest; null: the default. */
    email: text('email', { enum: emailChoiceValues }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.kind] }),
    check('notification_preferences_channel_check', sql.raw(`channel in (${sqlList(notificationChannelValues)})`)),
    check('notification_preferences_email_check', sql.raw(`email is null or email in (${sqlList(emailChoiceValues)})`)),
  ],
);

/**
 * A member's digest: how often, at which local hour (and weekday, weekly) in which IANA time zone.
 * `skip_period` is the digest period current when the settings were saved: it began before the
 * member chose it, so it is not sent.
 */
export const digestSettings = sqliteTable(
  'digest_settings',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    frequency: text('frequency', { enum: digestFrequencyValues }).notNull(),
    /** 0 Sunday … 6 Saturday (weekly only). */
    weekday: integer('weekday').notNull(),
    hour: integer('hour').notNull(),
    timeZone: text('time_zone').notNull(),
    skipPeriod: text('skip_period'),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('digest_settings_frequency_idx').on(t.frequency),
    check('digest_settings_frequency_check', sql.raw(`frequency in (${sqlList(digestFrequencyValues)})`)),
    check('digest_settings_weekday_check', sql`weekday between 0 and 6`),
    check('digest_settings_hour_check', sql`hour between 0 and 23`),
  ],
);

/**
 * One row per digest period mailed to a member (`daily:2026-11-22`, `weekly:2026-11-22`), written in
 * the transaction that puts the digest in the outbox: the primary key makes a second one for the
 * same period impossible, whatever the timers or restarts do.
 */
export const digestRuns = sqliteTable(
  'digest_runs',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    outboxId: integer('outbox_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.period] }), index('digest_runs_user_idx').on(t.userId, t.createdAt)],
);

/**
 * A notification that should reach its member by email: `immediate` ones are queued once they are
 * older than EMAIL_NOTIFY_DELAY_MINUTES (and still unread), `digest` ones wait for the member's
 * digest. `state` moves pending → queued (with the outbox row, in one transaction) or skipped.
 */
export const notificationEmails = sqliteTable(
  'notification_emails',
  {
    notificationId: integer('notification_id')
      .primaryKey()
      .references((): AnySQLiteColumn => notifications.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    mode: text('mode', { enum: ['immediate', 'digest'] }).notNull(),
    state: text('state', { enum: ['pending', 'queued', 'skipped'] })
      .notNull()
      .default('pending'),
    outboxId: integer('outbox_id'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('notification_emails_due_idx').on(t.mode, t.state, t.createdAt),
    index('notification_emails_user_idx').on(t.userId, t.mode, t.state),
    check('notification_emails_mode_check', sql`mode in ('immediate', 'digest')`),
    check('notification_emails_state_check', sql`state in ('pending', 'queued', 'skipped')`),
  ],
);

/**
 * The one-click unsubscribe secret of a member for one kind of email (a notification kind, or
 * `digest`): random, stored as is (it can only turn that email off), the same in every message.
 */
export const emailUnsubscribeTokens = sqliteTable(
  'email_unsubscribe_tokens',
  {
    token: text('token').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('email_unsubscribe_tokens_user_kind_idx').on(t.userId, t.kind)],
);

/**
 * Every push addressed to one user, numbered by `users.event_seq`, kept for a window so a client
 * that reconnects can be sent exactly what it missed. `payload` is the shared `UserEvent`.
 */
export const userEvents = sqliteTable(
  'user_events',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    payload: text('payload').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.seq] }), index('user_events_created_idx').on(t.createdAt)],
);

/**
 * Fan-out still to do: a reply to a thread with many followers stores one row here in its own
 * transaction (instead of a notification and a numbered event per follower), and the server's
 * fan-out worker writes the followers' notifications after the commit, a chunk per transaction,
 * moving `done_through` (the last follower id done, followers taken in id order) in the same
 * transaction, and deletes the row when it is done. A crash loses nothing: at start the worker
 * resumes every row. `facts` is the notification as the writer knew it (JSON).
 */
export const fanoutJobs = sqliteTable('fanout_jobs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  postId: text('post_id')
    .notNull()
    .references(() => posts.id, { onDelete: 'cascade' }),
  facts: text('facts').notNull(),
  doneThrough: text('done_through'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * One row, one number, bumped by triggers (migration 0003) whenever a session ends or an
 * account's status or role changes, whatever code did it. The realtime session watch reads it
 * every half second and re-checks the open sockets only when it moved (or a session is due to
 * expire), instead of checking every socket every time.
 */
export const accessGeneration = sqliteTable(
  'access_generation',
  {
    id: integer('id').primaryKey(),
    value: integer('value').notNull(),
  },
  () => [check('access_generation_one_row', sql`id = 1`)],
);

/**
 * One row, one number, bumped by triggers (migration 0011) on every write that changes how any
 * thread page shows to every reader beyond its own thread: a member's name, role, status or
 * badge, a post's or thread's moderation state (quotes of it elsewhere), the settings. With a
 * thread's `version` it keys the cached thread page.
 */
export const renderGeneration = sqliteTable(
  'render_generation',
  {
    id: integer('id').primaryKey(),
    value: integer('value').notNull(),
  },
  () => [check('render_generation_one_row', sql`id = 1`)],
);

export type UserEventRow = typeof userEvents.$inferSelect;
export type NotificationPreferenceRow = typeof notificationPreferences.$inferSelect;

/**
 * The moderators' queue, after Discourse's reviewables: one open item per reported post (its
 * reports gather on it) and one per pre-moderated submission (a thread or reply that does not
 * exist as a post until approved, so nothing can leak it).
 */
export const reviewItems = sqliteTable(
  'review_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: reviewKindValues }).notNull(),
    status: text('status', { enum: reviewStatusValues }).notNull().default('open'),
    /** Posts: the post. Submissions: the post made on approval. */
    postId: text('post_id').references(() => posts.id),
    /** Messages: the reported direct message (`cooked` holds its HTML as last reported). */
    messageId: text('message_id').references((): AnySQLiteColumn => directMessages.id),
    /** The thread concerned: the post's, the one replied to, or the one made on approval. */
    threadId: text('thread_id').references(() => threads.id),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    /** Submissions: what was submitted (a CreateThreadBody or CreateReplyBody) and its cooked HTML. */
    submission: text('submission', { mode: 'json' }).$type<Record<string, unknown>>(),
    cooked: text('cooked'),
    /** Jurisdiction codes that decide which moderators see it (the thread's, or the submitted ones). */
    jurisdictions: text('jurisdictions', { mode: 'json' }).$type<string[]>().notNull(),
    claimedById: text('claimed_by_id').references(() => users.id, { onDelete: 'set null' }),
    claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }),
    resolution: text('resolution'),
    resolutionReason: text('resolution_reason'),
    resolvedById: text('resolved_by_id').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('review_items_status_idx').on(t.status, t.id),
    index('review_items_author_idx').on(t.authorId, t.id),
    index('review_items_open_thread_idx')
      .on(t.threadId, t.id)
      .where(sql`status = 'open'`),
    index('review_items_status_kind_idx').on(t.status, t.kind, t.id),
    uniqueIndex('review_items_open_post_unique')
      .on(t.postId)
      .where(sql`status = 'open' and kind = 'post'`),
    uniqueIndex('review_items_open_message_unique')
      .on(t.messageId)
      .where(sql`status = 'open' and kind = 'message'`),
    check('review_items_kind_check', sql.raw(`kind in (${sqlList(reviewKindValues)})`)),
    check('review_items_status_check', sql.raw(`status in (${sqlList(reviewStatusValues)})`)),
  ],
);

/** A member's report of a post; one open report per member per post. */
export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => reviewItems.id),
    postId: text('post_id')
      .notNull()
      .references(() => posts.id),
    reporterId: text('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason', { enum: reportReasonValues }).notNull(),
    note: text('note'),
    status: text('status', { enum: reportStatusValues }).notNull().default('open'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('reports_post_idx').on(t.postId, t.id),
    index('reports_item_idx').on(t.itemId),
    uniqueIndex('reports_open_unique')
      .on(t.postId, t.reporterId)
      .where(sql`status = 'open'`),
    check('reports_reason_check', sql.raw(`reason in (${sqlList(reportReasonValues)})`)),
    check('reports_status_check', sql.raw(`status in (${sqlList(reportStatusValues)})`)),
  ],
);

export type ReviewItemRow = typeof reviewItems.$inferSelect;
export type ReportRow = typeof reports.$inferSelect;
export type RedactionRow = typeof redactions.$inferSelect;
export type KnownDeviceRow = typeof knownDevices.$inferSelect;

/**
 * The search index's documents: one per post, numbered for the FTS5 table `search_fts` (whose
 * rowid is `doc_id`; posts have text ids). Kept by triggers on `posts` and `threads` (migrations
 * 0006–0008) in the transaction of each write; `hash` is a digest of the folded text indexed, so
 * `lexforum search-check` can tell a stale entry from a current one without storing the text twice.
 * Visibility is decided when a search reads, from the state copied here and the thread's.
 */
export const searchDocs = sqliteTable('search_docs', {
  docId: integer('doc_id').primaryKey({ autoIncrement: true }),
  postId: text('post_id').notNull().unique(),
  hash: text('hash').notNull(),
  /**
   * The post's facts a search filters and ranks by, copied by the same triggers in the same
   * transaction (a move, a hide, a restore update them), so a search reads this compact table
   * instead of a million post rows. Nullable only so migration 0008 could add them.
   */
  threadId: text('thread_id'),
  number: integer('number'),
  authorId: text('author_id'),
  createdAt: integer('created_at'),
  state: text('state'),
});

export type SearchDocRow = typeof searchDocs.$inferSelect;

export const emailTokenPurposeValues = ['verify_email', 'change_email', 'reset_password'] as const;
export const securityEventKindValues = [
  'sign_in',
  'sign_in_new_device',
  'second_factor_failed',
  'password_changed',
  'password_reset',
  'password_reset_sent_by_admin',
  'email_verified',
  'email_changed',
  'totp_enabled',
  'totp_disabled',
  'recovery_codes_generated',
  'recovery_code_used',
  'passkey_added',
  'passkey_removed',
  'second_factor_reset',
  'sessions_ended',
] as const;
/**
 * `sending`: claimed by a sender (`claimed_at`); a row left so after a crash is taken again once its
 * lease ran out. `dropped`: rendered at delivery and found to have nothing left the reader may see
 * (`last_error` says why); never sent.
 */
export const mailStatusValues = ['pending', 'sending', 'sent', 'failed', 'dropped'] as const;

/**
 * Single-use links sent by email (verify an address, confirm a new one, reset a password). Like
 * sessions, only SHA-256 of the secret is stored; a row is spent by setting `used_at` in the
 * transaction that acts on it, and issuing a new link of the same purpose spends the older ones.
 */
export const emailTokens = sqliteTable(
  'email_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: emailTokenPurposeValues }).notNull(),
    secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
    /** The address the link was sent to (for `change_email`, the new address it confirms). */
    email: text('email').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('email_tokens_user_idx').on(t.userId, t.purpose),
    check('email_tokens_purpose_check', sql.raw(`purpose in (${sqlList(emailTokenPurposeValues)})`)),
  ],
);

/** Ten single-use codes that stand in for a lost second factor; only their hashes are kept. */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: blob('code_hash', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** Passkeys and security keys (WebAuthn credentials) registered as a second factor. */
export const webauthnCredentials = sqliteTable(
  'webauthn_credentials',
  {
    /** The credential id, base64url. */
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    publicKey: blob('public_key', { mode: 'buffer' }).notNull(),
    counter: integer('counter').notNull().default(0),
    transports: text('transports', { mode: 'json' }).$type<string[]>().notNull().default([]),
    deviceType: text('device_type'),
    backedUp: integer('backed_up', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('webauthn_credentials_user_idx').on(t.userId)],
);

/**
 * A sign-in half done: the password was right and a second factor is due. The browser holds
 * `<id>.<secret>` in a short-lived cookie that grants nothing but the second step; the row counts
 * failed attempts and keeps the WebAuthn challenge it issued.
 */
export const signInChallenges = sqliteTable(
  'sign_in_challenges',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    failures: integer('failures').notNull().default(0),
    webauthnChallenge: text('webauthn_challenge'),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [index('sign_in_challenges_user_idx').on(t.userId)],
);

/**
 * Short-lived secrets issued to a signed-in session and consumed by the answer they were issued
 * for: a WebAuthn challenge (adding a passkey, re-authenticating with one) or a TOTP key shown for
 * enrolment and not yet confirmed. Keyed `<session id>:<purpose>`.
 */
export const authChallenges = sqliteTable('auth_challenges', {
  key: text('key').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  value: text('value').notNull(),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * Every email, written in the transaction of the action that sends it and delivered after commit;
 * one the SMTP server refused is retried with backoff, so a failing server loses nothing.
 */
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    toAddress: text('to_address').notNull(),
    /** The template (`verify_email`, `password_reset`...), for logs and tests; never the secret. */
    template: text('template').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    /**
     * Notification and digest mail is stored as references (`user_id` + `payload`) and rendered when
     * the sender takes it, so what it says is checked against what the reader may see then; its
     * subject and bodies stay empty until sent.
     */
    userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** The same on every attempt, so a message delivered twice after a crash can be told apart. */
    messageId: text('message_id'),
    claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }),
    status: text('status', { enum: mailStatusValues }).notNull().default('pending'),
    /** Every try, transient failures included (the backoff follows it). */
    attempts: integer('attempts').notNull().default(0),
    /**
     * The tries that count towards giving up: permanent refusals (SMTP 5xx), other errors, and a
     * process that died while sending it. Transient failures (no connection, SMTP 4xx) never do:
     * an outage delays mail, it loses none.
     */
    rejections: integer('rejections').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    lastError: text('last_error'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt),
    check('mail_outbox_status_check', sql.raw(`status in (${sqlList(mailStatusValues)})`)),
  ],
);

/** What the member sees under "Recent security activity"; also written to the audit log. */
export const securityEvents = sqliteTable(
  'security_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: securityEventKindValues }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** Approximate place from the IP's network (see server/src/modules/security/network.ts). */
    network: text('network'),
    /** Who did it when not the member (an admin's id), and small facts (a passkey's name). */
    actorId: text('actor_id'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, string>>(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('security_events_user_idx').on(t.userId, t.id),
    check('security_events_kind_check', sql.raw(`kind in (${sqlList(securityEventKindValues)})`)),
  ],
);

export type EmailTokenRow = typeof emailTokens.$inferSelect;
export type RecoveryCodeRow = typeof recoveryCodes.$inferSelect;
export type WebauthnCredentialRow = typeof webauthnCredentials.$inferSelect;
export type SignInChallengeRow = typeof signInChallenges.$inferSelect;
export type MailOutboxRow = typeof mailOutbox.$inferSelect;
export type DigestSettingsRow = typeof digestSettings.$inferSelect;
export type SecurityEventRow = typeof securityEvents.$inferSelect;

/**
 * Files attached to posts (judgments, statutes). The bytes live in a blob store under their
 * SHA-256 (server/src/modules/attachments/blob-store.ts); this row is one upload of them: its
 * uploader, its original name, the type sniffed from its content, and the post it belongs to
 * (null until the post is written or edited with it; unattached uploads older than a day are
 * swept). `text` is what the extraction worker read from a PDF or text file (null when there is
 * none, e.g. a scanned PDF): the post's search document includes it (migration 0017), so it is
 * found exactly when the post is. Readers see an attachment when they may read its post's content.
 */
export const attachments = sqliteTable(
  'attachments',
  {
    id: text('id').primaryKey(),
    uploaderId: text('uploader_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    postId: text('post_id').references((): AnySQLiteColumn => posts.id, { onDelete: 'cascade' }),
    /** Order on the post (the order the composer listed them in). */
    position: integer('position').notNull().default(0),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    text: text('text'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    attachedAt: integer('attached_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('attachments_post_idx').on(t.postId, t.position),
    index('attachments_uploader_idx').on(t.uploaderId, t.createdAt),
    index('attachments_sha256_idx').on(t.sha256),
    index('attachments_unattached_idx')
      .on(t.createdAt)
      .where(sql`post_id is null`),
  ],
);

export type AttachmentRow = typeof attachments.$inferSelect;

/**
 * Direct messages. A conversation has participants (a row each, kept after they leave: `left_at`)
 * and numbered messages (`seq`, per conversation); a participant's read state is the last number
 * they read, so unread counts are a range count on `direct_messages_conversation_idx`. Staff have
 * no route to any of it; a reported message reaches moderators through its review item alone.
 */
export const conversations = sqliteTable('conversations', {
  id: text('id').primaryKey(),
  /** Started for more than one recipient: never reused for a one-to-one start. */
  isGroup: integer('is_group', { mode: 'boolean' }).notNull().default(false),
  createdById: text('created_by_id').references(() => users.id, { onDelete: 'set null' }),
  /** The last message's number (0 before any). */
  lastSeq: integer('last_seq').notNull().default(0),
  lastMessageAt: integer('last_message_at', { mode: 'timestamp_ms' }).notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

export const conversationParticipants = sqliteTable(
  'conversation_participants',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    joinedAt: integer('joined_at', { mode: 'timestamp_ms' }).notNull(),
    leftAt: integer('left_at', { mode: 'timestamp_ms' }),
    /** The number of the last message this participant read. */
    lastReadSeq: integer('last_read_seq').notNull().default(0),
    muted: integer('muted', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.userId] }),
    index('conversation_participants_user_idx').on(t.userId, t.leftAt),
  ],
);

export const directMessages = sqliteTable(
  'direct_messages',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    /** Source and cooked HTML and a plain-text excerpt; all '' once deleted by the author. */
    markdown: text('markdown').notNull(),
    html: text('html').notNull(),
    excerpt: text('excerpt').notNull(),
    state: text('state', { enum: messageStateValues }).notNull().default('visible'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    editedAt: integer('edited_at', { mode: 'timestamp_ms' }),
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
    hiddenById: text('hidden_by_id').references(() => users.id, { onDelete: 'set null' }),
    hiddenAt: integer('hidden_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('direct_messages_conversation_idx').on(t.conversationId, t.seq),
    index('direct_messages_author_idx').on(t.authorId, t.createdAt),
    check('direct_messages_state_check', sql.raw(`state in (${sqlList(messageStateValues)})`)),
  ],
);

/** A member's block of another: no conversations or mentions from them; their posts collapsed. */
export const memberBlocks = sqliteTable(
  'member_blocks',
  {
    blockerId: text('blocker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    blockedId: text('blocked_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.blockerId, t.blockedId] }),
    index('member_blocks_blocked_idx').on(t.blockedId),
    check('member_blocks_not_self_check', sql.raw('blocker_id <> blocked_id')),
  ],
);

/** A member's report of a direct message; one open report per member per message. */
export const messageReports = sqliteTable(
  'message_reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => reviewItems.id),
    messageId: text('message_id')
      .notNull()
      .references(() => directMessages.id),
    reporterId: text('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason', { enum: reportReasonValues }).notNull(),
    note: text('note'),
    status: text('status', { enum: reportStatusValues }).notNull().default('open'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('message_reports_item_idx').on(t.itemId),
    uniqueIndex('message_reports_open_unique')
      .on(t.messageId, t.reporterId)
      .where(sql`status = 'open'`),
    check('message_reports_reason_check', sql.raw(`reason in (${sqlList(reportReasonValues)})`)),
    check('message_reports_status_check', sql.raw(`status in (${sqlList(reportStatusValues)})`)),
  ],
);

export type ConversationRow = typeof conversations.$inferSelect;
export type DirectMessageRow = typeof directMessages.$inferSelect;
