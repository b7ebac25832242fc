import type { ErrorCode, FieldIssue, Issue, IssueCode } from '@lexforum/shared';

/**
 * An expected failure: it carries a stable code from `shared` and passes to the client as
 * `{ error: { code, message, details } }`. Anything else thrown is unexpected and is masked as 500.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: {
      issues?: FieldIssue[];
      retryAfterSeconds?: number;
      methods?: string[];
      reason?: string;
      userId?: string;
      max?: number;
    },
  ) {
    super(message);
  }
}

/** One refused field; an `Issue` names why, for the client to word (see ISSUE_CODES). */
export const fieldError = (path: string, problem: string | Issue, code: ErrorCode = 'VALIDATION_FAILED'): AppError => {
  const found = typeof problem === 'string' ? { message: problem } : problem;
  return new AppError(400, code, found.message, { issues: [{ path, ...found }] });
};

/** An issue with one of the forum's codes, for a field a service refuses. */
export const fieldIssue = (code: IssueCode, message: string, params?: Record<string, string | number>): Issue =>
  params ? { code, message, params } : { code, message };

/** Collects per-field problems and throws them together, so a form shows every error at once. */
export function assertFields(checks: Record<string, Issue | string | null>): void {
  const issues: FieldIssue[] = Object.entries(checks)
    .filter((entry): entry is [string, Issue | string] => entry[1] !== null)
    .map(([field, problem]) =>
      typeof problem === 'string' ? { path: `/${field}`, message: problem } : { path: `/${field}`, ...problem },
    );
  if (issues.length > 0) {
    throw new AppError(
      400,
      'VALIDATION_FAILED',
      issues.length === 1 ? issues[0]!.message : 'Some fields need attention.',
      {
        issues,
      },
    );
  }
}

export const unauthenticated = () => new AppError(401, 'UNAUTHENTICATED', 'Sign in to continue.');
export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} was not found.`);
