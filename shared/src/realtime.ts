/**
 * The push contract: every message on the WebSocket at `REALTIME_PATH`, both ways, as TypeBox
 * schemas and static types. The server validates what clients send with `ClientMessage`; the
 * client narrows what it receives on `type` (and on `event.type`).
 *
 * Two kinds of push travel on one socket:
 * - **user events** (`{ type: 'event', seq, event }`): addressed to one member, stored with an
 *   increasing per-member sequence number and replayed after a reconnect (notifications, unread
 *   counts, changes to the member's own account or application);
 * - **live events** (`{ type: 'live', event }`): what is happening in a thread or the thread list
 *   the client has subscribed to. They are not stored: after a reconnect the client re-reads the
 *   view it shows, which is the source of truth anyway.
 */
import Type from 'typebox';
import { APPLICATION_STATUSES } from './vetting.js';
import { ConversationSummary, DirectMessage } from './conversations.js';
import { Notification } from './notifications.js';
import { AcceptedAnswer, CalendarDate, Citation, Post, POST_STATES, Tag, THREAD_KINDS } from './threads.js';

export const REALTIME_PATH = '/api/realtime';

/** How often the client pings, and how long it waits for the pong before it reconnects. */
export const REALTIME_HEARTBEAT = { pingEveryMs: 25_000, pongTimeoutMs: 10_000 } as const;

/** Threads one socket may watch at once (a member rarely has more than a few tabs' worth). */
export const MAX_THREAD_SUBSCRIPTIONS = 20;

/**
 * Close codes in the 4000 range, private to LexForum. The client does not reconnect after
 * `SIGNED_OUT` or `SUSPENDED` until the member signs in again.
 */
export const CLOSE_CODES = {
  /** The session ended: signed out, revoked, expired. */
  SIGNED_OUT: 4401,
  /** The account was suspended. */
  SUSPENDED: 4403,
  /** The account's role changed; reconnect to get a socket with the new rights. */
  ACCOUNT_CHANGED: 4409,
  /** No pong: the server gave up on this connection. */
  HEARTBEAT_TIMEOUT: 4408,
  /** Too many sockets for one member, or too many bad messages. */
  POLICY: 4429,
} as const;

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Seq = Type.Integer({ minimum: 0 });
const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

// ---- Client → server ----------------------------------------------------------------------------

export const HelloMessage = Type.Object(
  {
    type: Type.Literal('hello'),
    /** The last user-event sequence number this client has applied; null when it starts fresh. */
    lastSeq: Nullable(Seq),
  },
  { additionalProperties: false },
);

/** `threads`: the thread list (new threads, activity). `thread`: one thread's posts and changes. */
export const SubscribeMessage = Type.Union([
  Type.Object({ type: Type.Literal('subscribe'), channel: Type.Literal('threads') }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('subscribe'), channel: Type.Literal('thread'), threadId: Id },
    { additionalProperties: false },
  ),
]);
export const UnsubscribeMessage = Type.Union([
  Type.Object({ type: Type.Literal('unsubscribe'), channel: Type.Literal('threads') }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('unsubscribe'), channel: Type.Literal('thread'), threadId: Id },
    { additionalProperties: false },
  ),
]);
export const PingMessage = Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false });

export const ClientMessage = Type.Union([HelloMessage, SubscribeMessage, UnsubscribeMessage, PingMessage]);
export type ClientMessage = Type.Static<typeof ClientMessage>;

// ---- User events (sequenced, stored, replayed) --------------------------------------------------

export const NotificationCreatedEvent = Type.Object({
  type: Type.Literal('notification.created'),
  notification: Notification,
  unreadCount: Type.Integer({ minimum: 0 }),
  /** The member wants this kind on the desktop (the client still needs the browser's permission). */
  desktop: Type.Boolean(),
});

export const NotificationReadEvent = Type.Object({
  type: Type.Literal('notification.read'),
  /** The notifications marked read; null when all were. */
  ids: Nullable(Type.Array(Type.Integer({ minimum: 1 }))),
  unreadCount: Type.Integer({ minimum: 0 }),
});

/**
 * A notification's stored text changed (a redaction scrubbed its title or excerpt): the client
 * replaces its copy, so nothing of the removed text stays in the bell.
 */
