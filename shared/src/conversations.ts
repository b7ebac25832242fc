/**
 * Direct messages: private conversations between verified members, one-to-one or in small groups.
 *
 * Privacy: a conversation is read only by its current participants. Staff have no extra access;
 * the one exception is a message a participant reports, which the moderators then see (that
 * message alone, with the conversation's participants) in the review queue.
 *
 * Markdown is sent as source and served cooked (sanitized HTML), with the same cooking as posts.
 */
import Type from 'typebox';
import type { TextRule } from './text.js';
import { DraftToken, PostAuthor, ThreadId, TimeCursor } from './threads.js';

const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Length limits, in code points (checked with `checkPostText`, as posts are). */
export const MESSAGE_RULES = {
  body: { label: 'Message', min: 1, max: 10_000, multiline: true },
} as const satisfies Record<string, TextRule>;

/** The defaults of the server's DM_MAX_PARTICIPANTS and DM_EDIT_WINDOW_MINUTES. */
export const DEFAULT_MAX_PARTICIPANTS = 8;
export const DEFAULT_MESSAGE_EDIT_WINDOW_MINUTES = 15;
/** Hard ceiling of the group size, whatever the configuration (bounds `recipientIds`). */
export const MAX_PARTICIPANTS_CEILING = 50;

/**
 * Who may start a conversation with a member: any verified member, members who serve in one of
 * the same jurisdictions (their badge's or their other jurisdictions), or nobody.
 */
export const MESSAGING_ALLOW_FROM = ['verified', 'jurisdictions', 'nobody'] as const;
export type MessagingAllowFrom = (typeof MESSAGING_ALLOW_FROM)[number];

