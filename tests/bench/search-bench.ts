/**
 * `pnpm bench:search`: search at a million posts. From the repository root:
 *
 *   npx pnpm@10.34.8 bench:search                       # 1,000,000 posts in 50,000 threads
 *   npx pnpm@10.34.8 bench:search -- --posts 200000 --threads 10000
 *
 * (the root script builds shared, db and server first; `pnpm --filter @lexforum/tests bench:search`
 * skips the build). The dataset is generated once into /tmp/bench-1m/forum.db (or --db; about
 * 4 GB and a few minutes at a million posts) and reused while its `forum.db.json` says it was made
 * with the same --threads, --posts and --seed (--regenerate forces a new one). The search runs
 * read it; sign-in only adds a session.
 *
 * It prints:
 * 1. the dataset, and the search index's build time (rebuildSearchIndex over every post, once,
 *    after the bulk load) and size on disk (dbstat);
 * 2. the terms searched for, picked by their document frequency in the index (search_vocab):
 *    rare (at most 50 posts), medium (0.2–5 % of posts), common (the most frequent words);
 * 3. SQLite FTS5 alone on one connection, as a floor under the server's figures: the best 20 by
 *    bm25 and the newest 20, per case (no visibility, grouping, facets or snippets);
 * 4. GET /api/search against the built server, one case at a time (autocannon, --connections at
 *    once, each connection cycling through the case's queries): req/s, p50/p95/p99/max, server CPU
 *    per request, errors (non-2xx, e.g. a 503 after the time budget);
 * 5. /api/health alone and while every search case runs at once: search runs in worker threads
 *    and must not delay other requests.
 * Target on the 2-core machine: p95 ≤ 50 ms, max ≤ 500 ms, health p99 unchanged. It asserts nothing.
 *
 * Flags: --posts 1000000 --threads 50000 --members 200 --seed 42 --db /tmp/bench-1m/forum.db
 * --regenerate --duration 10 --warmup 2 --connections 2 --port 3170 --log-level warn --raw-runs 5
 * (0: no FTS5-alone part) --cpu-prof <dir> (the server writes a CPU profile per thread there when it
 * stops: main thread and search workers). SEARCH_* variables of the environment are passed to the server.
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { fold, words } from '@lexforum/db';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { requireBuiltServer, signIn, startBenchServer, type BenchServer } from './bench-server.js';
import { rareCandidates, SEARCH_CANDIDATES } from './corpus.js';
import {
  BENCH_PASSWORD,
  DEFAULT_OPTIONS,
  generateDataset,
  numberFlag,
  parseFlags,
  searchIndexBytes,
  type GeneratedDataset,
} from './generate.js';
import { processUsage, table } from './report.js';

const flags = parseFlags(process.argv.slice(2));
const posts = numberFlag(flags, 'posts', 1_000_000);
const settings = {
  posts,
  threads: numberFlag(flags, 'threads', posts >= 1_000_000 ? Math.round(posts / 20) : DEFAULT_OPTIONS.threads),
  members: numberFlag(flags, 'members', DEFAULT_OPTIONS.members),
  seed: numberFlag(flags, 'seed', DEFAULT_OPTIONS.seed),
  db: flags['db'] ?? `/tmp/bench-${posts % 1_000_000 === 0 ? `${posts / 1_000_000}m` : `${posts}`}/forum.db`,
  regenerate: flags['regenerate'] === 'true',
  duration: numberFlag(flags, 'duration', 10),
  warmup: numberFlag(flags, 'warmup', 2),
  connections: numberFlag(flags, 'connections', 2),
  port: numberFlag(flags, 'port', 3170),
  logLevel: flags['log-level'] ?? 'warn',
  rawRuns: numberFlag(flags, 'raw-runs', 5),
  cpuProf: flags['cpu-prof'],
};
const print = (line = '') => process.stdout.write(`${line}\n`);
const DAY = 86_400_000;

requireBuiltServer();

// ---- 1. The dataset, generated once and reused ----
function reusable(): GeneratedDataset | null {
  if (settings.regenerate || !existsSync(settings.db) || !existsSync(`${settings.db}.json`)) return null;
  const saved = JSON.parse(readFileSync(`${settings.db}.json`, 'utf8')) as GeneratedDataset;
  const same = saved.counts.posts === settings.posts && saved.counts.threads === settings.threads;
  return same && saved.seed === settings.seed ? saved : null;
}
let dataset = reusable();
if (dataset) {
  print(`Reusing ${settings.db} (generated ${statSync(settings.db).mtime.toISOString()})`);
} else {
  mkdirSync(dirname(settings.db), { recursive: true });
  print(`Generating ${settings.posts} posts in ${settings.threads} threads into ${settings.db} ...`);
  dataset = await generateDataset({
    file: settings.db,
    posts: settings.posts,
    threads: settings.threads,
    members: settings.members,
    seed: settings.seed,
  });
  writeFileSync(`${settings.db}.json`, `${JSON.stringify(dataset, null, 2)}\n`);
}
const { counts, search } = dataset;
const mb = (bytes: number | null) => (bytes === null ? 'unknown (no dbstat)' : `${(bytes / 1e6).toFixed(0)} MB`);
const sqlite = new Database(settings.db, { readonly: true });
// Sizes as the file is now (migrations run by a newer server may have grown the index since).
const sizes = searchIndexBytes(sqlite);
print(
  `Dataset: ${counts.threads} threads, ${counts.posts} posts, ${counts.members} members; ` +
    `database ${mb(statSync(settings.db).size)}, generated in ${(dataset.ms / 1000).toFixed(0)} s (index build included)`,
);
print(
  `Search index: ${search.documents} documents built by rebuildSearchIndex in ${(search.buildMs / 1000).toFixed(1)} s ` +
    `(CPU ${search.buildCpuMs === undefined ? '?' : (search.buildCpuMs / 1000).toFixed(1)} s; once, after the bulk ` +
    `load); now FTS5 tables ${mb(sizes.bytes)}, search_docs ${mb(sizes.docsBytes)}, other search tables ` +
    `${mb(sizes.otherBytes)}`,
);

// ---- 2. Terms by document frequency ----
const totalDocs = sqlite.prepare('select count(*) from search_docs').pluck().get() as number;
const docOf = sqlite.prepare('select doc from search_vocab where term = ?').pluck();
const withDoc = (terms: string[]) =>
  terms.map((term) => ({ term, doc: (docOf.get(fold(term)) as number | undefined) ?? 0 }));
/** Up to `n` of these, spread over their range of document frequency. */
const spread = (ts: { term: string; doc: number }[], n: number) => {
  const sorted = [...new Map(ts.map((t) => [t.term, t])).values()].sort((a, b) => a.doc - b.doc);
  if (sorted.length <= n) return sorted;
  return Array.from({ length: n }, (_, i) => sorted[Math.floor((i * (sorted.length - 1)) / (n - 1))]!);
};
const rare = spread(
  withDoc(rareCandidates()).filter((t) => t.doc >= 1 && t.doc <= 50),
  8,
);
const medium = spread(
  withDoc(SEARCH_CANDIDATES.medium).filter((t) => t.doc >= totalDocs * 0.002 && t.doc <= totalDocs * 0.05),
  8,
);
const common = withDoc(SEARCH_CANDIDATES.common)
  .sort((a, b) => b.doc - a.doc)
  .slice(0, 3);
