/**
 * Delivers the outbox. One run at a time per app: it takes the pending messages that are due and
 * hands each to the transport; a failure is kept (`last_error`) and tried again later, after 1 min,
 * 5 min, 30 min, 2 h, 6 h, then every 12 h. A transient failure (no connection, a timeout, an SMTP
 * 4xx answer) is retried for as long as it lasts: an SMTP outage delays mail, it loses none. Only
 * what counts as a rejection (an SMTP 5xx answer, any other error, a process that died sending it)
 * leads, after MAX_ATTEMPTS of them, to `failed` (still in the table, for an operator to look at).
 * A connection-level failure ends the run at once: the next messages would only wait for the same
 * timeout. A run is started right after a response that enqueued mail (the mail plugin), and by a
 * timer for the retries.
 */
import type { DbHandle, MailOutboxRow } from '@lexforum/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../lib/clock.js';
import { claimMail, dueMail, markDropped, markFailedAttempt, markSent } from './outbox.js';

export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 6 * 3600_000, 12 * 3600_000];
/** Rejections (not transient failures) before a message is given up as `failed`. */
export const MAX_ATTEMPTS = 10;
const BATCH = 20;

/** When to try again after `attempts` tries, or null (give up) after MAX_ATTEMPTS rejections. */
export function nextAttemptAfter(attempts: number, rejections: number, now: Date): Date | null {
  if (rejections >= MAX_ATTEMPTS) return null;
  const delay = RETRY_DELAYS_MS[Math.min(Math.max(attempts, 1) - 1, RETRY_DELAYS_MS.length - 1)]!;
  return new Date(now.getTime() + delay);
}

/** Error codes nodemailer (and node) give a failure to reach or keep the SMTP server. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

export type DeliveryFailure = 'connection' | 'transient' | 'rejected';

/**
 * What a delivery error means: `connection` (the server could not be reached or went away, or
 * said 421 "closing"), `transient` (another SMTP 4xx answer), `rejected` (an SMTP 5xx answer, or
 * anything else: rendering, a file that could not be written).
 */
export function classifyDeliveryError(error: unknown): DeliveryFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; responseCode?: unknown };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (responseCode === 421) return 'connection';
  if (responseCode !== null && responseCode >= 400 && responseCode < 500) return 'transient';
  if (responseCode !== null && responseCode >= 500) return 'rejected';
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return 'connection';
  return 'rejected';
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
  prepare: PrepareMail;
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
        let reachable = true;
        do {
          this.again = false;
          reachable = await this.deliverBatch();
          // Unreachable: going round again now would only wait for the same failure; the timer retries.
        } while (this.again && reachable && !this.closed);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /**
   * `deliver()` for callers that do not wait (after a response, a timer): a run that throws (the
   * database closed under it, a bug) is logged, never an unhandled rejection.
   */
  deliverInBackground(): void {
    this.deliver().catch((error: unknown) => this.options.log.error({ err: error }, 'mail delivery run failed'));
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

  /** False when it stopped because the SMTP server could not be reached. */
  private async deliverBatch(): Promise<boolean> {
    const { db, clock, send, log, prepare } = this.options;
    for (;;) {
      const rows = dueMail(db, clock.now(), BATCH);
      for (const row of rows) {
        if (this.closed) return true;
        // Claimed before SMTP is spoken to: the only duplicate left is a crash after the server
        // accepted and before `markSent`, and that retry carries the same Message-ID.
        const claim = claimMail(db, row, clock.now());
        if (!claim) continue;
        if (claim.rejections >= MAX_ATTEMPTS) {
          // Claimed again after the process died sending it, once too often: given up.
          markFailedAttempt(db, claim, 'the process stopped while sending it, too often', false, null);
          log.error({ mailId: row.id, template: row.template }, 'mail not delivered; giving up');
          continue;
        }
        try {
          let message: OutgoingMessage | undefined;
          if (row.payload !== null) {
            const prepared = prepare(row);
            if (prepared && 'dropped' in prepared) {
              markDropped(db, claim, prepared.dropped);
              log.info({ mailId: row.id, template: row.template, reason: prepared.dropped }, 'mail dropped');
              continue;
            }
            message = prepared ?? undefined;
          }
          await send(present(row, message));
          markSent(db, claim, clock.now());
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const failure = classifyDeliveryError(error);
          const counted = failure === 'rejected';
          const next = nextAttemptAfter(claim.attempts + 1, claim.rejections + (counted ? 1 : 0), clock.now());
          markFailedAttempt(db, claim, message, counted, next);
          log.warn(
            { mailId: row.id, template: row.template, attempts: claim.attempts + 1, failure, err: message },
            next ? 'mail not delivered; will retry' : 'mail not delivered; giving up',
          );
          // The server is unreachable: the rest of the batch would wait for the same timeout.
          if (failure === 'connection') return false;
        }
      }
      if (rows.length < BATCH) return true;
    }
  }
}