export const NotificationUpdatedEvent = Type.Object({
  type: Type.Literal('notification.updated'),
  notification: Notification,
});

/** The member's own application changed state (applicants' only forum-independent push). */
export const ApplicationUpdatedEvent = Type.Object({
  type: Type.Literal('application.updated'),
  applicationId: Type.String(),
  status: Type.Enum(APPLICATION_STATUSES),
});

/**
 * A moderator decided one of the member's held submissions (thread, reply or edit). It carries no
 * text: the client re-reads its submissions, so what it shows is checked when it is read.
 */
export const SubmissionDecidedEvent = Type.Object({
  type: Type.Literal('submission.decided'),
  submissionId: Type.Integer({ minimum: 1 }),
  status: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
});

/** The member's role or status changed: the client re-reads its session. */
export const AccountChangedEvent = Type.Object({ type: Type.Literal('account.changed') });

/**
 * A stored event about content this member may no longer see (a post or thread taken out of view
 * since): it keeps its number, so the client's replay cursor moves on, and says nothing else.
 */
export const EventWithheldEvent = Type.Object({ type: Type.Literal('event.withheld') });

/**
 * A message arrived in one of the member's conversations (their own, sent from another tab,
 * included): the summary as this member sees it, with their unread count.
 */
export const ConversationMessageEvent = Type.Object({
  type: Type.Literal('conversation.message'),
  conversation: ConversationSummary,
  message: DirectMessage,
  /** The member's conversations with unread messages (muted excluded), for the header. */
  unreadTotal: Type.Integer({ minimum: 0 }),
});

/** A message was edited, deleted by its author or hidden by a moderator: the client replaces it. */
export const ConversationMessageUpdatedEvent = Type.Object({
  type: Type.Literal('conversation.message_updated'),
  conversationId: Type.String(),
  message: DirectMessage,
});

/** The member read a conversation (in another tab): its and the header's counts. */
export const ConversationReadEvent = Type.Object({
  type: Type.Literal('conversation.read'),
  conversationId: Type.String(),
  unreadCount: Type.Integer({ minimum: 0 }),
  unreadTotal: Type.Integer({ minimum: 0 }),
});

/** A conversation's participants or the member's mute changed. */
export const ConversationUpdatedEvent = Type.Object({
  type: Type.Literal('conversation.updated'),
  conversation: ConversationSummary,
  unreadTotal: Type.Integer({ minimum: 0 }),
});

export const UserEvent = Type.Union([
  ConversationMessageEvent,
  ConversationMessageUpdatedEvent,
  ConversationReadEvent,
  ConversationUpdatedEvent,
  NotificationCreatedEvent,
  NotificationReadEvent,
  NotificationUpdatedEvent,
  ApplicationUpdatedEvent,
  SubmissionDecidedEvent,
  AccountChangedEvent,
  EventWithheldEvent,
]);
export type UserEvent = Type.Static<typeof UserEvent>;
export type UserEventType = UserEvent['type'];
/** Payload of one user event, by its name: `UserEventOf<'notification.created'>`. */
export type UserEventOf<T extends UserEventType> = Extract<UserEvent, { type: T }>;

// ---- Live events (per subscription, not stored) -------------------------------------------------

const ThreadCounts = {
  threadId: Type.String(),
  postCount: Type.Integer({ minimum: 1 }),
  replyCount: Type.Integer({ minimum: 0 }),
  participantCount: Type.Integer({ minimum: 1 }),
  lastPostAt: Timestamp,
  lastPoster: Type.Object({ id: Type.String(), displayName: Type.String() }),
};

/** A reply appeared in a thread you have open; `post` is as you would read it. */
export const PostCreatedEvent = Type.Object({
  type: Type.Literal('post.created'),
  ...ThreadCounts,
  post: Post,
});

/** A post was edited; `post` is its new version as you would read it. */
export const PostUpdatedEvent = Type.Object({
  type: Type.Literal('post.updated'),
  threadId: Type.String(),
  post: Post,
});

