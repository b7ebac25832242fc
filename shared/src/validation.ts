/**
 * Input rules shared by the server (authoritative) and the client (early feedback).
 * Each returns null when the value is acceptable, or a message a person can act on.
 */

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

export function checkDisplayName(name: string): string | null {
  if (name.trim() !== name) return 'Display name must not start or end with spaces.';
  const length = codePointLength(name);
  if (length < 2) return 'Display name must be at least 2 characters.';
  if (length > DISPLAY_NAME_MAX_LENGTH) return `Display name must be at most ${DISPLAY_NAME_MAX_LENGTH} characters.`;
  // Invisible characters, marks and scripts (names.ts), judged on the NFC form the server stores.
  const nfc = normalizeDisplayName(name);
  const invalid = checkNameCharacters(nfc) ?? checkNameScripts(nfc);
  if (invalid) return invalid;
  if (!/[\p{L}\p{N}]/u.test(name)) return 'Display name must contain a letter or a digit.';
  return null;
}

/**
 * A pragmatic address check (the HTML input's rule): one @, a dot-separated domain, no spaces or
 * controls. Deliverability is proven by the vetting process, not by a regular expression.
 */
const EMAIL_PATTERN =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

export function checkEmail(email: string): string | null {
  if (email.length > EMAIL_MAX_LENGTH) return `Email must be at most ${EMAIL_MAX_LENGTH} characters.`;
  if (!EMAIL_PATTERN.test(email)) return 'Enter a valid email address, like name@court.example.';
  return null;
}

/** The form an email is compared and stored in for uniqueness: case-insensitive. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Length rules only; the server also refuses passwords from its list of common ones. */
export function checkPasswordShape(password: string): string | null {
  const length = codePointLength(password);
  if (length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`;
  return null;
}
