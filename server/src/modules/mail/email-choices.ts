/**
 * Each member's email choice per notification kind (the default where they chose none), as the
 * notifier and the mail renderer read it. A `digest` choice counts as `off` while the member's
 * digest itself is off: nothing would ever carry it.
 */
import { notificationEmails, sqliteOf, type DbOrTx } from '@lexforum/db';
import { DEFAULT_EMAIL_CHOICES, type EmailChoice, type NotificationKind } from '@lexforum/shared';
import { prepared } from '../../lib/prepared.js';

export function emailChoicesOf(
  tx: DbOrTx,
  userIds: readonly string[],
): (userId: string, kind: NotificationKind) => EmailChoice {
  const sqlite = sqliteOf(tx);
  const choices = prepared(sqlite, 'mail.emailChoicesOf', () =>
    sqlite.prepare<[string], { userId: string; kind: NotificationKind; email: EmailChoice }>(
      `select user_id as userId, kind, email from notification_preferences
       where email is not null and user_id in (select value from json_each(?))`,
    ),
  );
  const digests = prepared(sqlite, 'mail.digestOn', () =>
    sqlite.prepare<[string], { userId: string }>(
      `select user_id as userId from digest_settings
       where frequency != 'off' and user_id in (select value from json_each(?))`,
    ),
  );
  // One JSON array bound as one value: no limit on bound parameters applies.
  const ids = JSON.stringify(userIds);
  const chosen = new Map(choices.all(ids).map((r) => [`${r.userId} ${r.kind}`, r.email]));
  const digestOn = new Set(digests.all(ids).map((r) => r.userId));
  return (userId, kind) => {
    const choice = chosen.get(`${userId} ${kind}`) ?? DEFAULT_EMAIL_CHOICES[kind];
    return choice === 'digest' && !digestOn.has(userId) ? 'off' : choice;
  };
}

/**
 * Called by the notifier in the transaction that stores notifications: each one whose kind the
 * member wants by email gets its `notification_emails` row (email-queue.ts takes it from there).
 */
export function scheduleNotificationEmails(
  tx: DbOrTx,
  notifications: readonly { id: number; userId: string; kind: NotificationKind }[],
  now: Date,
): void {
  if (notifications.length === 0) return;
  const choiceOf = emailChoicesOf(tx, [...new Set(notifications.map((n) => n.userId))]);
  const rows = notifications.flatMap((n) => {
    const mode = choiceOf(n.userId, n.kind);
    return mode === 'off' ? [] : [{ notificationId: n.id, userId: n.userId, mode, createdAt: now }];
  });
  if (rows.length > 0) tx.insert(notificationEmails).values(rows).run();
}
