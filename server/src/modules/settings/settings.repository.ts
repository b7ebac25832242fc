import { settings as settingsTable, type DbOrTx } from '@lexforum/db';
import { DEFAULT_SETTINGS, type Settings } from '@lexforum/shared';

/** Stored values over the defaults; a key never written keeps its default. */
export function readSettings(db: DbOrTx): Settings {
  const out: Settings = { ...DEFAULT_SETTINGS };
  for (const row of db.select().from(settingsTable).all()) {
    if (row.key in out) (out as unknown as Record<string, unknown>)[row.key] = row.value;
  }
  return out;
}

export function writeSettings(tx: DbOrTx, patch: Partial<Settings>, actorId: string, now: Date): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    tx.insert(settingsTable)
      .values({ key, value, updatedAt: now, updatedById: actorId })
      .onConflictDoUpdate({ target: settingsTable.key, set: { value, updatedAt: now, updatedById: actorId } })
      .run();
  }
}
