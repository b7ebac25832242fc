/**
 * The WebSocket part of `pnpm bench`: one write fanned out to N sockets (5,000 by default). It
 * makes a fresh database in /tmp/bench-ws-*, inserts N members with a session each straight into
 * it (N argon2 sign-ins would take minutes), starts the built server (server/dist, production
 * mode) on it, starts one thread over HTTP and makes every member follow it, then opens one
 * socket per member, says hello and subscribes to the thread. A further member then replies W
 * times over HTTP; for each reply it measures, per socket, the time from just before the POST to
 * the receipt of the live `post.created` and of the `notification.created` (reply in a followed
 * thread), and the server's CPU time until the last one arrived. The clients run in this process,
 * on the same cores as the server, so their own work is part of what is measured. Prints figures;
 * asserts nothing.
 *
 * The writer is an established member: the database gives it an earlier thread of
 * ESTABLISHED_POSTS posts, so pre-moderation (a member's first posts wait for a moderator) holds
 * neither its thread nor its replies. The per-IP upgrade limit is lifted for the server (every
 * socket comes from 127.0.0.1); each member has one socket, under the per-member limit.
 *
 * Alone: `npx -y pnpm@10.34.8 --filter @lexforum/tests run bench:ws --clients 5000,10000 --writes 5`
 * (or WS_BENCH_CLIENTS / WS_BENCH_WRITES in the environment). Needs `ulimit -n` above N: a size the
 * limit cannot hold is skipped with a note. WS_BENCH_SERVER_ARGS passes Node flags to the server
 * (`--cpu-prof --cpu-prof-dir=/tmp/prof` profiles the fan-out).
 */
import { createDb, migrate, seedReferenceData } from '@lexforum/db';
import { REALTIME_PATH } from '@lexforum/shared';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { createSession } from '../../server/src/modules/auth/session.js';
import { repoRoot, serverEntry } from '../helpers/process.js';
import { threadBody } from '../helpers/threads.js';
import { ESTABLISHED_POSTS, numberFlag, parseFlags } from './generate.js';
import { processUsage, table } from './report.js';

export interface WsBenchOptions {
  clients: number;
  writes: number;
  logLevel: string;
  /** Keep the database folder afterwards. */
  keep: boolean;
  print?: (line?: string) => void;
}

/** The Origin the server is told it has; the sockets and the writes send it. */
const ORIGIN = 'http://bench.localhost';
/** Sockets opening at once while connecting. */
const CONNECT_BATCH = 250;
/** How long one reply may take to reach every socket before the bench gives up on the rest. */
const DELIVERY_TIMEOUT_MS = 60_000;

/** Every client connects from 127.0.0.1: the per-IP upgrade limit would refuse all but the first few. */
const WS_LIMITS_LIFTED = { REALTIME_UPGRADES_PER_MINUTE: '100000000' };

interface Member {
  id: string;
  cookie: string;
}

/** The soft limit on open files of this process (`ulimit -n`), which the server inherits. */
export function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}

/** When the writer's earlier thread starts: a day before the bench. */
const t0 = (now: Date) => now.getTime() - 86_400_000;

/** `5000,10000` → [5000, 10000]; 0 or nothing → []. */
export function socketCounts(raw: string): number[] {
  return raw
    .split(',')
    .map((n) => Number(n.trim()))
    .filter((n) => {
      if (!Number.isInteger(n) || n < 0) throw new Error(`socket counts must be whole numbers, not ${raw}`);
      return n > 0;
    });
}

/**
 * Gives a member a thread of ESTABLISHED_POSTS posts of their own, a day old, written as the
 * server writes them (counters and tags included): pre-moderation counts a member's posts.
 */
