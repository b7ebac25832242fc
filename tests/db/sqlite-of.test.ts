import { createDb, migrate, sqliteOf, users } from '@lexforum/db';
import { afterEach, describe, expect, it } from 'vitest';

describe('Database', () => {
  describe('sqliteOf', () => {
    const handles: { close(): void }[] = [];
    afterEach(() => handles.splice(0).forEach((h) => h.close()));

    it('is the same connection inside a transaction, so a raw statement there commits or rolls back with it', () => {
      const handle = createDb(':memory:');
      handles.push(handle);
      migrate(handle.db);
      expect(sqliteOf(handle.db)).toBe(handle.sqlite);
      const insert = () =>
        sqliteOf(handle.db).prepare(
          `insert into users (id, email, display_name, password_hash, created_at, updated_at) values (?, ?, 'X', 'x', 0, 0)`,
        );
      handle.db.transaction((tx) => {
        expect(sqliteOf(tx)).toBe(handle.sqlite);
        insert().run('a', 'a@example.org');
      });
      expect(() =>
        handle.db.transaction((tx) => {
          sqliteOf(tx).prepare(insert().source).run('b', 'b@example.org');
          throw new Error('roll back');
        }),
      ).toThrow('roll back');
      expect(handle.db.select({ id: users.id }).from(users).all()).toEqual([{ id: 'a' }]);
    });
  });
});
