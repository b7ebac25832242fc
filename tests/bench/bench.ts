/**
 * `pnpm bench`: the built server (server/dist) under load on a generated dataset. It generates the
 * database in a /tmp/bench-* folder, starts `node server/dist/server.js` on it in production mode
 * (no demo seed) on a free port in 3170–3179, signs in once as a generated member, then runs
 * autocannon against the thread list (plain, filtered, filtered by replies) and the 200-post
 * thread page. It prints figures (requests/s, p50/p99 latency, server CPU per request read from
 * /proc) and asserts nothing: timings depend on the machine.
 *
 * Then one member's heavy requests (heavy-bench.ts): /api/health latency alone and while stale
 * edits of a long analysis, long replies and a listing of long drafts run in parallel.
 *
 * Then the WebSocket fan-out (ws-bench.ts): N sockets on a server of their own, one reply delivered
 * to all of them, p50/p99 delivery latency and the server's memory.
 *
 * Flags: --duration 10 --warmup 2 --connections 10 --threads 10000 --posts 200000 --members 200
 * --port 3170 --log-level warn --heavy 1 (0: no heavy-requests part) --keep (keep the database folders) --ws-clients 5000 (0: no WebSocket
 * part; or WS_BENCH_CLIENTS) --ws-writes 5 (or WS_BENCH_WRITES).
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { repoRoot, serverEntry } from '../helpers/process.js';
import { DEFAULT_OPTIONS, generateDataset, numberFlag, parseFlags } from './generate.js';
import { runHeavyBench } from './heavy-bench.js';
import { processUsage, table } from './report.js';
import { runWsBench } from './ws-bench.js';

const flags = parseFlags(process.argv.slice(2));
const settings = {
  duration: numberFlag(flags, 'duration', 10),
  warmup: numberFlag(flags, 'warmup', 2),
  connections: numberFlag(flags, 'connections', 10),
  threads: numberFlag(flags, 'threads', DEFAULT_OPTIONS.threads),
  posts: numberFlag(flags, 'posts', DEFAULT_OPTIONS.posts),
  members: numberFlag(flags, 'members', DEFAULT_OPTIONS.members),
  port: numberFlag(flags, 'port', 3170),
  logLevel: flags['log-level'] ?? 'warn',
  heavy: numberFlag(flags, 'heavy', 1),
  keep: flags['keep'] === 'true',
  wsClients: numberFlag(flags, 'ws-clients', Number(process.env['WS_BENCH_CLIENTS'] ?? 5000)),
  wsWrites: numberFlag(flags, 'ws-writes', Number(process.env['WS_BENCH_WRITES'] ?? 5)),
};
const print = (line = '') => process.stdout.write(`${line}\n`);

if (!existsSync(serverEntry)) {
  process.stderr.write(
    'The server is not built. Build it first:\n  npx -y pnpm@10.34.8 -r --filter=@lexforum/shared ' +
      '--filter=@lexforum/db --filter=@lexforum/server --workspace-concurrency=1 run build\n',
  );
  process.exit(1);
}

/** The first port of 3170–3179 (from --port on) that nothing listens on. */
async function freePort(from: number): Promise<number> {
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

const dir = mkdtempSync('/tmp/bench-');
const dataset = await generateDataset({
  file: join(dir, 'forum.db'),
  threads: settings.threads,
  posts: settings.posts,
  members: settings.members,
});

const port = await freePort(settings.port);
const origin = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, [serverEntry], {
  cwd: repoRoot,
  env: {
    PATH: process.env['PATH'] ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_ORIGIN: origin,
    DATABASE_PATH: dataset.file,
    LOG_LEVEL: settings.logLevel,
    // One client IP sends every request: the per-IP limit must not be what is measured.
    RATE_LIMIT_PER_MINUTE: '100000000',
    // Nor the per-member budgets: the heavy-requests part is one member on purpose.
    ...Object.fromEntries(
      ['POSTS', 'EDITS', 'DRAFTS'].flatMap((c) => [
        [`BUDGET_${c}_BURST`, '100000000'],
        [`BUDGET_${c}_PER_HOUR`, '100000000'],
      ]),
    ),
  },
});
let output = '';
child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

async function stopServer(): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited;
  if (!settings.keep) rmSync(dir, { recursive: true, force: true });
}

try {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 30_000);
    child.stdout.on('data', () => {
      if (output.includes('LexForum is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`the server exited:\n${output}`)));
  });

  // Sign in once: sign-in is throttled per account, and a session cookie serves every request.
  const signIn = await fetch(`${origin}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(dataset.member),
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.includes('lexforum_session'));
  if (!cookie) throw new Error('no session cookie after sign-in');
  const headers = { cookie };

  const filter = 'jurisdiction=FR&jurisdiction=INT&topic=medical-products';
  const cases = [
    { name: 'list', path: '/api/threads' },
    { name: 'list, filtered', path: `/api/threads?${filter}` },
    { name: 'list, filtered, sort=replies', path: `/api/threads?${filter}&sort=replies` },
    { name: `thread page (${DEFAULT_OPTIONS.longThreadPosts} posts)`, path: `/api/threads/${dataset.longThreadId}` },
  ];

  const rows: string[][] = [];
  for (const c of cases) {
    const url = `${origin}${c.path}`;
    const probe = await fetch(url, { headers });
    const body = await probe.text();
    if (probe.status !== 200) throw new Error(`${c.path}: ${probe.status} ${body.slice(0, 300)}`);
    if (settings.warmup > 0)
      await autocannon({ url, headers, connections: settings.connections, duration: settings.warmup });
    const before = processUsage(child.pid!);
    const result = await autocannon({ url, headers, connections: settings.connections, duration: settings.duration });
    const after = processUsage(child.pid!);
    const requests = result['2xx'] + result.non2xx;
    rows.push([
      c.name,
      (requests / result.duration).toFixed(0),
      result.latency.p50.toFixed(1),
      result.latency.p99.toFixed(1),
      requests > 0 ? ((after.cpuMs - before.cpuMs) / requests).toFixed(2) : '–',
      (Buffer.byteLength(body) / 1024).toFixed(1),
      String(result.non2xx + result.errors + result.timeouts),
      (after.rssBytes / 1e6).toFixed(0),
    ]);
  }

  const mb = (dataset.bytes / 1e6).toFixed(0);
  const { counts } = dataset;
  print();
  print(
    `Dataset: ${counts.threads} threads, ${counts.posts} posts (${counts.revisions} revisions), ` +
      `${counts.members} members, ${counts.follows} follows, ${counts.reads} read states; ` +
      `${mb} MB, generated in ${(dataset.ms / 1000).toFixed(1)} s`,
  );
  print(
    `Server: node ${process.version}, ${availableParallelism()} cores shared with the load generator, ` +
      `LOG_LEVEL=${settings.logLevel}; autocannon ${settings.connections} connections, ` +
      `${settings.duration} s per case after ${settings.warmup} s of warm-up`,
  );
  print();
  print(table(['case', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req', 'KiB/resp', 'errors', 'RSS MB'], rows));
  if (settings.heavy > 0) {
    await runHeavyBench({
      origin,
      cookie,
      threadId: dataset.longThreadId,
      pid: child.pid!,
      duration: settings.duration,
      print,
    });
  }
  if (settings.keep) print(`\nDatabase kept at ${dataset.file}`);
} finally {
  await stopServer();
}

if (settings.wsClients > 0) {
  await runWsBench({
    clients: settings.wsClients,
    writes: Math.max(1, settings.wsWrites),
    logLevel: settings.logLevel,
    keep: settings.keep,
    print,
  });
}
