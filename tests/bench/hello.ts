/**
 * H, the yardstick of `pnpm bench`: a hello-world Fastify (one route answering { hello: 'world' },
 * hello-server.mjs) on the very Fastify the server depends on, started as its own node process.
 * The bench measures it with the same autocannon settings right before and after each case, and
 * prints each case's requests/s as a ratio to the mean of the two: the machine's load moves the
 * figures, the ratios much less.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../helpers/process.js';
import { freePort } from './bench-server.js';

export const helloScript = fileURLToPath(new URL('./hello-server.mjs', import.meta.url));

/** The entry file of the Fastify that server/ resolves, so H runs the same version. */
export const fastifyEntry = createRequire(join(repoRoot, 'server/package.json')).resolve('fastify');

export interface Hello {
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

/** Spawns H on a free port from `from` on (3170–3179) and waits until it listens. */
export async function startHello(from: number): Promise<Hello> {
  const port = await freePort(from);
  const child = spawn(process.execPath, [helloScript], {
    env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', FASTIFY_ENTRY: fastifyEntry, PORT: String(port) },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`H did not start:\n${output}`)), 30_000);
      child.stdout.on('data', () => {
        if (output.includes('listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => reject(new Error(`H exited:\n${output}`)));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
}
