/**
 * The server the benches load: the built server (server/dist) as its own process, in production
 * mode (no demo seed) on a generated database and a free port in 3170–3179, with the per-IP and
 * per-member limits lifted (one client sends every request: the limits must not be what is
 * measured), and one signed-in member's session cookie. Shared by bench.ts and search-bench.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { repoRoot, serverEntry } from '../helpers/process.js';

export interface BenchServer {
  origin: string;
  pid: number;
  /** The last 20,000 characters the server printed. */
  output(): string;
  stop(): Promise<void>;
}

/** Exits with a hint when server/dist is missing: the benches run the built server. */
export function requireBuiltServer(): void {
  if (existsSync(serverEntry)) return;
  process.stderr.write(
    'The server is not built. Build it first:\n  npx -y pnpm@10.34.8 -r --filter=@lexforum/shared ' +
      '--filter=@lexforum/db --filter=@lexforum/server --workspace-concurrency=1 run build\n',
  );
  process.exit(1);
}

/** The first port of 3170–3179 (from `from` on) that nothing listens on. */
export async function freePort(from: number): Promise<number> {
  for (let port = from; port <= 3179; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
        .once('error', () => resolve(false))
        .listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}–3179`);
}

/**
 * The environment of a bench server: production, on `port`, with the per-IP and per-member limits
 * lifted. Also used by the cold-start bench, which spawns the server itself.
 */
export function benchServerEnv(o: {
  origin: string;
  port: number;
  databaseFile: string;
  logLevel: string;
}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    NODE_ENV: 'production',
    // Production needs SMTP; nothing listens there (a bench sends no mail it waits for).
    SMTP_URL: 'smtp://127.0.0.1:9',
    HOST: '127.0.0.1',
    PORT: String(o.port),
    PUBLIC_ORIGIN: o.origin,
    DATABASE_PATH: o.databaseFile,
    LOG_LEVEL: o.logLevel,
    RATE_LIMIT_PER_MINUTE: '100000000',
    // Nor the per-member budgets: the heavy-requests part is one member on purpose, and the reply
    // bench's ten writers post as fast as the server lets them.
    ...Object.fromEntries(
      ['POSTS', 'EDITS', 'DRAFTS'].flatMap((c) => [
        [`BUDGET_${c}_BURST`, '100000000'],
        [`BUDGET_${c}_PER_HOUR`, '100000000'],
      ]),
    ),
  };
}

export async function startBenchServer(o: {
  databaseFile: string;
  port: number;
  logLevel: string;
  /** More environment (e.g. the search pool's settings), over the defaults. */
  env?: Record<string, string>;
  /** Node flags for the server process (e.g. `--cpu-prof`, which NODE_OPTIONS does not take). */
  execArgv?: string[];
}): Promise<BenchServer> {
  const port = await freePort(o.port);
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(o.execArgv ?? []), serverEntry], {
    cwd: repoRoot,
    env: { ...benchServerEnv({ origin, port, databaseFile: o.databaseFile, logLevel: o.logLevel }), ...o.env },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      // Migrations on a large database run at boot: give it time.
      const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 120_000);
      child.stdout.on('data', () => {
        if (output.includes('LexForum is running')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => reject(new Error(`the server exited:\n${output}`)));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, pid: child.pid!, output: () => output, stop };
}

/** Signs in once (sign-in is throttled per account) and returns the session cookie (`name=value`). */
export async function signIn(origin: string, member: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${origin}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(member),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.includes('lexforum_session'));
  if (!cookie) throw new Error('no session cookie after sign-in');
  return cookie;
}
