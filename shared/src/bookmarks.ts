/** Bookmarks: a member saves any post they can read, with an optional note and reminder date. */
import Type from 'typebox';
import type { TextRule } from './text.js';
import { THREAD_KINDS, TimeCursor } from './threads.js';
import { Person } from './vetting.js';

const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const BOOKMARK_NOTE_MAX = 500;

/** The note's text rule (checkText): control and direction-override characters refused, as everywhere. */
export const BOOKMARK_RULES = {
  note: { label: 'Note', min: 1, max: BOOKMARK_NOTE_MAX, multiline: true },
} as const satisfies Record<string, TextRule>;

export const BookmarkParams = Type.Object(
  { postId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type BookmarkParams = Type.Static<typeof BookmarkParams>;

/** Saves a post, or changes its note and reminder (both optional; null clears). */
export const BookmarkBody = Type.Object(
  {
    note: Type.Optional(Nullable(Type.String({ maxLength: BOOKMARK_NOTE_MAX }))),
    /** When to be reminded (a notification); in the future. */
    remindAt: Type.Optional(Nullable(Type.String({ format: 'date-time', maxLength: 40 }))),
  },
  { additionalProperties: false },
);
export type BookmarkBody = Type.Static<typeof BookmarkBody>;

/** A saved post as its owner sees it in their list. */
export const Bookmark = Type.Object({
  postId: Type.String(),
  note: Nullable(Type.String()),
  remindAt: Nullable(Timestamp),
  /** When the reminder was sent; null while it waits (or without one). */
  remindedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  /**
   * False when the post is no longer one you may read (hidden, removed, or its thread): the rest
   * is then withheld, and the bookmark can only be removed.
   */
  available: Type.Boolean(),
  threadId: Nullable(Type.String()),
  threadTitle: Nullable(Type.String()),
  threadKind: Nullable(Type.Enum(THREAD_KINDS)),
  /** The thread's language (ISO 639-1). */
  language: Nullable(Type.String()),
  number: Nullable(Type.Integer({ minimum: 1 })),
  author: Nullable(Person),
  /** The post's first words, as plain text. */
  excerpt: Nullable(Type.String()),
});
export type Bookmark = Type.Static<typeof Bookmark>;

export const BookmarkEnvelope = Type.Object({ bookmark: Bookmark });
export type BookmarkEnvelope = Type.Static<typeof BookmarkEnvelope>;

export const BookmarkQuery = Type.Object(
  {
    /** Only the bookmarks of posts in this thread (the thread page marks them). */
    threadId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    cursor: Type.Optional(TimeCursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type BookmarkQuery = Type.Static<typeof BookmarkQuery>;

export const BookmarkPage = Type.Object({
  bookmarks: Type.Array(Bookmark),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: Nullable(Type.String()),
});
export type BookmarkPage = Type.Static<typeof BookmarkPage>;
