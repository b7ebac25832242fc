/**
 * Reply creation, sustained, part of `pnpm bench`: ten established members (generated with enough
 * posts that pre-moderation holds none of them, see ESTABLISHED_POSTS in generate.ts), each on one
 * connection of its own, POST replies to a thread of their own as fast as the server answers, for
 * the bench's duration. The replies are then counted in the database (not taken from the answers),
 * and every answer's status is tallied: anything but 201 is printed with the first error body.
 * The server's CPU is read from /proc before and once the count has settled (work done after the
 * commit counts too, and about a second of the idle server's). Asserts nothing.
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { processUsage } from './report.js';

export interface ReplyWriter {
  email: string;
  /** The session cookie (`name=value`). */
  cookie: string;
  /** The thread this writer replies in. */
  threadId: string;
}

export interface RepliesBenchOptions {
  origin: string;
  pid: number;
  databaseFile: string;
  writers: ReplyWriter[];
  duration: number;
  warmup: number;
  print: (line?: string) => void;
}

export interface RepliesResult {
  /** Replies found in the database afterwards, per second of the run. */
  perSecond: number;
  replies: number;
  answers: number;
  p50: number;
  p99: number;
  /** Server CPU per reply counted, in µs. */
  cpuUs: number;
  /** Answers other than 201, and socket errors. */
  errors: number;
}

/** A reply of a realistic length (about 400 characters), different each time. */
function replyBody(writer: number, n: number): string {
  return (
    `Reply ${n} from writer ${writer}. In our court the question came up last month: the defendant ` +
    `argued that offering falsified medicines online without holding them is no offence. The ` +
    `court disagreed, citing art. 6 of the Medicrime Convention and the brokering it covers. ` +
    `I would be glad to hear how your jurisdiction treats the same facts.`
  );
}

async function writeFor(o: RepliesBenchOptions, seconds: number, tally: Tally): Promise<number> {
  const runs = o.writers.map((w, i) => {
    let n = 0;
    const path = `/api/threads/${w.threadId}/posts`;
    const run = autocannon({
      url: `${o.origin}${path}`,
      connections: 1,
      duration: seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: o.origin, cookie: w.cookie },
      requests: [
        {
          method: 'POST',
          path,
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ body: replyBody(i, ++n) }) }),
          onResponse: (status, body) => {
            if (status !== 201 && tally.firstError === undefined) tally.firstError = `${status} ${body.slice(0, 500)}`;
          },
        },
      ],
    });
    run.on('response', (_client, status, _bytes, ms) => {
      tally.times.push(ms);
      tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
    });
    return run;
  });
  const results = await Promise.all(runs);
  for (const r of results) tally.socketErrors += r.errors + r.timeouts;
  return Math.max(...results.map((r) => r.duration));
}

interface Tally {
  times: number[];
  statuses: Map<number, number>;
  socketErrors: number;
  firstError?: string;
}

export async function runRepliesBench(o: RepliesBenchOptions): Promise<RepliesResult> {
  const db = new Database(o.databaseFile, { readonly: true, fileMustExist: true });
  try {
    const ids = o.writers.map((w) => db.prepare('select id from users where email = ?').pluck().get(w.email) as string);
    const countReplies = db
      .prepare(`select count(*) from posts where author_id in (${ids.map(() => '?').join(', ')})`)
      .pluck();
    const count = () => countReplies.get(...ids) as number;

    // Until the count has not moved for a second: replies still in flight when autocannon stopped
    // (at most one per writer) are committed by then.
    const settled = async () => {
      let last = count();
      for (let i = 0; i < 30; i++) {
        await sleep(1000);
        const now = count();
        if (now === last) return now;
        last = now;
      }
      return last;
    };
    if (o.warmup > 0) await writeFor(o, o.warmup, { times: [], statuses: new Map(), socketErrors: 0 });
    const before = await settled();
    const tally: Tally = { times: [], statuses: new Map(), socketErrors: 0 };
    const cpuBefore = processUsage(o.pid).cpuMs;
    const seconds = await writeFor(o, o.duration, tally);
    const replies = (await settled()) - before;
    const cpuAfter = processUsage(o.pid).cpuMs;

    const sorted = tally.times.sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
    const non201 = [...tally.statuses].filter(([status]) => status !== 201);
    const errors = non201.reduce((s, [, n]) => s + n, 0) + tally.socketErrors;
    o.print();
    o.print(
      `Replies: ${o.writers.length} writers (one connection each, each in a thread of its own), ${seconds} s: ` +
        `${tally.times.length} answers (${[...tally.statuses].map(([s, n]) => `${n}× ${s}`).join(', ') || 'none'}` +
        `${tally.socketErrors > 0 ? `, ${tally.socketErrors} socket errors or timeouts` : ''}), ` +
        `${replies} replies counted in the database afterwards (those still in flight when the run stopped, at ` +
        `most one per writer, included).`,
    );
    if (tally.firstError !== undefined) o.print(`First answer other than 201: ${tally.firstError}`);
    return {
      perSecond: replies / seconds,
      replies,
      answers: tally.times.length,
      p50: at(0.5),
      p99: at(0.99),
      cpuUs: replies > 0 ? ((cpuAfter - cpuBefore) * 1000) / replies : Number.NaN,
      errors,
    };
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
