/**
 * The fan-out worker (modules/notifications/fanout.ts): woken after each commit that stored a
 * fan-out job, and at start, so jobs left by a crash or a shutdown are finished. On close it
 * stops between two chunks; what is left stays stored for the next start.
 */
import fp from 'fastify-plugin';
import { FanoutWorker } from '../modules/notifications/fanout.js';

declare module 'fastify' {
  interface FastifyInstance {
    fanout: FanoutWorker;
  }
}

export default fp(
  async (app) => {
    const worker = new FanoutWorker(
      app.db,
      app.realtime,
      () => app.clock.now(),
      (error) => app.log.error({ err: error }, 'a notification fan-out failed'),
    );
    app.decorate('fanout', worker);
    app.realtime.onFanout = () => worker.kick();
    app.addHook('onReady', async () => worker.kick());
    app.addHook('preClose', async () => worker.stop());
  },
  { name: 'fanout', fastify: '5.x', dependencies: ['db', 'realtime'] },
);
