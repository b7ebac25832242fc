/**
 * The mail outbox: every email is stored in `mail_outbox` inside the transaction of the action that
 * sends it, so it exists exactly when the action committed. Account mail is rendered then;
 * notification and digest mail is stored as references and rendered at delivery. The sender
 * (mail-sender.ts) claims each row, delivers it and retries what failed; nothing is lost on the way.
 */
import { mailOutbox, type DbOrTx, type MailOutboxRow } from '@lexforum/db';
import { and, asc, eq, lte, or, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { renderMail } from './render.js';
import type { MailParams, MailTemplate } from './templates.js';

export interface MailRequest<T extends MailTemplate = MailTemplate> {
  to: string;
  /** The reader's interface language (`users.locale`); DEFAULT_LOCALE when null or unknown. */
  locale: string | null;
  template: T;
  params: MailParams[T];
}

/**
 * Bumped by every enqueue, in any app of this process: the mail plugin compares it after each
 * response and, when it moved, delivers at once instead of waiting for the timer.
 */
let enqueued = 0;
export const enqueuedCount = () => enqueued;

/** Renders the email and stores it, pending, in the caller's transaction. */
export function enqueueMail<T extends MailTemplate>(tx: DbOrTx, mail: MailRequest<T>, now: Date): void {
  const rendered = renderMail(mail.template, mail.locale, mail.params);
  tx.insert(mailOutbox)
    .values({
      toAddress: mail.to,
      template: mail.template,
      subject: rendered.subject,
      textBody: rendered.text,
      htmlBody: rendered.html,
      messageId: randomUUID(),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    })
    .run();
  enqueued++;
}

/** Notification and digest mail: who and what it is about, rendered when it is delivered. */
export interface ReferenceMailRequest {
  userId: string;
  /** The address at queue time, for the admin page; the address at delivery time is used. */
  to: string;
  template: 'notification_batch' | 'digest';
  payload: Record<string, unknown>;
}

/**
 * Stores a notification or digest email as references (no words yet): the sender renders it when
 * it takes it (reference-mail.ts), so it never says what the reader may no longer see.
 */
export function enqueueReferenceMail(tx: DbOrTx, mail: ReferenceMailRequest, now: Date): number {
  const row = tx
    .insert(mailOutbox)
    .values({
      toAddress: mail.to,
      template: mail.template,
      subject: '',
      textBody: '',
      htmlBody: '',
      userId: mail.userId,
      payload: mail.payload,
      messageId: randomUUID(),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    })
    .returning({ id: mailOutbox.id })
    .get();
  enqueued++;
  return row.id;
}

/**
 * A row claimed for delivery stays `sending` this long; after it (the process died mid-send) it
 * is due again. Longer than any SMTP conversation (nodemailer's socket timeout is one minute).
 */
export const SENDING_LEASE_MS = 10 * 60_000;

export function dueMail(db: DbOrTx, now: Date, limit: number): MailOutboxRow[] {
  return db
    .select()
    .from(mailOutbox)
    .where(
      or(
        and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, now)),
        and(eq(mailOutbox.status, 'sending'), lte(mailOutbox.claimedAt, new Date(now.getTime() - SENDING_LEASE_MS))),
      ),
    )
    .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
    .limit(limit)
    .all();
}

/**
 * Takes a row for delivery (`sending`, `claimed_at`) if it is still due: null when another sender
 * (or an earlier run) took it meanwhile, else the claim (its time, which every later mark of this
 * delivery must match). Marked before SMTP is spoken to, so a crash leaves it `sending`, retried
 * after the lease with the same Message-ID; that re-claim counts as an attempt and a rejection, so
 * a message that brings the process down is not tried for ever.
 */
export function claimMail(db: DbOrTx, row: MailOutboxRow, now: Date): MailClaim | null {
  const lease = now.getTime() - SENDING_LEASE_MS;
  const crashed = row.status === 'sending';
  const result = db
    .update(mailOutbox)
    .set({
      status: 'sending',
      claimedAt: now,
      ...(crashed
        ? {
            attempts: sql`${mailOutbox.attempts} + 1`,
            rejections: sql`${mailOutbox.rejections} + 1`,
            lastError: 'the process stopped while sending it',
          }
        : {}),
    })
    .where(
      and(
        eq(mailOutbox.id, row.id),
        crashed
          ? sql`${mailOutbox.status} = 'sending' and ${mailOutbox.claimedAt} <= ${lease}`
          : sql`${mailOutbox.status} = 'pending'`,
      ),
    )
    .run();
  if (result.changes !== 1) return null;
  return {
    id: row.id,
    claimedAt: now,
    attempts: row.attempts + (crashed ? 1 : 0),
    rejections: row.rejections + (crashed ? 1 : 0),
  };
}

/** A row as this delivery claimed it: the marks below apply only while the claim is still this one. */
export interface MailClaim {
  id: number;
  claimedAt: Date;
  attempts: number;
  rejections: number;
}

const stillClaimed = (claim: MailClaim) =>
  and(eq(mailOutbox.id, claim.id), eq(mailOutbox.status, 'sending'), eq(mailOutbox.claimedAt, claim.claimedAt));

/** Rendered at delivery with nothing left the reader may see: kept, with why, never sent. */
export function markDropped(db: DbOrTx, claim: MailClaim, reason: string): void {
  db.update(mailOutbox).set({ status: 'dropped', lastError: reason, claimedAt: null }).where(stillClaimed(claim)).run();
}

/**
 * Delivered: the bodies are emptied, since they may hold a link's secret (single-use, but a
 * database copy or backup need not carry it); the subject, template and times stay for the record.
 */
export function markSent(db: DbOrTx, claim: MailClaim, now: Date): void {
  db.update(mailOutbox)
    .set({ status: 'sent', sentAt: now, textBody: '', htmlBody: '', lastError: null, claimedAt: null })
    .where(stillClaimed(claim))
    .run();
}

/**
 * A try that failed: pending again at `nextAttemptAt`, or `failed` (given up) when that is null.
 * `counted`: whether it counts towards giving up (not for a transient failure).
 */
export function markFailedAttempt(
  db: DbOrTx,
  claim: MailClaim,
  error: string,
  counted: boolean,
  nextAttemptAt: Date | null,
): void {
  db.update(mailOutbox)
    .set({
      attempts: claim.attempts + 1,
      rejections: claim.rejections + (counted ? 1 : 0),
      lastError: error.slice(0, 1000),
      claimedAt: null,
      ...(nextAttemptAt ? { nextAttemptAt, status: 'pending' as const } : { status: 'failed' as const }),
    })
    .where(stillClaimed(claim))
    .run();
}
