/**
 * One-click unsubscribe (RFC 8058). Each member has one random token per kind of email (a
 * notification kind, or `digest`), made with the first message that needs it and the same in
 * every message after: it can only turn that email off, so it is stored as is and never expires.
 * Unsubscribing sets the kind's email choice to `off` (or the digest's frequency to `off`).
 */
import {
  DEFAULT_NOTIFICATION_CHANNELS,
  DEFAULT_DIGEST_SETTINGS,
  NOTIFICATION_KINDS,
  type NotificationKind,
  type UnsubscribeKind,
} from '@lexforum/shared';
import { digestSettings, emailUnsubscribeTokens, notificationPreferences, type DbOrTx } from '@lexforum/db';
import { and, eq } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { skipPendingDigestEmails } from './digest-settings.js';
import { emailChoicesOf } from './email-choices.js';

export function unsubscribeToken(db: DbOrTx, userId: string, kind: UnsubscribeKind, now: Date): string {
  db.insert(emailUnsubscribeTokens)
    .values({ token: randomBytes(24).toString('base64url'), userId, kind, createdAt: now })
    .onConflictDoNothing()
    .run();
  return db
    .select({ token: emailUnsubscribeTokens.token })
    .from(emailUnsubscribeTokens)
    .where(and(eq(emailUnsubscribeTokens.userId, userId), eq(emailUnsubscribeTokens.kind, kind)))
    .get()!.token;
}

const isUnsubscribeKind = (kind: string): kind is UnsubscribeKind =>
  kind === 'digest' || (NOTIFICATION_KINDS as readonly string[]).includes(kind);

export function resolveUnsubscribeToken(db: DbOrTx, token: string): { userId: string; kind: UnsubscribeKind } | null {
  const row = db.select().from(emailUnsubscribeTokens).where(eq(emailUnsubscribeTokens.token, token)).get();
  return row && isUnsubscribeKind(row.kind) ? { userId: row.userId, kind: row.kind } : null;
}

export function isUnsubscribed(db: DbOrTx, userId: string, kind: UnsubscribeKind): boolean {
  if (kind === 'digest') {
    const row = db.select().from(digestSettings).where(eq(digestSettings.userId, userId)).get();
    return (row?.frequency ?? 'off') === 'off';
  }
  return emailChoicesOf(db, [userId])(userId, kind) === 'off';
}

export function unsubscribe(tx: DbOrTx, userId: string, kind: UnsubscribeKind, now: Date): void {
  if (kind === 'digest') {
    tx.insert(digestSettings)
      .values({ userId, ...DEFAULT_DIGEST_SETTINGS, frequency: 'off', skipPeriod: null, updatedAt: now })
      .onConflictDoUpdate({ target: digestSettings.userId, set: { frequency: 'off', updatedAt: now } })
      .run();
    skipPendingDigestEmails(tx, userId);
    return;
  }
  setEmailChoice(tx, userId, kind, 'off', now);
}

function setEmailChoice(tx: DbOrTx, userId: string, kind: NotificationKind, email: 'off', now: Date): void {
  tx.insert(notificationPreferences)
    .values({ userId, kind, channel: DEFAULT_NOTIFICATION_CHANNELS[kind], email, updatedAt: now })
    .onConflictDoUpdate({
      target: [notificationPreferences.userId, notificationPreferences.kind],
      set: { email, updatedAt: now },
    })
    .run();
}
