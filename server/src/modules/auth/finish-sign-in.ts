/**
 * The last step of every sign-in (password alone, or password then a second factor, or a
 * password-reset link): a new session, the browser remembered as a known device, and a security
 * event that says whether the device was new (a new one also earns the member an email).
 */
import type { DbOrTx, SessionRow, UserRow } from '@lexforum/db';
import { recordSecurityEvent } from '../security/security-events.js';
import { isKnownDevice, rememberDevice, type KnownDevicePolicy } from './known-devices.js';
import { createSession, type SessionMeta } from './session.js';

export interface SignedIn {
  user: UserRow;
  session: SessionRow;
  token: string;
  /** The known-device token for this browser's cookie (new, or the one it sent, refreshed). */
  deviceToken: string;
  /** True when this browser had not signed in to the account before (or not for a long time). */
  newDevice: boolean;
}

export function finishSignIn(
  tx: DbOrTx,
  user: UserRow,
  meta: SessionMeta,
  deviceToken: string | undefined,
  devices: KnownDevicePolicy,
  now: Date,
): SignedIn {
  const known = isKnownDevice(tx, user.id, deviceToken, now, devices);
  const { session, token } = createSession(tx, user.id, meta, now);
  const remembered = rememberDevice(tx, user.id, deviceToken, now, devices);
  recordSecurityEvent(tx, { userId: user.id, kind: known ? 'sign_in' : 'sign_in_new_device', meta }, now);
  return { user, session, token, deviceToken: remembered, newDevice: !known };
}
