/**
 * Password policy and hashing. argon2id with the OWASP-recommended baseline (19 MiB, t=2, p=1).
 * A password must be 12+ characters and not a common one: the zxcvbn-ts list of ~49,000 common
 * passwords is checked as typed and with trailing digits/symbols stripped ("password2024!"), and a
 * password built from the forum's name or the member's name or email is refused (personal-password.ts).
 * The cheap rules run first; zxcvbn only when they pass.
 */
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { checkPasswordShape, issue, type Issue } from '@lexforum/shared';
import { isPersonalPassword, type PersonalContext } from './personal-password.js';

// `Algorithm` is a const enum, which verbatimModuleSyntax cannot import: 2 is Algorithm.Argon2id.
const ARGON2_ID = 2;
const ARGON2_OPTIONS = { algorithm: ARGON2_ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Verifying against this when an account does not exist makes a sign-in take as long whether
 * or not the email is known, so response time does not reveal who has an account.
 */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('lexforum-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}

const PERSONAL =
  'Your password must not be built from the forum’s name or your name or email address. Choose a phrase of your own.';

/** Null when acceptable; otherwise the reason, for the `/password` field. */
export function checkPasswordPolicy(password: string, context: PersonalContext = {}): Issue | null {
  const shape = checkPasswordShape(password);
  if (shape) return shape;
  const lower = password.toLowerCase();
  const stripped = lower.replace(/[\d\W_]+$/u, '');
  if (COMMON.has(lower) || (stripped.length >= 4 && COMMON.has(stripped))) {
    return issue('password_common', 'This password is too common. Choose a longer phrase that others would not guess.');
  }
  if (new Set(lower).size <= 2) {
    return issue('password_repetitive', 'This password repeats too few characters. Choose a longer phrase.');
  }
  const localPart = context.email?.split('@')[0]?.toLowerCase();
  if (
    (localPart && localPart.length >= 4 && lower.includes(localPart)) ||
    lower === context.displayName?.toLowerCase() ||
    isPersonalPassword(password, context)
  ) {
    return issue('password_personal', PERSONAL);
  }
  return null;
}
