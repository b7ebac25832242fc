/**
 * One open socket: its member, the topics it listens to, and the rules of the conversation.
 *
 * - The member's own topic (`user:<id>`) is subscribed at once, before `hello`, and what arrives
 *   meanwhile is held; `hello` then sends `ready`, the replay, and whatever was held that is newer,
 *   so nothing is lost or sent twice between the replay and live delivery.
 * - A stored user event is checked again when it is sent, replayed or live (one query per replay):
 *   one about content this member may no longer see goes out as `event.withheld`, keeping its
 *   number so that the client's cursor stays whole.
 * - Live thread events are checked for this member when they arrive (the Guardian built at the
 *   upgrade; a change of role or status closes the socket, and a moderator's changed jurisdictions
 *   replace the Guardian at once, see the session watch in the plugin) and personalized (`canEdit`)
 *   before they are sent.
 * - A client that sends garbage gets an `error` message; one that keeps doing it, or cannot keep
 *   up with what it is sent, is closed.
 */
import type { LiveEvent, ServerMessage, UserEvent } from '@lexforum/shared';
import { CLOSE_CODES, ClientMessage, MAX_THREAD_SUBSCRIPTIONS } from '@lexforum/shared';
import type { WebSocket } from 'ws';
import type { Guardian, ModeratedPost, ModeratedThread } from '../guardian/guardian.js';

export type ThreadFacts = ModeratedThread & { authorId: string; state: ModeratedPost['state'] };
import { compileMessageValidator } from './message-validator.js';
import { topics, type HubMessage, type RealtimeHub } from './hub.js';
import type { Replay } from './user-events.repository.js';

/** What a connection needs from the server around it. */
export interface ConnectionContext {
  hub: RealtimeHub;
  replay(userId: string, lastSeq: number | null): Replay;
  unreadCount(userId: string): number;
  /** Of these stored events of `userId`, the numbers of those they may not see now. */
  withheld(userId: string, events: readonly { seq: number; event: UserEvent }[]): ReadonlySet<number>;
  /** What moderation rules need about a thread; undefined if it does not exist. */
  threadFacts(threadId: string): ThreadFacts | undefined;
  log: { warn(obj: object, msg: string): void };
  /** The steady rate of messages a client may send; bursts of three times that are allowed. */
  messagesPerSecond: number;
}

const validateClientMessage = compileMessageValidator(ClientMessage);

/** A client further behind than this is dropped; it will reconnect and replay. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Bad messages tolerated before the socket is closed. */
const MAX_BAD_MESSAGES = 20;
/** Held user events while waiting for `hello`; more means the client never says it. */
const MAX_HELD = 1000;

/** Serialized and encoded once per message, not once per recipient (a few variants: author, moderator, others). */
const serialized = new WeakMap<HubMessage, Record<string, Buffer>>();

export class Connection {
  readonly userId: string;
  private readonly subscriptions = new Map<string, () => void>();
  /** User events held until `hello`; null once it has been answered. */
  private held: UserMessage[] | null = [];
  private lastSentSeq = 0;
  private badMessages = 0;
  /** Set by each pong; cleared by each ping of the heartbeat. */
  alive = true;
  /** A token bucket: a client that sends faster than the server should serve it is closed. */
  private tokens: number;
  private refilledAt = Date.now();

  constructor(
    readonly socket: WebSocket,
    readonly sessionId: string,
    private current: Guardian,
    private readonly context: ConnectionContext,
  ) {
    this.userId = current.user.id;
    this.tokens = context.messagesPerSecond * 3;
    this.listen(topics.user(this.userId));
    socket.on('message', (data, isBinary) => this.receive(isBinary ? null : data.toString()));
    socket.on('pong', () => (this.alive = true));
  }

  /** Whose rules this socket's deliveries follow. */
  get guardian(): Guardian {
    return this.current;
  }

  /**
   * The member's scope changed (a moderator's jurisdictions): every delivery from now on follows
   * the new Guardian, so privileged variants stop (or start) with the next message.
   */
  regrant(guardian: Guardian): void {
    if (guardian.user.id !== this.userId) throw new Error('a socket cannot change hands');
    this.current = guardian;
  }

  /** Unsubscribes from everything; the socket is closing or closed. */
  dispose(): void {
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    this.held = null;
  }

