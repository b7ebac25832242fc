/**
 * Puts notification and digest email in the outbox, run by the email-notifications plugin's timer.
 *
 * Immediate: a notification whose kind the member set to `immediate` got a `notification_emails`
 * row when it was made. Once that row is EMAIL_NOTIFY_DELAY_MINUTES old, the member's pending rows
 * of the same thread (due or not: one email per thread) are taken together; those read in the app
 * meanwhile, or no longer visible, are skipped; the rest go in one outbox row, and are marked
 * queued in the same transaction, so a crash queues them again or not at all, never twice.
 *
 * Digest: members whose digest period (digest-schedule.ts) has begun and has no `digest_runs` row
 * get one, with the outbox row, in one transaction (the primary key refuses a second). An empty
 * digest is recorded but not queued.
 */
import {
  digestRuns,
  digestSettings,
  notificationEmails,
  users,
  type Db,
  type DigestSettingsRow,
  type UserRow,
} from '@lexforum/db';
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { currentDigestPeriod, DIGEST_SPAN_MS } from './digest-schedule.js';
import { digestContent, isEmptyDigest, mailableNotifications } from './mail-content.js';
import { enqueueReferenceMail } from './outbox.js';

const BATCH = 200;
/** The most notifications one digest lists. */
export const DIGEST_NOTIFICATIONS_MAX = 50;

/** Queues the immediate emails that are due; returns how many emails were queued. */
export function queueImmediateEmails(db: Db, now: Date, delayMs: number): number {
  let queued = 0;
  // Each round moves every row it read out of `pending`, so the rounds end.
  for (;;) {
    const { emails, full } = queueImmediateBatch(db, now, delayMs);
    queued += emails;
    if (!full) return queued;
  }
}

function queueImmediateBatch(db: Db, now: Date, delayMs: number): { emails: number; full: boolean } {
  const due = db
    .select({
      userId: notificationEmails.userId,
      threadId: sql<
        string | null
      >`(select thread_id from notifications n where n.id = ${notificationEmails.notificationId})`,
      notificationId: notificationEmails.notificationId,
    })
    .from(notificationEmails)
    .where(
      and(
        eq(notificationEmails.mode, 'immediate'),
        eq(notificationEmails.state, 'pending'),
        sql`${notificationEmails.createdAt} <= ${now.getTime() - delayMs}`,
      ),
    )
    .orderBy(notificationEmails.createdAt)
    .limit(BATCH)
    .all();
  const groups = new Map<string, { userId: string; threadId: string | null; notificationId: number }>();
  for (const d of due) {
    const key = d.threadId ? `${d.userId} ${d.threadId}` : `${d.userId} #${d.notificationId}`;
    if (!groups.has(key)) groups.set(key, d);
  }
  let queued = 0;
  for (const group of groups.values()) {
    db.transaction((tx) => {
      const pending = tx
        .select({ id: notificationEmails.notificationId })
        .from(notificationEmails)
        .where(
          and(
            eq(notificationEmails.userId, group.userId),
            eq(notificationEmails.mode, 'immediate'),
            eq(notificationEmails.state, 'pending'),
            group.threadId
              ? sql`${notificationEmails.notificationId} in (select id from notifications where user_id = ${group.userId} and thread_id = ${group.threadId})`
              : eq(notificationEmails.notificationId, group.notificationId),
          ),
        )
        .all()
        .map((r) => r.id);
      if (pending.length === 0) return;
      const user = tx.select().from(users).where(eq(users.id, group.userId)).get();
      const mailable = user?.status === 'active' ? mailableNotifications(tx, group.userId, pending, 'immediate') : [];
      const ids = mailable.map((m) => m.id);
      const skipped = pending.filter((id) => !ids.includes(id));
      if (skipped.length > 0) {
        tx.update(notificationEmails)
          .set({ state: 'skipped' })
          .where(inArray(notificationEmails.notificationId, skipped))
          .run();
      }
      if (!user || ids.length === 0) return;
      const outboxId = enqueueReferenceMail(
        tx,
        { userId: user.id, to: user.email, template: 'notification_batch', payload: { notificationIds: ids } },
        now,
      );
      tx.update(notificationEmails)
        .set({ state: 'queued', outboxId })
        .where(inArray(notificationEmails.notificationId, ids))
        .run();
      queued++;
    });
  }
  return { emails: queued, full: due.length === BATCH };
}

