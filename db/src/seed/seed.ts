import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import type { Db } from '../client.js';
import { instruments, jurisdictions, topics, users } from '../schema.js';
import { DEMO_PASSWORD, DEMO_PEOPLE, type DemoPerson } from './demo-data.js';
import { INSTRUMENTS, JURISDICTIONS, TOPICS } from './reference-data.js';

/**
 * Upserts the reference data (jurisdictions, crime areas, legal instruments) in one transaction.
 * Runs on every boot in every mode: new entries appear, corrected names replace old ones, and
 * nothing that other rows point to is ever deleted.
 */
export function seedReferenceData(db: Db): void {
  db.transaction((tx) => {
    JURISDICTIONS.forEach((j, sortOrder) => {
      const row = { ...j, sortOrder };
      tx.insert(jurisdictions).values(row).onConflictDoUpdate({ target: jurisdictions.code, set: row }).run();
    });
    TOPICS.forEach((t, sortOrder) => {
      const row = { ...t, sortOrder };
      tx.insert(topics).values(row).onConflictDoUpdate({ target: topics.slug, set: row }).run();
    });
    INSTRUMENTS.forEach((i, sortOrder) => {
      const row = { ...i, sortOrder };
      tx.insert(instruments).values(row).onConflictDoUpdate({ target: instruments.slug, set: row }).run();
    });
  });
}

export interface DemoSeedResult {
  seeded: boolean;
  password: string;
  accounts: readonly DemoPerson[];
}

/**
 * Fills an empty database with demo people. Does nothing when any user exists, so it can run on
 * every non-production boot. The caller supplies the password hasher (argon2 lives in the server).
 */
export async function seedDemoData(
  db: Db,
  hashPassword: (password: string) => Promise<string>,
  now: Date = new Date(),
): Promise<DemoSeedResult> {
  const userCount = () => db.select({ n: count() }).from(users).get()?.n ?? 0;
  if (userCount() > 0) return { seeded: false, password: DEMO_PASSWORD, accounts: [] };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded = db.transaction((tx) => {
    // Checked again inside the write transaction: two processes booting at once seed once.
    if ((tx.select({ n: count() }).from(users).get()?.n ?? 0) > 0) return false;
    for (const person of DEMO_PEOPLE) {
      tx.insert(users)
        .values({ id: randomUUID(), ...person, passwordHash, status: 'active', createdAt: now, updatedAt: now })
        .run();
    }
    return true;
  });
  return { seeded, password: DEMO_PASSWORD, accounts: seeded ? DEMO_PEOPLE : [] };
}
