/**
 * Bookmark reminders (modules/bookmarks/reminders.ts): sent every minute and at start (reminders
 * that fell due while the server was down), a batch per turn of the event loop while batches come
 * back full, so a backlog never holds the server.
 */
import fp from 'fastify-plugin';
import { REMINDER_BATCH, sendDueReminders } from '../modules/bookmarks/reminders.js';

const EVERY_MS = 60_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends one batch of the reminders due now (the clock's now); returns how many were due in it. */
    sendDueReminders: () => number;
  }
}

export default fp(
  async (app) => {
    const run = () => sendDueReminders(app.db, app.realtime, app.clock.now());
    app.decorate('sendDueReminders', run);
    let closed = false;
    const tick = () => {
      if (closed) return;
      try {
        if (run() >= REMINDER_BATCH) setImmediate(tick);
      } catch (error) {
        app.log.error({ err: error }, 'bookmark reminders failed');
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
  { name: 'bookmark-reminders', fastify: '5.x', dependencies: ['db', 'realtime'] },
);
