/** The member directory: verified members, findable by jurisdiction, profession and language. */
import Type from 'typebox';
import { LANGUAGE_CODES } from './languages.js';
import { PROFESSIONS, ROLES } from './roles.js';
import { POST_STATES, THREAD_KINDS, TimeCursor } from './threads.js';
import { VerifiedBadge } from './vetting.js';

/** What one member may see of another: never an email. */
export const MemberCard = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  /** What `@username` in a post refers to. */
  username: Type.String(),
  role: Type.Enum(ROLES),
  badge: VerifiedBadge,
  languages: Type.Array(Type.String()),
  otherJurisdictions: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  memberSince: Type.String({ format: 'date-time' }),
  /**
   * Whether the viewer may start a conversation with this member now (their choice of who may,
   * blocks either way); absent where it is not computed. False for oneself.
   */
  canMessage: Type.Optional(Type.Boolean()),
});
export type MemberCard = Type.Static<typeof MemberCard>;

export const MemberQuery = Type.Object(
  {
    jurisdiction: Type.Optional(Type.String({ minLength: 2, maxLength: 8, pattern: '^[A-Z]+$' })),
    profession: Type.Optional(Type.Enum(PROFESSIONS)),
    language: Type.Optional(Type.Enum(LANGUAGE_CODES)),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type MemberQuery = Type.Static<typeof MemberQuery>;

export const MemberPage = Type.Object({
  members: Type.Array(MemberCard),
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
});
export type MemberPage = Type.Static<typeof MemberPage>;
export const MemberEnvelope = Type.Object({ member: MemberCard });
export type MemberEnvelope = Type.Static<typeof MemberEnvelope>;

/**
 * A username: what `@name` in a post refers to. Letters, digits, `.`, `_` and `-`, starting with
 * a letter or digit; stored lower-case; given at registration from the display name.
 */
export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{1,29}$';

export const MentionQuery = Type.Object(
  { q: Type.String({ maxLength: 30 }), threadId: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);
export type MentionQuery = Type.Static<typeof MentionQuery>;

/** One row of the composer's member picker. */
export const MentionCandidate = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  /** Position and institution from the badge, to tell two namesakes apart. */
  detail: Type.Union([Type.String(), Type.Null()]),
  /** Has posted in the thread being replied to (listed first). */
  inThread: Type.Boolean(),
  /** Whether you may start a conversation with them now (the picker of a new conversation uses it). */
  canMessage: Type.Optional(Type.Boolean()),
});
export type MentionCandidate = Type.Static<typeof MentionCandidate>;
export const MentionCandidates = Type.Object({ members: Type.Array(MentionCandidate) });
export type MentionCandidates = Type.Static<typeof MentionCandidates>;

// ---- A member's contributions on their profile --------------------------------------------------

export const MEMBER_ACTIVITY_KINDS = ['threads', 'replies'] as const;
export type MemberActivityKind = (typeof MEMBER_ACTIVITY_KINDS)[number];

export const MemberActivityQuery = Type.Object(
  {
    /** Threads the member started, or their replies. */
    kind: Type.Enum(MEMBER_ACTIVITY_KINDS),
    /** `nextCursor` of the page before. */
    cursor: Type.Optional(TimeCursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
export type MemberActivityQuery = Type.Static<typeof MemberActivityQuery>;

/** One of a member's threads or replies, as search would show it to this reader. */
export const MemberActivityItem = Type.Object({
  postId: Type.String(),
  threadId: Type.String(),
  threadTitle: Type.String(),
  threadKind: Type.Enum(THREAD_KINDS),
  /** The thread's language (ISO 639-1): the `lang` of its title and of the excerpt. */
  language: Type.String(),
  /** 1 for a thread started; the reply's number otherwise (its place is `#post-N`). */
  number: Type.Integer({ minimum: 1 }),
  /** Its first words, as plain text. */
  excerpt: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  /** Visible for members; moderators in scope and admins also see hidden and deleted ones, marked. */
  state: Type.Enum(POST_STATES),
});
export type MemberActivityItem = Type.Static<typeof MemberActivityItem>;

export const MemberActivityPage = Type.Object({
  items: Type.Array(MemberActivityItem),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type MemberActivityPage = Type.Static<typeof MemberActivityPage>;
