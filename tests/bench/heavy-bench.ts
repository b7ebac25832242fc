/**
 * One member cannot slow the forum: `/api/health` latency alone, then while one member's heavy
 * requests run in parallel (stale edits of a long legal analysis, long replies, listing twenty
 * long drafts). Markdown cooking on the event loop made every other request wait behind these;
 * with cheap checks first, excerpts kept and cooking in the worker pool, health stays fast.
 * Part of `pnpm bench` (bench.ts), on the same server; asserts nothing.
 */
import autocannon from 'autocannon';
import { SECTIONS } from './bodies.js';
import { processUsage, table } from './report.js';

export interface HeavyBenchOptions {
  origin: string;
  /** The session cookie of the member whose requests are heavy. */
  cookie: string;
  /** A thread the member can reply in. */
  threadId: string;
  pid: number;
  duration: number;
  print: (line?: string) => void;
}

/** About 19,000 characters of varied markdown: near the 20,000 of a section, under 30,000 of a body. */
function longMarkdown(seed: string): string {
  const paragraph = `${seed} The **court** held, in [the judgment](https://example.org/j), that _offering_ counts:\n\n- one\n- two\n\n`;
  return paragraph.repeat(Math.floor(19_000 / paragraph.length));
}

export async function runHeavyBench(o: HeavyBenchOptions): Promise<void> {
  const json = { 'content-type': 'application/json', origin: o.origin, cookie: o.cookie };
  const send = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${o.origin}${path}`, { method, headers: json, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };

  // A long analysis by the member, and twenty long drafts (one per thread the member starts).
  const sections = Object.fromEntries(Object.keys(SECTIONS).map((k) => [k, longMarkdown(k)]));
  const analysis = (await send('POST', '/api/threads', {
    kind: 'legal_analysis',
    title: 'A long analysis for the bench',
    jurisdictions: ['FR'],
    topics: ['medical-products'],
    citations: [],
    sections,
    analysis: { lawAsOf: '2026-01-01', personalCapacity: true },
  })) as { posts: { id: string }[] };
  const openerId = analysis.posts[0]!.id;
  for (let i = 0; i < 20; i++) {
    await send('PUT', `/api/drafts/reply/${o.threadId}`, { body: longMarkdown(`Draft ${i}.`) });
    const other = (await send('POST', '/api/threads', {
      kind: 'discussion',
      title: `A thread for a bench draft, number ${i}`,
      jurisdictions: ['FR'],
      topics: ['medical-products'],
      citations: [],
      body: 'A thread to hold a long draft reply, for the bench.',
    })) as { thread: { id: string } };
    await send('PUT', `/api/drafts/reply/${other.thread.id}`, { body: longMarkdown(`Draft ${i}.`) });
  }

  const heavy = [
    {
      name: 'stale edit of a long analysis (409)',
      url: `${o.origin}/api/posts/${openerId}`,
      method: 'PATCH',
      body: JSON.stringify({ version: 999, sections }),
    },
    {
      name: 'long reply (201)',
      url: `${o.origin}/api/threads/${o.threadId}/posts`,
      method: 'POST',
      body: JSON.stringify({ body: longMarkdown('Reply.') }),
    },
    { name: 'list 21 long drafts', url: `${o.origin}/api/drafts`, method: 'GET' },
  ];
  // In a worker thread of its own: the heavy load's client work must not delay the probe's clock.
  const health = () => autocannon({ url: `${o.origin}/api/health`, connections: 1, duration: o.duration, workers: 1 });
  const rows: string[][] = [];
  const row = (name: string, r: Awaited<ReturnType<typeof autocannon>>, cpuMs?: number) => {
    const requests = r['2xx'] + r.non2xx;
    rows.push([
      name,
      (requests / r.duration).toFixed(0),
      r.latency.p50.toFixed(1),
      r.latency.p99.toFixed(1),
      cpuMs !== undefined && requests > 0 ? (cpuMs / requests).toFixed(2) : '–',
    ]);
  };

  row('/api/health alone', await health());
  for (const h of heavy) {
    const before = processUsage(o.pid);
    const [probe, load] = await Promise.all([
      health(),
      autocannon({
        url: h.url,
        method: h.method,
        ...(h.body ? { body: h.body } : {}),
        headers: json,
        connections: 3,
        duration: o.duration,
      }),
    ]);
    const after = processUsage(o.pid);
    row(`  ${h.name}, 3 connections`, load, after.cpuMs - before.cpuMs);
    row(`  /api/health meanwhile`, probe);
  }
  o.print();
  o.print("One member's heavy requests in parallel with /api/health (CPU ms/req: the heavy case, health included)");
  o.print(table(['case', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req'], rows));
}
