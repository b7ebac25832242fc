/** A member's digest settings (DEFAULT_DIGEST_SETTINGS until they choose). */
import { digestSettings, notificationEmails, type DbOrTx } from '@lexforum/db';
import { DEFAULT_DIGEST_SETTINGS, type DigestSettings } from '@lexforum/shared';
import { and, eq } from 'drizzle-orm';
import { currentDigestPeriod, knownTimeZone } from './digest-schedule.js';

export function readDigestSettings(db: DbOrTx, userId: string): DigestSettings {
  const row = db.select().from(digestSettings).where(eq(digestSettings.userId, userId)).get();
  if (!row) return DEFAULT_DIGEST_SETTINGS;
  return { frequency: row.frequency, weekday: row.weekday, hour: row.hour, timeZone: knownTimeZone(row.timeZone) };
}

/**
 * Saves them. The period current at this moment began before the member chose it, so it is
 * remembered as skipped: the first digest is the next period's (never one at once on saving).
 */
export function saveDigestSettings(tx: DbOrTx, userId: string, settings: DigestSettings, now: Date): void {
  const skipPeriod = currentDigestPeriod(settings, now);
  tx.insert(digestSettings)
    .values({ userId, ...settings, skipPeriod, updatedAt: now })
    .onConflictDoUpdate({ target: digestSettings.userId, set: { ...settings, skipPeriod, updatedAt: now } })
    .run();
  if (settings.frequency === 'off') skipPendingDigestEmails(tx, userId);
}

/** The digest turned off: what was waiting for it will never go (a digest turned on later starts afresh). */
export function skipPendingDigestEmails(tx: DbOrTx, userId: string): void {
  tx.update(notificationEmails)
    .set({ state: 'skipped' })
    .where(
      and(
        eq(notificationEmails.userId, userId),
        eq(notificationEmails.mode, 'digest'),
        eq(notificationEmails.state, 'pending'),
      ),
    )
    .run();
}
