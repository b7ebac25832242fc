/**
 * Content moderation: members report posts, moderators work a review queue of reported posts and
 * pre-moderated submissions, and act on posts, threads and authors. Every action carries a reason
 * and lands in the audit log; the author is notified of actions on their content.
 *
 * Scope: a moderator acts on content whose thread is tagged with a jurisdiction they cover, or
 * with `INT`, or with a jurisdiction no moderator covers. Admins act everywhere.
 */
import Type from 'typebox';
import { AuditEntry } from './audit.js';
import { MESSAGE_STATES, ReportedMessage } from './conversations.js';
import { Person } from './vetting.js';
import {
  JurisdictionCode,
  PendingSubmission,
  Post,
  POST_STATES,
  PostRevision,
  Tag,
  ThreadDetail,
  ThreadId,
} from './threads.js';

const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Confidential or personal data comes first: in this forum it is the most serious problem. */
export const REPORT_REASONS = [
  'confidential_data',
  'off_topic',
  'inaccurate_law',
  'disrespectful',
  'spam',
  'other',
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const REPORT_REASON_LABELS: Record<ReportReason, string> = {
  confidential_data: 'Confidential case information or personal data',
  off_topic: 'Off-topic',
  inaccurate_law: 'Inaccurate or misleading about the law',
  disrespectful: 'Disrespectful',
  spam: 'Spam',
  other: 'Something else',
};

/** Length limits, in code points. */
export const MODERATION_RULES = {
  reason: { label: 'Reason', min: 3, max: 500, multiline: true },
  reportNote: { label: 'Note', min: 3, max: 500, multiline: true },
} as const;

/** The instance is the jurisdiction `INT`: its content is every moderator's. */
export const INTERNATIONAL = 'INT';

// ---- Requests -----------------------------------------------------------------------------------

/** A report. `note` is required for `other`, optional otherwise. */
export const ReportBody = Type.Object(
  {
    reason: Type.Enum(REPORT_REASONS),
    note: Type.Optional(Type.String({ maxLength: MODERATION_RULES.reportNote.max * 4 })),
  },
  { additionalProperties: false },
);
export type ReportBody = Type.Static<typeof ReportBody>;

/** Every moderator action says why. */
export const ReasonBody = Type.Object(
  { reason: Type.String({ maxLength: MODERATION_RULES.reason.max * 4 }) },
  { additionalProperties: false },
);
export type ReasonBody = Type.Static<typeof ReasonBody>;

/** Approving a submission: the reason is optional (it is plain good content). */
export const ApproveSubmissionBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: MODERATION_RULES.reason.max * 4 })) },
  { additionalProperties: false },
);
export type ApproveSubmissionBody = Type.Static<typeof ApproveSubmissionBody>;

/** Pinning: `jurisdiction` null pins globally (admins); a code pins within it (one of the thread's). */
export const PinBody = Type.Object(
  {
    reason: ReasonBody.properties.reason,
    jurisdiction: Nullable(JurisdictionCode),
  },
  { additionalProperties: false },
);
export type PinBody = Type.Static<typeof PinBody>;

/**
 * Merging a post into another thread: the post and the replies under it move, in order, to the end
 * of the target thread, as replies to its opening post.
 */
export const MovePostBody = Type.Object(
  { reason: ReasonBody.properties.reason, toThreadId: ThreadId },
  { additionalProperties: false },
);
export type MovePostBody = Type.Static<typeof MovePostBody>;

/** Placing a member under review: their posts wait for approval until it is lifted. */
export const MemberReviewBody = Type.Object(
  { reason: ReasonBody.properties.reason, underReview: Type.Boolean() },
  { additionalProperties: false },
);
export type MemberReviewBody = Type.Static<typeof MemberReviewBody>;