const since = new Date(Date.now() - 120 * DAY).toISOString().slice(0, 10);
const show = (ts: { term: string; doc: number }[]) => ts.map((t) => `${t.term} (${t.doc})`).join(', ');
print();
print(`Terms (documents of ${totalDocs} containing them):`);
print(`  rare: ${show(rare)}`);
print(`  medium: ${show(medium)}`);
print(`  common: ${show(common)}`);

interface Case {
  name: string;
  queries: string[];
}
const cases: Case[] = [
  { name: 'rare term', queries: rare.map((t) => t.term) },
  { name: 'medium term', queries: medium.map((t) => t.term) },
  { name: 'common word', queries: common.map((t) => t.term) },
  { name: 'phrase', queries: SEARCH_CANDIDATES.phrase },
  { name: 'prefix', queries: SEARCH_CANDIDATES.prefix },
  {
    name: 'filtered (words + jurisdiction + after:)',
    queries: [
      `medicrime "art. 5" jurisdiction:NG jurisdiction:GH jurisdiction:SN after:${since}`,
      `rétention douanière jurisdiction:FR after:${since}`,
      `medicamentos falsificados jurisdiction:ES jurisdiction:MX after:${since}`,
      `chain of custody jurisdiction:KE after:${since}`,
      `التهريب jurisdiction:INT after:${since}`,
    ],
  },
  {
    name: 'operator-only',
    queries: [
      'jurisdiction:KE kind:analysis',
      'jurisdiction:FR kind:question',
      'topic:medical-products jurisdiction:NG',
      'instrument:medicrime kind:case-note',
    ],
  },
];

