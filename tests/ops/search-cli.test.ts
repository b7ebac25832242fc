/**
 * The search index's operator commands on a real database file: `search-check` compares the index
 * with the posts (exit 1 and the count of differences when they disagree), `search-rebuild`
 * refills it. The database is the demo one (its threads cooked by the server's cooking), made
 * here rather than by booting a server.
 */
import { createDb, migrate, seedDemoData, seedReferenceData } from '@lexforum/db';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cookMarkdown, cookSections, excerptOf } from '../../server/src/modules/threads/cook.js';
import { runCli, tempDatabasePath } from '../helpers/process.js';

describe('The search index commands', () => {
  it('check a consistent index (exit 0), count what differs (exit 1), and rebuild it', async () => {
    const db = tempDatabasePath();
    const handle = createDb(db);
    migrate(handle.db);
    seedReferenceData(handle.db);
    // A stand-in hash: nobody signs in here, and argon2 would cost seconds.
    await seedDemoData(handle.db, async (password) => `not-a-hash:${password.length}`, {
      cook: { markdown: cookMarkdown, sections: cookSections, excerpt: excerptOf },
    });
    handle.close();
    const env = { NODE_ENV: 'development', DATABASE_PATH: db };

    const clean = await runCli(['search-check'], env);
    expect(clean.code, clean.out).toBe(0);
    expect(clean.out).toMatch(/posts (\d+), indexed \1/);
    expect(clean.out).toContain('differences 0');

    // Damage it as a crash or a hand edit might: one entry dropped, one stale.
    const raw = new Database(db);
    raw.prepare('delete from search_docs where doc_id = (select min(doc_id) from search_docs)').run();
    raw.prepare(`update search_docs set hash = 'stale' where doc_id = (select max(doc_id) from search_docs)`).run();
    raw.close();
    const damaged = await runCli(['search-check'], env);
    expect(damaged.code).toBe(1);
    expect(damaged.out).toContain('missing 1');
    expect(damaged.out).toContain('stale 1');
    expect(damaged.out).toContain('unindexed 1');
    expect(damaged.out).toContain('differences 3');

    const rebuilt = await runCli(['search-rebuild'], env);
    expect(rebuilt.code, rebuilt.out).toBe(0);
    expect(rebuilt.out).toMatch(/Search index rebuilt: \d+ posts indexed/);
    expect(rebuilt.out).toContain('differences 0');
    expect((await runCli(['search-check'], env)).code).toBe(0);
  });
});