/** Where a member's digest that could not be queued is reported (the app's logger). */
export interface QueueLog {
  error: (details: Record<string, unknown>, message: string) => void;
}

/**
 * Queues the digests whose period has begun; returns how many were queued (empty ones are not).
 * One member's failure is logged and the others' digests go on (that member is tried again on
 * the next run: their period was not taken).
 */
export function queueDueDigests(db: Db, now: Date, log?: QueueLog): number {
  const members = db
    .select({ settings: digestSettings, user: users })
    .from(digestSettings)
    .innerJoin(users, eq(users.id, digestSettings.userId))
    .where(and(ne(digestSettings.frequency, 'off'), eq(users.status, 'active')))
    .all();
  let queued = 0;
  for (const { settings, user } of members) {
    try {
      if (queueDigest(db, now, settings, user)) queued++;
    } catch (error) {
      log?.error({ err: error, userId: user.id }, 'queueing a digest failed');
    }
  }
  return queued;
}

function queueDigest(db: Db, now: Date, settings: DigestSettingsRow, user: UserRow): boolean {
  if (settings.frequency === 'off') return false;
  const period = currentDigestPeriod(settings, now);
  if (!period || period === settings.skipPeriod) return false;
  const frequency = settings.frequency;
  let queued = false;
  db.transaction((tx) => {
    const taken = tx.insert(digestRuns).values({ userId: user.id, period, createdAt: now }).onConflictDoNothing().run();
    if (taken.changes === 0) return;
    const last = tx
      .select({ at: digestRuns.createdAt })
      .from(digestRuns)
      .where(and(eq(digestRuns.userId, user.id), ne(digestRuns.period, period)))
      .orderBy(desc(digestRuns.createdAt))
      .get();
    // What happened since the last digest, and never more than one period back (a member whose
    // digest was off, or whose periods were all empty, is not told of last month).
    const oldest = now.getTime() - DIGEST_SPAN_MS[frequency];
    const since = new Date(Math.max(last?.at.getTime() ?? oldest, oldest));
    const pending = tx
      .select({ id: notificationEmails.notificationId, createdAt: notificationEmails.createdAt })
      .from(notificationEmails)
      .where(
        and(
          eq(notificationEmails.userId, user.id),
          eq(notificationEmails.mode, 'digest'),
          eq(notificationEmails.state, 'pending'),
        ),
      )
      .all();
    const recent = pending.filter((r) => r.createdAt.getTime() > since.getTime()).map((r) => r.id);
    // The content is read again at delivery; here only to queue nothing empty. (A transaction
    // has every method the Guardian's facts are read with; drizzle types it apart from Db.)
    const content = digestContent(tx as unknown as Db, user as UserRow, since, recent);
    // The latest DIGEST_NOTIFICATIONS_MAX; the rest are counted ("and 12 more, in the app").
    const moreNotifications = Math.max(0, content.notifications.length - DIGEST_NOTIFICATIONS_MAX);
    content.notifications = content.notifications.slice(moreNotifications);
    const carried = content.notifications.map((n) => n.id);
    // Every pending row not carried (older, no longer visible or wanted, over the cap) is done with.
    const pendingIds = pending.map((r) => r.id);
    if (pendingIds.length > 0) {
      tx.update(notificationEmails)
        .set({ state: 'skipped' })
        .where(
          and(
            sql`${notificationEmails.notificationId} in (select value from json_each(${JSON.stringify(pendingIds)}))`,
            sql`${notificationEmails.notificationId} not in (select value from json_each(${JSON.stringify(carried)}))`,
          ),
        )
        .run();
    }
    if (isEmptyDigest(content)) return;
    const outboxId = enqueueReferenceMail(
      tx,
      {
        userId: user.id,
        to: user.email,
        template: 'digest',
        payload: { frequency, since: since.getTime(), period, notificationIds: carried, moreNotifications },
      },
      now,
    );
    if (carried.length > 0) {
      tx.update(notificationEmails)
        .set({ state: 'queued', outboxId })
        .where(inArray(notificationEmails.notificationId, carried))
        .run();
    }
    tx.update(digestRuns)
      .set({ outboxId })
      .where(and(eq(digestRuns.userId, user.id), eq(digestRuns.period, period)))
      .run();
    queued = true;
  });
  return queued;
}
