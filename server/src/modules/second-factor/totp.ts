/**
 * TOTP (RFC 6238) as authenticator apps speak it: HMAC-SHA-1, six digits, 30-second steps. A code
 * is accepted within one step of drift (the step before, the current one, the one after) and only
 * for a step later than the last one accepted, so a code seen over a shoulder or replayed from a
 * log is worth nothing once used. The clock is the caller's (tests move it).
 */
import { generateHOTP, verifyHOTP, createTOTPKeyURI } from '@oslojs/otp';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_KEY_BYTES = 20;
export const TOTP_ISSUER = 'LexForum';
/** Steps of drift accepted either side of the current one. */
export const TOTP_DRIFT_STEPS = 1;

export function generateTotpKey(): Uint8Array {
  const key = new Uint8Array(TOTP_KEY_BYTES);
  crypto.getRandomValues(key);
  return key;
}

/** The key as people type it into an app (base32, no padding). */
export const totpSecret = (key: Uint8Array): string => encodeBase32UpperCaseNoPadding(key);

/** What the QR code holds: `otpauth://totp/LexForum:<email>?secret=...&issuer=LexForum...`. */
export const totpUri = (key: Uint8Array, accountName: string): string =>
  createTOTPKeyURI(TOTP_ISSUER, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);

export const totpStep = (now: Date): number => Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);

/** The code of one step (tests and the seed compute codes with it). */
export const totpCodeAt = (key: Uint8Array, step: number): string => generateHOTP(key, BigInt(step), TOTP_DIGITS);

/** Six digits, with the spaces or dashes some apps show removed; null when it cannot be a code. */
export function normalizeTotpCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '');
  return /^[0-9]{6}$/.test(code) ? code : null;
}

export type TotpMatch = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replayed' };

/**
 * Finds the step (within drift) whose code this is. A code of a step at or before `lastStep` is
 * `replayed`; the caller still has to claim the step with a conditional write (see
 * second-factor.service.ts), which is what stops two concurrent uses of one code.
 */
export function matchTotpCode(key: Uint8Array, input: string, now: Date, lastStep: number | null): TotpMatch {
  const code = normalizeTotpCode(input);
  if (code === null) return { ok: false, reason: 'invalid' };
  const current = totpStep(now);
  let replayed = false;
  // Every candidate is computed (no early exit), so timing does not tell which step matched.
  let found: number | null = null;
  for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++) {
    if (!verifyHOTP(key, BigInt(step), TOTP_DIGITS, code)) continue;
    if (lastStep !== null && step <= lastStep) replayed = true;
    else found ??= step;
  }
  if (found !== null) return { ok: true, step: found };
  return { ok: false, reason: replayed ? 'replayed' : 'invalid' };
}
