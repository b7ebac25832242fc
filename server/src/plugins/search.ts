/**
 * The search pool as `app.searchPool`: SEARCH_THREADS worker threads with their own read-only
 * connections to the database file, each search limited to SEARCH_TIMEOUT_MS (search-pool.ts).
 * An in-memory database is searched inline. The workers end with the app.
 */
import fp from 'fastify-plugin';
import { SearchPool } from '../modules/search/search-pool.js';

declare module 'fastify' {
  interface FastifyInstance {
    searchPool: SearchPool;
  }
}

export default fp(
  async (app) => {
    const sqlite = app.dbHandle.sqlite;
    const pool = new SearchPool({
      file: sqlite.memory ? ':memory:' : sqlite.name,
      threads: app.config.SEARCH_THREADS,
      timeoutMs: app.config.SEARCH_TIMEOUT_MS,
      sqlite,
    });
    app.decorate('searchPool', pool);
    app.addHook('onReady', async () => pool.start());
    app.addHook('onClose', async () => {
      await pool.close();
    });
  },
  { name: 'search', fastify: '5.x', dependencies: ['db'] },
);
