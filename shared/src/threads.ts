/**
 * Threads and posts: discussions, questions, case notes and structured legal analyses, tagged
 * with jurisdictions, crime-area topics and citations of legal instruments; nested replies,
 * revisions, following, read tracking and server-side drafts.
 *
 * Markdown is sent as source and served cooked (sanitized HTML) by the server. Source is served
 * only where it is needed: for editing and quoting (`/api/posts/:id/source`) and in a post's
 * revision history, to whoever may read the post.
 */
import Type from 'typebox';
import { Attachment, AttachmentIds } from './attachments.js';
import { LANGUAGE_CODES } from './languages.js';
import { RedactionMark } from './redaction.js';
import { issue, type Issue } from './errors.js';
import { checkText, type TextRule } from './text.js';
import { Person, VerifiedBadge } from './vetting.js';

const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** Loose bounds only (4 bytes per code point): the per-field messages come from `checkPostText`. */
const Text = (max: number) => Type.String({ maxLength: max * 4 });

export const THREAD_KINDS = ['discussion', 'question', 'case_note', 'legal_analysis'] as const;
export type ThreadKind = (typeof THREAD_KINDS)[number];

/** The sections of a legal analysis, in the order they are shown. */
export const ANALYSIS_SECTIONS = [
  'questionPresented',
  'relevantFacts',
  'applicableLaw',
  'analysis',
  'conclusion',
] as const;
export type AnalysisSectionKey = (typeof ANALYSIS_SECTIONS)[number];

export const ANALYSIS_SECTION_TITLES: Record<AnalysisSectionKey, string> = {
  questionPresented: 'Question presented',
  relevantFacts: 'Relevant facts',
  applicableLaw: 'Applicable law',
  analysis: 'Analysis',
  conclusion: 'Conclusion',
};

export const THREAD_SORTS = ['latest', 'newest', 'replies'] as const;
export type ThreadSort = (typeof THREAD_SORTS)[number];

export const FOLLOW_TARGETS = ['thread', 'jurisdiction', 'topic', 'instrument'] as const;

/**
 * A post as moderation left it. `hidden`: taken out of view pending review or by a moderator;
 * `deleted`: removed by a moderator (kept for the audit). Members other than the author see a
 * notice in its place; its author and the moderators in scope still see it, marked.
 */
export const POST_STATES = ['visible', 'hidden', 'deleted'] as const;
export type PostState = (typeof POST_STATES)[number];
export type FollowTarget = (typeof FOLLOW_TARGETS)[number];

/** Length limits, in code points. Titles are single-line; bodies and sections are markdown. */
/** The earliest "law as stated on" date accepted. */
export const EARLIEST_LAW_AS_OF = '1900-01-01';

/**
 * Characters that show nothing on their own: format characters (zero-width space, joiners, word
 * joiner, ...), Hangul fillers and the braille blank. Allowed inside text (joiners shape emoji and
 * some scripts) but a title or post made only of these and spaces is empty.
 */
