/**
 * `snapshot` runs a request's reads in one read transaction (server/src/lib/snapshot.ts): all of
 * them see the database as it was at the first, whatever another connection commits meanwhile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrate, sqliteOf, type DbHandle } from '@lexforum/db';
import { snapshot } from '@lexforum/server/test-support';
import { afterEach, describe, expect, it } from 'vitest';

describe('snapshot', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => cleanup.splice(0).forEach((f) => f()));

  function twoConnections(): [DbHandle, DbHandle] {
    const dir = mkdtempSync(join(tmpdir(), 'lexforum-snapshot-'));
    const file = join(dir, 'forum.db');
    const a = createDb(file);
    migrate(a.db);
    const b = createDb(file);
    cleanup.push(() => {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return [a, b];
  }

  const count = (h: DbHandle) => sqliteOf(h.db).prepare('select count(*) from users').pluck().get() as number;
  const insert = (h: DbHandle, id: string) =>
    sqliteOf(h.db)
      .prepare(
        `insert into users (id, email, display_name, password_hash, created_at, updated_at) values (?, ?, 'X', 'x', 0, 0)`,
      )
      .run(id, `${id}@example.org`);

  it('reads one state of the database throughout, while another connection commits', () => {
    const [reader, writer] = twoConnections();
    const seen = snapshot(reader.db, () => {
      const before = count(reader);
      insert(writer, 'a');
      return [before, count(reader)];
    });
    expect(seen).toEqual([0, 0]);
    // Outside a snapshot each statement sees the latest commit.
    const plain = [count(reader)];
    insert(writer, 'b');
    plain.push(count(reader));
    expect(plain).toEqual([1, 2]);
  });

  it('ends its transaction when the reads throw, and passes the error on', () => {
    const [reader] = twoConnections();
    expect(() =>
      snapshot(reader.db, () => {
        count(reader);
        throw new Error('not found');
      }),
    ).toThrow('not found');
    expect(sqliteOf(reader.db).inTransaction).toBe(false);
  });

  it('runs inside a transaction already open, as part of it', () => {
    const [reader] = twoConnections();
    reader.db.transaction(() => {
      insert(reader, 'c');
      expect(snapshot(reader.db, () => count(reader))).toBe(1);
    });
    expect(sqliteOf(reader.db).inTransaction).toBe(false);
    expect(count(reader)).toBe(1);
  });
});
