/**
 * Real WebSocket clients for the push tests. `listenTestApp()` serves a `buildTestApp()` on a free
 * port over a fresh SQLite file; `connect()` opens `/api/realtime` with a session cookie and the
 * forum's Origin, as a browser tab does, and `refusedWith()` returns the HTTP status of an upgrade
 * the server refuses. A `TestSocket` keeps every message it receives: `waitFor()` takes the first
 * one not yet taken that matches, `expectNothing()` proves that nothing (else) arrived.
 */
import {
  REALTIME_PATH,
  type ClientMessage,
  type LiveEventOf,
  type LiveEventType,
  type ServerMessage,
  type ServerMessageOf,
  type UserEventOf,
  type UserEventType,
} from '@lexforum/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { buildTestApp, type TestApp } from './app.js';
import type { Actor } from './vetting.js';

export const WAIT_MS = 3000;

export interface ListeningTestApp extends TestApp {
  /** `ws://127.0.0.1:<port>/api/realtime` */
  wsUrl: string;
  /** Opens a socket as `actor` and says hello (fresh, or from `lastSeq`); resolves on `ready`. */
  connectAs(actor: Actor, lastSeq?: number | null): Promise<TestSocket>;
}

/** `buildTestApp()` over a temporary database file, listening on 127.0.0.1 and a free port. */
export async function listenTestApp(overrides: Parameters<typeof buildTestApp>[0] = {}): Promise<ListeningTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'lexforum-ws-'));
  const t = await buildTestApp({ database: join(dir, 'forum.db'), ...overrides });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  const wsUrl = `ws://127.0.0.1:${port}${REALTIME_PATH}`;
  return {
    ...t,
    wsUrl,
    async connectAs(actor, lastSeq = null) {
      const socket = await connect(wsUrl, { cookie: actor.cookie, origin: t.config.publicOrigin });
      await socket.hello(lastSeq);
      return socket;
    },
    async close() {
      // Client sockets close first and cleanly: a server-side close handshake left waiting for a
      // vanished client would hold the process open for ws's 30 s close timeout.
      await closeSockets(wsUrl);
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ConnectOptions {
  /** The `name=value` session cookie pair; none when absent. */
  cookie?: string;
  /** The Origin header; none when absent (a non-browser client). */
  origin?: string;
  headers?: Record<string, string>;
  /** false: never answer the server's pings (a dead network path, as the server sees it). */
  autoPong?: boolean;
}

function open(url: string, o: ConnectOptions): WebSocket {
  return new WebSocket(url, {
    ...(o.origin !== undefined ? { origin: o.origin } : {}),
    headers: { ...(o.cookie ? { cookie: o.cookie } : {}), ...o.headers },
    handshakeTimeout: WAIT_MS,
    autoPong: o.autoPong ?? true,
  });
}

/** Every socket this process has open, so that an app's close() can close its clients first. */
const openSockets = new Set<TestSocket>();

async function closeSockets(url: string): Promise<void> {
  const mine = [...openSockets].filter((s) => s.ws.url === url);
  for (const socket of mine) socket.close();
  await Promise.race([Promise.all(mine.map((s) => s.closed)), new Promise((resolve) => setTimeout(resolve, 1000))]);
  for (const socket of mine) socket.terminate();
}

/** Opens a socket; rejects with the HTTP status when the server refuses the upgrade. */
export function connect(url: string, o: ConnectOptions): Promise<TestSocket> {
  const ws = open(url, o);
  const socket = new TestSocket(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (req, res) => {
      reject(new Error(`upgrade refused: ${res.statusCode}`));
      res.resume();
      req.destroy();
      socket.forget();
    });
    ws.once('error', reject);
  });
}

/**
 * The HTTP status of a refused upgrade. Fails the test if a socket opens instead, even one the
 * server closes right after: "refused" means no socket at all.
 */
export function refusedWith(url: string, o: ConnectOptions): Promise<number> {
  const ws = open(url, o);
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.close();
      reject(new Error('the upgrade was accepted: a socket opened'));
    });
    ws.once('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    ws.once('error', (error) => reject(error));
  });
}

type Predicate = (message: ServerMessage) => boolean;
export type EventMessageOf<K extends UserEventType> = { type: 'event'; seq: number; event: UserEventOf<K> };

export const isEvent =
  <K extends UserEventType>(type: K, where: (event: UserEventOf<K>) => boolean = () => true) =>
  (m: ServerMessage): boolean =>
    m.type === 'event' && m.event.type === type && where(m.event as UserEventOf<K>);

export const isLive =
  <K extends LiveEventType>(type: K, where: (event: LiveEventOf<K>) => boolean = () => true) =>
  (m: ServerMessage): boolean =>
    m.type === 'live' && m.event.type === type && where(m.event as LiveEventOf<K>);

export const anyMessage: Predicate = () => true;

/** What a socket has received and how it closed, for assertions and for failure messages. */
export class TestSocket {
  /** Every message received, in order, parsed (or `{ type: 'unparsable', raw }`). */
  readonly received: ServerMessage[] = [];
  private readonly taken = new Set<number>();
  private readonly listeners = new Set<() => void>();
  private closeInfo: { code: number; reason: string } | null = null;
  /** Resolves when the socket closes, with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    openSockets.add(this);
    ws.on('message', (data: WebSocket.RawData) => {
      const raw = data.toString();
      let message: ServerMessage;
      try {
        message = JSON.parse(raw) as ServerMessage;
      } catch {
        message = { type: 'unparsable', raw } as unknown as ServerMessage;
      }
      this.received.push(message);
      for (const listener of this.listeners) listener();
    });
    this.closed = new Promise((resolve) => {
      ws.once('close', (code: number, reason: Buffer) => {
        openSockets.delete(this);
        this.closeInfo = { code, reason: reason.toString() };
        for (const listener of this.listeners) listener();
        resolve(this.closeInfo);
      });
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(message: ClientMessage | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Messages not yet taken by `waitFor`/`take`. */
  pending(predicate: Predicate = anyMessage): ServerMessage[] {
    return this.received.filter((m, i) => !this.taken.has(i) && predicate(m));
  }

