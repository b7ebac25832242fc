/**
 * The tab's one WebSocket to the forum (`REALTIME_PATH`), as a rune class. Started while someone
 * is signed in and stopped when they are not (the Shell wires that to `session`).
 *
 * Wiring: on `open` the client says `hello` with the last user-event number it applied (null on
 * a fresh page load); the server answers `ready` and replays what this tab missed, or `resync`
 * when the gap is too old. User events go to `on(type, handler)`; live events go to the
 * subscribers of their channel (`subscribe('thread', id, …)` / `subscribe('threads', …)`), which
 * are ref-counted, sent again after every reconnect, and told to re-read their view then (live
 * events are not replayed). A heartbeat finds dead connections; reconnects back off with jitter.
 *
 * Security: the socket authenticates with the session cookie on the upgrade; a refused upgrade
 * looks like any failed connection to the browser, so then the session is read again over HTTP
 * to learn whether the member was signed out.
 */
import {
  CLOSE_CODES,
  REALTIME_HEARTBEAT,
  REALTIME_PATH,
  type ClientMessage,
  type LiveEvent,
  type ServerMessage,
  type UserEventOf,
  type UserEventType,
} from '@lexforum/shared';

export type ConnectionState = 'connected' | 'connecting' | 'reconnecting' | 'offline';

export interface LiveListener {
  onevent: (event: LiveEvent) => void;
  /** After a reconnect or a resync: live events may have been missed, read the view again. */
  onresync?: () => void;
}

type Channel = { channel: 'threads' } | { channel: 'thread'; threadId: string };
type UserHandler<T extends UserEventType> = (event: UserEventOf<T>, replayed: boolean) => void;

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** A blip shorter than this shows no indicator. */
const INDICATOR_DELAY_MS = 1_500;

const channelKey = (channel: Channel) => (channel.channel === 'thread' ? `thread:${channel.threadId}` : 'threads');

/** Delay before reconnect attempt `attempt` (0-based): exponential with "equal jitter". */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

interface Subscription {
  channel: Channel;
  listeners: Set<LiveListener>;
}

export interface RealtimeHooks {
  /** Reads the session again; resolves to whether someone is still signed in (and not suspended). */
  recheckSession: () => Promise<boolean>;
  /** The server's unread count as of `ready` / `resync`. */
  onunreadcount: (count: number) => void;
}

class Realtime {
  state = $state<ConnectionState>('connecting');
  /** Started for a signed-in account (false: no socket, no indicator). */
  running = $state(false);
  /** The connection has been down long enough to say so. */
  showIndicator = $state(false);
  /** The last user-event number applied; null until the first `ready`. */
  lastSeq: number | null = null;

  #userId: string | null = null;
  #socket: WebSocket | null = null;
  #attempt = 0;
  #hadConnection = false;
  #opened = false;
  /** Events still to come as replay after `ready`. */
  #replayLeft = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;
  #indicatorTimer: ReturnType<typeof setTimeout> | undefined;
  #subscriptions = new Map<string, Subscription>();
  /**
   * Listeners added while the socket was not ready: the view they watch was read over HTTP at a
   * moment the server was not yet sending them its events, so at the next `ready` they re-read it.
   */
  #unsynced = new Set<LiveListener>();
  #handlers = new Map<UserEventType, Set<UserHandler<UserEventType>>>();
  #resyncHandlers = new Set<() => void>();
  #hooks: RealtimeHooks | null = null;
  #windowListening = false;

  /** How the client reaches the session and the bell; set once by the app (keeps this file free of imports). */
  configure(hooks: RealtimeHooks): void {
    this.#hooks = hooks;
  }

