/**
 * The built server as an operator runs it: boot on an empty file database, demo seeding outside
 * production only, graceful SIGTERM, config refusal, the first-admin CLI, redacted logs.
 */
import { DEMO_PEOPLE, DEMO_TOTP_SECRET } from '@lexforum/db';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, startServer, tempDatabasePath } from '../helpers/process.js';

const DEMO_PASSWORD = 'lexforum-demo-2026';

async function signIn(origin: string, email: string, password: string) {
  return fetch(`${origin}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
    body: JSON.stringify({ email, password }),
  });
}

describe('The server process', () => {
  it('creates and migrates the database, seeds demo data, prints the sign-ins and stops cleanly on SIGTERM', async () => {
    const db = tempDatabasePath();
    const server = await startServer({
      NODE_ENV: 'development',
      DATABASE_PATH: db,
      PUBLIC_ORIGIN: 'http://localhost:3000',
    });
    try {
      expect(server.output()).toContain(`password: ${DEMO_PASSWORD}`);
      // Demo staff must have a second factor: the key their authenticator app needs is printed too.
      expect(server.output()).toContain(DEMO_TOTP_SECRET);
      expect(server.output()).toMatch(/admin@lexforum\.test\s+admin/);
      const health = await fetch(`${server.origin}/api/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok' });
      const res = await signIn(server.origin, 'admin@lexforum.test', DEMO_PASSWORD);
      expect(res.status).toBe(200);
      const html = await (await fetch(`${server.origin}/account`)).text();
      expect(html).toContain('<div id="app"');
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    expect(server.output()).toContain('closing');
    // Closed cleanly: the WAL was checkpointed and the file opens with the data in it.
    const check = new Database(db, { readonly: true });
    expect((check.prepare('select count(*) as n from users').get() as { n: number }).n).toBe(DEMO_PEOPLE.length);
    check.close();

    const again = await startServer({ NODE_ENV: 'development', DATABASE_PATH: db });
    expect(again.output()).not.toContain('Demo data seeded');
    expect(await again.stop()).toBe(0);
  });

  it('never seeds demo data in production; the CLI creates the first admin', async () => {
    const db = tempDatabasePath();
    const server = await startServer({
      NODE_ENV: 'production',
      DATABASE_PATH: db,
      PUBLIC_ORIGIN: 'http://localhost:3000',
      // Production needs SMTP; nothing listens here and this test sends no mail.
      SMTP_URL: 'smtp://127.0.0.1:9',
    });
    try {
      expect(server.output()).not.toContain('Demo data');
      expect((await signIn(server.origin, 'admin@lexforum.test', DEMO_PASSWORD)).status).toBe(401);

      const weak = await runCli(['create-admin', '--email', 'chief@registry.example', '--name', 'Chief Registrar'], {
        DATABASE_PATH: db,
        LEXFORUM_ADMIN_PASSWORD: 'password1234',
      });
      expect(weak.code).toBe(1);
      expect(weak.out).toMatch(/too common/);

      const made = await runCli(
        ['create-admin', '--email', 'chief@registry.example', '--name', 'Chief Registrar'],
        { DATABASE_PATH: db },
        'a very private admin passphrase\n',
      );
      expect(made.out).toContain('Created admin Chief Registrar');
      expect(made.code).toBe(0);

      const res = await signIn(server.origin, 'chief@registry.example', 'a very private admin passphrase');
      expect(res.status).toBe(200);
      expect((await res.json()).user.role).toBe('admin');

      const dup = await runCli(['create-admin', '--email', 'CHIEF@registry.example', '--name', 'Again'], {
        DATABASE_PATH: db,
        LEXFORUM_ADMIN_PASSWORD: 'another private passphrase',
      });
      expect(dup.code).toBe(1);
      expect(dup.out).toContain('already exists');
    } finally {
      await server.stop();
    }
  });

  it('keeps passwords, cookies and tokens out of the logs', async () => {
    const server = await startServer({
      NODE_ENV: 'development',
      DATABASE_PATH: tempDatabasePath(),
      PUBLIC_ORIGIN: 'http://localhost:3000',
      LOG_LEVEL: 'trace',
    });
    try {
      const res = await signIn(server.origin, 'camille@lexforum.test', DEMO_PASSWORD);
      expect(res.status).toBe(200);
      const token = res.headers.get('set-cookie')!.split(';')[0]!.split('=')[1]!;
      await fetch(`${server.origin}/api/account`, { headers: { cookie: `lexforum_session=${token}` } });
      // Logs are written asynchronously: wait until the second request's lines are out.
      await expect.poll(() => server.output(), { timeout: 5000 }).toContain('"url":"/api/account"');
      // Log lines are JSON (stdout is not a terminal); the start banner is not a log line.
      const logs = server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .join('\n');
      expect(logs).toContain('/api/account');
      expect(logs).toContain('/api/auth/sign-in');
      expect(logs).not.toContain(DEMO_PASSWORD);
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(token.split('.')[1]);
    } finally {
      await server.stop();
    }
  });

  it('refuses to start on invalid configuration, naming the key', async () => {
    const server = startServer({ DATABASE_PATH: tempDatabasePath(), SESSION_IDLE_TIMEOUT_SECONDS: 'soon' });
    await expect(server).rejects.toThrow(/SESSION_IDLE_TIMEOUT_SECONDS/);
  });

  it('refuses to start in production without SMTP_URL, naming it', async () => {
    const server = startServer({ NODE_ENV: 'production', DATABASE_PATH: tempDatabasePath() });
    await expect(server).rejects.toThrow(/SMTP_URL/);
  });
});
