/**
 * TOTP for tests, computed with @oslojs/otp as an authenticator app would: staff made by the
 * helpers are enrolled with TEST_TOTP_KEY (staff must have a second factor), and signing them in
 * computes the code. `codeFor` hands out a fresh step per account (the server refuses a step
 * already used), waiting for the next step when the drift window is spent.
 */
import { DEMO_TOTP_SECRET } from '@lexforum/db';
import { generateHOTP } from '@oslojs/otp';

/** RFC 4648 base32 (the key as a page shows it, spaces and padding ignored) to bytes. */
export function decodeBase32(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.toUpperCase().replace(/[\s=]/g, '')) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  return new Uint8Array(bytes);
}

/**
 * A fixed 20-byte key: every staff account the test helpers make has it unless told otherwise. It
 * is the demo seed's staff key, so one key signs in every staff account a test meets.
 */
export const TEST_TOTP_KEY = Buffer.from(decodeBase32(DEMO_TOTP_SECRET));
export const TOTP_PERIOD_MS = 30_000;

export const totpStepAt = (time: Date | number): number =>
  Math.floor((typeof time === 'number' ? time : time.getTime()) / TOTP_PERIOD_MS);

/** The six-digit code of `key` (bytes, or base32 as a page shows it) at `time` (or at a step). */
export function totpCode(key: Uint8Array | string, time: Date | number, options: { step?: number } = {}): string {
  const bytes = typeof key === 'string' ? decodeBase32(key) : key;
  const step = options.step ?? totpStepAt(time);
  return generateHOTP(new Uint8Array(bytes), BigInt(step), 6);
}

const lastStepBy = new Map<string, number>();

/**
 * A code of `key` for `account` that this process has not used yet, by the real clock: the step
 * before now, now, or the one after (the server's drift window); when all three are spent, it
 * waits for the next step.
 */
export async function freshTotpCode(account: string, key: Uint8Array | string = TEST_TOTP_KEY): Promise<string> {
  for (;;) {
    const now = totpStepAt(Date.now());
    const step = Math.max(now - 1, (lastStepBy.get(account) ?? -Infinity) + 1);
    if (step <= now + 1) {
      lastStepBy.set(account, step);
      return totpCode(key, 0, { step });
    }
    await new Promise((resolve) => setTimeout(resolve, TOTP_PERIOD_MS - (Date.now() % TOTP_PERIOD_MS) + 50));
  }
}
