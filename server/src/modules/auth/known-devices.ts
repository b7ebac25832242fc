/**
 * Known devices: a browser that signed in to an account with the right password gets a long-lived
 * random device cookie, and the account keeps only SHA-256 of it. Such a browser still passes the
 * per-account sign-in limit (sign-in-guard.ts), so an attacker failing from many IPs cannot lock
 * the owner out of their own account. The cookie proves only "this browser signed in here before";
 * the password is still checked every time.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { knownDevices, type DbOrTx } from '@lexforum/db';
import { and, eq, lt, sql } from 'drizzle-orm';
import { prepared } from '../../lib/prepared.js';

export interface KnownDevicePolicy {
  maxAgeDays: number;
  maxPerUser: number;
}

const TOKEN_BYTES = 32;

function hashToken(token: string): Buffer {
  return Buffer.from(sha256(new TextEncoder().encode(token)));
}

/** A well-formed device token: what we issue is 52 base32 characters. */
function plausible(token: string | undefined): token is string {
  return typeof token === 'string' && /^[a-z2-7]{40,64}$/.test(token);
}

/** True when `token` is a known device of `userId`, used to sign in within the policy's age. */
export function isKnownDevice(
  db: DbOrTx,
  userId: string,
  token: string | undefined,
  now: Date,
  policy: KnownDevicePolicy,
): boolean {
  if (!plausible(token)) return false;
  const row = prepared(db, 'knownDevice.lookup', () =>
    db
      .select({ lastUsedAt: knownDevices.lastUsedAt })
      .from(knownDevices)
      .where(
        and(eq(knownDevices.userId, sql.placeholder('userId')), eq(knownDevices.tokenHash, sql.placeholder('hash'))),
      )
      .prepare(),
  ).get({ userId, hash: hashToken(token) });
  return row !== undefined && now.getTime() - row.lastUsedAt.getTime() < policy.maxAgeDays * 86_400_000;
}

/**
 * After a successful sign-in: refreshes the device's last use when `token` is already one of the
 * user's known devices, otherwise registers a new device. Keeps at most `maxPerUser` devices per
 * user and forgets stale ones. Returns the token the cookie should carry.
 */
export function rememberDevice(
  db: DbOrTx,
  userId: string,
  token: string | undefined,
  now: Date,
  policy: KnownDevicePolicy,
): string {
  if (plausible(token)) {
    const touched = db
      .update(knownDevices)
      .set({ lastUsedAt: now })
      .where(and(eq(knownDevices.userId, userId), eq(knownDevices.tokenHash, hashToken(token))))
      .run();
    if (touched.changes > 0) return token;
  }
  const bytes = new Uint8Array(TOKEN_BYTES);
  crypto.getRandomValues(bytes);
  const fresh = encodeBase32LowerCaseNoPadding(bytes);
  db.insert(knownDevices)
    .values({ userId, tokenHash: hashToken(fresh), createdAt: now, lastUsedAt: now })
    .run();
  const staleBefore = new Date(now.getTime() - policy.maxAgeDays * 86_400_000);
  db.delete(knownDevices)
    .where(and(eq(knownDevices.userId, userId), lt(knownDevices.lastUsedAt, staleBefore)))
    .run();
  // Past the bound, the least recently used go (ties: the oldest registered).
  db.run(sql`delete from ${knownDevices} where ${knownDevices.userId} = ${userId} and rowid not in (
    select rowid from ${knownDevices} where ${knownDevices.userId} = ${userId}
    order by ${knownDevices.lastUsedAt} desc, ${knownDevices.createdAt} desc, rowid desc limit ${policy.maxPerUser})`);
  return fresh;
}