const INVISIBLE = /[\p{Cf}\p{Z}\s\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** True when some character of the text would show. */
export function hasVisibleText(text: string): boolean {
  return text.replace(INVISIBLE, '').length > 0;
}

export const POST_RULES = {
  title: { label: 'Title', min: 8, max: 160 },
  body: { label: 'Post', min: 2, max: 30_000, multiline: true },
  openingBody: { label: 'Post', min: 20, max: 30_000, multiline: true },
  section: { label: 'Section', min: 2, max: 20_000, multiline: true },
  provision: { label: 'Provision', min: 1, max: 60 },
  /** A reply to a comparative question: one provision it relies on, and its short answer. */
  answerProvision: { label: 'Provision', min: 2, max: 200 },
  shortAnswer: { label: 'Short answer', min: 2, max: 600, multiline: true },
  editReason: { label: 'Reason for the edit', min: 1, max: 300 },
} as const satisfies Record<string, TextRule>;

export const TAG_LIMITS = { jurisdictions: 10, topics: 5, citations: 12 } as const;

/** A comparative question asks at least this many jurisdictions; an answer cites at most so many provisions. */
export const COMPARATIVE_RULES = { minJurisdictions: 2, maxProvisions: 10 } as const;

/** The same rule as `checkText`, with a section's own name in its message. */
export function checkPostText(value: string, rule: TextRule, label?: string): Issue | null {
  const named = label ? { ...rule, label } : rule;
  return checkText(value, named) ?? (hasVisibleText(value) ? null : issue('required', `${named.label} is required.`));
}

// ---- Building blocks ----------------------------------------------------------------------------

export const JurisdictionCode = Type.String({ minLength: 2, maxLength: 8, pattern: '^[A-Z]+$' });
export const Slug = Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' });
export const ThreadId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
/**
 * The language a thread is written in: an ISO 639-1 code of `LANGUAGE_CODES`. Requests are held to
 * the list (400 otherwise); responses carry whatever is stored.
 */
export const ThreadLanguage = Type.Enum(LANGUAGE_CODES);
/** A calendar date, `YYYY-MM-DD`. */
export const CalendarDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const CitationInput = Type.Object(
  {
    instrument: Slug,
    /** "art. 5", "art. 61(2)"; null cites the instrument as a whole. */
    provision: Nullable(Text(POST_RULES.provision.max)),
  },
  { additionalProperties: false },
);
export type CitationInput = Type.Static<typeof CitationInput>;

export const Citation = Type.Object({
  instrument: Type.String(),
  /** The instrument's short name, e.g. "Medicrime Convention". */
  shortName: Type.String(),
  provision: Nullable(Type.String()),
});
export type Citation = Type.Static<typeof Citation>;

export const Tag = Type.Object({ code: Type.String(), name: Type.String() });
export type Tag = Type.Static<typeof Tag>;

export const AnalysisSectionsInput = Type.Object(
  {
    questionPresented: Text(POST_RULES.section.max),
    relevantFacts: Text(POST_RULES.section.max),
    applicableLaw: Text(POST_RULES.section.max),
    analysis: Text(POST_RULES.section.max),
    conclusion: Text(POST_RULES.section.max),
  },
  { additionalProperties: false },
);
export type AnalysisSectionsInput = Type.Static<typeof AnalysisSectionsInput>;

/** The metadata a legal analysis carries besides its sections. */
export const AnalysisMeta = Type.Object({
  /** The date the law is stated as at. */
  lawAsOf: CalendarDate,
  /** The author states they write in a personal capacity, not for their institution. */
  personalCapacity: Type.Literal(true),
});
export type AnalysisMeta = Type.Static<typeof AnalysisMeta>;

/**
 * What a reply to a comparative question states: the jurisdiction it answers for (one the question
 * asks), the provisions it relies on, the date the law is stated as at and, optionally, a short
 * answer (else the comparison shows the reply's first paragraph).
 */
export const AnswerFactsInput = Type.Object(
  {
    jurisdiction: JurisdictionCode,
    provisions: Type.Array(Text(POST_RULES.answerProvision.max), { maxItems: COMPARATIVE_RULES.maxProvisions }),
    lawAsOf: Nullable(CalendarDate),
    shortAnswer: Nullable(Text(POST_RULES.shortAnswer.max)),
  },
  { additionalProperties: false },
);
export type AnswerFactsInput = Type.Static<typeof AnswerFactsInput>;

/** The same, as a post shows it. */
export const AnswerFacts = Type.Object({
  jurisdiction: Tag,
  provisions: Type.Array(Type.String()),
  lawAsOf: Nullable(CalendarDate),
  shortAnswer: Nullable(Type.String()),
});
export type AnswerFacts = Type.Static<typeof AnswerFacts>;

/** The roles marked beside an author's name: staff only (a member's role is not shown). */
export const STAFF_ROLES = ['moderator', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * An author as shown beside a post: the verified badge says profession · jurisdiction; `role` is
 * the author's staff role (null for everyone else), drawn by the client as a badge outside the
 * name's text, so no name can imitate it.
 */
export const PostAuthor = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  badge: Nullable(VerifiedBadge),
  role: Nullable(Type.Enum(STAFF_ROLES)),
});
export type PostAuthor = Type.Static<typeof PostAuthor>;

// ---- Requests -----------------------------------------------------------------------------------

