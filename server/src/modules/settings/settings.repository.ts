/**
 * The run-time settings an admin changes (`settings` table, over shared's defaults). They are read
 * on hot paths (every badge, every reply's pre-moderation check), so reads outside a transaction
 * come from a cache per database handle, dropped when this process writes them and whenever
 * another connection has committed since (SQLite's `data_version` moves only for other
 * connections' commits, so a single server process keeps its cache until it writes). Inside a
 * transaction the row is read again, so a write and a rollback never leave the cache ahead.
 */
import { sqliteOf, type DbOrTx } from '@lexforum/db';
import { DEFAULT_SETTINGS, type Settings } from '@lexforum/shared';
import { prepared } from '../../lib/prepared.js';

interface SettingsCache {
  dataVersion: number;
  /** When `data_version` was last asked (ms, monotonic). */
  checkedAt: number;
  settings: Settings;
}

/**
 * How long a cached copy is trusted before `data_version` is asked again. Asking costs a statement
 * (an implicit read transaction, about 6 µs), a sixth of a signed-in request; only another process
 * (a CLI, a second server) can change settings behind this one's back, and it shows within this.
 */
const RECHECK_MS = 250;

type Database = ReturnType<typeof sqliteOf>;

const caches = new WeakMap<Database, SettingsCache>();

function statements(sqlite: Database) {
  return prepared(sqlite, 'settings.statements', () => ({
    all: sqlite.prepare<[], { key: string; value: string }>('select key, value from settings'),
    dataVersion: sqlite.prepare<[], number>('pragma data_version').pluck(),
    upsert: sqlite.prepare(
      `insert into settings (key, value, updated_at, updated_by_id) values (?, ?, ?, ?)
       on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at,
       updated_by_id = excluded.updated_by_id`,
    ),
  }));
}

function load(sqlite: Database): Settings {
  const out: Settings = { ...DEFAULT_SETTINGS };
  for (const row of statements(sqlite).all.all()) {
    // Values are stored as JSON (drizzle's json mode on the column).
    if (row.key in out) (out as unknown as Record<string, unknown>)[row.key] = JSON.parse(row.value) as unknown;
  }
  return out;
}

/** Stored values over the defaults; a key never written keeps its default. Do not mutate. */
export function readSettings(db: DbOrTx): Readonly<Settings> {
  const sqlite = sqliteOf(db);
  if (sqlite.inTransaction) return load(sqlite);
  const cached = caches.get(sqlite);
  const now = performance.now();
  if (cached && now - cached.checkedAt < RECHECK_MS) return cached.settings;
  const dataVersion = statements(sqlite).dataVersion.get()!;
  if (cached && cached.dataVersion === dataVersion) {
    cached.checkedAt = now;
    return cached.settings;
  }
  const settings = Object.freeze(load(sqlite));
  caches.set(sqlite, { dataVersion, checkedAt: now, settings });
  return settings;
}

export function writeSettings(tx: DbOrTx, patch: Partial<Settings>, actorId: string, now: Date): void {
  const sqlite = sqliteOf(tx);
  // Dropped before the write: if the transaction rolls back, the next read loads the row again.
  caches.delete(sqlite);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    statements(sqlite).upsert.run(key, JSON.stringify(value), now.getTime(), actorId);
  }
}
