/**
 * `pnpm bench`: the built server (server/dist) under load on a generated dataset, each case
 * measured against H, a hello-world Fastify on the same Fastify (hello.ts). It generates the
 * database in a /tmp/bench-* folder, times the cold start (cold-start.ts), starts
 * `node server/dist/server.js` on it in production mode (no demo seed) on a free port in
 * 3170–3179, and H beside it, signs in once as a generated member, then runs autocannon against
 * each case with H measured by the same autocannon settings right before and after it. For every
 * case it prints requests/s, the ratio to the mean of H before and after (×H), p50/p99 latency,
 * the server's CPU per request (µs, read from /proc), the response size and the errors. It
 * asserts nothing: timings depend on the machine; ratios and CPU per request are what compare.
 *
 * Cases (`--cases`, comma-separated; all by default):
 *   session  GET /api/session, signed in
 *   post     GET /api/posts/:id, the opener of a thread of 1–3 posts
 *   thread   the thread page: 20–50 posts uncached (every such thread of the dataset read once,
 *            then the run stops: no thread is read twice) and cached (the same five in turn); 200
 *            posts (the one long thread, so cached if the server caches)
 *   list     GET /api/threads: first page, filtered by jurisdiction and topic, and sorted by replies
 *   reply    ten established members post replies for --duration s (replies-bench.ts)
 *   heavy    one member's heavy requests beside /api/health (heavy-bench.ts)
 *   web      the web client's first load in throttled Chromium (first-load.ts; needs web/dist)
 *   cold     cold start of the server on a copy of the dataset, and of H (cold-start.ts)
 *   fanout   one reply to N sockets on a server of its own, N = each of --ws-clients (ws-bench.ts)
 *
 * Flags: --cases <list> --duration 10 --warmup 2 --connections 10 --threads 10000 --posts 200000
 * --members 200 --port 3170 --log-level warn --keep (keep the database folders) --cold-runs 3
 * --ws-clients 5000,10000 (0: no fan-out; or WS_BENCH_CLIENTS) --ws-writes 5 (or WS_BENCH_WRITES)
 * --heavy 0 (leave out the heavy case, as --cases without it does).
 *
 * Search at a million posts has its own command (search-bench.ts): `pnpm bench:search`.
 */
import type { Request } from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { requireBuiltServer, signIn, startBenchServer } from './bench-server.js';
import { runColdStart } from './cold-start.js';
import { runFirstLoad } from './first-load.js';
import { DEFAULT_OPTIONS, generateDataset, numberFlag, parseFlags } from './generate.js';
import { startHello } from './hello.js';
import { runHeavyBench } from './heavy-bench.js';
import { runLoad, type Load } from './load.js';
import { runRepliesBench } from './replies-bench.js';
import { processUsage, table } from './report.js';
import { runWsBench, socketCounts } from './ws-bench.js';

const ALL_CASES = ['session', 'post', 'thread', 'list', 'reply', 'heavy', 'web', 'cold', 'fanout'] as const;
type CaseName = (typeof ALL_CASES)[number];

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
  keep: flags['keep'] === 'true',
  coldRuns: Math.max(1, numberFlag(flags, 'cold-runs', 3)),
  wsClients: socketCounts(flags['ws-clients'] ?? process.env['WS_BENCH_CLIENTS'] ?? '5000,10000'),
  wsWrites: Math.max(1, numberFlag(flags, 'ws-writes', Number(process.env['WS_BENCH_WRITES'] ?? 5))),
};
const cases = new Set<CaseName>(
  (flags['cases'] ?? ALL_CASES.join(',')).split(',').map((c) => {
    const name = c.trim() as CaseName;
    if (!ALL_CASES.includes(name)) throw new Error(`--cases: unknown case ${c} (known: ${ALL_CASES.join(', ')})`);
    return name;
  }),
);
if (numberFlag(flags, 'heavy', 1) === 0) cases.delete('heavy');
if (settings.wsClients.length === 0) cases.delete('fanout');
const print = (line = '') => process.stdout.write(`${line}\n`);

requireBuiltServer();

/** One case of the table: a path, or paths taken in turn (each request the next one). */
interface ReadCase {
  name: string;
  paths: string[];
  /**
   * Each path once, then stop (autocannon's `amount`, not the duration), after a warm-up on
   * `warmupPaths`: no path is read twice, so a cache keyed by path never answers.
   */
  once?: { warmupPaths: string[] };
}

const needsDataset = [...cases].some((c) => c !== 'fanout');
if (needsDataset) {
  const dir = mkdtempSync('/tmp/bench-');
  try {
    await runOnDataset(dir);
  } finally {
    if (!settings.keep) rmSync(dir, { recursive: true, force: true });
  }
}

