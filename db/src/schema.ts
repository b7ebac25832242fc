import { sql } from 'drizzle-orm';
import { blob, check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
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

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
export type SessionRow = typeof sessions.$inferSelect;
export type JurisdictionRow = typeof jurisdictions.$inferSelect;
export type TopicRow = typeof topics.$inferSelect;
export type InstrumentRow = typeof instruments.$inferSelect;