  /** Marks every pending message matching `predicate` taken and returns them. */
  take(predicate: Predicate = anyMessage): ServerMessage[] {
    const out: ServerMessage[] = [];
    this.received.forEach((m, i) => {
      if (!this.taken.has(i) && predicate(m)) {
        this.taken.add(i);
        out.push(m);
      }
    });
    return out;
  }

  /** The first message not yet taken that matches, waiting up to `timeoutMs` for it. */
  waitFor<T extends ServerMessage = ServerMessage>(
    predicate: Predicate,
    what = 'a matching message',
    timeoutMs = WAIT_MS,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const index = this.received.findIndex((m, i) => !this.taken.has(i) && predicate(m));
        if (index === -1) return false;
        this.taken.add(index);
        resolve(this.received[index] as T);
        return true;
      };
      if (check()) return;
      const listener = () => {
        if (check()) done();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`waited ${timeoutMs} ms for ${what}; ${this.describe()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
    });
  }

  /** The next user event of `type` (optionally matching `where`). */
  nextEvent<K extends UserEventType>(
    type: K,
    where?: (event: UserEventOf<K>) => boolean,
    timeoutMs = WAIT_MS,
  ): Promise<EventMessageOf<K>> {
    return this.waitFor(isEvent(type, where), `event ${type}`, timeoutMs);
  }

  /** The next live event of `type` (optionally matching `where`). */
  async nextLive<K extends LiveEventType>(
    type: K,
    where?: (event: LiveEventOf<K>) => boolean,
    timeoutMs = WAIT_MS,
  ): Promise<LiveEventOf<K>> {
    const message = await this.waitFor<ServerMessageOf<'live'>>(isLive(type, where), `live ${type}`, timeoutMs);
    return message.event as LiveEventOf<K>;
  }

  /**
   * Proves a negative: waits `ms`, then a ping round trip (so that whatever the server sent before
   * it has arrived), then fails if any message not yet taken matches `predicate`.
   */
  async expectNothing(predicate: Predicate = anyMessage, ms = 200): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (this.isOpen) await this.sync();
    const unexpected = this.pending(predicate);
    if (unexpected.length > 0) throw new Error(`expected nothing, got ${JSON.stringify(unexpected, null, 1)}`);
  }

  /** A ping round trip: everything the server sent before answering it has been received. */
  async sync(): Promise<void> {
    this.send({ type: 'ping' });
    await this.waitFor((m) => m.type === 'pong', 'pong');
  }

  /** The server's answer to the last `hello()`. */
  greeting: ServerMessageOf<'ready'> | ServerMessageOf<'resync'> | null = null;

  /** Says hello and returns the server's answer, `ready` or `resync`. */
  async hello(lastSeq: number | null = null): Promise<ServerMessageOf<'ready'> | ServerMessageOf<'resync'>> {
    this.send({ type: 'hello', lastSeq });
    this.greeting = await this.waitFor((m) => m.type === 'ready' || m.type === 'resync', 'ready or resync');
    return this.greeting;
  }

  /** The events replayed after `ready`: waits for as many as it announced and takes them, in order. */
  async replayed(): Promise<ServerMessageOf<'event'>[]> {
    const greeting = this.greeting;
    if (greeting?.type !== 'ready') throw new Error(`no ready to replay after: ${JSON.stringify(greeting)}`);
    const events: ServerMessageOf<'event'>[] = [];
    for (let i = 0; i < greeting.replaying; i++) {
      events.push(await this.waitFor<ServerMessageOf<'event'>>((m) => m.type === 'event', `replayed event ${i + 1}`));
    }
    return events;
  }

  /** Subscribes, then syncs, so a write made after this returns reaches the subscription. */
  async subscribe(channel: { channel: 'threads' } | { channel: 'thread'; threadId: string }): Promise<void> {
    this.send({ type: 'subscribe', ...channel });
    await this.sync();
  }

  /** Resolves with the close code, or fails if the socket is still open after `timeoutMs`. */
  async closesWithin(timeoutMs: number): Promise<{ code: number; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms; ${this.describe()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.ws.close();
  }

  /** Drops a socket that never opened from the registry. */
  forget(): void {
    openSockets.delete(this);
  }

  terminate(): void {
    this.ws.terminate();
  }

  private describe(): string {
    const state = this.closeInfo ? `closed ${this.closeInfo.code} ${this.closeInfo.reason}` : 'open';
    return `socket ${state}; pending: ${JSON.stringify(this.pending()).slice(0, 2000)}`;
  }
}

/** The `@name` of an account, as the database gave it at creation. */
export function usernameOf(t: TestApp, who: Actor): string {
  const row = t.handle.sqlite.prepare('select username from users where id = ?').get(who.user.id) as
    { username: string | null } | undefined;
  if (!row?.username) throw new Error(`no username for ${who.user.id}`);
  return row.username;
}
