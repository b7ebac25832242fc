/**
 * The last step of every sign-in (password alone, or password then a second factor, or a
 * password-reset link): a new session, the browser remembered as a known device, and a security
 * event that says whether the device was new (a new one also earns the member an email, unless
 * it is the account's very first sign-in).
 */
import { securityEvents, type DbOrTx, type SessionRow, type UserRow } from '@lexforum/db';
import { and, eq, inArray } from 'drizzle-orm';
import { deviceName } from '../mail/device-name.js';
import type { MailLinks } from '../mail/links.js';
import { enqueueMail } from '../mail/outbox.js';
import { describeNetwork } from '../security/network.js';
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
  links: MailLinks,
  now: Date,
): SignedIn {
  const known = isKnownDevice(tx, user.id, deviceToken, now, devices);
  // The account's first sign-in (opening the verification link) is on a new device by definition:
  // it is recorded, but there is no earlier device to warn.
  const first = !hasSignedInBefore(tx, user.id);
  const { session, token } = createSession(tx, user.id, meta, now);
  const remembered = rememberDevice(tx, user.id, deviceToken, now, devices);
  recordSecurityEvent(tx, { userId: user.id, kind: known ? 'sign_in' : 'sign_in_new_device', meta }, now);
  if (!known && !first) {
    enqueueMail(
      tx,
      {
        to: user.email,
        locale: user.locale,
        template: 'new_device_sign_in',
        params: {
          name: user.displayName,
          device: deviceName(meta.userAgent),
          network: describeNetwork(meta.ip).prefix ?? meta.ip ?? '—',
          time: now,
          link: links.accountSecurity(),
        },
      },
      now,
    );
  }
  return { user, session, token, deviceToken: remembered, newDevice: !known };
}

function hasSignedInBefore(tx: DbOrTx, userId: string): boolean {
  return (
    tx
      .select({ id: securityEvents.id })
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, userId), inArray(securityEvents.kind, ['sign_in', 'sign_in_new_device'])))
      .limit(1)
      .get() !== undefined
  );
}
