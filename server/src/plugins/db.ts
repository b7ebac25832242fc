/**
 * The database: one better-sqlite3 handle per process, migrated on boot, reference data upserted
 * on boot (every mode). Decorates `app.db` and `app.reference`; closes the handle on app close
 * unless the caller passed in a handle it owns.
 */
import { createDb, migrate, seedReferenceData, type Db, type DbHandle } from '@lexforum/db';
import fp from 'fastify-plugin';
import { fillMissingNameSkeletons } from '../lib/names/name-rules.js';
import { registerSqlFunctions } from '../lib/sql.js';
import { ReferenceRepository } from '../modules/reference/reference.repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    dbHandle: DbHandle;
    reference: ReferenceRepository;
  }
}

export interface DbPluginOptions {
  /** A handle opened by the caller (tests, the CLI); it is not closed with the app. */
  handle?: DbHandle;
}

export default fp<DbPluginOptions>(
  async (app, opts) => {
    const owned = !opts.handle;
    const handle = opts.handle ?? createDb(app.config.databaseFile);
    registerSqlFunctions(handle.sqlite);
    migrate(handle.db);
    // Skeletons need the confusables table, which db/ does not have: rows from before 0005 get theirs here.
    fillMissingNameSkeletons(handle.db);
    seedReferenceData(handle.db);
    const reference = new ReferenceRepository(handle.db);
    reference.reload();

    app.decorate('dbHandle', handle);
    app.decorate('db', handle.db);
    app.decorate('reference', reference);
    app.addHook('onClose', async () => {
      if (owned) handle.close();
    });
  },
  { name: 'db', fastify: '5.x' },
);