const tagFields = {
  jurisdictions: Type.Array(JurisdictionCode, { minItems: 1, maxItems: TAG_LIMITS.jurisdictions }),
  topics: Type.Array(Slug, { minItems: 1, maxItems: TAG_LIMITS.topics }),
  citations: Type.Array(CitationInput, { maxItems: TAG_LIMITS.citations }),
};

/**
 * Starting a thread. A legal analysis sends `sections` and `analysis` and no `body`; every other
 * kind sends `body`. The server says which is missing or extra (400 with the path).
 */
/**
 * Chosen by a composer (one per composer instance) and sent with its draft saves and with the post
 * they become: once the post exists, a save still carrying the token arrived late and is discarded.
 */
export const DraftToken = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

export const CreateThreadBody = Type.Object(
  {
    kind: Type.Enum(THREAD_KINDS),
    title: Text(POST_RULES.title.max),
    ...tagFields,
    body: Type.Optional(Text(POST_RULES.body.max)),
    sections: Type.Optional(AnalysisSectionsInput),
    analysis: Type.Optional(AnalysisMeta),
    /** The language it is written in; absent: the author's interface language (else English). */
    language: Type.Optional(ThreadLanguage),
    /** A question asked of each of its jurisdictions (two or more), answered per jurisdiction. */
    comparative: Type.Optional(Type.Boolean()),
    draftToken: Type.Optional(DraftToken),
    /** Uploads of yours to attach to the opening post, in order. */
    attachmentIds: Type.Optional(AttachmentIds),
  },
  { additionalProperties: false },
);
export type CreateThreadBody = Type.Static<typeof CreateThreadBody>;

/** Changing a thread's title, tags and language (its author). The kind never changes. */
export const UpdateThreadBody = Type.Object(
  {
    title: Type.Optional(Text(POST_RULES.title.max)),
    language: Type.Optional(ThreadLanguage),
    jurisdictions: Type.Optional(tagFields.jurisdictions),
    topics: Type.Optional(tagFields.topics),
    citations: Type.Optional(tagFields.citations),
    analysis: Type.Optional(AnalysisMeta),
    reason: Type.Optional(Text(POST_RULES.editReason.max)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateThreadBody = Type.Static<typeof UpdateThreadBody>;

export const CreateReplyBody = Type.Object(
  {
    /** The post replied to; null or absent replies to the thread's opening post. */
    parentId: Type.Optional(Nullable(ThreadId)),
    body: Text(POST_RULES.body.max),
    /** A reply to a comparative question: the jurisdiction it answers for, and what it relies on. */
    answer: Type.Optional(AnswerFactsInput),
    draftToken: Type.Optional(DraftToken),
    /** Uploads of yours to attach, in order. */
    attachmentIds: Type.Optional(AttachmentIds),
  },
  { additionalProperties: false },
);
export type CreateReplyBody = Type.Static<typeof CreateReplyBody>;

/**
 * Editing a post. `version` is the version the editor started from: if someone (or another tab)
 * saved in between, the edit is refused with 409 CONFLICT instead of overwriting it.
 */
export const EditPostBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    body: Type.Optional(Text(POST_RULES.body.max)),
    sections: Type.Optional(AnalysisSectionsInput),
    /** A reply to a comparative question: its answer's facts (null: it answers for no jurisdiction). */
    answer: Type.Optional(Nullable(AnswerFactsInput)),
    reason: Type.Optional(Text(POST_RULES.editReason.max)),
    /**
     * The post's attachments after the edit, in order: those kept and new uploads of yours; one
     * left out is removed. Absent: unchanged.
     */
    attachmentIds: Type.Optional(AttachmentIds),
  },
  { additionalProperties: false },
);
export type EditPostBody = Type.Static<typeof EditPostBody>;

const Cursor = Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]*$' });

/** A cursor of a list read newest first by time, then id (`<ms>.<id>`): bookmarks, a member's posts. */
export const TimeCursor = Type.String({ maxLength: 100, pattern: '^[0-9]{1,15}\\.[A-Za-z0-9-]{1,64}$' });