export const MESSAGE_STATES = ['visible', 'deleted', 'hidden'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** Why a member may not message another (`details.reason` of MESSAGING_NOT_ALLOWED). */
export const MESSAGING_REFUSALS = ['nobody', 'jurisdictions', 'blocked', 'unavailable'] as const;
export type MessagingRefusal = (typeof MESSAGING_REFUSALS)[number];

/** Conversation and message ids. */
export const ConversationId = ThreadId;
export const MessageId = ThreadId;

/** Loose bound only (4 bytes per code point): the message comes from `checkPostText`. */
const MessageText = Type.String({ maxLength: MESSAGE_RULES.body.max * 4 });

// ---- Requests -----------------------------------------------------------------------------------

export const ConversationParams = Type.Object({ id: ConversationId }, { additionalProperties: false });
export type ConversationParams = Type.Static<typeof ConversationParams>;

export const MessageParams = Type.Object({ id: ConversationId, messageId: MessageId }, { additionalProperties: false });
export type MessageParams = Type.Static<typeof MessageParams>;

export const ConversationListQuery = Type.Object(
  {
    /** The `nextCursor` of the previous page. */
    before: Type.Optional(TimeCursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type ConversationListQuery = Type.Static<typeof ConversationListQuery>;

export const ConversationQuery = Type.Object(
  {
    /** Messages older than this one (for the next page up). */
    before: Type.Optional(MessageId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type ConversationQuery = Type.Static<typeof ConversationQuery>;

/**
 * Starting a conversation. With one recipient, the existing two-person conversation (both still
 * in it) is reused and the message added to it.
 */
export const StartConversationBody = Type.Object(
  {
    recipientIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      minItems: 1,
      maxItems: MAX_PARTICIPANTS_CEILING - 1,
    }),
    markdown: MessageText,
    /** The composer's draft token: the new-conversation draft is spent with it. */
    draftToken: Type.Optional(DraftToken),
  },
  { additionalProperties: false },
);
export type StartConversationBody = Type.Static<typeof StartConversationBody>;

export const SendMessageBody = Type.Object(
  { markdown: MessageText, draftToken: Type.Optional(DraftToken) },
  { additionalProperties: false },
);
export type SendMessageBody = Type.Static<typeof SendMessageBody>;

export const EditMessageBody = Type.Object({ markdown: MessageText }, { additionalProperties: false });
export type EditMessageBody = Type.Static<typeof EditMessageBody>;

export const ReadConversationBody = Type.Object({ messageId: MessageId }, { additionalProperties: false });
export type ReadConversationBody = Type.Static<typeof ReadConversationBody>;

export const MuteConversationBody = Type.Object({ muted: Type.Boolean() }, { additionalProperties: false });
export type MuteConversationBody = Type.Static<typeof MuteConversationBody>;

export const MessagingSettingsBody = Type.Object(
  { allowFrom: Type.Enum(MESSAGING_ALLOW_FROM) },
  { additionalProperties: false },
);
export type MessagingSettingsBody = Type.Static<typeof MessagingSettingsBody>;

export const BlockParams = Type.Object(
  { userId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type BlockParams = Type.Static<typeof BlockParams>;

/** A draft message: in a conversation (`/api/conversations/:id/draft`) or a new one (`/api/conversations/draft`). */
export const MessageDraft = Type.Object(
  {
    body: MessageText,
    /** A new conversation's chosen recipients. */
    recipientIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: MAX_PARTICIPANTS_CEILING - 1 }),
    ),
  },
  { additionalProperties: false },
);
export type MessageDraft = Type.Static<typeof MessageDraft>;

// ---- Responses ----------------------------------------------------------------------------------

export const ConversationLastMessage = Type.Object({
  id: Type.String(),
  authorId: Type.String(),
  /** Plain text; '' when the message is deleted or hidden. */
  excerpt: Type.String(),
  createdAt: Timestamp,
  state: Type.Enum(MESSAGE_STATES),
});
export type ConversationLastMessage = Type.Static<typeof ConversationLastMessage>;

/** A conversation as one participant sees it in their list. */
export const ConversationSummary = Type.Object({
  id: Type.String(),
  /** Current participants, the reader included. */
  participants: Type.Array(PostAuthor),
  /** Members who left it (the client says "X left"), in the order they left. */
  leftParticipants: Type.Array(PostAuthor),
  lastMessage: Nullable(ConversationLastMessage),
  /** The reader's messages not yet read (their own never count). */
  unreadCount: Type.Integer({ minimum: 0 }),
  muted: Type.Boolean(),
  /** The last message's time (the conversation's start before any). */
  updatedAt: Timestamp,
  /**
   * Whether the reader may write in it now: false when a block stands between them and another
   * participant, or when they are the only one left.
   */
  canReply: Type.Boolean(),
});
export type ConversationSummary = Type.Static<typeof ConversationSummary>;

export const DirectMessage = Type.Object({
  id: Type.String(),
  conversationId: Type.String(),
  author: PostAuthor,
  /** Cooked, sanitized HTML; '' when deleted or hidden. */
  html: Type.String(),
  /** The source, only on the reader's own visible messages (for editing). */
  markdown: Type.Optional(Type.String()),
  state: Type.Enum(MESSAGE_STATES),
  createdAt: Timestamp,
  editedAt: Nullable(Timestamp),
  /** Own visible messages: until when they can be edited (null once past, and on others' messages). */
  editableUntil: Nullable(Timestamp),
});
export type DirectMessage = Type.Static<typeof DirectMessage>;

export const ConversationPage = Type.Object({
  conversations: Type.Array(ConversationSummary),
  nextCursor: Nullable(Type.String()),
  /** Conversations with unread messages, muted ones excluded. */
  unreadTotal: Type.Integer({ minimum: 0 }),
});
export type ConversationPage = Type.Static<typeof ConversationPage>;

/**
 * The header's count: conversations with unread messages, muted ones excluded. `seq` as in the
 * notifications' `UnreadCount`: apply it only if not older than the last push applied.
 */
export const ConversationUnread = Type.Object({
  unreadTotal: Type.Integer({ minimum: 0 }),
  seq: Type.Integer({ minimum: 0 }),
});
export type ConversationUnread = Type.Static<typeof ConversationUnread>;

export const ConversationDetail = Type.Object({
  conversation: ConversationSummary,
  /** Oldest first. */
  messages: Type.Array(DirectMessage),
  /** Older messages exist (ask with `before` = the first message's id). */
  hasMore: Type.Boolean(),
});
export type ConversationDetail = Type.Static<typeof ConversationDetail>;

export const StartedConversation = Type.Object({ conversation: ConversationSummary, message: DirectMessage });
export type StartedConversation = Type.Static<typeof StartedConversation>;

export const MessageEnvelope = Type.Object({ message: DirectMessage });
export type MessageEnvelope = Type.Static<typeof MessageEnvelope>;

export const ConversationEnvelope = Type.Object({ conversation: ConversationSummary });
export type ConversationEnvelope = Type.Static<typeof ConversationEnvelope>;

export const ConversationReadState = Type.Object({
  unreadCount: Type.Integer({ minimum: 0 }),
  unreadTotal: Type.Integer({ minimum: 0 }),
});
export type ConversationReadState = Type.Static<typeof ConversationReadState>;

export const MessagingSettings = Type.Object({
  allowFrom: Type.Enum(MESSAGING_ALLOW_FROM),
  /** Members you blocked: they cannot message or mention you; the client collapses their posts. */
  blocked: Type.Array(PostAuthor),
});
export type MessagingSettings = Type.Static<typeof MessagingSettings>;

export const MessageDraftEnvelope = Type.Object({
  draft: Nullable(Type.Object({ updatedAt: Timestamp, data: MessageDraft })),
  /** The save came after the message its composer wrote was sent, and was dropped. */
  discarded: Type.Optional(Type.Literal(true)),
});
export type MessageDraftEnvelope = Type.Static<typeof MessageDraftEnvelope>;

/** A reported message as moderators see it in the review queue: that message alone. */
export const ReportedMessage = Type.Object({
  id: Type.String(),
  conversationId: Type.String(),
  author: PostAuthor,
  /**
   * Cooked HTML as it was last reported (the evidence: kept for moderators even once the author
   * edits or deletes it).
   */
  html: Type.String(),
  state: Type.Enum(MESSAGE_STATES),
  createdAt: Timestamp,
  editedAt: Nullable(Timestamp),
  /** The conversation's current participants (and nothing else of it). */
  participants: Type.Array(PostAuthor),
});
export type ReportedMessage = Type.Static<typeof ReportedMessage>;
