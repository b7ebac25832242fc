/**
 * Bookmark reminders (modules/bookmarks/reminders.ts): sent every minute, at start (reminders
 * that fell due while the server was down), and at once again when a run was full.
 */
import fp from 'fastify-plugin';
import { sendDueReminders } from '../modules/bookmarks/reminders.js';

const EVERY_MS = 60_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends the reminders due now (the clock's now); returns how many. */
    sendDueReminders: () => number;
  }
}

export default fp(
  async (app) => {
    const run = () => sendDueReminders(app.db, app.realtime, app.clock.now());
    app.decorate('sendDueReminders', run);
    const tick = () => {
      try {
        while (run() >= 200) {
          // A full batch: more may be due.
        }
      } catch (error) {
        app.log.error({ err: error }, 'bookmark reminders failed');
      }
    };
    const timer = setInterval(tick, EVERY_MS);
    timer.unref();
    app.addHook('onReady', async () => tick());
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'bookmark-reminders', fastify: '5.x', dependencies: ['db', 'realtime'] },
);
