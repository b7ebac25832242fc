/**
 * Redaction: text taken out of a post's versions (a span wherever it occurs, a whole version) or
 * out of a thread's title, by a moderator in scope or by the post's author. The removed text is
 * replaced by one visible placeholder in every version and every stored copy, and is kept
 * nowhere: the record of a redaction says who, when, why, what kind and which versions, never
 * the text.
 */
import Type from 'typebox';

/** What stands where redacted text was, everywhere it was. */
export const REDACTED_PLACEHOLDER = '[redacted]';

export const REDACTION_KINDS = ['span', 'version', 'title'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** A span (or a piece of a title) to remove: long enough to mean something, no longer than a post. */
export const REDACTION_RULES = {
  text: { label: 'Text to remove', min: 1, max: 20000, multiline: true },
  /** As every moderation reason (MODERATION_RULES.reason; restated: moderation.ts imports threads.ts, which imports this). */
  reason: { label: 'Reason', min: 3, max: 500, multiline: true },
} as const;

const Reason = Type.String({ maxLength: REDACTION_RULES.reason.max * 4 });
const SpanText = Type.String({ minLength: 1, maxLength: REDACTION_RULES.text.max * 4 });

export const RedactBody = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('span'),
        /** Removed wherever it occurs, exactly (case and spacing included), in every version. */
        text: SpanText,
        reason: Reason,
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('version'),
        /** This version's whole text is removed (and wherever else that exact text is stored). */
        version: Type.Integer({ minimum: 1 }),
        reason: Reason,
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('title'),
        /** Removed from every version of the thread's title (opening posts only). */
        text: SpanText,
        reason: Reason,
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'What to remove: a span of text, a whole version, or a span of the thread’s title.' },
);
export type RedactBody = Type.Static<typeof RedactBody>;

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A redaction as the history shows it: never the removed text. */
export const RedactionMark = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(REDACTION_KINDS),
  /** The versions whose text changed. */
  versions: Type.Array(Type.Integer({ minimum: 1 })),
  /** By a moderator (true) or by the post's author (false). */
  byModerator: Type.Boolean(),
  /** The reason, for the post's author and the moderators in scope; null for other readers. */
  reason: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type RedactionMark = Type.Static<typeof RedactionMark>;

/** What a redaction changed, counted (the audit entry keeps the same counts). */
export const RedactionCounts = Type.Object({
  revisions: Type.Integer({ minimum: 0 }),
  quotingPosts: Type.Integer({ minimum: 0 }),
  notifications: Type.Integer({ minimum: 0 }),
  events: Type.Integer({ minimum: 0 }),
  reviewItems: Type.Integer({ minimum: 0 }),
  reports: Type.Integer({ minimum: 0 }),
  drafts: Type.Integer({ minimum: 0 }),
  auditEntries: Type.Integer({ minimum: 0 }),
});
export type RedactionCounts = Type.Static<typeof RedactionCounts>;

export const RedactionResult = Type.Object({
  redaction: RedactionMark,
  counts: RedactionCounts,
});
export type RedactionResult = Type.Static<typeof RedactionResult>;
