/**
 * Cold start, part of `pnpm bench`: `node server/dist/server.js` in production mode on a copy of
 * the whole generated dataset, timed from spawn until `/api/health` first answers 200 (polled every
 * 5 ms), with the CPU time the process had used by then (from /proc: module loading, schema
 * compiling, migrations check, opening the database). H (hello.ts) is timed the same way for
 * comparison. Best of three runs each (all runs printed). Asserts nothing.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { repoRoot, serverEntry } from '../helpers/process.js';
import { benchServerEnv, freePort } from './bench-server.js';
import { fastifyEntry, helloScript } from './hello.js';
import { processUsage, table } from './report.js';

export interface ColdStartOptions {
  /** The generated dataset: copied, never opened itself. */
  databaseFile: string;
  port: number;
  logLevel: string;
  runs: number;
  print: (line?: string) => void;
}

interface Run {
  wallMs: number;
  cpuMs: number;
}

async function coldStartOnce(script: string, env: Record<string, string>, url: string): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, [script], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${script} exited:\n${output}`);
      if (performance.now() - started > 120_000) throw new Error(`${script} not healthy after 120 s:\n${output}`);
      const ok = await fetch(url).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) {
        const wallMs = performance.now() - started;
        return { wallMs, cpuMs: processUsage(child.pid!).cpuMs };
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  }
}

export async function runColdStart(o: ColdStartOptions): Promise<void> {
  const copy = `${o.databaseFile}.cold.db`;
  copyFileSync(o.databaseFile, copy);
  try {
    const port = await freePort(o.port);
    const origin = `http://127.0.0.1:${port}`;
    const serverEnv = benchServerEnv({ origin, port, databaseFile: copy, logLevel: o.logLevel });
    const helloEnv = { PATH: process.env['PATH'] ?? '', FASTIFY_ENTRY: fastifyEntry, PORT: String(port) };
    const server: Run[] = [];
    const hello: Run[] = [];
    for (let i = 0; i < o.runs; i++) {
      server.push(await coldStartOnce(serverEntry, serverEnv, `${origin}/api/health`));
      hello.push(await coldStartOnce(helloScript, helloEnv, `${origin}/`));
    }
    const row = (name: string, runs: Run[]) => {
      const best = runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
      return [
        name,
        (best.wallMs / 1000).toFixed(2),
        (best.cpuMs / 1000).toFixed(2),
        runs.map((r) => `${(r.wallMs / 1000).toFixed(2)}/${(r.cpuMs / 1000).toFixed(2)}`).join(', '),
      ];
    };
    o.print();
    o.print(
      `Cold start: spawn to the first 200 of /api/health (H: of /), production, on a copy of the dataset ` +
        `(${(statSync(copy).size / 1e6).toFixed(0)} MB); best of ${o.runs} by wall time.`,
    );
    o.print(
      table(
        ['process', 'wall s', 'CPU s', 'every run (wall/CPU s)'],
        [row('server/dist/server.js', server), row('H (hello-world Fastify)', hello)],
      ),
    );
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
  }
}
