import { connect as tcpConnect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { member } from '../helpers/vetting.js';
import { connect, listenTestApp, type ListeningTestApp } from '../helpers/ws.js';

/** A body trickled in byte by byte is cut off after REQUEST_TIMEOUT_SECONDS; nobody else waits. */
describe('Request timeout', () => {
  let t: ListeningTestApp;
  let port: number;
  beforeEach(async () => {
    t = await listenTestApp({ env: { REQUEST_TIMEOUT_SECONDS: '1' } });
    port = Number(new URL(t.wsUrl).port);
  });
  afterEach(async () => t.close());

  /** Sends headers announcing a body, then one byte of it every 50 ms until the server gives up. */
  function trickle(): { socket: Socket; ended: Promise<{ ms: number; response: string }> } {
    const socket = tcpConnect(port, '127.0.0.1');
    const started = Date.now();
    let response = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(
        'POST /api/auth/sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
          `Origin: ${t.config.publicOrigin}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"email":"`,
      );
      timer = setInterval(() => {
        if (!socket.destroyed && socket.writable) socket.write('a');
      }, 50);
    });
    socket.on('data', (chunk) => (response += chunk.toString()));
    socket.on('error', () => {});
    const ended = new Promise<{ ms: number; response: string }>((resolve) => {
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ ms: Date.now() - started, response });
      });
    });
    return { socket, ended };
  }

  it('answers 408 and closes within the bound, while /api/health keeps answering', async () => {
    const slow = trickle();
    const healthTimes: number[] = [];
    let done = false;
    void slow.ended.then(() => (done = true));
    const since = Date.now();
    while (!done && Date.now() - since < 6000) {
      const start = Date.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(res.status).toBe(200);
      healthTimes.push(Date.now() - start);
      await new Promise((r) => setTimeout(r, 100));
    }
    slow.socket.destroy(); // when the server did not cut it off (the bug), so the test ends
    const { ms, response } = await slow.ended;
    // 1 s of timeout, checked every 250 ms, and slack for a busy machine; not minutes.
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(4000);
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(healthTimes.length).toBeGreaterThan(3);
    expect(Math.max(...healthTimes)).toBeLessThan(1000);
  });

  it('leaves open WebSockets alone: the bound is on receiving a request, not on a connection', async () => {
    const actor = await member(t);
    const socket = await connect(t.wsUrl, { cookie: actor.cookie, origin: t.config.publicOrigin });
    await socket.hello(null);
    await new Promise((r) => setTimeout(r, 2000));
    socket.send({ type: 'ping' });
    await socket.waitFor((m) => m.type === 'pong');
  });
});
