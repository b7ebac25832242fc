import Type from 'typebox';

/**
 * Stable, machine-readable error codes. The client switches on these, never on messages,
 * so a code is never renamed once released.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CSRF_REJECTED',
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'EMAIL_TAKEN',
  'INVALID_CREDENTIALS',
  'WEAK_PASSWORD',
  'TOO_MANY_ATTEMPTS',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_VETTED',
  'SUSPENDED',
  'REJECTED',
  'CONFLICT',
  'CLAIMED_BY_OTHER',
  'ALREADY_APPROVED',
  'INVALID_STATE',
  'LAST_ADMIN',
  'UPGRADE_REQUIRED',
  'USERNAME_TAKEN',
  'THREAD_LOCKED',
  'ALREADY_REPORTED',
  'SERVICE_UNAVAILABLE',
  'SEARCH_TIMEOUT',
  'REAUTH_REQUIRED',
  'SECOND_FACTOR_REQUIRED',
  'SIGN_IN_EXPIRED',
  'INVALID_CODE',
  'CODE_ALREADY_USED',
  'LINK_INVALID',
  'LINK_EXPIRED',
  'LINK_USED',
  'EMAIL_UNVERIFIED',
  'PASSKEY_FAILED',
  'LAST_SECOND_FACTOR',
  // Attachments.
  'FILE_TYPE_NOT_ALLOWED',
  'TOO_MANY_ATTACHMENTS',
  'QUOTA_EXCEEDED',
  // Direct messages.
  'MESSAGING_NOT_ALLOWED',
  'CONVERSATION_TOO_LARGE',
  'EDIT_WINDOW_CLOSED',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Why one field was refused, as a stable code the client words in the reader's language (the
 * English `message` is the fallback for older clients and API users). Schema failures map from
 * Ajv's keywords; the forum's own rules name theirs.
 */
export const ISSUE_CODES = [
  // Schema rules (params: `min`, `max`, `format`, `type`, `field`).
  'required',
  'unknown_field',
  'too_short',
  'too_long',
  'too_small',
  'too_large',
  'too_few',
  'too_many',
  'invalid_format',
  'invalid_type',
  'invalid_value',
  'invalid',
  'edge_spaces',
  'invisible_characters',
  // Accounts.
  'email_invalid',
  'email_too_long',
  'email_taken',
  'username_taken',
  'password_too_short',
  'password_too_long',
  'password_common',
  'password_repetitive',
  'password_personal',
  'password_incorrect',
  // Display names (params: `char`, `scripts`, `max`).
  'name_edge_spaces',
  'name_too_short',
  'name_too_long',
  'name_no_letter',
  'name_script_not_accepted',
  'name_mixed_scripts',
  'name_joiner',
  'name_invisible',
  'name_other_space',
  'name_double_space',
  'name_marks_on_letter',
  'name_too_many_marks',
  'name_reserved',
  'name_role_word',
  'name_close_to_staff',
  'name_close_to_member',
  // Lists and threads.
  'invalid_cursor',
  'parent_not_in_thread',
  // Search syntax (params: `value`, `operator`).
  'search_unknown_kind',
  'search_unknown_in',
  'search_bad_date',
  'search_unknown_status',
  // Attachments: an id that is not an upload of yours free to attach.
  'attachment_unavailable',
  'attachments_after_approval',
  // A moderator takes files off a post in an edit of their own (the text left as it is).
  'files_apart',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/** A refusal by one of the shared rules: its code, what the client words it with, and the English. */
export interface Issue {
  code: IssueCode;
  message: string;
  params?: Record<string, string | number>;
}

export const issue = (code: IssueCode, message: string, params?: Record<string, string | number>): Issue =>
  params ? { code, message, params } : { code, message };

export const FieldIssue = Type.Object({
  /** JSON pointer-ish path of the offending field, e.g. `/email` (empty for the whole body). */
  path: Type.String(),
  /** In English: the fallback when a client has no wording for the code. */
  message: Type.String(),
  code: Type.Optional(Type.Enum(ISSUE_CODES)),
  params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
});
export type FieldIssue = Type.Static<typeof FieldIssue>;

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.Enum(ERROR_CODES),
      message: Type.String(),
      details: Type.Optional(
        Type.Object({
          issues: Type.Optional(Type.Array(FieldIssue)),
          retryAfterSeconds: Type.Optional(Type.Integer()),
          /** With REAUTH_REQUIRED: how this account can confirm who it is (`password`, `totp`...). */
          methods: Type.Optional(Type.Array(Type.String())),
          /**
           * With MESSAGING_NOT_ALLOWED: why (`nobody`, `jurisdictions`, `blocked`, `unavailable`) and
           * about which member.
           */
          reason: Type.Optional(Type.String()),
          userId: Type.Optional(Type.String()),
          /** With CONVERSATION_TOO_LARGE: the most members a conversation may have. */
          max: Type.Optional(Type.Integer()),
        }),
      ),
    }),
  },
  { $id: 'ErrorBody', description: 'The one error envelope every route returns on failure.' },
);
export type ErrorBody = Type.Static<typeof ErrorBody>;
