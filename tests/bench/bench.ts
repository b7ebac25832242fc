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
 * Search at a million posts has its own command (search-bench.ts): `pnpm bench:search`.
 *
 * Then the WebSocket fan-out (ws-bench.ts): N sockets on a server of their own, one reply delivered
 * to all of them, p50/p99 delivery latency and the server's memory.
 *
 * Flags: --duration 10 --warmup 2 --connections 10 --threads 10000 --posts 200000 --members 200
 * --port 3170 --log-level warn --heavy 1 (0: no heavy-requests part) --keep (keep the database folders) --ws-clients 5000 (0: no WebSocket
 * part; or WS_BENCH_CLIENTS) --ws-writes 5 (or WS_BENCH_WRITES).
 */
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { requireBuiltServer, signIn, startBenchServer } from './bench-server.js';
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

requireBuiltServer();

const dir = mkdtempSync('/tmp/bench-');
const dataset = await generateDataset({
  file: join(dir, 'forum.db'),
  threads: settings.threads,
  posts: settings.posts,
  members: settings.members,
});

const server = await startBenchServer({
  databaseFile: dataset.file,
  port: settings.port,
  logLevel: settings.logLevel,
}).catch((error: unknown) => {
  if (!settings.keep) rmSync(dir, { recursive: true, force: true });
  throw error;
});
const { origin } = server;

try {
  const cookie = await signIn(origin, dataset.member);
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
    const before = processUsage(server.pid);
    const result = await autocannon({ url, headers, connections: settings.connections, duration: settings.duration });
    const after = processUsage(server.pid);
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
  const { search } = dataset;
  print(
    `Search index: ${search.documents} documents, built in ${(search.buildMs / 1000).toFixed(1)} s ` +
      `(rebuildSearchIndex after the bulk load); FTS5 ` +
      `${search.bytes === null ? 'size unknown' : `${(search.bytes / 1e6).toFixed(0)} MB`}`,
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
      pid: server.pid,
      duration: settings.duration,
      print,
    });
  }
  if (settings.keep) print(`\nDatabase kept at ${dataset.file}`);
} finally {
  await server.stop();
  if (!settings.keep) rmSync(dir, { recursive: true, force: true });
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
