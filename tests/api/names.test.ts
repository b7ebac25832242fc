/**
 * Names that imitate someone (UTS #39 confusables, mixed scripts, invisible characters, role
 * words) are refused wherever a name is set: registration, the profile, the create-admin CLI.
 * Real names in every script pass.
 */
import { users } from '@lexforum/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../../server/src/modules/users/create-admin.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { tempDatabasePath } from '../helpers/process.js';
import { quickActor, quickMember, quickModerator, send } from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

const PASSWORD = 'a long unusual passphrase';
let n = 0;
const register = (t: TestApp, displayName: string) =>
  t.request({
    method: 'POST',
    url: '/api/auth/register',
    body: { email: `applicant${++n}@names.example`, password: PASSWORD, displayName },
  });
/** The name stored for the account the last registration made. */
const lastRegisteredName = (t: TestApp) =>
  t.handle.db
    .select()
    .from(users)
    .where(eq(users.email, `applicant${n}@names.example`))
    .get()?.displayName;

/** Names that must be refused, with the words their message must contain. */
const REFUSED: [string, string, RegExp][] = [
  ['an exact copy of a moderator’s name', 'Camille Laurent', /moderator or administrator/],
  ['a copy of a moderator’s name in capitals', 'CAMILLE LAURENT', /moderator or administrator/],
  ['a Cyrillic а in “Camille”', 'Cаmille Laurent', /scripts/],
  ['a digit 1 for the l of a moderator’s name', 'Camil1e Laurent', /moderator or administrator/],
  ['a role added in brackets', 'Camille Laurent (Moderator)', /role/],
  ['a role added as a word', 'Admin Camille', /role/],
  ['“Admin” with a Cyrillic А', 'Аdmin', /scripts|reserved/],
  ['an all-Cyrillic look-alike of an admin’s name', 'Рере Тосо', /moderator or administrator/],
  ['a Greek-and-Latin look-alike of “Moderator”', 'Mοderatοr', /scripts/],
  ['a reserved name', 'LexForum Support', /reserved/],
  ['a copy of another member’s name', 'Ama Serwaa Mensah', /existing member/],
  ['zero-width joiners', 'Ama\u200D Serwaa\u200D', /invisible/],
  ['zero-width spaces', 'Ca\u200Bmille', /invisible/],
  ['Hangul fillers only', '\u3164\u3164\u3164', /invisible/],
  ['Braille blanks', '\u2800\u2800', /invisible/],
  ['30 combining marks', 'Zalgo' + '\u0336'.repeat(30), /combining marks/],
  ['a right-to-left override', '\u202Enaruoy lleimac', /invisible|control/],
  ['a variation selector', 'Camille\uFE0E Durand', /invisible/],
];

const ACCEPTED = [
  'José Álvarez-Núñez',
  'Zoë Ó Briain',
  'Mary-Jane O’Neil',
  'Иван Петров',
  'محمد الأمين',
  'میلاد\u200Cپور',
  '王小明',
  '山田 太郎',
  'やまだ はなこ',
  '김민준',
  'Νίκος Παπαδόπουλος',
  'अमित शर्मा',
  'דוד כהן',
  'Nguyễn Văn An',
];

describe('Names API', () => {
  let t: TestApp;
  let moderator: Actor;
  let member: Actor;

  beforeAll(async () => {
    t = await buildTestApp();
    moderator = await quickModerator(t, ['FR'], { displayName: 'Camille Laurent' });
    member = await quickMember(t, 'GH', { displayName: 'Ama Serwaa Mensah' });
    await quickActor(t, { role: 'admin', displayName: 'Pepe Toco' });
  });
  afterAll(async () => t.close());

  describe('POST /api/auth/register', () => {
    it.each(REFUSED)('refuses %s', async (_, name, message) => {
      const res = await register(t, name);
      expect(res.statusCode, name).toBe(400);
      const { error } = res.json();
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.issues).toEqual([
        expect.objectContaining({
          path: '/displayName',
          code: expect.stringMatching(/^name_/),
          message: expect.stringMatching(message),
        }),
      ]);
      expect(error.details.issues).toHaveLength(1);
    });

    it.each(ACCEPTED)('accepts %j', async (name) => {
      const res = await register(t, name);
      expect(res.statusCode, res.body).toBe(202);
      expect(lastRegisteredName(t)).toBe(name);
    });

    it('stores a name in NFC and refuses a second account with the same name in another form', async () => {
      const res = await register(t, 'Zoe\u0308 Nakamura');
      expect(res.statusCode, res.body).toBe(202);
      expect(lastRegisteredName(t)).toBe('Zoë Nakamura');
      const twin = await register(t, 'Zoë Nakamura');
      expect(twin.statusCode).toBe(400);
      expect(twin.json().error.message).toMatch(/existing member/);
    });
  });

  describe('PATCH /api/account', () => {
    it('refuses a member taking a moderator’s name, and keeps theirs', async () => {
      const res = await send(t, member, 'PATCH', '/api/account', { displayName: 'Camille Laurent' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/too close to the name of a moderator/),
      });
      expect((await send(t, member, 'GET', '/api/account')).json().user.displayName).toBe('Ama Serwaa Mensah');
    });

    it('lets a member keep or re-case their own name, and stores the new skeleton', async () => {
      const res = await send(t, member, 'PATCH', '/api/account', { displayName: 'Ama Serwaa MENSAH' });
      expect(res.statusCode, res.body).toBe(200);
      const free = await send(t, await quickActor(t, { role: 'member' }), 'PATCH', '/api/account', {
        displayName: 'Ama Serwaa Mensah',
      });
      expect(free.statusCode).toBe(400);
      const back = await send(t, member, 'PATCH', '/api/account', { displayName: 'Ama Serwaa Mensah' });
      expect(back.statusCode).toBe(200);
    });

    it('refuses a moderator’s name spelled with a look-alike letter from the moderator’s own script', async () => {
      const res = await send(t, member, 'PATCH', '/api/account', { displayName: 'Carnille Laurent' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/moderator or administrator/);
      expect(moderator.user.displayName).toBe('Camille Laurent');
    });
  });

  describe('PUT /api/account/username', () => {
    it.each(['admin', 'moderator', 'lexforum', 'support', 'camille.admin'])('refuses @%s', async (username) => {
      const res = await send(t, member, 'PUT', '/api/account/username', { username });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('createAdmin (the create-admin CLI)', () => {
    it('refuses a look-alike of a staff name and accepts a real one', async () => {
      await expect(
        createAdmin(t.handle.db, { email: 'chief@names.example', displayName: 'Cаmille Laurent', password: PASSWORD }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      const admin = await createAdmin(t.handle.db, {
        email: 'chief@names.example',
        displayName: 'Chief Registrar',
        password: PASSWORD,
      });
      expect(admin.nameSkeleton).toBeTruthy();
    });
  });

  it('fills missing skeletons when the server starts', async () => {
    const file = tempDatabasePath();
    const first = await buildTestApp({ database: file });
    await first.createUser({ displayName: 'Old Account' });
    first.handle.db.update(users).set({ nameSkeleton: null }).run();
    await first.close();
    const again = await buildTestApp({ database: file });
    try {
      const rows = again.handle.db
        .select({ s: users.nameSkeleton })
        .from(users)
        .where(eq(users.displayName, 'Old Account'))
        .all();
      expect(rows).toEqual([{ s: 'old account' }]);
      expect((await register(again, 'Old Account')).json().error.message).toMatch(/existing member/);
    } finally {
      await again.close();
    }
  });
});