  /** Opens the socket for this account; a different account starts over from a fresh sequence. */
  start(userId: string): void {
    if (this.running && this.#userId === userId) return;
    if (this.#userId !== userId) {
      this.stop();
      this.lastSeq = null;
      this.#hadConnection = false;
    }
    this.#userId = userId;
    this.running = true;
    this.#attempt = 0;
    this.#listenToWindow();
    this.#connect();
  }

  stop(): void {
    this.running = false;
    this.#userId = null;
    clearTimeout(this.#reconnectTimer);
    this.#dropSocket();
    this.#setState('connecting');
  }

  /** Handles one kind of user event; returns the function that stops handling it. */
  on<T extends UserEventType>(type: T, handler: UserHandler<T>): () => void {
    let set = this.#handlers.get(type);
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- handler bookkeeping, never rendered
    if (!set) this.#handlers.set(type, (set = new Set()));
    set.add(handler as unknown as UserHandler<UserEventType>);
    return () => set.delete(handler as unknown as UserHandler<UserEventType>);
  }

  /** Called when the server says the replay window was missed: reload what is shown. */
  onresync(handler: () => void): () => void {
    this.#resyncHandlers.add(handler);
    return () => this.#resyncHandlers.delete(handler);
  }

  /** Watches a channel while the returned function has not been called (use it as an $effect's cleanup). */
  subscribe(channel: 'threads', listener: LiveListener): () => void;
  subscribe(channel: 'thread', threadId: string, listener: LiveListener): () => void;
  subscribe(name: 'thread' | 'threads', a: string | LiveListener, b?: LiveListener): () => void {
    const channel: Channel = name === 'thread' ? { channel: 'thread', threadId: a as string } : { channel: 'threads' };
    const listener = (name === 'thread' ? b : a) as LiveListener;
    const key = channelKey(channel);
    let subscription = this.#subscriptions.get(key);
    if (!subscription) {
      subscription = { channel, listeners: new Set() };
      this.#subscriptions.set(key, subscription);
      // Sent whenever the socket is open, `ready` or not (the server takes a subscribe before it
      // answers hello); before it opens, `onopen` sends every subscription there is.
      this.#send({ type: 'subscribe', ...channel });
    }
    subscription.listeners.add(listener);
    if (this.state !== 'connected') this.#unsynced.add(listener);
    return () => {
      this.#unsynced.delete(listener);
      const current = this.#subscriptions.get(key);
      if (!current?.listeners.delete(listener) || current.listeners.size > 0) return;
      this.#subscriptions.delete(key);
      this.#send({ type: 'unsubscribe', ...channel });
    };
  }

  // ---- Connection -------------------------------------------------------------------------------

  #connect(): void {
    if (!this.running) return;
    clearTimeout(this.#reconnectTimer);
    this.#dropSocket();
    this.#setState(this.#hadConnection || this.#attempt > 0 ? this.#downState() : 'connecting');
    const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${REALTIME_PATH}`;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    this.#opened = false;
    socket.onopen = () => {
      this.#opened = true;
      this.#send({ type: 'hello', lastSeq: this.lastSeq });
      for (const { channel } of this.#subscriptions.values()) this.#send({ type: 'subscribe', ...channel });
      this.#startHeartbeat();
    };
    socket.onmessage = (message) => this.#receive(message.data);
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#closed(event.code);
    };
  }

  #closed(code: number): void {
    const opened = this.#opened;
    this.#dropSocket();
    if (!this.running) return;
    if (code === CLOSE_CODES.SIGNED_OUT || code === CLOSE_CODES.SUSPENDED) {
      // The session state follows (signed out / suspended); the Shell stops us when it changes.
      this.running = false;
      this.#setState(this.#downState());
      void this.#hooks?.recheckSession();
      return;
    }
    if (code === CLOSE_CODES.ACCOUNT_CHANGED) {
      this.#attempt = 0;
      void this.#hooks?.recheckSession().then((signedIn) => signedIn && this.#connect());
      return;
    }
    this.#setState(this.#downState());
    if (!opened && this.#attempt % 3 === 0 && this.#hooks && this.state !== 'offline') {
      // Refused before the upgrade: perhaps the session is gone. Ask (not on every attempt).
      void this.#hooks.recheckSession().then((signedIn) => {
        if (signedIn) this.#scheduleReconnect();
        else this.running = false;
      });
      return;
    }
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (!this.running) return;
    clearTimeout(this.#reconnectTimer);
    const delay = backoffDelay(this.#attempt++);
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  /** Reconnects now if the socket is down (back online, tab shown again). */
  #reconnectNow = (): void => {
    if (!this.running || this.state === 'connected' || this.#socket?.readyState === WebSocket.CONNECTING) return;
    this.#attempt = 0;
    this.#connect();
  };

  #listenToWindow(): void {
    if (this.#windowListening || typeof window === 'undefined') return;
    this.#windowListening = true;
    window.addEventListener('online', this.#reconnectNow);
    // The browser knows it has no network: the socket is dead even if it has not noticed yet.
    window.addEventListener('offline', () => {
      if (!this.running) return;
      this.#dropSocket();
      this.#setState('offline');
      this.#scheduleReconnect();
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.#reconnectNow();
    });
  }

  #dropSocket(): void {
    this.#stopHeartbeat();
    const socket = this.#socket;
    this.#socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(1000);
  }

  #downState(): ConnectionState {
    return typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : 'reconnecting';
  }

  #setState(state: ConnectionState): void {
    this.state = state;
    clearTimeout(this.#indicatorTimer);
    if (state === 'connected' || !this.running) {
      this.showIndicator = false;
    } else if (state === 'offline') {
      this.showIndicator = true;
    } else if (!this.showIndicator && (this.#hadConnection || this.#attempt > 0)) {
      this.#indicatorTimer = setTimeout(() => {
        this.showIndicator = this.running && this.state !== 'connected';
      }, INDICATOR_DELAY_MS);
    }
  }

  // ---- Heartbeat --------------------------------------------------------------------------------

  #startHeartbeat(): void {
    this.#stopHeartbeat();
    this.#pingTimer = setInterval(() => {
      this.#send({ type: 'ping' });
      clearTimeout(this.#pongTimer);
      this.#pongTimer = setTimeout(() => {
        // No pong: treat the connection as dead without waiting for TCP to notice.
        if (this.#socket) this.#closed(CLOSE_CODES.HEARTBEAT_TIMEOUT);
      }, REALTIME_HEARTBEAT.pongTimeoutMs);
    }, REALTIME_HEARTBEAT.pingEveryMs);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
  }

  // ---- Messages ---------------------------------------------------------------------------------

  #send(message: ClientMessage): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  #receive(data: unknown): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(data)) as ServerMessage;
    } catch {
      return;
    }
    if (!message || typeof message !== 'object') return;
    switch (message.type) {
      case 'ready': {
        const reconnected = this.#hadConnection;
        this.#hadConnection = true;
        this.#attempt = 0;
        this.#replayLeft = message.replaying;
        if (this.lastSeq === null || message.replaying === 0) this.lastSeq = Math.max(this.lastSeq ?? 0, message.seq);
        this.#setState('connected');
        this.#hooks?.onunreadcount(message.unreadCount);
        if (reconnected) this.#resyncLive();
        else this.#resyncUnsynced();
        break;
      }
      case 'resync':
        this.#hadConnection = true;
        this.#attempt = 0;
        this.lastSeq = message.seq;
        this.#setState('connected');
        this.#hooks?.onunreadcount(message.unreadCount);
        for (const handler of this.#resyncHandlers) this.#safely(handler);
        this.#resyncLive();
        break;
      case 'event': {
        const replayed = this.#replayLeft > 0;
        if (replayed) this.#replayLeft--;
        // Replays and live pushes can overlap around a reconnect: apply each number once, in order.
        if (this.lastSeq !== null && message.seq <= this.lastSeq) break;
        this.lastSeq = message.seq;
        for (const handler of this.#handlers.get(message.event?.type) ?? []) {
          this.#safely(() => handler(message.event, replayed));
        }
        break;
      }
      case 'live':
        this.#dispatchLive(message.event);
        break;
      case 'pong':
        clearTimeout(this.#pongTimer);
        break;
      case 'error':
        console.warn(`realtime: ${message.code}: ${message.message}`);
        break;
      default:
      // Unknown to this version of the client: ignored.
    }
  }

  #dispatchLive(event: LiveEvent): void {
    if (!event || typeof event !== 'object') return;
    const key =
      event.type === 'thread.created' || event.type === 'thread.activity' ? 'threads' : `thread:${event.threadId}`;
    for (const listener of this.#subscriptions.get(key)?.listeners ?? []) this.#safely(() => listener.onevent(event));
  }

  #resyncLive(): void {
    this.#unsynced.clear();
    for (const { listeners } of this.#subscriptions.values()) {
      for (const listener of listeners) if (listener.onresync) this.#safely(listener.onresync);
    }
  }

  #resyncUnsynced(): void {
    const listeners = [...this.#unsynced];
    this.#unsynced.clear();
    for (const listener of listeners) if (listener.onresync) this.#safely(listener.onresync);
  }

  /** One failing handler must not stop the others, nor the socket. */
  #safely(run: () => void): void {
    try {
      run();
    } catch (error) {
      console.error(error);
    }
  }
}

export const realtime = new Realtime();
