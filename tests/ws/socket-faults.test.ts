import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { member } from '../helpers/vetting.js';
import { connect, listenTestApp, WAIT_MS, type ListeningTestApp } from '../helpers/ws.js';

interface LogLine {
  level: number;
  msg?: string;
  code?: string;
  err?: { stack?: string };
}

/** Client faults on the socket are the client's business: never an error-level line with a stack. */
describe('Realtime client faults in the log', () => {
  let t: ListeningTestApp;
  let lines: LogLine[];
  beforeEach(async () => {
    lines = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    t = await listenTestApp({ logger: { level: 'info', stream } });
  });
  afterEach(async () => t.close());

  const errors = () => lines.filter((l) => l.level >= 50);
  const closedWithin = (ws: WebSocket) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket not closed')), WAIT_MS);
      ws.once('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });

  async function openSocket(): Promise<WebSocket> {
    const actor = await member(t);
    const socket = await connect(t.wsUrl, { cookie: actor.cookie, origin: t.config.publicOrigin });
    await socket.hello(null);
    return socket.ws;
  }

  it('an oversized frame closes the socket (1009) and is logged at warn, without a stack', async () => {
    const ws = await openSocket();
    const closed = closedWithin(ws);
    ws.send('x'.repeat(64 * 1024));
    expect(await closed).toBe(1009);
    await new Promise((r) => setTimeout(r, 50));
    expect(errors()).toEqual([]);
    const warned = lines.find((l) => l.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
    expect(warned?.level).toBe(40);
    expect(JSON.stringify(warned)).not.toContain('    at ');
  });

  it('an invalid frame (reserved opcode) is logged at warn, without a stack', async () => {
    const ws = await openSocket();
    const closed = closedWithin(ws);
    // FIN + opcode 0x3 (reserved), masked, empty: no conforming client sends this.
    (ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(Buffer.from([0x83, 0x80, 1, 2, 3, 4]));
    expect(await closed).toBe(1002);
    await new Promise((r) => setTimeout(r, 50));
    expect(errors()).toEqual([]);
    expect(lines.find((l) => l.code === 'WS_ERR_INVALID_OPCODE')?.level).toBe(40);
  });

  it('bad JSON is answered on the socket and logs no error', async () => {
    const actor = await member(t);
    const socket = await connect(t.wsUrl, { cookie: actor.cookie, origin: t.config.publicOrigin });
    socket.send('{"type": "hello", oops');
    const refused = await socket.waitFor((m) => m.type === 'error');
    expect(refused).toMatchObject({ type: 'error', code: 'BAD_MESSAGE' });
    expect(errors()).toEqual([]);
  });
});
