/**
 * What the reader is told when the API refuses something, in their language. The server answers
 * `{ error: { code, message, details } }` with its message in English; the client words each code
 * from the message files (`error_<code>`), and uses the server's message only where it has no
 * wording (a code newer than this client) or where the reader reads English anyway: there the
 * server's message is the more precise one ("This thread is already locked."). The same goes for
 * the per-field messages of a validation failure: elsewhere a field gets "Check this field.".
 */
import type { ErrorCode } from '@lexforum/shared';
import { m } from './i18n.js';
import { baseLocale, getLocale } from './paraglide/runtime.js';

/** One message per code: typed as a full record, so a new code without a message fails the typecheck. */
const MESSAGES: Record<ErrorCode, () => string> = {
  VALIDATION_FAILED: m.error_validation_failed,
  UNAUTHENTICATED: m.error_unauthenticated,
  FORBIDDEN: m.error_forbidden,
  CSRF_REJECTED: m.error_csrf_rejected,
  NOT_FOUND: m.error_not_found,
  ROUTE_NOT_FOUND: m.error_route_not_found,
  EMAIL_TAKEN: m.error_email_taken,
  INVALID_CREDENTIALS: m.error_invalid_credentials,
  WEAK_PASSWORD: m.error_weak_password,
  TOO_MANY_ATTEMPTS: m.error_too_many_attempts,
  RATE_LIMITED: m.error_rate_limited,
  PAYLOAD_TOO_LARGE: m.error_payload_too_large,
  UNSUPPORTED_MEDIA_TYPE: m.error_unsupported_media_type,
  NOT_VETTED: m.error_not_vetted,
  SUSPENDED: m.error_suspended,
  REJECTED: m.error_rejected,
  CONFLICT: m.error_conflict,
  CLAIMED_BY_OTHER: m.error_claimed_by_other,
  ALREADY_APPROVED: m.error_already_approved,
  INVALID_STATE: m.error_invalid_state,
  LAST_ADMIN: m.error_last_admin,
  UPGRADE_REQUIRED: m.error_upgrade_required,
  USERNAME_TAKEN: m.error_username_taken,
  THREAD_LOCKED: m.error_thread_locked,
  ALREADY_REPORTED: m.error_already_reported,
  SERVICE_UNAVAILABLE: m.error_service_unavailable,
  SEARCH_TIMEOUT: m.error_search_timeout,
  REAUTH_REQUIRED: m.error_reauth_required,
  SECOND_FACTOR_REQUIRED: m.error_second_factor_required,
  SIGN_IN_EXPIRED: m.error_sign_in_expired,
  INVALID_CODE: m.error_invalid_code,
  CODE_ALREADY_USED: m.error_code_already_used,
  LINK_INVALID: m.error_link_invalid,
  LINK_EXPIRED: m.error_link_expired,
  LINK_USED: m.error_link_used,
  EMAIL_UNVERIFIED: m.error_email_unverified,
  PASSKEY_FAILED: m.error_passkey_failed,
  LAST_SECOND_FACTOR: m.error_last_second_factor,
  FILE_TYPE_NOT_ALLOWED: m.error_file_type_not_allowed,
  TOO_MANY_ATTACHMENTS: m.error_too_many_attachments,
  QUOTA_EXCEEDED: m.error_quota_exceeded,
  MESSAGING_NOT_ALLOWED: m.error_messaging_not_allowed,
  CONVERSATION_TOO_LARGE: m.error_conversation_too_large,
  EDIT_WINDOW_CLOSED: m.error_edit_window_closed,
  INTERNAL_ERROR: m.error_internal_error,
};

/** The server writes its messages in the base locale's language. */
const readsServerLanguage = (): boolean => getLocale() === baseLocale;

/** The message for a code, in the reader's language. */
export function errorCodeMessage(code: string): string | null {
  return Object.hasOwn(MESSAGES, code) ? MESSAGES[code as ErrorCode]() : null;
}

/** What to show for an error the server answered with `code` and `serverMessage`. */
export function readerMessage(code: string, serverMessage: string): string {
  if (serverMessage && readsServerLanguage()) return serverMessage;
  return errorCodeMessage(code) ?? (serverMessage || m.error_unexpected());
}