/** The thread's title, tags or analysis date changed. */
export const ThreadUpdatedEvent = Type.Object({
  type: Type.Literal('thread.updated'),
  threadId: Type.String(),
  title: Type.String(),
  language: Type.String(),
  jurisdictions: Type.Array(Tag),
  topics: Type.Array(Tag),
  citations: Type.Array(Citation),
  lawAsOf: Nullable(CalendarDate),
  locked: Type.Boolean(),
  pin: Nullable(Type.Object({ jurisdiction: Nullable(Type.String()) })),
  resolved: Type.Boolean(),
  answered: Type.Boolean(),
  /** The accepted answers in view (the same for every reader). */
  acceptedAnswers: Type.Array(AcceptedAnswer),
  /** The opening post's state (a hidden thread is shown to its author and moderators only). */
  state: Type.Enum(POST_STATES),
});

/**
 * Posts were moved by a moderator (merged into another thread): the reader drops them and may
 * follow them to `toThreadId`. Counts are the source thread's after the move.
 */
export const PostsMovedEvent = Type.Object({
  type: Type.Literal('posts.moved'),
  ...ThreadCounts,
  postIds: Type.Array(Type.String()),
  toThreadId: Type.String(),
  toThreadTitle: Type.String(),
});

/** For the thread list: a thread left the list (its opening post was hidden or deleted). */
export const ThreadRemovedEvent = Type.Object({
  type: Type.Literal('thread.removed'),
  threadId: Type.String(),
});

/** For the thread list: a new thread (the client offers "N new threads" if it matches its filters). */
export const ThreadCreatedEvent = Type.Object({
  type: Type.Literal('thread.created'),
  threadId: Type.String(),
  kind: Type.Enum(THREAD_KINDS),
  title: Type.String(),
  language: Type.String(),
  authorId: Type.String(),
  jurisdictions: Type.Array(Type.String()),
  topics: Type.Array(Type.String()),
  instruments: Type.Array(Type.String()),
  createdAt: Timestamp,
});

/** For the thread list: a thread's counts and last activity moved. */
export const ThreadActivityEvent = Type.Object({
  type: Type.Literal('thread.activity'),
  ...ThreadCounts,
});

export const LiveEvent = Type.Union([
  PostCreatedEvent,
  PostUpdatedEvent,
  PostsMovedEvent,
  ThreadRemovedEvent,
  ThreadUpdatedEvent,
  ThreadCreatedEvent,
  ThreadActivityEvent,
]);
export type LiveEvent = Type.Static<typeof LiveEvent>;
export type LiveEventType = LiveEvent['type'];
export type LiveEventOf<T extends LiveEventType> = Extract<LiveEvent, { type: T }>;

// ---- Server → client ----------------------------------------------------------------------------

/**
 * The answer to `hello`. Replayed events (if any) follow it, in order, before anything new. `seq`
 * is the member's latest sequence number; `unreadCount` the bell's count at that point.
 */
export const ReadyMessage = Type.Object({
  type: Type.Literal('ready'),
  seq: Seq,
  unreadCount: Type.Integer({ minimum: 0 }),
  /** How many stored events follow as replay. */
  replaying: Type.Integer({ minimum: 0 }),
});

/**
 * The events since `lastSeq` are older than the retained window (or the number is unknown): the
 * client reloads what it shows (notifications, the open view) and continues from `seq`.
 */
export const ResyncMessage = Type.Object({
  type: Type.Literal('resync'),
  seq: Seq,
  unreadCount: Type.Integer({ minimum: 0 }),
});

export const EventMessage = Type.Object({
  type: Type.Literal('event'),
  seq: Type.Integer({ minimum: 1 }),
  event: UserEvent,
});
export const LiveMessage = Type.Object({ type: Type.Literal('live'), event: LiveEvent });
export const PongMessage = Type.Object({ type: Type.Literal('pong') });

/** A message the server could not accept (bad JSON, unknown type, a subscription refused). */
export const ErrorMessage = Type.Object({
  type: Type.Literal('error'),
  code: Type.String(),
  message: Type.String(),
});

export const ServerMessage = Type.Union([
  ReadyMessage,
  ResyncMessage,
  EventMessage,
  LiveMessage,
  PongMessage,
  ErrorMessage,
]);
export type ServerMessage = Type.Static<typeof ServerMessage>;
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
