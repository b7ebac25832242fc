/**
 * Checking a passkey answer (a WebAuthn assertion) for one account: the credential must be one of
 * THIS user's, the challenge the one we issued, the origin and RP ours, the signature valid, and the
 * signature counter must move forward when the authenticator keeps one (a cloned or replayed
 * answer does not). Shared by the sign-in second step and re-authentication.
 */
import type { DbOrTx, UserRow, WebauthnCredentialRow } from '@lexforum/db';
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { AppError } from '../../lib/errors.js';
import { findCredential, listCredentials, recordCredentialUse } from './passkeys.repository.js';
import type { RelyingParty } from './relying-party.js';
import { webauthn } from './webauthn.js';

export const transportsOf = (row: WebauthnCredentialRow) => row.transports as AuthenticatorTransportFuture[];

export function passkeyFailed(): AppError {
  return new AppError(401, 'PASSKEY_FAILED', 'The passkey could not be verified. Try again, or use another way.');
}

/** Options for the browser's prompt, listing only this user's credentials. */
export async function assertionOptions(
  db: DbOrTx,
  rp: RelyingParty,
  user: UserRow,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const credentials = listCredentials(db, user.id);
  if (credentials.length === 0) {
    throw new AppError(400, 'PASSKEY_FAILED', 'This account has no passkey. Use another way to confirm.');
  }
  const { generateAuthenticationOptions } = await webauthn();
  return generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: credentials.map((c) => ({ id: c.id, transports: transportsOf(c) })),
    userVerification: 'preferred',
  });
}

/**
 * Verifies `response` against `expectedChallenge` and the user's credential it names. Returns the
 * credential used (its counter and last use already updated), or null when anything is wrong:
 * callers answer every failure alike (PASSKEY_FAILED), so the answer reveals nothing about why.
 */
export async function verifyAssertion(
  db: DbOrTx,
  rp: RelyingParty,
  user: UserRow,
  response: Record<string, unknown>,
  expectedChallenge: string | null,
  now: Date,
): Promise<WebauthnCredentialRow | null> {
  if (!expectedChallenge || typeof response.id !== 'string') return null;
  const credential = findCredential(db, user.id, response.id);
  if (!credential) return null;
  try {
    const { verifyAuthenticationResponse } = await webauthn();
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      // The body's shape was only loosely checked by the route schema; the library checks the rest
      // and throws on anything malformed, which counts as a failure like a bad signature.
      response: response as unknown as AuthenticationResponseJSON,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: credential.id,
        publicKey: new Uint8Array(credential.publicKey),
        counter: credential.counter,
        transports: transportsOf(credential),
      },
      // A second factor after a password (or a confirmation inside a signed-in session): the
      // key's presence is the factor; user verification is asked for but not demanded.
      requireUserVerification: false,
    });
    if (!verified) return null;
    recordCredentialUse(db, credential.id, authenticationInfo.newCounter, now);
    return { ...credential, counter: authenticationInfo.newCounter, lastUsedAt: now };
  } catch {
    return null;
  }
}
