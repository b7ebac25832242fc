/**
 * Passkeys and security keys through the browser's WebAuthn API (@simplewebauthn/browser turns
 * the server's JSON options into `navigator.credentials` calls and the answers back into JSON).
 * The server issues each challenge and checks each answer; see server/src/modules/passkeys.
 */
import type { CurrentUser, PasskeyAdded, UserEnvelope, WebAuthnOptions } from '@lexforum/shared';
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { api } from './api.js';

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

async function authenticate(optionsPath: string): Promise<unknown> {
  const { options } = await api.post<WebAuthnOptions>(optionsPath);
  return startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON });
}

/** The second step of a sign-in whose password was right. */
export async function signInWithPasskey(): Promise<CurrentUser> {
  const response = await authenticate('/api/auth/sign-in/passkey/options');
  return (await api.post<UserEnvelope>('/api/auth/sign-in/passkey', { response })).user;
}

/** Confirms who the member is before a sensitive action. */
export async function reauthWithPasskey(): Promise<void> {
  const response = await authenticate('/api/auth/reauth/passkey/options');
  await api.post('/api/auth/reauth/passkey', { response });
}

/** Registers a new passkey under `name`; the answer may carry the first recovery codes. */
export async function addPasskey(name: string): Promise<PasskeyAdded> {
  const { options } = await api.post<WebAuthnOptions>('/api/account/passkeys/options');
  const response = await startRegistration({
    optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
  });
  return api.post('/api/account/passkeys', { name, response });
}