for (const clients of cases.has('fanout') ? settings.wsClients : []) {
  await runWsBench({ clients, writes: settings.wsWrites, logLevel: settings.logLevel, keep: settings.keep, print });
}

async function runOnDataset(dir: string): Promise<void> {
  const dataset = await generateDataset({
    file: join(dir, 'forum.db'),
    threads: settings.threads,
    posts: settings.posts,
    members: settings.members,
  });
  const { counts } = dataset;
  print();
  print(
    `Dataset: ${counts.threads} threads (${dataset.pageThreadIds.length} of 20–50 posts), ${counts.posts} posts ` +
      `(${counts.revisions} revisions), ${counts.members} members, ${counts.follows} follows, ${counts.reads} read ` +
      `states; ${(dataset.bytes / 1e6).toFixed(0)} MB, generated in ${(dataset.ms / 1000).toFixed(1)} s ` +
      `(search index ${dataset.search.documents} documents, built in ${(dataset.search.buildMs / 1000).toFixed(1)} s)`,
  );
  print(
    `Machine: node ${process.version}, ${availableParallelism()} cores shared by the server, H and the load ` +
      `generator; LOG_LEVEL=${settings.logLevel}; autocannon ${settings.connections} connections, ` +
      `${settings.duration} s per case after ${settings.warmup} s of warm-up, H the same right before and after.`,
  );

  if (cases.has('cold')) {
    await runColdStart({
      databaseFile: dataset.file,
      port: settings.port,
      logLevel: settings.logLevel,
      runs: settings.coldRuns,
      print,
    });
  }
  if (![...cases].some((c) => c !== 'cold' && c !== 'fanout')) return;

  const server = await startBenchServer({
    databaseFile: dataset.file,
    port: settings.port,
    logLevel: settings.logLevel,
  });
  const hello = await startHello(settings.port + 1).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  const { origin } = server;
  try {
    const cookie = await signIn(origin, dataset.member);
    const headers = { cookie };
    const load = (url: string, duration: number, pid: number, requests?: Request[], amount?: number) =>
      runLoad(pid, {
        url,
        headers,
        connections: settings.connections,
        duration,
        ...(requests ? { requests } : {}),
        ...(amount ? { amount } : {}),
      });

    // H: warmed once, then measured before the first case and after each.
    if (settings.warmup > 0) await load(`${hello.origin}/`, settings.warmup, hello.pid);
    const hRuns: Load[] = [];
    const measureH = async () => {
      const h = await load(`${hello.origin}/`, settings.duration, hello.pid);
      hRuns.push(h);
      return h;
    };
    let hBefore: Load | undefined;
    const rows: string[][] = [];
    const hRatio = async (perSecond: number) => {
      hBefore ??= await measureH();
      const hAfter = await measureH();
      const ratio = perSecond / ((hBefore.perSecond + hAfter.perSecond) / 2);
      hBefore = hAfter;
      return ratio;
    };
    const row = (name: string, r: Omit<Load, 'requests'>, ratio: number, kib: string) =>
      rows.push([
        name,
        r.perSecond.toFixed(0),
        ratio.toFixed(3),
        r.p50.toFixed(1),
        r.p99.toFixed(1),
        r.cpuUs.toFixed(0),
        kib,
        String(r.errors),
        (processUsage(server.pid).rssBytes / 1e6).toFixed(0),
      ]);

    const filter = 'jurisdiction=FR&jurisdiction=INT&topic=medical-products';
    const pages = dataset.pageThreadIds.map((id) => `/api/threads/${id}`);
    const readCases: (ReadCase & { group: CaseName })[] = [
      { group: 'session', name: 'GET /api/session', paths: ['/api/session'] },
      { group: 'post', name: 'one post (thread of 1–3 posts)', paths: [`/api/posts/${dataset.shortPostId}`] },
      {
        group: 'thread',
        name: `thread page 20–50 posts, uncached (${Math.max(0, pages.length - 5)} threads, each once)`,
        paths: pages.slice(5),
        once: { warmupPaths: pages.slice(0, 5) },
      },
      { group: 'thread', name: 'thread page 20–50 posts, cached (5 in turn)', paths: pages.slice(0, 5) },
      {
        group: 'thread',
        name: `thread page ${DEFAULT_OPTIONS.longThreadPosts} posts (same thread)`,
        paths: [`/api/threads/${dataset.longThreadId}`],
      },
      { group: 'list', name: 'list, first page', paths: ['/api/threads'] },
      { group: 'list', name: 'list, jurisdiction + topic', paths: [`/api/threads?${filter}`] },
      { group: 'list', name: 'list, jurisdiction + topic, by replies', paths: [`/api/threads?${filter}&sort=replies`] },
    ];
    const notes: string[] = [];
    for (const c of readCases.filter((rc) => cases.has(rc.group))) {
      if (c.paths.length === 0) {
        notes.push(`${c.name}: no such thread in this dataset, skipped`);
        continue;
      }
      const probePath = c.once?.warmupPaths[0] ?? c.paths[0];
      const probe = await fetch(`${origin}${probePath}`, { headers: { ...headers, 'accept-encoding': 'identity' } });
      const body = await probe.text();
      if (probe.status !== 200) {
        notes.push(`${c.name}: GET ${probePath} answered ${probe.status} ${body.slice(0, 300)}; skipped`);
        continue;
      }
      // Each request the next path, over all connections: with many paths, a thread comes back
      // only after every other one has been read.
      const inTurn = (paths: string[]): Request[] | undefined => {
        let next = 0;
        return paths.length === 1
          ? undefined
          : [
              {
                method: 'GET',
                path: paths[0]!,
                setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }),
              },
            ];
      };
      const warmupPaths = c.once?.warmupPaths ?? c.paths;
      if (settings.warmup > 0)
        await load(`${origin}${warmupPaths[0]}`, settings.warmup, server.pid, inTurn(warmupPaths));
      const r = await load(
        `${origin}${c.paths[0]}`,
        settings.duration,
        server.pid,
        inTurn(c.paths),
        c.once ? c.paths.length : undefined,
      );
      if (c.once) {
        notes.push(
          `${c.name}: each of ${c.paths.length} threads read once (${r.requests} requests, ` +
            `${(r.requests / r.perSecond).toFixed(1)} s), after a warm-up on 5 others`,
        );
      } else if (c.paths.length > 1) {
        notes.push(
          `${c.name}: ${r.requests} requests over ${c.paths.length} threads, in turn: ` +
            (r.requests <= c.paths.length
              ? 'no thread read twice'
              : `each read ${(r.requests / c.paths.length).toFixed(1)} times on average, ` +
                `${c.paths.length - 1} other threads between two reads of one`),
        );
      }
      row(c.name, r, await hRatio(r.perSecond), (Buffer.byteLength(body) / 1024).toFixed(1));
    }

    if (cases.has('reply')) {
      const writers = await Promise.all(
        dataset.writers.map(async (w, i) => ({
          email: w.email,
          cookie: await signIn(origin, w),
          // Threads from the end of the shuffled list, one per writer; the long thread if too few.
          threadId: dataset.pageThreadIds.at(-1 - i) ?? dataset.longThreadId,
        })),
      );
      if (writers.length < 10) notes.push(`reply: only ${writers.length} members with enough posts to write`);
      const r = await runRepliesBench({
        origin,
        pid: server.pid,
        databaseFile: dataset.file,
        writers,
        duration: settings.duration,
        warmup: settings.warmup,
        print,
      });
      row(`reply creation, ${writers.length} writers (replies/s)`, r, await hRatio(r.perSecond), '–');
    }

    const hs = (f: (h: Load) => number) => hRuns.map(f);
    if (hRuns.length > 0) {
      const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
      print();
      print(
        `H (hello-world Fastify, ${hRuns.length} runs): ${mean(hs((h) => h.perSecond)).toFixed(0)} req/s on average ` +
          `(${Math.min(...hs((h) => h.perSecond)).toFixed(0)}–${Math.max(...hs((h) => h.perSecond)).toFixed(0)}), ` +
          `${mean(hs((h) => h.cpuUs)).toFixed(0)} µs CPU per request ` +
          `(${Math.min(...hs((h) => h.cpuUs)).toFixed(0)}–${Math.max(...hs((h) => h.cpuUs)).toFixed(0)}), ` +
          `p99 ${Math.max(...hs((h) => h.p99)).toFixed(1)} ms at most, ` +
          `${hRuns.reduce((s, h) => s + h.errors, 0)} errors. ×H: the case's req/s over the mean of H just before and after.`,
      );
      print();
      print(table(['case', 'req/s', '×H', 'p50 ms', 'p99 ms', 'CPU µs/req', 'KiB/resp', 'errors', 'RSS MB'], rows));
    }
    if (notes.length > 0) print(`\n${notes.join('\n')}`);

    if (cases.has('heavy')) {
      await runHeavyBench({
        origin,
        cookie,
        threadId: dataset.longThreadId,
        pid: server.pid,
        duration: settings.duration,
        print,
      });
    }
    if (cases.has('web')) await runFirstLoad({ origin, cookie, print });
    if (settings.keep) print(`\nDatabase kept at ${dataset.file}`);
  } finally {
    await hello.stop();
    await server.stop();
  }
}
