/**
 * The operator's commands for second factors, run as processes on a database file: the first
 * admin's enrolment steps printed by `create-admin`, and `reset-second-factor` for the last admin.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildTestApp, errorCode } from '../helpers/app.js';
import { assertBuilt, runCli, tempDatabasePath } from '../helpers/process.js';

describe('Second-factor commands', () => {
  it('create-admin prints how the first admin sets up a second factor', async () => {
    assertBuilt();
    const made = await runCli(
      ['create-admin', '--email', 'chief@registry.example', '--name', 'Chief Registrar'],
      { DATABASE_PATH: tempDatabasePath() },
      'a very private admin passphrase\n',
    );
    expect(made.code).toBe(0);
    expect(made.out).toContain('Created admin Chief Registrar');
    expect(made.out).toMatch(/Account > Security/);
    expect(made.out).toMatch(/scan the QR code/);
    expect(made.out).toMatch(/recovery codes/);
    expect(made.out).toContain('reset-second-factor');
  });

  it('reset-second-factor removes the last admin’s factors and sessions, on the record', async () => {
    assertBuilt();
    const file = tempDatabasePath();
    const t = await buildTestApp({ database: file });
    const admin = await t.createUser({ role: 'admin', email: 'last.admin@registry.example' });
    const cookie = await t.loginAs(admin);
    const codes = await t.request({ method: 'POST', url: '/api/account/recovery-codes', cookie });
    expect(codes.statusCode).toBe(200);
    await t.close();

    const unknown = await runCli(['reset-second-factor', 'nobody@registry.example'], { DATABASE_PATH: file });
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('No account with nobody@registry.example');
    expect((await runCli(['reset-second-factor'], { DATABASE_PATH: file })).code).toBe(2);

    const reset = await runCli(['reset-second-factor', 'LAST.ADMIN@registry.example'], { DATABASE_PATH: file });
    expect(reset.out).toContain('Removed the second factors');
    expect(reset.code).toBe(0);

    const db = new Database(file, { readonly: true });
    try {
      const row = db
        .prepare(
          `select second_factor, totp_key, (select count(*) from recovery_codes where user_id = u.id) as codes,
             (select count(*) from sessions where user_id = u.id) as sessions from users u where id = ?`,
        )
        .get(admin.id);
      expect(row).toEqual({ second_factor: 0, totp_key: null, codes: 0, sessions: 0 });
      const event = db
        .prepare("select actor_id from security_events where user_id = ? and kind = 'second_factor_reset'")
        .get(admin.id) as { actor_id: string | null } | undefined;
      expect(event).toEqual({ actor_id: null });
      expect(
        db.prepare("select count(*) as n from audit_log where action = 'security.second_factor_reset'").get(),
      ).toEqual({ n: 1 });
    } finally {
      db.close();
    }

    // The admin signs in with the password alone and is asked to enrol again.
    const after = await buildTestApp({ database: file });
    try {
      const again = await after.loginAs({ ...admin, totpKey: null });
      expect(errorCode(await after.request({ method: 'GET', url: '/api/admin/users', cookie: again }))).toBe(
        'SECOND_FACTOR_REQUIRED',
      );
    } finally {
      await after.close();
    }
  });
});