/** `message`: a reported direct message (moderators see that message alone). */
export const REVIEW_KINDS = ['post', 'submission', 'message'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

export const ReviewQueueQuery = Type.Object(
  {
    /** `open` (the default) is the work to do, oldest first; `closed` is the record, newest first. */
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
    kind: Type.Optional(Type.Enum(REVIEW_KINDS)),
    /** Only items reported for this reason. */
    reason: Type.Optional(Type.Enum(REPORT_REASONS)),
    /** Items after this id (the `nextCursor` of the previous page). */
    cursor: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type ReviewQueueQuery = Type.Static<typeof ReviewQueueQuery>;

export const ReviewItemParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export type ReviewItemParams = Type.Static<typeof ReviewItemParams>;

// ---- Responses ----------------------------------------------------------------------------------

export const Report = Type.Object({
  id: Type.Integer(),
  /** The reported post; '' for a reported direct message. */
  postId: Type.String(),
  /** The reported direct message; null for a post. */
  messageId: Type.Optional(Nullable(Type.String())),
  reason: Type.Enum(REPORT_REASONS),
  note: Nullable(Type.String()),
  status: Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('dismissed')]),
  createdAt: Timestamp,
  resolvedAt: Nullable(Timestamp),
});
export type Report = Type.Static<typeof Report>;

export const ReportEnvelope = Type.Object({ report: Report });
export type ReportEnvelope = Type.Static<typeof ReportEnvelope>;

/** A report as moderators see it: with who made it. */
export const ReportView = Type.Object({ ...Report.properties, reporter: Person });
export type ReportView = Type.Static<typeof ReportView>;

/** What closed a review item. */
export const REVIEW_RESOLUTIONS = [
  'dismissed',
  'hidden',
  'restored',
  'edited',
  'deleted',
  'moved',
  'warned',
  'approved',
  'rejected',
] as const;
export type ReviewResolution = (typeof REVIEW_RESOLUTIONS)[number];

export const ReviewItem = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(REVIEW_KINDS),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  /** When it entered the queue (the first open report, or the submission). */
  createdAt: Timestamp,
  /** Open reports by reason (empty for submissions). */
  reasons: Type.Array(Type.Object({ reason: Type.Enum(REPORT_REASONS), count: Type.Integer({ minimum: 1 }) })),
  reportCount: Type.Integer({ minimum: 0 }),
  /** Posts: the reported post. */
  post: Nullable(
    Type.Object({ id: Type.String(), number: Type.Integer(), state: Type.Enum(POST_STATES), excerpt: Type.String() }),
  ),
  /** Submissions: what waits for approval. */
  submission: Nullable(PendingSubmission),
  /** Messages: the reported message (state and plain-text excerpt as reported). */
  message: Type.Optional(
    Nullable(Type.Object({ id: Type.String(), state: Type.Enum(MESSAGE_STATES), excerpt: Type.String() })),
  ),
  /**
   * The thread (for a submitted new thread: its title and tags as submitted, `id` null; for a
   * reported message: `id` null, title '', and the participants' jurisdictions).
   */
  thread: Type.Object({ id: Nullable(Type.String()), title: Type.String(), jurisdictions: Type.Array(Tag) }),
  author: Person,
  claimedBy: Nullable(Person),
  resolution: Nullable(
    Type.Object({
      action: Type.Enum(REVIEW_RESOLUTIONS),
      reason: Nullable(Type.String()),
      by: Nullable(Person),
      at: Timestamp,
    }),
  ),
});
export type ReviewItem = Type.Static<typeof ReviewItem>;

export const ReviewCounts = Type.Object({
  /** Open items in your scope. */
  open: Type.Integer({ minimum: 0 }),
  reports: Type.Integer({ minimum: 0 }),
  submissions: Type.Integer({ minimum: 0 }),
  /** Open items with a report for confidential or personal data. */
  confidential: Type.Integer({ minimum: 0 }),
  claimedByYou: Type.Integer({ minimum: 0 }),
});
export type ReviewCounts = Type.Static<typeof ReviewCounts>;

export const ReviewQueue = Type.Object({
  items: Type.Array(ReviewItem),
  counts: ReviewCounts,
  nextCursor: Nullable(Type.Integer()),
});
export type ReviewQueue = Type.Static<typeof ReviewQueue>;

/** The author's record, for the moderator deciding. */
export const AuthorRecord = Type.Object({
  author: Type.Object({
    ...Person.properties,
    role: Type.String(),
    status: Type.String(),
    underReview: Type.Boolean(),
    jurisdictionCode: Nullable(Type.String()),
    joinedAt: Timestamp,
    postCount: Type.Integer({ minimum: 0 }),
  }),
  /** Earlier moderation of this author's content and account, newest first (at most 20). */
  history: Type.Array(AuditEntry),
  counts: Type.Object({
    hidden: Type.Integer({ minimum: 0 }),
    deleted: Type.Integer({ minimum: 0 }),
    warnings: Type.Integer({ minimum: 0 }),
    upheldReports: Type.Integer({ minimum: 0 }),
  }),
});
export type AuthorRecord = Type.Static<typeof AuthorRecord>;

/** One item with all a moderator needs to decide it. */
export const ReviewItemDetail = Type.Object({
  item: ReviewItem,
  /** The post as moderators see it (posts), null for submissions and messages. */
  post: Nullable(Post),
  /** A reported direct message and its conversation's participants; nothing else of the conversation. */
  message: Type.Optional(Nullable(ReportedMessage)),
  /** The post it replies to, as moderators see it (null for an opening post or a new thread). */
  parent: Nullable(Post),
  /** The thread, as moderators see it (null for a submitted new thread). */
  thread: Nullable(ThreadDetail),
  /** The post's versions, oldest first (empty for submissions). */
  revisions: Type.Array(PostRevision),
  /** Every report ever made on the post, newest first, resolved ones included. */
  reports: Type.Array(ReportView),
  authorRecord: AuthorRecord,
  /** What you may do here. */
  can: Type.Object({
    act: Type.Boolean(),
    suspend: Type.Boolean(),
  }),
});
export type ReviewItemDetail = Type.Static<typeof ReviewItemDetail>;

export const ReviewItemEnvelope = Type.Object({ item: ReviewItem });
export type ReviewItemEnvelope = Type.Static<typeof ReviewItemEnvelope>;

export const MemberReviewState = Type.Object({
  member: Type.Object({ id: Type.String(), underReview: Type.Boolean() }),
});
export type MemberReviewState = Type.Static<typeof MemberReviewState>;

/** The member's own submissions: pending ones and those decided in the last 30 days. */
export const SubmissionList = Type.Object({ submissions: Type.Array(PendingSubmission) });
export type SubmissionList = Type.Static<typeof SubmissionList>;