// ---- 3. FTS5 alone ----
/** The words of a query as an FTS5 expression (operators left out): each word, phrase or prefix quoted. */
function ftsExpression(query: string): string | null {
  const parts: string[] = [];
  for (const token of query.match(/"[^"]*"|\S+/g) ?? []) {
    if (/^[a-z]+:/i.test(token)) continue;
    const prefix = token.endsWith('*');
    const ws = words(fold(token));
    if (ws.length === 0) continue;
    parts.push(prefix ? `"${ws.join(' ')}" *` : `"${ws.join(' ')}"`);
  }
  return parts.length > 0 ? parts.join(' ') : null;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const ms = (n: number) => (Number.isNaN(n) ? '–' : n < 10 ? n.toFixed(2) : n.toFixed(1));

if (settings.rawRuns > 0) {
  const statements = {
    'best 20 (bm25)': sqlite.prepare(
      'select rowid, bm25(search_fts, 10.0, 5.0, 1.0) as score from search_fts where search_fts match ? order by score limit 20',
    ),
    'newest 20': sqlite.prepare('select rowid from search_fts where search_fts match ? order by rowid desc limit 20'),
    count: sqlite.prepare('select count(*) from search_fts where search_fts match ?'),
  };
  const rows: string[][] = [];
  for (const c of cases) {
    const expressions = c.queries.map(ftsExpression).filter((e): e is string => e !== null);
    if (expressions.length === 0) continue;
    const row = [c.name];
    let matches = 0;
    for (const [name, statement] of Object.entries(statements)) {
      const times: number[] = [];
      for (let run = 0; run < settings.rawRuns; run++) {
        for (const e of expressions) {
          const t0 = performance.now();
          const result = statement.all(e);
          times.push(performance.now() - t0);
          if (name === 'count' && run === 0) matches += (result[0] as { 'count(*)': number })['count(*)'];
        }
      }
      times.sort((a, b) => a - b);
      row.push(ms(percentile(times, 50)), ms(times.at(-1)!));
    }
    row.push((matches / expressions.length).toFixed(0));
    rows.push(row);
  }
  print();
  print(
    `SQLite FTS5 alone, one connection, ${settings.rawRuns} runs of each query (operators left out; ` +
      'no visibility, grouping or snippets): ms',
  );
  print(
    table(
      ['case', 'bm25 top 20 p50', 'max', 'newest 20 p50', 'max', 'count(*) p50', 'max', 'matching posts (mean)'],
      rows,
    ),
  );
}
sqlite.close();

// ---- 4. and 5. The server ----
let server: BenchServer | undefined;
try {
  server = await startBenchServer({
    databaseFile: settings.db,
    port: settings.port,
    logLevel: settings.logLevel,
    execArgv: settings.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProf}`] : [],
    env: Object.fromEntries(
      Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('SEARCH_') && !!e[1]),
    ),
  });
  const { origin, pid } = server;
  const cookie = await signIn(origin, { email: 'member0@bench.example', password: BENCH_PASSWORD });
  const headers = { cookie };
  const searchPath = (q: string) => `/api/search?${new URLSearchParams({ q }).toString()}`;

  const probe = await fetch(`${origin}${searchPath(cases[0]!.queries[0] ?? 'medicrime')}`, { headers });
  if (probe.status === 404) {
    print();
    print('GET /api/search is not on this server (404): the server part is skipped.');
  } else {
    // One probe per query: what each returns (and that it is a 200).
    const notes: string[] = [];
    for (const c of cases) {
      for (const q of c.queries) {
        const res = await fetch(`${origin}${searchPath(q)}`, { headers });
        const text = await res.text();
        if (res.status !== 200) {
          notes.push(`  ${c.name}: ${q} → ${res.status} ${text.slice(0, 200)}`);
          continue;
        }
        const page = JSON.parse(text) as { total: number; notice: string | null; tookMs: number; results: unknown[] };
        notes.push(
          `  ${c.name}: ${q} → ${page.total} threads${page.notice ? ` (${page.notice})` : ''}, ` +
            `${page.results.length} on the page, tookMs ${page.tookMs}, ${(text.length / 1024).toFixed(1)} KiB`,
        );
      }
    }
    print();
    print('Each query once (cold):');
    for (const n of notes) print(n);

    const load = async (c: Case, connections: number) => {
      const latencies: number[] = [];
      const statuses = new Map<number, number>();
      const instance = autocannon({
        url: origin,
        headers,
        connections,
        duration: settings.duration,
        requests: c.queries.map((q) => ({ path: searchPath(q) })),
      });
      instance.on('response', (_client, status, _bytes, time) => {
        latencies.push(time);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      });
      const result = await instance;
      latencies.sort((a, b) => a - b);
      return { result, latencies, statuses };
    };

    const rows: string[][] = [];
    for (const c of cases) {
      if (c.queries.length === 0) continue;
      if (settings.warmup > 0) {
        await autocannon({
          url: origin,
          headers,
          connections: settings.connections,
          duration: settings.warmup,
          requests: c.queries.map((q) => ({ path: searchPath(q) })),
        });
      }
      const before = processUsage(pid);
      const { result, latencies, statuses } = await load(c, settings.connections);
      const after = processUsage(pid);
      const requests = latencies.length;
      const failed = [...statuses].filter(([s]) => s >= 300);
      rows.push([
        c.name,
        (requests / result.duration).toFixed(0),
        ms(percentile(latencies, 50)),
        ms(percentile(latencies, 95)),
        ms(percentile(latencies, 99)),
        ms(latencies.at(-1) ?? NaN),
        requests > 0 ? ((after.cpuMs - before.cpuMs) / requests).toFixed(1) : '–',
        failed.length === 0 ? '0' : failed.map(([s, n]) => `${n}×${s}`).join(' '),
        (after.rssBytes / 1e6).toFixed(0),
        loadavg()[0]!.toFixed(1),
      ]);
    }
    print();
    print(
      `GET /api/search, ${counts.posts} posts: node ${process.version}, ${availableParallelism()} cores shared with ` +
        `the load generator; autocannon ${settings.connections} connections, ${settings.duration} s per case after ` +
        `${settings.warmup} s of warm-up, each connection cycling through the case's queries; load: the ` +
        "machine's 1-minute load average after the case (above the core count, every figure is stretched)",
    );
    print(
      table(
        ['case', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'CPU ms/req', 'errors', 'server RSS MB', 'load'],
        rows,
      ),
    );

    // Health alone, then while every search case runs at once (in a worker thread of its own, so
    // the search load's client work does not delay the probe's clock).
    const health = () =>
      autocannon({ url: `${origin}/api/health`, connections: 1, duration: settings.duration, workers: 1 });
    const healthRows: string[][] = [];
    const healthRow = (name: string, r: Awaited<ReturnType<typeof autocannon>>) => {
      const requests = r['2xx'] + r.non2xx;
      healthRows.push([
        name,
        (requests / r.duration).toFixed(0),
        r.latency.p50.toFixed(1),
        r.latency.p99.toFixed(1),
        r.latency.max.toFixed(1),
      ]);
    };
    healthRow('/api/health alone', await health());
    const mixed: Case = { name: 'every case', queries: cases.flatMap((c) => c.queries) };
    const [probeWhile, searching] = await Promise.all([health(), load(mixed, settings.connections)]);
    healthRow(`/api/health while searches run (${settings.connections} connections)`, probeWhile);
    const s = searching.latencies;
    healthRows.push([
      '  the searches meanwhile',
      (s.length / searching.result.duration).toFixed(0),
      ms(percentile(s, 50)),
      ms(percentile(s, 99)),
      ms(s.at(-1) ?? NaN),
    ]);
    print();
    print('/api/health (1 connection) alone and while every search case runs');
    print(table(['case', 'req/s', 'p50 ms', 'p99 ms', 'max ms'], healthRows));
  }
} finally {
  await server?.stop();
}
