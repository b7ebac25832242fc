/**
 * Notification and digest email (modules/mail/email-queue.ts): every minute, and at start, the
 * immediate emails that are due and the digests whose period began are put in the outbox, which
 * the mail plugin then delivers. Clock-driven (tests move `app.clock` and call `queueEmails`); the
 * timer is unref'd and stops with the app.
 */
import fp from 'fastify-plugin';
import { queueDueDigests, queueImmediateEmails } from '../modules/mail/email-queue.js';

const EVERY_MS = 60_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Queues what is due at the clock's now; returns how many emails were queued. */
    queueEmails: () => { immediate: number; digests: number };
  }
}

export default fp(
  async (app) => {
    const delayMs = app.config.EMAIL_NOTIFY_DELAY_MINUTES * 60_000;
    const run = () => {
      const now = app.clock.now();
      const queued = {
        immediate: queueImmediateEmails(app.db, now, delayMs),
        digests: queueDueDigests(app.db, now, app.log),
      };
      if (queued.immediate + queued.digests > 0) app.mail.deliverInBackground();
      return queued;
    };
    app.decorate('queueEmails', run);
    let closed = false;
    const tick = () => {
      if (closed) return;
      try {
        run();
      } catch (error) {
        app.log.error({ err: error }, 'queueing notification email failed');
      }
    };
    const timer = setInterval(tick, EVERY_MS);
    timer.unref();
    app.addHook('onReady', async () => tick());
    app.addHook('onClose', async () => {
      closed = true;
      clearInterval(timer);
    });
  },
  { name: 'email-notifications', fastify: '5.x', dependencies: ['db', 'mail'] },
);
