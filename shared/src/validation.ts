/**
 * Input rules shared by the server (authoritative) and the client (early feedback).
 * Each returns null when the value is acceptable, or an issue: a code the client words in the
 * reader's language, with the English message a person can act on.
 */

import { issue, type Issue } from './errors.js';
import { checkNameCharacters, checkNameScripts, normalizeDisplayName } from './names.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const DISPLAY_NAME_MAX_LENGTH = 80;
export const EMAIL_MAX_LENGTH = 254;

export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

export function checkDisplayName(name: string): Issue | null {
  if (name.trim() !== name) return issue('name_edge_spaces', 'Display name must not start or end with spaces.');
  const length = codePointLength(name);
  if (length < 2) return issue('name_too_short', 'Display name must be at least 2 characters.', { min: 2 });
  if (length > DISPLAY_NAME_MAX_LENGTH) {
    return issue('name_too_long', `Display name must be at most ${DISPLAY_NAME_MAX_LENGTH} characters.`, {
      max: DISPLAY_NAME_MAX_LENGTH,
    });
  }
  // Invisible characters, marks and scripts (names.ts), judged on the NFC form the server stores.
  const nfc = normalizeDisplayName(name);
  const invalid = checkNameCharacters(nfc) ?? checkNameScripts(nfc);
  if (invalid) return invalid;
  if (!/[\p{L}\p{N}]/u.test(name)) return issue('name_no_letter', 'Display name must contain a letter or a digit.');
  return null;
}

/**
 * A pragmatic address check (the HTML input's rule): one @, a dot-separated domain, no spaces or
 * controls. Deliverability is proven by the vetting process, not by a regular expression.
 */
const EMAIL_PATTERN =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

export function checkEmail(email: string): Issue | null {
  if (email.length > EMAIL_MAX_LENGTH) {
    return issue('email_too_long', `Email must be at most ${EMAIL_MAX_LENGTH} characters.`, { max: EMAIL_MAX_LENGTH });
  }
  if (!EMAIL_PATTERN.test(email))
    return issue('email_invalid', 'Enter a valid email address, like name@court.example.');
  return null;
}

/** The form an email is compared and stored in for uniqueness: case-insensitive. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Length rules only; the server also refuses passwords from its list of common ones. */
export function checkPasswordShape(password: string): Issue | null {
  const length = codePointLength(password);
  if (length < PASSWORD_MIN_LENGTH) {
    return issue('password_too_short', `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`, {
      min: PASSWORD_MIN_LENGTH,
    });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return issue('password_too_long', `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`, {
      max: PASSWORD_MAX_LENGTH,
    });
  }
  return null;
}
