/**
 * @simplewebauthn/server, loaded on first use: with its certificate and ASN.1 libraries it is the
 * heaviest module the server has (about a third of its start-up module loading), and only passkey
 * enrolment, sign-in and re-authentication need it. Types are imported statically (free at run time).
 */
import type * as SimpleWebAuthn from '@simplewebauthn/server';

type WebAuthn = typeof SimpleWebAuthn;

let loading: Promise<WebAuthn> | undefined;

export function webauthn(): Promise<WebAuthn> {
  loading ??= import('@simplewebauthn/server');
  return loading;
}