function establish(sqlite: ReturnType<typeof createDb>['sqlite'], userId: string, at: number): void {
  const threadId = randomUUID();
  const last = at + (ESTABLISHED_POSTS - 1) * 60_000;
  sqlite
    .prepare(
      `insert into threads (id, kind, title, author_id, jurisdictions, topics, citations, post_count,
         participant_count, last_post_at, last_poster_id, created_at, updated_at)
       values (?, 'discussion', 'The writer''s earlier thread', ?, '["FR"]', '["medical-products"]', '[]', ?, 1, ?, ?, ?, ?)`,
    )
    .run(threadId, userId, ESTABLISHED_POSTS, last, userId, at, at);
  sqlite.prepare("insert into thread_jurisdictions (thread_id, code) values (?, 'FR')").run(threadId);
  sqlite.prepare("insert into thread_topics (thread_id, slug) values (?, 'medical-products')").run(threadId);
  const insertPost = sqlite.prepare(
    `insert into posts (id, thread_id, number, parent_id, depth, author_id, body, cooked, version, reply_count,
       created_at) values (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const insertRevision = sqlite.prepare(
    `insert into post_revisions (post_id, version, editor_id, title, body, cooked, created_at)
     values (?, 1, ?, ?, ?, ?, ?)`,
  );
  const openerId = randomUUID();
  for (let i = 0; i < ESTABLISHED_POSTS; i++) {
    const id = i === 0 ? openerId : randomUUID();
    const body = `Earlier post ${i + 1} of the writer.`;
    const cooked = `<p>${body}</p>`;
    const created = at + i * 60_000;
    insertPost.run(
      id,
      threadId,
      i + 1,
      i === 0 ? null : openerId,
      i === 0 ? 0 : 1,
      userId,
      body,
      cooked,
      i === 0 ? ESTABLISHED_POSTS - 1 : 0,
      created,
    );
    insertRevision.run(id, userId, i === 0 ? "The writer's earlier thread" : null, body, cooked, created);
  }
  sqlite
    .prepare("insert into follows (user_id, target, key, created_at) values (?, 'thread', ?, ?)")
    .run(userId, threadId, at);
  sqlite
    .prepare('insert into thread_reads (user_id, thread_id, last_read_number, updated_at) values (?, ?, ?, ?)')
    .run(userId, threadId, ESTABLISHED_POSTS, last);
}

export async function runWsBench(o: WsBenchOptions): Promise<void> {
  const print = o.print ?? ((line = '') => process.stdout.write(`${line}\n`));
  if (!existsSync(serverEntry)) throw new Error('The server is not built (server/dist/server.js).');
  const limit = openFileLimit();
  if (o.clients + 200 > limit) {
    print();
    print(
      `WebSocket fan-out at ${o.clients} sockets: skipped, the open-file limit (ulimit -n) is ${limit}; ` +
        `raise it above ${o.clients + 200} (the clients here and the server each hold one descriptor per socket).`,
    );
    return;
  }
  const dir = mkdtempSync('/tmp/bench-ws-');
  const file = join(dir, 'forum.db');

  // ---- Members and sessions, straight into the database ----
  const setupStarted = performance.now();
  const now = new Date();
  const members: Member[] = [];
  {
    const handle = createDb(file);
    migrate(handle.db);
    seedReferenceData(handle.db);
    const { sqlite } = handle;
    const insertUser = sqlite.prepare(
      `insert into users (id, email, display_name, username, password_hash, role, status, profession, position,
         institution, jurisdiction_code, other_jurisdictions, languages, verified_at, created_at, updated_at)
       values (?, ?, ?, ?, '!', 'member', 'active', 'judge', 'Judge', 'Bench Court', 'FR', '[]', '["en"]', ?, ?, ?)`,
    );
    sqlite.transaction(() => {
      // One more than the clients: the last one writes.
      for (let i = 0; i <= o.clients; i++) {
        const id = randomUUID();
        const t = now.getTime();
        insertUser.run(id, `ws${i}@bench.example`, `Socket Member ${i}`, `socket.member${i}`, t, t, t);
        const { token } = createSession(handle.db, id, { userAgent: 'ws-bench', ip: '127.0.0.1' }, now);
        members.push({ id, cookie: `lexforum_session=${token}` });
      }
      establish(sqlite, members.at(-1)!.id, t0(now));
    })();
    handle.close();
  }
  const writer = members.pop()!;
  const setupMs = performance.now() - setupStarted;

  // ---- The built server ----
  const serverArgs = (process.env['WS_BENCH_SERVER_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...serverArgs, serverEntry], {
    cwd: repoRoot,
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'production',
      // Production needs SMTP; nothing listens there (a bench sends no mail it waits for).
      SMTP_URL: 'smtp://127.0.0.1:9',
      HOST: '127.0.0.1',
      PORT: '0',
      PUBLIC_ORIGIN: ORIGIN,
      DATABASE_PATH: file,
      LOG_LEVEL: o.logLevel,
      RATE_LIMIT_PER_MINUTE: '100000000',
      ...WS_LIMITS_LIFTED,
    },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const sockets: WebSocket[] = [];

  try {
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 30_000);
      child.stdout.on('data', () => {
        const found = output.match(/running at http:\/\/localhost:(\d+)/)?.[1];
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      });
      void exited.then(() => reject(new Error(`the server exited:\n${output}`)));
    });
    const http = `http://127.0.0.1:${port}`;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${http}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, cookie: writer.cookie },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as { thread?: { id: string }; post?: { id: string } };
    };

    // The thread, then every member follows it (in the database: N PUTs would measure the API).
    const threadId = (await post('/api/threads', threadBody('discussion', { title: 'One thread, many readers' })))
      .thread!.id;
    {
      const handle = createDb(file);
      const follow = handle.sqlite.prepare(
        "insert or ignore into follows (user_id, target, key, created_at) values (?, 'thread', ?, ?)",
      );
      handle.sqlite.transaction(() => {
        for (const m of members) follow.run(m.id, threadId, now.getTime());
      })();
      handle.close();
    }

    // ---- Connect ----
    const rssIdle = processUsage(child.pid!).rssBytes;
    let current = -1;
    const postAt = Array.from({ length: o.writes }, () => new Float64Array(members.length).fill(Number.NaN));
    const noteAt = Array.from({ length: o.writes }, () => new Float64Array(members.length).fill(Number.NaN));
    const problems: string[] = [];
    let ready = 0;
    let pongs = 0;

    const connectOne = (m: Member, i: number) =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}${REALTIME_PATH}`, {
          origin: ORIGIN,
          headers: { cookie: m.cookie },
          perMessageDeflate: false,
          handshakeTimeout: 30_000,
        });
        sockets.push(ws);
        ws.once('open', () => {
          ws.send(JSON.stringify({ type: 'hello', lastSeq: null }));
          ws.send(JSON.stringify({ type: 'subscribe', channel: 'thread', threadId }));
          resolve();
        });
        ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
        ws.once('error', reject);
        ws.on('close', (code) => {
          if (code !== 1000 && code !== 1005) problems.push(`socket ${i} closed with ${code}`);
        });
        ws.on('message', (data: WebSocket.RawData) => {
          const at = performance.now();
          const message = JSON.parse(data.toString()) as { type: string; event?: { type: string } };
          if (message.type === 'live' && message.event?.type === 'post.created') {
            if (current >= 0 && Number.isNaN(postAt[current]![i]!)) postAt[current]![i] = at;
          } else if (message.type === 'event' && message.event?.type === 'notification.created') {
            if (current >= 0 && Number.isNaN(noteAt[current]![i]!)) noteAt[current]![i] = at;
          } else if (message.type === 'ready') ready++;
          else if (message.type === 'pong') pongs++;
          else if (message.type === 'error' && problems.length < 20) problems.push(`socket ${i}: ${data.toString()}`);
        });
      });

    const connectStarted = performance.now();
    for (let from = 0; from < members.length; from += CONNECT_BATCH) {
      await Promise.all(members.slice(from, from + CONNECT_BATCH).map((m, j) => connectOne(m, from + j)));
    }
    await until(
      () => ready === members.length,
      60_000,
      () => `${ready} of ${members.length} ready`,
    );
    // A ping round trip on every socket: each subscription has been handled before the first write.
    for (const ws of sockets) ws.send(JSON.stringify({ type: 'ping' }));
    await until(
      () => pongs === members.length,
      60_000,
      () => `${pongs} of ${members.length} pongs`,
    );
    const connectMs = performance.now() - connectStarted;
    await sleep(1000);
    const rssConnected = processUsage(child.pid!).rssBytes;

    // ---- Writes ----
    const rows: string[][] = [];
    const allPost: number[] = [];
    const postTimes: number[] = [];
    const allNote: number[] = [];
    let totalCpu = 0;
    for (let w = 0; w < o.writes; w++) {
      const before = processUsage(child.pid!);
      current = w;
      const started = performance.now();
      await post(`/api/threads/${threadId}/posts`, { body: `Reply ${w + 1} to every reader of the thread.` });
      const postMs = performance.now() - started;
      postTimes.push(postMs);
      const received = () => [count(postAt[w]!), count(noteAt[w]!)] as const;
      await until(
        () => received()[0] === members.length && received()[1] === members.length,
        DELIVERY_TIMEOUT_MS,
        () => `${received().join(' and ')} of ${members.length}`,
      ).catch((error: Error) => problems.push(`reply ${w + 1}: ${error.message}`));
      const after = processUsage(child.pid!);
      const live = latencies(postAt[w]!, started);
      const notes = latencies(noteAt[w]!, started);
      allPost.push(...live);
      allNote.push(...notes);
      totalCpu += after.cpuMs - before.cpuMs;
      rows.push([
        `reply ${w + 1}`,
        postMs.toFixed(0),
        ...stats(live, members.length),
        ...stats(notes, members.length),
        (after.cpuMs - before.cpuMs).toFixed(0),
      ]);
      current = -1;
      await sleep(500);
    }
    const rssAfter = processUsage(child.pid!).rssBytes;
    rows.push([
      `all ${o.writes}`,
      '',
      ...stats(allPost, members.length * o.writes),
      ...stats(allNote, members.length * o.writes),
      (totalCpu / Math.max(1, o.writes)).toFixed(0),
    ]);

    const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
    const sortedPosts = [...postTimes].sort((a, b) => a - b);
    const summary = [
      `${members.length}`,
      stats(allPost, members.length * o.writes)[1]!,
      stats(allPost, members.length * o.writes)[2]!,
      stats(allNote, members.length * o.writes)[1]!,
      stats(allNote, members.length * o.writes)[2]!,
      sortedPosts[Math.floor((sortedPosts.length - 1) / 2)]!.toFixed(0),
      sortedPosts.at(-1)!.toFixed(0),
      ((totalCpu * 1000) / Math.max(1, o.writes) / Math.max(1, members.length)).toFixed(1),
      ((rssConnected - rssIdle) / 1024 / Math.max(1, members.length)).toFixed(1),
      ((rssAfter - rssIdle) / 1024 / Math.max(1, members.length)).toFixed(1),
    ];
    print();
    print(
      `WebSocket fan-out: ${members.length} sockets (one member each, all following one thread and subscribed ` +
        `to it); ${o.writes} replies posted over HTTP by another member. Built server, production, ` +
        `LOG_LEVEL=${o.logLevel}, node ${process.version}, ${availableParallelism()} cores shared with the clients.`,
    );
    print(
      `Setup: ${members.length + 1} members and sessions in ${(setupMs / 1000).toFixed(1)} s; ` +
        `${members.length} sockets connected, ready and subscribed in ${(connectMs / 1000).toFixed(1)} s. ` +
        `Server RSS: ${mb(rssIdle)} MB before, ${mb(rssConnected)} MB connected ` +
        `(${((rssConnected - rssIdle) / 1024 / Math.max(1, members.length)).toFixed(1)} KiB per socket), ` +
        `${mb(rssAfter)} MB after the replies.`,
    );
    print(
      `Limits lifted for the bench server: ${Object.entries(WS_LIMITS_LIFTED)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}, RATE_LIMIT_PER_MINUTE=100000000; open-file limit ${limit}.`,
    );
    print('Latency: from just before the POST to the receipt on each socket, in ms.');
    print();
    print(
      table(
        [
          'sockets',
          'post.created p50',
          'p99',
          'notification p50',
          'p99',
          'writer POST p50 ms',
          'max ms',
          'CPU µs/recipient',
          'KiB/socket connected',
          'KiB/socket after',
        ],
        [summary],
      ),
    );
    print();
    print(
      table(
        [
          'write',
          'POST ms',
          'post.created',
          'p50',
          'p99',
          'max',
          'notification.created',
          'p50',
          'p99',
          'max',
          'server CPU ms',
        ],
        rows,
      ),
    );
    if (problems.length > 0) print(`\nProblems:\n  ${problems.slice(0, 20).join('\n  ')}`);
    if (o.keep) print(`\nDatabase kept at ${file}`);
  } finally {
    for (const ws of sockets) ws.terminate();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function count(times: Float64Array): number {
  let n = 0;
  for (const t of times) if (!Number.isNaN(t)) n++;
  return n;
}

function latencies(times: Float64Array, started: number): number[] {
  const out: number[] = [];
  for (const t of times) if (!Number.isNaN(t)) out.push(t - started);
  return out;
}

/** `received/expected`, p50, p99, max. */
function stats(values: number[], expected: number): string[] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const ms = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(0));
  return [`${sorted.length}/${expected}`, ms(at(0.5)), ms(at(0.99)), ms(sorted.at(-1))];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, timeoutMs: number, progress: () => string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms: ${progress()}`);
    await sleep(10);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flags = parseFlags(process.argv.slice(2));
  for (const clients of socketCounts(flags['clients'] ?? process.env['WS_BENCH_CLIENTS'] ?? '5000,10000')) {
    await runWsBench({
      clients,
      writes: numberFlag(flags, 'writes', Number(process.env['WS_BENCH_WRITES'] ?? 5)),
      logLevel: flags['log-level'] ?? 'warn',
      keep: flags['keep'] === 'true',
    });
  }
}
