/**
 * Recovery codes: RECOVERY_CODE_COUNT single-use codes that stand in for a lost second factor.
 * Each is ten lowercase base32 characters (50 random bits) shown as `xxxxx-xxxxx`; only SHA-256
 * of the normalized code is stored. A code is spent with a conditional UPDATE (`used_at IS NULL`)
 * in the transaction that signs in, so two uses of one code cannot both pass. Making a new set
 * deletes the old one.
 */
import { recoveryCodes, type DbOrTx } from '@lexforum/db';
import { RECOVERY_CODE_COUNT } from '@lexforum/shared';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { SessionMeta } from '../auth/session.js';
import { recordSecurityEvent } from '../security/security-events.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const CODE_LENGTH = 10;

/** One new code, `xxxxx-xxxxx` (each character takes 5 bits of one random byte: 256 is a multiple of 32). */
export function generateRecoveryCode(): string {
  const bytes = new Uint8Array(CODE_LENGTH);
  crypto.getRandomValues(bytes);
  const chars = Array.from(bytes, (b) => ALPHABET[b & 31]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Lowercase, without spaces and dashes; null when it cannot be a recovery code. */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && /^[a-z2-7]+$/.test(code) ? code : null;
}

export const hashRecoveryCode = (normalized: string): Buffer =>
  Buffer.from(sha256(new TextEncoder().encode(normalized)));

/** Replaces the account's codes with a new set and returns it (shown once, never stored in clear). */
export function replaceRecoveryCodes(tx: DbOrTx, userId: string, now: Date): string[] {
  tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  tx.insert(recoveryCodes)
    .values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(normalizeRecoveryCode(code)!), createdAt: now })))
    .run();
  return codes;
}

export function deleteRecoveryCodes(tx: DbOrTx, userId: string): void {
  tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
}

export function countUnusedRecoveryCodes(db: DbOrTx, userId: string): number {
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .get();
  return row?.n ?? 0;
}

export type RecoveryCodeSpend = 'spent' | 'invalid' | 'used';

/**
 * Spends the account's code matching `input`. Every stored hash is compared in constant time
 * (there are at most RECOVERY_CODE_COUNT); a code already spent answers `used`.
 */
export function spendRecoveryCode(tx: DbOrTx, userId: string, input: string, now: Date): RecoveryCodeSpend {
  const code = normalizeRecoveryCode(input);
  if (code === null) return 'invalid';
  const hash = hashRecoveryCode(code);
  const rows = tx
    .select({ id: recoveryCodes.id, codeHash: recoveryCodes.codeHash, usedAt: recoveryCodes.usedAt })
    .from(recoveryCodes)
    .where(eq(recoveryCodes.userId, userId))
    .all();
  let match: (typeof rows)[number] | undefined;
  for (const row of rows) {
    if (constantTimeEqual(new Uint8Array(row.codeHash), new Uint8Array(hash))) match ??= row;
  }
  if (!match) return 'invalid';
  const spent = tx
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.id, match.id), isNull(recoveryCodes.usedAt)))
    .run();
  return spent.changes === 1 ? 'spent' : 'used';
}

/** A new set of codes (the old ones void), recorded as a security event; shown to the member once. */
export function issueRecoveryCodes(tx: DbOrTx, userId: string, meta: SessionMeta | null, now: Date): string[] {
  const codes = replaceRecoveryCodes(tx, userId, now);
  recordSecurityEvent(tx, { userId, kind: 'recovery_codes_generated', meta }, now);
  return codes;
}

/** With a first second factor (an authenticator app or a passkey): codes, unless unused ones remain. */
export function firstRecoveryCodes(tx: DbOrTx, userId: string, meta: SessionMeta | null, now: Date): string[] {
  return countUnusedRecoveryCodes(tx, userId) === 0 ? issueRecoveryCodes(tx, userId, meta, now) : [];
}
