/**
 * The process entry: reads config, builds the app, seeds demo data outside production, listens,
 * and closes the server and the database cleanly on SIGTERM/SIGINT (close-with-grace).
 */
import { DEMO_PEOPLE, seedDemoData } from '@lexforum/db';
import closeWithGrace from 'close-with-grace';
import { createRequire } from 'node:module';
import { buildApp, LOG_REDACT_PATHS } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { fillMissingNameSkeletons } from './lib/names/name-rules.js';
import { hashPassword } from './modules/auth/password.js';
import { cookMarkdown, cookSections, excerptOf } from './modules/threads/cook.js';

function loggerOptions(config: Config) {
  const base = { level: config.LOG_LEVEL, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } };
  if (config.NODE_ENV === 'production' || !process.stdout.isTTY) return base;
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return {
      ...base,
      transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } },
    };
  } catch {
    return base;
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const app = await buildApp({ config, logger: loggerOptions(config) });

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error');
    else app.log.info({ signal }, 'closing');
    await app.close();
  });

  let demo = '';
  if (config.NODE_ENV !== 'production') {
    const seeded = await seedDemoData(app.db, hashPassword, {
      cook: { markdown: cookMarkdown, sections: cookSections, excerpt: excerptOf },
      now: app.clock.now(),
    });
    if (seeded.seeded) {
      fillMissingNameSkeletons(app.db);
      const width = Math.max(...DEMO_PEOPLE.map((p) => p.email.length));
      demo = [
        '',
        `  Demo data seeded. Every demo account's password: ${seeded.password}`,
        `  Moderators and the admin also ask for a code: add this key to an authenticator app: ${seeded.totpSecret}`,
        ...seeded.accounts.map((p) => `    ${p.email.padEnd(width)}  ${p.role.padEnd(9)}  ${p.displayName}`),
        '',
      ].join('\n');
    }
  }

  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const docs = config.apiDocs === 'off' ? 'off' : `http://localhost:${port}/api/docs (${config.apiDocs})`;
  process.stdout.write(
    `\n  LexForum is running at http://localhost:${port} (public origin ${config.publicOrigin})\n` +
      `  Database: ${config.databaseFile}\n  API docs: ${docs}\n${demo}\n`,
  );
}

await main();
