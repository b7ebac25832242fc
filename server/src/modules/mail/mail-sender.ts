/**
 * Delivers the outbox. One run at a time per app: it takes the pending messages that are due and
 * hands each to the transport; a failure is kept (`last_error`) and tried again later, after 1 min,
 * 5 min, 30 min, 2 h, 6 h, then every 12 h, until MAX_ATTEMPTS, when the message is marked
 * `failed` (still in the table, for an operator to look at). A run is started right after a
 * response that enqueued mail (the mail plugin), and by a timer for the retries.
 */
import type { DbHandle, MailOutboxRow } from '@lexforum/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../lib/clock.js';
import { claimMail, dueMail, markDropped, markFailedAttempt, markSent } from './outbox.js';

export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 6 * 3600_000, 12 * 3600_000];
export const MAX_ATTEMPTS = 10;
const BATCH = 20;

export function nextAttemptAfter(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const delay = RETRY_DELAYS_MS[Math.min(attempts - 1, RETRY_DELAYS_MS.length - 1)]!;
  return new Date(now.getTime() + delay);
}

/** One message as the transport receives it (the sender address is the transport's). */
export interface OutgoingMail {
  id: number;
  template: string;
  createdAt: Date;
  /** The row's own Message-ID (without angle brackets' domain: the transport adds it), the same on every attempt. */
  messageId: string;
  message: OutgoingMessage;
}

export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra header lines (List-Unsubscribe, List-Unsubscribe-Post). */
  headers?: Record<string, string>;
}

/**
 * What to send for a row stored as references (notification and digest mail), rendered now: the
 * message, or why nothing is sent (the row is then `dropped`). Null for rows rendered at enqueue.
 */
export type PrepareMail = (row: MailOutboxRow) => OutgoingMessage | { dropped: string } | null;

export interface MailSenderOptions {
  db: DbHandle['db'];
  clock: Clock;
  /** Resolves once the message is handed over (SMTP accepted it, or the file is written). */
  send: (mail: OutgoingMail) => Promise<void>;
  closeTransport: () => void;
  log: FastifyBaseLogger;
  prepare?: PrepareMail;
}

function present(row: MailOutboxRow, message?: OutgoingMessage): OutgoingMail {
  return {
    id: row.id,
    template: row.template,
    createdAt: row.createdAt,
    // Rows from before Message-IDs were stored get one derived from their id (stable too).
    messageId: row.messageId ?? `outbox-${row.id}`,
    message: message ?? { to: row.toAddress, subject: row.subject, text: row.textBody, html: row.htmlBody },
  };
}

export class MailSender {
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(private readonly options: MailSenderOptions) {}

  /** Delivers what is due now; a call during a run makes the run go round once more. */
  deliver(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.deliverBatch();
        } while (this.again && !this.closed);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Resolves when no run is in progress (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    this.options.closeTransport();
  }

  private async deliverBatch(): Promise<void> {
    const { db, clock, send, log, prepare } = this.options;
    for (;;) {
      const rows = dueMail(db, clock.now(), BATCH);
      for (const row of rows) {
        if (this.closed) return;
        // Claimed before SMTP is spoken to: the only duplicate left is a crash after the server
        // accepted and before `markSent`, and that retry carries the same Message-ID.
        if (!claimMail(db, row, clock.now())) continue;
        try {
          let message: OutgoingMessage | undefined;
          if (row.payload !== null && prepare) {
            const prepared = prepare(row);
            if (prepared && 'dropped' in prepared) {
              markDropped(db, row.id, prepared.dropped);
              log.info({ mailId: row.id, template: row.template, reason: prepared.dropped }, 'mail dropped');
              continue;
            }
            message = prepared ?? undefined;
          }
          await send(present(row, message));
          markSent(db, row.id, clock.now());
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const next = nextAttemptAfter(row.attempts + 1, clock.now());
          markFailedAttempt(db, row, message, next);
          log.warn(
            { mailId: row.id, template: row.template, attempts: row.attempts + 1, err: message },
            next ? 'mail not delivered; will retry' : 'mail not delivered; giving up',
          );
        }
      }
      if (rows.length < BATCH) return;
    }
  }
}
