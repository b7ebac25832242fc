/**
 * Passkey flows over the API for tests: enrolling a software authenticator's credential on an
 * account, and opening a pending sign-in (what a right password does on an account with a second
 * factor) to answer with a passkey.
 */
import { createPendingSignIn } from '@lexforum/server';
import type { UserRow } from '@lexforum/db';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.js';
import { SoftAuthenticator, type AnswerOverrides, type CreationOptions, type RequestOptions } from './webauthn.js';

export const softAuthenticatorFor = (t: TestApp) => new SoftAuthenticator(t.config.publicOrigin);

export async function passkeyOptions<T extends CreationOptions | RequestOptions>(
  t: TestApp,
  url: string,
  cookie: string,
): Promise<T> {
  const res = await t.request({ method: 'POST', url, cookie });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return (res.json() as { options: T }).options;
}

/** Enrols a new credential of `authenticator` on the signed-in account; returns the raw answer. */
export async function enrolPasskey(
  t: TestApp,
  cookie: string,
  authenticator: SoftAuthenticator,
  name = 'Laptop',
  overrides: AnswerOverrides = {},
): Promise<LightMyRequestResponse> {
  const options = await passkeyOptions<CreationOptions>(t, '/api/account/passkeys/options', cookie);
  const response = authenticator.register(options, overrides);
  return t.request({ method: 'POST', url: '/api/account/passkeys', cookie, body: { name, response } });
}

/** A pending sign-in of `user`, as the browser cookie `lexforum_pending=<token>`. */
export function pendingSignInCookie(t: TestApp, user: UserRow, ip = '127.0.0.1'): string {
  const { token } = createPendingSignIn(t.handle.db, user.id, { userAgent: 'test', ip }, t.clock.now());
  return `lexforum_pending=${token}`;
}
