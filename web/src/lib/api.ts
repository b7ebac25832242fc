/**
 * The one API client: `get/post/put/patch/del` over one `send`. Same-origin JSON with the session
 * cookie; a failure is always an `ApiError` carrying the server's code and a message for the
 * reader in their language (worded by code, see errors.ts; or a network message), so every caller
 * can show it as it is.
 */
import type { ErrorBody, ErrorCode, FieldIssue } from '@lexforum/shared';
import { readerMessage } from './errors.js';
import { m } from './i18n.js';
import { issueText } from './issues.js';
import { reauthPrompt, type ReauthMethod } from './reauth.svelte.js';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK_ERROR',
    /** For the reader, in their language. */
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly retryAfterSeconds?: number,
    /** Why, where the code has reasons (MESSAGING_NOT_ALLOWED: `blocked`, `nobody`...). */
    readonly reason?: string,
  ) {
    super(message);
  }

  /** Why one field (`email` for path `/email`) was refused, in the reader's language, if the server named it. */
  fieldMessage(field: string): string | undefined {
    return issueText(this.issues.find((i) => i.path === `/${field}`));
  }

  /** Every field the server named, by path without the leading slash (`sections/analysis`): the first reason of each. */
  fieldMessages(): Record<string, string> {
    const found: Record<string, string> = {};
    for (const issue of this.issues) found[issue.path.replace(/^\//, '')] ??= issueText(issue) ?? issue.message;
    return found;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A request refused with 403 REAUTH_REQUIRED waits for the re-authentication dialog
 * (reauth.svelte.ts) and is sent again once the member has confirmed; it is retried once only.
 */
export async function send<T>(
  method: Method,
  path: string,
  body?: unknown,
  fetcher: typeof fetch = fetch,
  retried = false,
): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetcher(path, init);
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', m.error_network());
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's error page): fall through to the generic message.
  }
  if (response.ok) return data as T;
  const error = (data as Partial<ErrorBody> | undefined)?.error;
  if (error) {
    const failure = new ApiError(
      response.status,
      error.code,
      readerMessage(error.code, error.message),
      error.details?.issues,
      error.details?.retryAfterSeconds,
      error.details?.reason,
    );
    if (error.code === 'REAUTH_REQUIRED' && !retried) {
      await reauthPrompt.request((error.details?.methods ?? []) as ReauthMethod[], failure);
      return send<T>(method, path, body, fetcher, true);
    }
    throw failure;
  }
  throw new ApiError(response.status, 'INTERNAL_ERROR', m.error_unexpected());
}

export const api = {
  get: <T>(path: string) => send<T>('GET', path),
  post: <T>(path: string, body?: unknown) => send<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => send<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => send<T>('PATCH', path, body),
  del: <T = void>(path: string) => send<T>('DELETE', path),
};

/** `?a=1&b=x` from the filled-in values (empty strings, null, undefined and false are left out). */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
