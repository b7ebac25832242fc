/**
 * The cooking pool (markdown → sanitized HTML, excerpts) as `app.cookPool`: a few worker threads
 * so that cooking a long post never holds the event loop. Sized by COOK_THREADS; jobs up to
 * COOK_INLINE_MAX_CHARS characters are cooked inline (cheaper than the trip). The workers end
 * with the app.
 */
import fp from 'fastify-plugin';
import { CookPool } from '../modules/threads/cook-pool.js';

declare module 'fastify' {
  interface FastifyInstance {
    cookPool: CookPool;
  }
}

export default fp(
  async (app) => {
    const pool = new CookPool({ threads: app.config.COOK_THREADS, inlineMaxChars: app.config.COOK_INLINE_MAX_CHARS });
    app.decorate('cookPool', pool);
    app.addHook('onClose', async () => {
      await pool.close();
    });
  },
  { name: 'cook', fastify: '5.x' },
);
