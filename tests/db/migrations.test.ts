import { createDb, DEMO_PEOPLE, migrate, migrationsFolder, seedDemoData, seedReferenceData } from '@lexforum/db';
import * as schema from '@lexforum/db';
import {
  FOLLOW_TARGETS,
  SECURITY_EVENT_KINDS,
  THREAD_KINDS,
  APPLICATION_EVENT_KINDS,
  APPLICATION_STATUSES,
  NOTIFICATION_KINDS,
  PROFESSIONS,
  ROLES,
  USER_STATUSES,
} from '@lexforum/shared';
import { generateSQLiteDrizzleJson, generateSQLiteMigration } from 'drizzle-kit/api';
import { migrate as drizzleMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

describe('Database', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lexforum-db-'));
    dirs.push(dir);
    return join(dir, 'nested', 'forum.db');
  };

  describe('migrations', () => {
    it('agree with the drizzle schema (nothing left to generate)', async () => {
      const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8'));
      const lastTag = journal.entries.at(-1).idx.toString().padStart(4, '0');
      const snapshotFile = readdirSync(join(migrationsFolder, 'meta')).find((f) => f.startsWith(`${lastTag}_`))!;
      const previous = JSON.parse(readFileSync(join(migrationsFolder, 'meta', snapshotFile), 'utf8'));
      const current = await generateSQLiteDrizzleJson(schema, previous.id, 'snake_case');
      const pending = await generateSQLiteMigration(previous, current);
      expect(pending, `schema changed without a migration: run pnpm db:generate\n${pending.join('\n')}`).toEqual([]);
    });

    it('build the tables, indexes and constraints on an empty file, and are idempotent', () => {
      const file = tempFile();
      const handle = createDb(file);
      migrate(handle.db);
      migrate(handle.db);
      const objects = handle.sqlite
        .prepare(
          "select type, name from sqlite_master where name not like 'sqlite_%' and name not like '__drizzle%' order by name",
        )
        .all() as { type: string; name: string }[];
      expect(objects.filter((o) => o.type === 'table').map((o) => o.name)).toEqual([
        'accepted_answers',
        'access_generation',
        'application_events',
        'applications',
        'attachments',
        'audit_log',
        'auth_challenges',
        'bookmarks',
        'conversation_participants',
        'conversations',
        'digest_runs',
        'digest_settings',
        'direct_messages',
        'drafts',
        'email_tokens',
        'email_unsubscribe_tokens',
        'fanout_jobs',
        'follows',
        'instruments',
        'jurisdictions',
        'known_devices',
        'mail_outbox',
        'member_blocks',
        'message_reports',
        'moderator_jurisdictions',
        'notification_emails',
        'notification_preferences',
        'notifications',
        'post_revisions',
        'posts',
        'recovery_codes',
        'redactions',
        'render_generation',
        'reports',
        'review_items',
        'search_docs',
        'search_fts',
        'search_fts_config',
        'search_fts_data',
        'search_fts_docsize',
        'search_fts_idx',
        'search_terms',
        'search_vocab',
        'security_events',
        'sessions',
        'settings',
        'sign_in_challenges',
        'spent_drafts',
        'thread_instruments',
        'thread_jurisdictions',
        'thread_reads',
        'thread_topics',
        'threads',
        'topics',
        'user_events',
        'users',
        'webauthn_credentials',
      ]);
      expect(objects.map((o) => o.name)).toEqual(
        expect.arrayContaining([
          'users_email_lower_unique',
          'sessions_user_idx',
          'applications_user_unique',
          'applications_queue_idx',
          'audit_log_no_update',
          'audit_log_no_delete',
          'access_generation_session_ended',
          'access_generation_user_changed',
          'access_generation_user_deleted',
          'threads_latest_idx',
          'posts_thread_number_unique',
          'reports_open_unique',
          'review_items_open_post_unique',
          'threads_pinned_idx',
          'thread_version_post_inserted',
          'thread_version_thread_updated',
          'render_generation_user_changed',
          'thread_version_answer_accepted',
          'thread_version_answer_changed',
          'thread_version_answer_removed',
          'accepted_answers_post_idx',
          'bookmarks_due_idx',
          'review_items_open_message_unique',
          'unread_message_state_changed',
          'unread_participant_changed',
        ]),
      );
      handle.close();
    });

    it("bump access_generation when a session ends, an account changes status or role, or a moderator's jurisdictions change, and only then", () => {
      const handle = createDb(tempFile());
      migrate(handle.db);
      const run = (sql: string) => handle.sqlite.prepare(sql).run();
      const generation = () =>
        (handle.sqlite.prepare('select value from access_generation').get() as { value: number }).value;
      run(
        `insert into users (id, email, display_name, password_hash, created_at, updated_at) values ('u', 'u@x.org', 'U', 'x', 0, 0)`,
      );
      run(`insert into sessions (id, user_id, secret_hash, created_at, last_seen_at) values ('s', 'u', x'00', 0, 0)`);
      run(`insert into sessions (id, user_id, secret_hash, created_at, last_seen_at) values ('t', 'u', x'00', 0, 0)`);
      expect(generation()).toBe(0);
      run(`update users set display_name = 'V', updated_at = 1 where id = 'u'`);
      run(`update sessions set last_seen_at = 5 where id = 's'`);
      expect(generation()).toBe(0);
      run(`delete from sessions where id = 's'`);
      expect(generation()).toBe(1);
      run(`update users set role = 'member' where id = 'u'`);
      run(`update users set status = 'suspended' where id = 'u'`);
      run(`update users set status = 'suspended' where id = 'u'`);
      expect(generation()).toBe(3);
      run(
        `insert into jurisdictions (code, name, kind, region, sort_order) values ('FR', 'France', 'country', 'Europe', 1)`,
      );
      run(`insert into moderator_jurisdictions (user_id, jurisdiction_code) values ('u', 'FR')`);
      expect(generation()).toBe(4);
      run(`delete from moderator_jurisdictions where user_id = 'u'`);
      expect(generation()).toBe(5);
      run(`delete from users where id = 'u'`); // and its session 't' by cascade
      expect(generation()).toBe(7);
      handle.close();
    });
  });

  describe('createDb', () => {
    it('sets WAL, foreign keys, a busy timeout and synchronous=NORMAL', () => {
      const handle = createDb(tempFile());
      expect(handle.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(handle.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(handle.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(handle.sqlite.pragma('synchronous', { simple: true })).toBe(1);
      handle.close();
    });

    it('enforces case-insensitive email uniqueness, role values and foreign keys in the database itself', () => {
      const handle = createDb(':memory:');
      migrate(handle.db);
      const insert = handle.sqlite.prepare(
        'insert into users (id, email, display_name, password_hash, role, created_at, updated_at) values (?, ?, ?, ?, ?, 0, 0)',
      );
      insert.run('1', 'Judge@Court.example', 'A', 'h', 'member');
      expect(() => insert.run('2', 'judge@court.EXAMPLE', 'B', 'h', 'member')).toThrow(/UNIQUE/);
      expect(() => insert.run('3', 'x@court.example', 'C', 'h', 'superuser')).toThrow(/CHECK/);
      expect(() =>
        handle.sqlite
          .prepare(
            "insert into sessions (id, user_id, secret_hash, created_at, last_seen_at) values ('s', 'nobody', x'00', 0, 0)",
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
      handle.close();
    });

    it('keeps messaging choices and blocks through 0020, then refuses a choice outside the list and a self-block', () => {
      // The migrations up to 0019 only, in a folder of their own.
      const folder = join(mkdtempSync(join(tmpdir(), 'lexforum-mig-')), 'migrations');
      dirs.push(dirname(folder));
      mkdirSync(join(folder, 'meta'), { recursive: true });
      const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8'));
      journal.entries = journal.entries.filter((e: { idx: number }) => e.idx <= 19);
      writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
      for (const e of journal.entries as { tag: string }[]) {
        copyFileSync(join(migrationsFolder, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
      }
      const handle = createDb(tempFile());
      drizzleMigrate(handle.db, { migrationsFolder: folder });
      const user = handle.sqlite.prepare(
        `insert into users (id, email, display_name, password_hash, role, messaging_allow_from, created_at, updated_at)
         values (?, ?, ?, 'h', 'member', ?, 0, 0)`,
      );
      user.run('a', 'a@x.example', 'A', 'nobody');
      user.run('b', 'b@x.example', 'B', 'jurisdictions');
      user.run('c', 'c@x.example', 'C', 'verified');
      user.run('d', 'd@x.example', 'D', 'somebody-odd');
      handle.sqlite
        .prepare(
          "insert into sessions (id, user_id, secret_hash, created_at, last_seen_at) values ('s', 'a', x'00', 0, 0)",
        )
        .run();
      const block = handle.sqlite.prepare(
        'insert into member_blocks (blocker_id, blocked_id, created_at) values (?, ?, 5)',
      );
      block.run('a', 'b');
      block.run('c', 'a');
      block.run('d', 'd');

      migrate(handle.db);
      // Nothing referring to a member went (users is not dropped), every choice is kept.
      expect(handle.sqlite.prepare('select id, messaging_allow_from as m from users order by id').all()).toEqual([
        { id: 'a', m: 'nobody' },
        { id: 'b', m: 'jurisdictions' },
        { id: 'c', m: 'verified' },
        // An odd value behaved as 'verified' and is kept as that.
        { id: 'd', m: 'verified' },
      ]);
      expect(handle.sqlite.prepare('select count(*) as n from sessions').get()).toEqual({ n: 1 });
      expect(handle.sqlite.prepare('select blocker_id, blocked_id from member_blocks order by 1').all()).toEqual([
        { blocker_id: 'a', blocked_id: 'b' },
        { blocker_id: 'c', blocked_id: 'a' },
      ]);
      expect(() =>
        handle.sqlite.prepare("update users set messaging_allow_from = 'everyone' where id = 'a'").run(),
      ).toThrow(/CHECK/);
      expect(() => block.run('b', 'b')).toThrow(/CHECK/);
      expect(handle.sqlite.pragma('foreign_key_check')).toEqual([]);
      expect(handle.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      handle.close();
    });

    it('keeps the audit log append-only: UPDATE and DELETE are refused by the database', () => {
      const handle = createDb(':memory:');
      migrate(handle.db);
      handle.sqlite
        .prepare("insert into audit_log (action, target_type, created_at) values ('user.suspend', 'user', 0)")
        .run();
      expect(() => handle.sqlite.prepare("update audit_log set reason = 'rewritten'").run()).toThrow(/append-only/);
      expect(() => handle.sqlite.prepare('delete from audit_log').run()).toThrow(/append-only/);
      expect(handle.sqlite.prepare('select count(*) as n, max(reason) as r from audit_log').get()).toEqual({
        n: 1,
        r: null,
      });
      handle.close();
    });

    it('lets a redaction scrub only before/after of an audit entry, and only when it marks the entry redacted', () => {
      const handle = createDb(':memory:');
      migrate(handle.db);
      handle.sqlite
        .prepare(
          `insert into audit_log (action, target_type, target_id, reason, before, after, created_at)
           values ('post.edit', 'post', 'p1', 'typo', '{"body":"Witness: Ana"}', '{"body":"Witness"}', 5)`,
        )
        .run();
      const update = (sql: string) => () => handle.sqlite.prepare(sql).run();
      // Without the mark, or touching anything but before/after, the database refuses.
      expect(update(`update audit_log set before = '{"body":"█"}'`)).toThrow(/append-only/);
      expect(update(`update audit_log set reason = 'x', redacted_at = 9`)).toThrow(/append-only/);
      expect(update(`update audit_log set action = 'x', redacted_at = 9`)).toThrow(/append-only/);
      expect(update(`update audit_log set created_at = 1, redacted_at = 9`)).toThrow(/append-only/);
      expect(update(`update audit_log set target_id = 'p2', redacted_at = 9`)).toThrow(/append-only/);
      update(`update audit_log set before = '{"body":"Witness: █"}', redacted_at = 9`)();
      expect(handle.sqlite.prepare('select before, reason, redacted_at as r from audit_log').get()).toEqual({
        before: '{"body":"Witness: █"}',
        reason: 'typo',
        r: 9,
      });
      // Once marked, the mark cannot be taken back.
      expect(update(`update audit_log set redacted_at = null`)).toThrow(/append-only/);
      expect(update(`update audit_log set redacted_at = 1`)).toThrow(/append-only/);
      expect(update('delete from audit_log')).toThrow(/append-only/);
      handle.close();
    });

    it('restates the shared enumerations exactly', () => {
      expect([...schema.roleValues]).toEqual([...ROLES]);
      expect([...schema.userStatusValues]).toEqual([...USER_STATUSES]);
      expect([...schema.professionValues]).toEqual([...PROFESSIONS]);
      expect([...schema.applicationStatusValues]).toEqual([...APPLICATION_STATUSES]);
      expect([...schema.applicationEventKindValues]).toEqual([...APPLICATION_EVENT_KINDS]);
      expect([...schema.notificationKindValues]).toEqual([...NOTIFICATION_KINDS]);
      expect([...schema.threadKindValues]).toEqual([...THREAD_KINDS]);
      expect([...schema.followTargetValues]).toEqual([...FOLLOW_TARGETS]);
      expect([...schema.securityEventKindValues]).toEqual([...SECURITY_EVENT_KINDS]);
    });
  });

  describe('seeds', () => {
    it('upserts reference data idempotently', () => {
      const handle = createDb(':memory:');
      migrate(handle.db);
      seedReferenceData(handle.db);
      const count = () => handle.sqlite.prepare('select count(*) as n from jurisdictions').get() as { n: number };
      const first = count().n;
      handle.sqlite.prepare("update jurisdictions set name = 'Stale' where code = 'KE'").run();
      seedReferenceData(handle.db);
      expect(count().n).toBe(first);
      expect(handle.sqlite.prepare("select name from jurisdictions where code = 'KE'").get()).toEqual({
        name: 'Kenya',
      });
      handle.close();
    });

    it('seeds demo people once, on an empty database only', async () => {
      const handle = createDb(':memory:');
      migrate(handle.db);
      seedReferenceData(handle.db);
      const hash = async (p: string) => `hashed:${p}`;
      const first = await seedDemoData(handle.db, hash);
      expect(first.seeded).toBe(true);
      const again = await seedDemoData(handle.db, hash);
      expect(again.seeded).toBe(false);
      const rows = handle.sqlite.prepare('select role, count(*) as n from users group by role order by role').all();
      expect(rows).toEqual([
        { role: 'admin', n: 1 },
        { role: 'applicant', n: 6 },
        { role: 'member', n: 8 },
        { role: 'moderator', n: 2 },
      ]);
      const countries = new Set(DEMO_PEOPLE.filter((p) => p.role === 'member').map((p) => p.jurisdictionCode));
      expect(countries.size).toBeGreaterThanOrEqual(6);
      // The vetting queue is not empty on first start: applications in several states, each
      // submitted one with its history and audit entry.
      expect(
        handle.sqlite.prepare('select status, count(*) as n from applications group by status order by status').all(),
      ).toEqual([
        { status: 'draft', n: 1 },
        { status: 'info_requested', n: 1 },
        { status: 'rejected', n: 1 },
        { status: 'submitted', n: 3 },
      ]);
      expect(
        handle.sqlite.prepare("select count(*) as n from audit_log where action = 'application.submit'").get(),
      ).toEqual({ n: 5 });
      expect(handle.sqlite.prepare('select count(*) as n from moderator_jurisdictions').get()).toEqual({ n: 13 });
      const audit = handle.sqlite.prepare('select created_at as t from audit_log order by id').all() as { t: number }[];
      expect(audit.map((r) => r.t)).toEqual([...audit.map((r) => r.t)].sort((x, y) => x - y));
      handle.close();
    });
  });
});
