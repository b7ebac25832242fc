/**
 * One database handle per process: better-sqlite3 (synchronous, in-process) wrapped by drizzle.
 * Pragmas: WAL so readers never block the writer, foreign keys enforced, a busy timeout so a
 * second process (the admin CLI, a backup) waits instead of failing, and synchronous=NORMAL,
 * which is durable across application crashes in WAL mode.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate as drizzleMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { assignMissingUsernames } from './usernames.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.js';
import { registerSearchFunctions } from './search-index.js';

export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema>;
/** What a repository accepts: the handle or a transaction opened on it. */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

export interface DbHandle {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

/** Where the committed drizzle-kit migrations live, from src/ and dist/ alike. */
export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export function createDb(file: string): DbHandle {
  if (file !== ':memory:' && !file.startsWith('file:')) mkdirSync(dirname(file), { recursive: true });
  return handleOf(new Database(file));
}

/**
 * An in-memory database opened from an image of another (`sqlite.serialize()`), set up like
 * `createDb`'s. Tests open each fresh database from one migrated and seeded image instead of
 * running every migration again.
 */
export function createDbFromImage(image: Buffer): DbHandle {
  return handleOf(new Database(image));
}

function handleOf(sqlite: Database.Database): DbHandle {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // The search index's triggers fold text in JavaScript (db/src/search-text.ts).
  registerSearchFunctions(sqlite);
  const db = drizzle({ client: sqlite, schema });
  return {
    db,
    sqlite,
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}

/** A raw better-sqlite3 connection (what `DbHandle.sqlite` is). */
export type SqliteConnection = Database.Database;
/** A prepared statement on it, taking any bind parameters. */
export type SqliteStatement = Database.Statement<unknown[], unknown>;

/**
 * A read-only connection to a database file, for a worker thread that only reads (search): WAL
 * lets it read while the app writes, and it never takes the write lock.
 */
export function openReadOnly(file: string): SqliteConnection {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  // Reads straight from the mapped file (the OS page cache) rather than copying each page into
  // SQLite's own cache, and a larger cache for what is copied: about half the CPU of a search over
  // a large file. The mapping is address space, not memory.
  sqlite.pragma('mmap_size = 4294967296');
  sqlite.pragma('cache_size = -32768');
  return sqlite;
}

/**
 * The better-sqlite3 connection under a drizzle handle or one of its transactions. It is the same
 * connection, so a statement run on it inside `db.transaction()` is part of that transaction: the
 * way to run a prepared statement in a hot write path (fan-out to thousands of recipients) without
 * drizzle building the query each time. A transaction exposes its connection only as
 * `session.client` (drizzle-orm is pinned; tests/db checks this still holds).
 */
export function sqliteOf(db: DbOrTx): Database.Database {
  if ('$client' in db) return db.$client as Database.Database;
  return (db as unknown as { session: { client: Database.Database } }).session.client;
}

/** Applies every pending migration in one go; safe to call on every boot. */
export function migrate(db: Db): void {
  drizzleMigrate(db, { migrationsFolder });
  // Accounts made before usernames existed get one; afterwards every insert gives one itself.
  db.transaction((tx) => void assignMissingUsernames(tx));
}
