import { assignMissingUsernames, createDb, migrate, uniqueUsername, usernameBase, users } from '@lexforum/db';
import { USERNAME_PATTERN } from '@lexforum/shared';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';

describe('Database', () => {
  describe('usernames', () => {
    const handles: { close(): void }[] = [];
    afterEach(() => handles.splice(0).forEach((h) => h.close()));

    const fresh = () => {
      const handle = createDb(':memory:');
      handles.push(handle);
      migrate(handle.db);
      return handle.db;
    };
    const insert = (db: ReturnType<typeof fresh>, id: string, displayName: string, username: string | null) =>
      db
        .insert(users)
        .values({
          id,
          email: `${id}@example.org`,
          displayName,
          username,
          passwordHash: 'x',
          createdAt: new Date(Number(id.slice(1)) * 1000),
          updatedAt: new Date(0),
        })
        .run();

    it.each([
      ['Camille Durand', 'camille.durand'],
      ['Sofía Ramírez Ortega', 'sofia.ramirez.ortega'],
      ['Nguyễn Thị Lan', 'nguyen.thi.lan'],
      ['Aisha Al-Mansouri', 'aisha.al.mansouri'],
      ['  J. ', 'memberj'],
      ['李', 'member'],
      ['A'.repeat(60), 'a'.repeat(27)],
    ])('derives %j → %j, a name shared’s USERNAME_PATTERN accepts', (displayName, expected) => {
      expect(usernameBase(displayName)).toBe(expected);
      expect(new RegExp(USERNAME_PATTERN).test(usernameBase(displayName))).toBe(true);
    });

    it('gives a namesake the next free number, and fills the gaps left by accounts made before usernames', () => {
      const db = fresh();
      insert(db, 'u1', 'Camille Durand', 'camille.durand');
      insert(db, 'u2', 'Camille Durand', null);
      insert(db, 'u3', 'Camille Durand', null);
      insert(db, 'u4', 'camille.durand7', 'camille.durand7x');
      expect(uniqueUsername(db, 'Camille  DURAND')).toBe('camille.durand2');
      expect(assignMissingUsernames(db)).toBe(2);
      const name = (id: string) => db.select().from(users).where(eq(users.id, id)).get()!.username;
      expect([name('u2'), name('u3')]).toEqual(['camille.durand2', 'camille.durand3']);
      expect(assignMissingUsernames(db)).toBe(0);
      // The unique index backs the rule.
      expect(() => insert(db, 'u5', 'X', 'camille.durand')).toThrow(/UNIQUE/);
    });
  });
});
