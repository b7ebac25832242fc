/**
 * The mail outbox: every email is rendered and stored in `mail_outbox` inside the transaction of
 * the action that sends it, so it exists exactly when the action committed. The sender
 * (mail-sender.ts) delivers it afterwards and retries what failed; nothing is lost on the way.
 */
import { mailOutbox, type DbOrTx, type MailOutboxRow } from '@lexforum/db';
import { and, asc, eq, lte } from 'drizzle-orm';
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
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    })
    .run();
  enqueued++;
}

export function dueMail(db: DbOrTx, now: Date, limit: number): MailOutboxRow[] {
  return db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, now)))
    .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
    .limit(limit)
    .all();
}

/**
 * Delivered: the bodies are emptied, since they may hold a link's secret (single-use, but a
 * database copy or backup need not carry it); the subject, template and times stay for the record.
 */
export function markSent(db: DbOrTx, id: number, now: Date): void {
  db.update(mailOutbox)
    .set({ status: 'sent', sentAt: now, textBody: '', htmlBody: '', lastError: null })
    .where(eq(mailOutbox.id, id))
    .run();
}

export function markFailedAttempt(db: DbOrTx, row: MailOutboxRow, error: string, nextAttemptAt: Date | null): void {
  db.update(mailOutbox)
    .set({
      attempts: row.attempts + 1,
      lastError: error.slice(0, 1000),
      ...(nextAttemptAt ? { nextAttemptAt } : { status: 'failed' as const }),
    })
    .where(eq(mailOutbox.id, row.id))
    .run();
}
