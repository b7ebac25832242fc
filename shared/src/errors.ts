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
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const FieldIssue = Type.Object({
  /** JSON pointer-ish path of the offending field, e.g. `/email` (empty for the whole body). */
  path: Type.String(),
  message: Type.String(),
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
        }),
      ),
    }),
  },
  { $id: 'ErrorBody', description: 'The one error envelope every route returns on failure.' },
);
export type ErrorBody = Type.Static<typeof ErrorBody>;
