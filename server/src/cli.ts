/**
 * Operator commands, run with the same configuration as the server (DATABASE_PATH etc.):
 *   pnpm create-admin --email you@institution.org --name "Your Name"
 *   pnpm reset-second-factor <email>   removes an account's second factors and ends its sessions
 *                         (the way back in for the last administrator, who has nobody to reset them)
 *   pnpm search:check     compares the search index with the posts; exit 1 and counts if they differ
 *   pnpm search:rebuild   empties and refills the search index from the posts, in one transaction
 * The password is read from LEXFORUM_ADMIN_PASSWORD or, failing that, from standard input
 * (typed without echo on a terminal).
 */
import { checkSearchIndex, createDb, migrate, rebuildSearchIndex, seedReferenceData } from '@lexforum/db';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { ConfigError, loadConfig, type Config } from './config.js';
import { AppError } from './lib/errors.js';
import { resetSecondFactor } from './modules/second-factor/reset-second-factor.js';
import { mailLinks } from './modules/mail/links.js';
import { createAdmin } from './modules/users/create-admin.js';
import { findUserByEmail } from './modules/users/users.repository.js';

async function readPassword(): Promise<string> {
  const fromEnv = process.env['LEXFORUM_ADMIN_PASSWORD'];
  if (fromEnv) return fromEnv;
  const input = process.stdin;
  if (!input.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  process.stdout.write('Password (12+ characters, not a common one): ');
  const rl = createInterface({ input, terminal: true });
  // Hide what is typed: readline echoes through _writeToOutput, which we silence.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return answer;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'search-check' || command === 'search-rebuild') return searchIndex(command);
  if (command === 'reset-second-factor') return resetCommand(rest);
  if (command !== 'create-admin') {
    process.stderr.write(
      'Usage: lexforum create-admin --email <email> --name <display name>\n       lexforum reset-second-factor <email>\n       lexforum search-check | search-rebuild\n',
    );
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' } } });
  if (!values.email || !values.name) {
    process.stderr.write('create-admin needs --email and --name.\n');
    return 2;
  }
  const config = loadConfig();
  const handle = createDb(config.databaseFile);
  try {
    migrate(handle.db);
    seedReferenceData(handle.db);
    const user = await createAdmin(handle.db, {
      email: values.email,
      displayName: values.name,
      password: await readPassword(),
    });
    process.stdout.write(`Created admin ${user.displayName} <${user.email}> in ${config.databaseFile}.\n`);
    process.stdout.write(FIRST_ADMIN_ENROLMENT);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      const details = error.details?.issues?.map((i) => `  ${i.path.slice(1)}: ${i.message}`).join('\n');
      process.stderr.write(`${error.message}\n${details ?? ''}\n`);
      return 1;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    handle.close();
  }
}

/** Administrators must have a second factor: what the first one does next. */
const FIRST_ADMIN_ENROLMENT = `
Next: set up your second factor (administrators and moderators must have one).
  1. Open LexForum and sign in with this email and password.
  2. You will be taken to Account > Security: only that page opens until a second factor is set up.
  3. Under "Authenticator app", choose "Set up", scan the QR code with an authenticator app
     (or type the key shown under it), and enter the six-digit code the app shows.
  4. Save the ten recovery codes shown next (download or print them): each one signs you in once
     if you lose your phone. You can also add a passkey or security key on the same page.
Lost every factor and no other administrator? Run: pnpm reset-second-factor <email>
`;

/** Removes an account's TOTP key, recovery codes and passkeys and ends its sessions (audited). */
function resetCommand(args: string[]): number {
  const [email, ...extra] = args;
  if (!email || extra.length > 0) {
    process.stderr.write('Usage: lexforum reset-second-factor <email>\n');
    return 2;
  }
  const config = configOrReport();
  if (!config) return 1;
  const handle = createDb(config.databaseFile);
  try {
    migrate(handle.db);
    const user = findUserByEmail(handle.db, email);
    if (!user) {
      process.stderr.write(`No account with ${email} in ${config.databaseFile}.\n`);
      return 1;
    }
    const now = new Date();
    const links = mailLinks(config.publicOrigin);
    const { sessionsEnded } = handle.db.transaction((tx) => resetSecondFactor(tx, user.id, null, links, now));
    process.stdout.write(
      `Removed the second factors of ${user.displayName} <${user.email}> and ended ${sessionsEnded} session(s).\n` +
        'An email to them is queued (the running server sends it). They sign in with their password alone now' +
        (user.role === 'admin' || user.role === 'moderator'
          ? ' and will be asked to set up a new second factor on the Security page.\n'
          : '.\n'),
    );
    return 0;
  } finally {
    handle.close();
  }
}

/** The configuration, or null after printing why it is invalid. */
function configOrReport(): Config | null {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return null;
    }
    throw error;
  }
}

/** The search index against the posts: checked (exit 1 when anything differs) or rebuilt. */
function searchIndex(command: 'search-check' | 'search-rebuild'): number {
  const config = configOrReport();
  if (!config) return 1;
  const handle = createDb(config.databaseFile);
  try {
    migrate(handle.db);
    if (command === 'search-rebuild') {
      const { documents, ms } = rebuildSearchIndex(handle.sqlite);
      process.stdout.write(`Search index rebuilt: ${documents} posts indexed in ${ms} ms.\n`);
    }
    const report = checkSearchIndex(handle.sqlite);
    const lines = [
      `posts ${report.posts}, indexed ${report.documents}`,
      `missing ${report.missing} (posts not indexed)`,
      `orphaned ${report.orphaned} (entries whose post is gone)`,
      `stale ${report.stale} (entries not matching the post's current text)`,
      `unindexed ${report.unindexed} (entries absent from the full-text table, or the reverse)`,
      `full-text integrity ${report.corrupt ? 'FAILED' : 'ok'}`,
      `differences ${report.differences}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (report.differences > 0) process.stdout.write('Run `pnpm search:rebuild` to rebuild the index.\n');
    return report.differences === 0 ? 0 : 1;
  } finally {
    handle.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