export const ThreadQuery = Type.Object(
  {
    /** Any of these jurisdictions (repeat the parameter: `?jurisdiction=FR&jurisdiction=INT`). */
    jurisdiction: Type.Optional(Type.Array(JurisdictionCode, { maxItems: 20 })),
    /** Any of these topics. */
    topic: Type.Optional(Type.Array(Slug, { maxItems: 20 })),
    /** Any of these instruments cited. */
    instrument: Type.Optional(Type.Array(Slug, { maxItems: 20 })),
    kind: Type.Optional(Type.Enum(THREAD_KINDS)),
    /** Only threads written in this language. */
    language: Type.Optional(ThreadLanguage),
    author: Type.Optional(ThreadId),
    /** Only threads you follow, or tagged with a jurisdiction or topic you follow. */
    following: Type.Optional(Type.Boolean()),
    /** Only threads with posts you have not read. */
    unread: Type.Optional(Type.Boolean()),
    /**
     * Only the open comparative questions asked of this jurisdiction: not resolved, and no accepted
     * answer in view for it yet.
     */
    awaiting: Type.Optional(JurisdictionCode),
    sort: Type.Optional(Type.Enum(THREAD_SORTS)),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type ThreadQuery = Type.Static<typeof ThreadQuery>;

export const ThreadParams = Type.Object({ id: ThreadId }, { additionalProperties: false });
export type ThreadParams = Type.Static<typeof ThreadParams>;

export const ThreadPostsQuery = Type.Object(
  {
    /** Posts numbered after this one (for threads longer than one page). */
    after: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type ThreadPostsQuery = Type.Static<typeof ThreadPostsQuery>;

export const ReadBody = Type.Object(
  { lastReadNumber: Type.Integer({ minimum: 1, maximum: 10_000_000 }) },
  { additionalProperties: false },
);
export type ReadBody = Type.Static<typeof ReadBody>;

export const FollowBody = Type.Object(
  { target: Type.Enum(FOLLOW_TARGETS), key: Type.String({ minLength: 1, maxLength: 80 }) },
  { additionalProperties: false },
);
export type FollowBody = Type.Static<typeof FollowBody>;

// ---- Responses ----------------------------------------------------------------------------------

/** One row of the thread list. */
export const ThreadSummary = Type.Object({
  id: Type.String(),
  kind: Type.Enum(THREAD_KINDS),
  title: Type.String(),
  /** The language the thread is written in (ISO 639-1): the `lang` of its title and posts. */
  language: Type.String(),
  jurisdictions: Type.Array(Tag),
  topics: Type.Array(Tag),
  citations: Type.Array(Citation),
  author: Person,
  createdAt: Timestamp,
  lastPostAt: Timestamp,
  lastPoster: Person,
  /** Posts after the opening one. */
  replyCount: Type.Integer({ minimum: 0 }),
  /** Distinct authors, the opener's included. */
  participantCount: Type.Integer({ minimum: 1 }),
  /** Posts in the thread (opening post included); the highest post number. */
  postCount: Type.Integer({ minimum: 1 }),
  /** Your read state: null if you never opened the thread. */
  lastReadNumber: Nullable(Type.Integer({ minimum: 0 })),
  /** Posts you have not read (all of them if you never opened it). */
  unreadCount: Type.Integer({ minimum: 0 }),
  lawAsOf: Nullable(CalendarDate),
  /** Locked by a moderator: no new replies. */
  locked: Type.Boolean(),
  /** Pinned to the top of the list: globally (`jurisdiction` null) or within one jurisdiction. */
  pin: Nullable(Type.Object({ jurisdiction: Nullable(Type.String()) })),
  /** A question closed as resolved. */
  resolved: Type.Boolean(),
  /** A question with an accepted answer whose reply is in view. */
  answered: Type.Boolean(),
  /** A question asked of each of its jurisdictions, answered per jurisdiction. */
  comparative: Type.Boolean(),
});
export type ThreadSummary = Type.Static<typeof ThreadSummary>;

export const ThreadPage = Type.Object({
  /**
   * First page only: the threads pinned for this list (global pins, and pins within a jurisdiction
   * the list is filtered by), to show above it. They may appear again in `threads`.
   */
  pinned: Type.Array(ThreadSummary),
  threads: Type.Array(ThreadSummary),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: Nullable(Type.String()),
});
export type ThreadPage = Type.Static<typeof ThreadPage>;

/** A moderator's decision as its author and the moderators read it. */
export const ModerationNote = Type.Object({
  reason: Nullable(Type.String()),
  at: Timestamp,
  /** True when reports hid it automatically, before any moderator looked. */
  automatic: Type.Boolean(),
  /** The moderator (null when automatic). */
  by: Nullable(Person),
});
export type ModerationNote = Type.Static<typeof ModerationNote>;

/**
 * A thread or reply waiting for a moderator (pre-moderation): nobody else sees it, nothing is
 * notified or pushed, until it is approved. Its author sees it as "awaiting review".
 */
/**
 * One side of a held edit, as plain text for a word diff: a post edit fills `text` (markdown; a
 * legal analysis's sections under their titles), a thread change fills `title`, `tags` (jurisdiction
 * codes, topic slugs, cited instruments) and `lawAsOf`.
 */
export const HeldChangeSide = Type.Object({
  title: Nullable(Type.String()),
  /** A thread change: the thread's language (ISO 639-1). */
  language: Nullable(Type.String()),
  text: Nullable(Type.String()),
  tags: Nullable(Type.Array(Type.String())),
  lawAsOf: Nullable(CalendarDate),
});
export type HeldChangeSide = Type.Static<typeof HeldChangeSide>;

/**
 * A held edit (`edit`: a post's text; `thread_edit`: a thread's title, tags or analysis date): the
 * post stays as it is for everyone until a moderator approves. `current` is read when the
 * submission is read, so it shows what members read now.
 */
export const HeldChange = Type.Object({
  postId: Type.String(),
  number: Type.Integer({ minimum: 1 }),
  /** The version the author edited; approval is refused once the post has moved past it. */
  baseVersion: Type.Integer({ minimum: 1 }),
  current: HeldChangeSide,
  proposed: HeldChangeSide,
});
export type HeldChange = Type.Static<typeof HeldChange>;

export const SUBMISSION_KINDS = ['thread', 'reply', 'edit', 'thread_edit'] as const;
export type SubmissionKind = (typeof SUBMISSION_KINDS)[number];

export const PendingSubmission = Type.Object({
  id: Type.Integer(),
  /** A new thread, a reply, an edit of a post, or a change of a thread's title and tags. */
  kind: Type.Enum(SUBMISSION_KINDS),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  /** The thread replied to (replies), or the thread made on approval (threads); null before. */
  threadId: Nullable(Type.String()),
  /** The title of the new thread, or of the thread replied to. */
  title: Type.String(),
  /** Replies: the post replied to. */
  parentId: Nullable(Type.String()),
  /** The text as it will read, cooked by the server. */
  cooked: Type.String(),
  createdAt: Timestamp,
  /** The post made on approval (edits: the post edited). */
  postId: Nullable(Type.String()),
  /** Edits: what changes (null for new threads and replies). */
  change: Nullable(HeldChange),
  /** The moderator's reason, once decided. */
  reason: Nullable(Type.String()),
  decidedAt: Nullable(Timestamp),
});
export type PendingSubmission = Type.Static<typeof PendingSubmission>;

/** 202 Accepted: the post waits for review instead of appearing. */
export const SubmissionEnvelope = Type.Object({ pending: PendingSubmission });
export type SubmissionEnvelope = Type.Static<typeof SubmissionEnvelope>;

export const Post = Type.Object({
  id: Type.String(),
  threadId: Type.String(),
  /** 1 for the opening post, then in order of posting. */
  number: Type.Integer({ minimum: 1 }),
  /** Null for the opening post. */
  parentId: Nullable(Type.String()),
  /** The number of the post replied to, for "in reply to #n" (null for the opening post). */
  parentNumber: Nullable(Type.Integer({ minimum: 1 })),
  /** 0 for the opening post, 1 for a reply to it, and so on. */
  depth: Type.Integer({ minimum: 0 }),
  author: PostAuthor,
  /** Sanitized HTML cooked by the server; empty for a legal analysis's opening post (see `sections`). */
  cooked: Type.String(),
  /**
   * The sections of a legal analysis's opening post, each cooked; null otherwise. By key: the
   * client takes the headings from its message files.
   */
  sections: Nullable(Type.Array(Type.Object({ key: Type.Enum(ANALYSIS_SECTIONS), cooked: Type.String() }))),
  createdAt: Timestamp,
  /** When the latest edit was made; null if never edited. */
  editedAt: Nullable(Timestamp),
  /** 1 for the original; each edit adds one. Quotes link to the version they quoted. */
  version: Type.Integer({ minimum: 1 }),
  /** Direct replies to this post. */
  replyCount: Type.Integer({ minimum: 0 }),
  /** Whether you may edit it (your own post, or a moderator in scope). */
  canEdit: Type.Boolean(),
  state: Type.Enum(POST_STATES),
  /**
   * True when you see a notice in place of the post (hidden or deleted, and you are neither its
   * author nor a moderator in scope): `cooked` is '' and `sections` null.
   */
  withheld: Type.Boolean(),
  /** Why it is hidden or deleted: for its author and the moderators; null for everyone else. */
  moderation: Nullable(ModerationNote),
  /** The latest version was written by a moderator, not the author (shown as such). */
  editedByModerator: Type.Boolean(),
  /** Whether you may act on it as a moderator (hide, restore, delete, edit, move, warn). */
  canModerate: Type.Boolean(),
  /** Whether you may report it (any member, not on their own post); false once you have an open report on it. */
  canReport: Type.Boolean(),
  /** A reply to a comparative question: the jurisdiction it answers for and what it relies on (null when withheld). */
  answer: Nullable(AnswerFacts),
  /** Its attached files, in order; empty when the content is withheld. */
  attachments: Type.Array(Attachment),
});
export type Post = Type.Static<typeof Post>;

/** The reply marked as answering a question, shown right under it. */
export const AcceptedAnswer = Type.Object({
  /** The jurisdiction it answers for, in a comparative question; null for the whole question. */
  jurisdiction: Nullable(Tag),
  postId: Type.String(),
  /** Its number in the thread: its place is `#post-N`. */
  number: Type.Integer({ minimum: 2 }),
  author: PostAuthor,
  /** Its first words, as plain text. */
  excerpt: Type.String(),
  /** Who marked it (the question's author or a moderator); null once that account is gone. */
  acceptedBy: Nullable(Person),
  acceptedAt: Timestamp,
});
export type AcceptedAnswer = Type.Static<typeof AcceptedAnswer>;

/** Mark a reply of this question as its answer (replacing the one marked before). */
export const AcceptAnswerBody = Type.Object(
  { postId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type AcceptAnswerBody = Type.Static<typeof AcceptAnswerBody>;

/** Taking back an accepted answer: a comparative question's names the jurisdiction. */
export const UnacceptAnswerQuery = Type.Object(
  { jurisdiction: Type.Optional(JurisdictionCode) },
  { additionalProperties: false },
);
export type UnacceptAnswerQuery = Type.Static<typeof UnacceptAnswerQuery>;

/** One answer of a comparison's row: a reply in view that answers for that jurisdiction. */
export const ComparisonAnswer = Type.Object({
  postId: Type.String(),
  number: Type.Integer({ minimum: 2 }),
  version: Type.Integer({ minimum: 1 }),
  author: PostAuthor,
  /** The reply's short answer, else its first paragraph, as plain text. */
  short: Type.String(),
  provisions: Type.Array(Type.String()),
  lawAsOf: Nullable(CalendarDate),
  /** The accepted answer for this jurisdiction (listed first). */
  accepted: Type.Boolean(),
  createdAt: Timestamp,
});
export type ComparisonAnswer = Type.Static<typeof ComparisonAnswer>;

/** A comparative question side by side: one row per jurisdiction asked, in the order asked. */
export const Comparison = Type.Object({
  thread: Type.Object({
    id: Type.String(),
    title: Type.String(),
    language: Type.String(),
    author: Person,
    createdAt: Timestamp,
    /** The question's opening post, for print. */
    cooked: Type.String(),
  }),
  rows: Type.Array(
    Type.Object({
      jurisdiction: Tag,
      /** Empty: no answer yet. */
      answers: Type.Array(ComparisonAnswer),
    }),
  ),
});
export type Comparison = Type.Static<typeof Comparison>;

/** The open comparative questions asked of a jurisdiction (no accepted answer for it yet). */
export const OpenQuestions = Type.Object({ threads: Type.Array(ThreadSummary) });
export type OpenQuestions = Type.Static<typeof OpenQuestions>;

export const ThreadDetail = Type.Object({
  ...ThreadSummary.properties,
  /** Set for a legal analysis: the date the law is stated as at and the personal-capacity statement. */
  analysis: Nullable(AnalysisMeta),
  following: Type.Boolean(),
  canEdit: Type.Boolean(),
  canReply: Type.Boolean(),
  /** The opening post's state: a hidden or deleted opening post takes the thread out of the list. */
  state: Type.Enum(POST_STATES),
  /** Why and by whom it was locked, when it is. */
  lock: Nullable(ModerationNote),
  /** When and by whom a question was closed as resolved. */
  resolution: Nullable(ModerationNote),
  /** Whether you may lock, pin, move, retag and resolve it as a moderator. */
  canModerate: Type.Boolean(),
  /** The accepted answers of a question (one, or one per jurisdiction asked), in view. */
  acceptedAnswers: Type.Array(AcceptedAnswer),
  /** Whether you may mark or unmark its answer (the question's author, or a moderator in scope). */
  canAccept: Type.Boolean(),
  /** Your own replies in this thread that wait for review (shown as "awaiting review"). */
  pending: Type.Array(PendingSubmission),
});
export type ThreadDetail = Type.Static<typeof ThreadDetail>;

export const ThreadWithPosts = Type.Object({
  thread: ThreadDetail,
  /** In post-number order; the client builds the tree from `parentId`. */
  posts: Type.Array(Post),
  /** More posts follow: ask again with `after` = the last number here. */
  hasMore: Type.Boolean(),
});
export type ThreadWithPosts = Type.Static<typeof ThreadWithPosts>;

export const ThreadEnvelope = Type.Object({ thread: ThreadDetail });
export type ThreadEnvelope = Type.Static<typeof ThreadEnvelope>;

export const PostEnvelope = Type.Object({ post: Post });
export type PostEnvelope = Type.Static<typeof PostEnvelope>;

/** A post's markdown, for its author's editor. */
export const PostSource = Type.Object({
  id: Type.String(),
  threadId: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  body: Nullable(Type.String()),
  sections: Nullable(AnalysisSectionsInput),
});
export type PostSource = Type.Static<typeof PostSource>;

/** One version of a post: version 1 is the original, the last one is the current text. */
export const PostRevision = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  /** Written by a moderator, not the author. */
  byModerator: Type.Boolean(),
  /** Who wrote this version (the author, or later a moderator). */
  editor: Person,
  createdAt: Timestamp,
  reason: Nullable(Type.String()),
  /** The thread's title at this version (opening posts only). */
  title: Nullable(Type.String()),
  /** The thread's tags and the analysis's date at this version (opening posts only). */
  meta: Nullable(
    Type.Object({
      jurisdictions: Type.Array(Tag),
      topics: Type.Array(Tag),
      citations: Type.Array(Citation),
      lawAsOf: Nullable(CalendarDate),
      /** The thread's language at this version; null for versions made before it was recorded. */
      language: Nullable(Type.String()),
    }),
  ),
  body: Nullable(Type.String()),
  sections: Nullable(AnalysisSectionsInput),
  cooked: Type.String(),
  /** A reply to a comparative question: what it answered for at this version. */
  answer: Nullable(AnswerFacts),
});
export type PostRevision = Type.Static<typeof PostRevision>;

export const PostHistory = Type.Object({
  post: Type.Object({
    id: Type.String(),
    threadId: Type.String(),
    number: Type.Integer(),
    threadTitle: Type.String(),
    /** What a citation names: the thread's kind and language, the post's author and badge. */
    threadKind: Type.Enum(THREAD_KINDS),
    language: Type.String(),
    author: PostAuthor,
  }),
  revisions: Type.Array(PostRevision),
  /** Redactions of this post, oldest first (which versions, by whom, why; never the text). */
  redactions: Type.Array(RedactionMark),
  /** The reader may redact this post: its author, or a moderator in scope. */
  canRedact: Type.Boolean(),
  /**
   * Set when a moderator has taken the post out of view and this reader may not read it: its
   * versions' addresses still answer, with this notice and no text (`revisions` is empty).
   */
  withheld: Nullable(Type.Object({ state: Type.Enum(POST_STATES) })),
});
export type PostHistory = Type.Static<typeof PostHistory>;

export const FollowList = Type.Object({
  threads: Type.Array(Type.Object({ id: Type.String(), title: Type.String() })),
  jurisdictions: Type.Array(Tag),
  topics: Type.Array(Tag),
  /** Legal instruments: new threads citing them come in the email digest. */
  instruments: Type.Array(Tag),
});
export type FollowList = Type.Static<typeof FollowList>;

export const FollowState = Type.Object({
  target: Type.Enum(FOLLOW_TARGETS),
  key: Type.String(),
  following: Type.Boolean(),
});
export type FollowState = Type.Static<typeof FollowState>;

export const ReadState = Type.Object({ threadId: Type.String(), lastReadNumber: Type.Integer({ minimum: 0 }) });
export type ReadState = Type.Static<typeof ReadState>;

/** Counts of threads per tag, for the jurisdiction, topic and instrument index pages. */
export const TagCounts = Type.Object({
  jurisdictions: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
  topics: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
  instruments: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
});
export type TagCounts = Type.Static<typeof TagCounts>;

// ---- Drafts -------------------------------------------------------------------------------------

/** A draft holds whatever the composer had; nothing in it is validated beyond sizes until posted. */
export const ThreadDraft = Type.Object(
  {
    kind: Type.Optional(Type.Enum(THREAD_KINDS)),
    title: Type.Optional(Text(POST_RULES.title.max)),
    language: Type.Optional(ThreadLanguage),
    jurisdictions: Type.Optional(Type.Array(JurisdictionCode, { maxItems: TAG_LIMITS.jurisdictions })),
    topics: Type.Optional(Type.Array(Slug, { maxItems: TAG_LIMITS.topics })),
    citations: Type.Optional(Type.Array(CitationInput, { maxItems: TAG_LIMITS.citations })),
    body: Type.Optional(Text(POST_RULES.body.max)),
    sections: Type.Optional(Type.Partial(AnalysisSectionsInput)),
    lawAsOf: Type.Optional(Nullable(CalendarDate)),
    personalCapacity: Type.Optional(Type.Boolean()),
    comparative: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ThreadDraft = Type.Static<typeof ThreadDraft>;

export const ReplyDraft = Type.Object(
  {
    parentId: Type.Optional(Nullable(ThreadId)),
    body: Text(POST_RULES.body.max),
    /** A reply to a comparative question: its answer's facts as far as written. */
    answer: Type.Optional(Type.Partial(AnswerFactsInput)),
  },
  { additionalProperties: false },
);
export type ReplyDraft = Type.Static<typeof ReplyDraft>;

export const DraftMeta = Type.Object({ updatedAt: Timestamp });

/** Saving a draft: the composer's token (see `DraftToken`). */
export const DraftSaveQuery = Type.Object({ token: Type.Optional(DraftToken) }, { additionalProperties: false });
export type DraftSaveQuery = Type.Static<typeof DraftSaveQuery>;

/** `discarded`: the save came after the post its composer wrote was created, and was dropped. */
export const ThreadDraftEnvelope = Type.Object({
  draft: Nullable(Type.Object({ ...DraftMeta.properties, data: ThreadDraft })),
  discarded: Type.Optional(Type.Literal(true)),
});
export type ThreadDraftEnvelope = Type.Static<typeof ThreadDraftEnvelope>;
export const ReplyDraftEnvelope = Type.Object({
  draft: Nullable(Type.Object({ ...DraftMeta.properties, data: ReplyDraft })),
  discarded: Type.Optional(Type.Literal(true)),
});
export type ReplyDraftEnvelope = Type.Static<typeof ReplyDraftEnvelope>;

export const DraftList = Type.Object({
  drafts: Type.Array(
    Type.Object({
      /** `thread` for a new thread, otherwise the thread a reply is drafted in. */
      key: Type.String(),
      threadId: Nullable(Type.String()),
      threadTitle: Nullable(Type.String()),
      /** A short excerpt of the draft, as plain text. */
      excerpt: Type.String(),
      updatedAt: Timestamp,
    }),
  ),
});
export type DraftList = Type.Static<typeof DraftList>;

/** The link a quote-reply puts in front of the quote: the quoted version of the post. */
export function quoteLink(postId: string, version: number): string {
  return `/posts/${encodeURIComponent(postId)}/history?version=${version}`;
}
