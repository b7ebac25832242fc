/**
 * Operator commands, run with the same configuration as the server (DATABASE_PATH etc.):
 *   pnpm create-admin --email you@institution.org --name "Your Name"
 * The password is read from LEXFORUM_ADMIN_PASSWORD or, failing that, from standard input
 * (typed without echo on a terminal).
 */
import { createDb, migrate, seedReferenceData } from '@lexforum/db';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { ConfigError, loadConfig } from './config.js';
import { AppError } from './lib/errors.js';
import { createAdmin } from './modules/users/create-admin.js';

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
  if (command !== 'create-admin') {
    process.stderr.write('Usage: lexforum create-admin --email <email> --name <display name>\n');
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

process.exitCode = await main(process.argv.slice(2));