  close(code: number, reason: string): void {
    this.dispose();
    this.socket.close(code, reason);
  }

  private listen(topic: string): void {
    if (this.subscriptions.has(topic)) return;
    this.subscriptions.set(
      topic,
      this.context.hub.subscribe(topic, (message) => this.deliver(message)),
    );
  }

  private unlisten(topic: string): void {
    this.subscriptions.get(topic)?.();
    this.subscriptions.delete(topic);
  }

  private receive(text: string | null): void {
    if (!this.takeToken()) {
      this.close(CLOSE_CODES.POLICY, 'Too many messages');
      return;
    }
    let message: unknown;
    try {
      message = text === null ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    if (message === undefined || !validateClientMessage(message)) {
      this.refuse('BAD_MESSAGE', 'That message is not part of the LexForum protocol.');
      return;
    }
    const parsed = message as ClientMessage;
    switch (parsed.type) {
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'hello':
        this.hello(parsed.lastSeq);
        return;
      case 'subscribe':
        if (parsed.channel === 'threads') this.subscribeThreads();
        else this.subscribeThread(parsed.threadId);
        return;
      case 'unsubscribe':
        this.unlisten(parsed.channel === 'threads' ? topics.threadList : topics.thread(parsed.threadId));
        return;
    }
  }

  private takeToken(): boolean {
    const now = Date.now();
    const rate = this.context.messagesPerSecond;
    this.tokens = Math.min(rate * 3, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private hello(lastSeq: number | null): void {
    if (this.held === null) {
      this.refuse('ALREADY_GREETED', 'This connection has already said hello.');
      return;
    }
    const held = this.held;
    this.held = null;
    const replay = this.context.replay(this.userId, lastSeq);
    const unreadCount = this.context.unreadCount(this.userId);
    const replayed = replay.kind === 'replay' ? replay.events : [];
    // What was stored is checked against what this member may see now, replay and held alike.
    const withheld = this.context.withheld(this.userId, [...replayed, ...held]);
    if (replay.kind === 'resync') {
      this.send({ type: 'resync', seq: replay.seq, unreadCount });
      this.lastSentSeq = replay.seq;
    } else {
      this.send({ type: 'ready', seq: replay.seq, unreadCount, replaying: replay.events.length });
      this.lastSentSeq = lastSeq === null ? replay.seq : lastSeq;
      for (const e of replay.events) {
        this.sendUser({ kind: 'user', userId: e.userId, seq: e.seq, event: e.event }, withheld.has(e.seq));
      }
    }
    // Events published while the replay was read are newer than it, or already in it.
    for (const message of held) this.sendUser(message, withheld.has(message.seq));
  }

  /** The forum is closed to this account: staff without a second factor are told so. */
  private refuseForum(message: string): void {
    if (this.guardian.access === 'second_factor_required') {
      this.refuse('SECOND_FACTOR_REQUIRED', 'Set up a second factor on your Security page to use the forum.');
    } else this.refuse('NOT_VETTED', message);
  }

  private subscribeThreads(): void {
    if (!this.guardian.canUseForum()) {
      this.refuseForum('The thread list is for vetted members.');
      return;
    }
    this.listen(topics.threadList);
  }

  private subscribeThread(threadId: string): void {
    if (!this.guardian.canReadThread({ id: threadId })) {
      this.refuseForum('Threads are for vetted members.');
      return;
    }
    const topic = topics.thread(threadId);
    if (this.subscriptions.has(topic)) return;
    const threads = [...this.subscriptions.keys()].filter((t) => t.startsWith('thread:')).length;
    if (threads >= MAX_THREAD_SUBSCRIPTIONS) {
      this.refuse(
        'TOO_MANY_SUBSCRIPTIONS',
        `A connection can follow at most ${MAX_THREAD_SUBSCRIPTIONS} threads live.`,
      );
      return;
    }
    const facts = this.context.threadFacts(threadId);
    if (!facts || !this.guardian.canSeeThread(facts)) {
      this.refuse('NOT_FOUND', 'That thread was not found.');
      return;
    }
    this.listen(topic);
  }

  private deliver(message: HubMessage): void {
    if (message.kind === 'user') {
      if (this.held) {
        if (this.held.length >= MAX_HELD) this.close(CLOSE_CODES.POLICY, 'No hello');
        else this.held.push(message);
      } else this.sendUser(message, message.withheld ?? withheldNow(message, this.context));
      return;
    }
    if (!this.guardian.canReadThread({ id: message.threadId })) return;
    // The thread as it is now, read once per message (not per socket): a thread hidden since a
    // reader subscribed is no longer theirs to hear about.
    const facts = factsOf(message, this.context);
    // Of a thread taken out of view, readers hear only that it left the list and that its posts
    // were withheld (so an open page shows the notice): neither says more than it did.
    const safe =
      message.event.type === 'thread.removed' || (message.event.type === 'post.updated' && message.event.post.withheld);
    if (!safe && (!facts || !this.guardian.canSeeThread(facts))) return;
    const author = 'post' in message.event ? message.event.post.author.id : null;
    const own = author === this.userId;
    const moderates =
      author !== null && facts !== undefined && this.guardian.canModeratePost({ authorId: author }, facts);
    // The author and the moderators in scope get the post with its content and the moderator's note.
    const event = (own || moderates) && message.privileged ? message.privileged : message.event;
    const cache = serialized.get(message) ?? {};
    serialized.set(message, cache);
    const key = `${own ? 'own' : 'other'}${moderates ? ':moderator' : ''}`;
    cache[key] ??= Buffer.from(
      JSON.stringify({ type: 'live', event: personalize(event, this.guardian, own, moderates) }),
    );
    this.sendRaw(cache[key]);
  }

  private sendUser(message: UserMessage, withheld: boolean): void {
    if (message.seq <= this.lastSentSeq) return;
    this.lastSentSeq = message.seq;
    if (withheld) {
      this.send({ type: 'event', seq: message.seq, event: { type: 'event.withheld' } });
      return;
    }
    if (message.frame !== undefined) {
      this.sendRaw(message.frame);
      return;
    }
    const cache = serialized.get(message) ?? {};
    serialized.set(message, cache);
    cache.user ??= Buffer.from(JSON.stringify({ type: 'event', seq: message.seq, event: message.event }));
    this.sendRaw(cache.user);
  }

  private refuse(code: string, text: string): void {
    this.send({ type: 'error', code, message: text });
    if (++this.badMessages > MAX_BAD_MESSAGES) this.close(CLOSE_CODES.POLICY, 'Too many bad messages');
  }

  private send(message: ServerMessage): void {
    this.sendRaw(JSON.stringify(message));
  }

  /**
   * A frame shared by many sockets comes as UTF-8 bytes, encoded once for all of them (a string
   * would be encoded again for each socket); either way it goes out as a text frame.
   */
  private sendRaw(text: string | Buffer): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.context.log.warn({ userId: this.userId }, 'realtime client too slow; closing');
      this.close(CLOSE_CODES.POLICY, 'Too slow');
      return;
    }
    this.socket.send(text, { binary: false });
  }
}

type UserMessage = Extract<HubMessage, { kind: 'user' }>;

/** Checked once per message (a member's tabs share it), when it is delivered live. */
const withheldMessages = new WeakMap<HubMessage, boolean>();

function withheldNow(message: UserMessage, context: ConnectionContext): boolean {
  let known = withheldMessages.get(message);
  if (known === undefined) {
    known = context.withheld(message.userId, [message]).has(message.seq);
    withheldMessages.set(message, known);
  }
  return known;
}

const facts = new WeakMap<HubMessage, ThreadFacts | null>();

function factsOf(message: Extract<HubMessage, { kind: 'live' }>, context: ConnectionContext): ThreadFacts | undefined {
  let known = facts.get(message);
  if (known === undefined) {
    known = context.threadFacts(message.threadId) ?? null;
    facts.set(message, known);
  }
  return known ?? undefined;
}

/** The event as this member should see it: `canEdit`, `canModerate` and `canReport` are theirs. */
function personalize(event: LiveEvent, guardian: Guardian, own: boolean, moderates: boolean): LiveEvent {
  if (!('post' in event)) return event;
  const post = event.post;
  return {
    ...event,
    post: {
      ...post,
      canEdit: guardian.canEditPost({ authorId: post.author.id, state: post.state }),
      canModerate: moderates,
      canReport: !own && guardian.canUseForum() && post.state === 'visible',
    },
  };
}
