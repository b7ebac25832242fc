import type { ErrorCode, FieldIssue } from '@lexforum/shared';

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
    readonly details?: { issues?: FieldIssue[]; retryAfterSeconds?: number },
  ) {
    super(message);
  }
}

export const fieldError = (path: string, message: string, code: ErrorCode = 'VALIDATION_FAILED'): AppError =>
  new AppError(400, code, message, { issues: [{ path, message }] });

/** Collects per-field problems and throws them together, so a form shows every error at once. */
export function assertFields(checks: Record<string, string | null>): void {
  const issues = Object.entries(checks)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([field, message]) => ({ path: `/${field}`, message }));
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
