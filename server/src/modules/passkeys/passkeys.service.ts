/**
 * A member's passkeys and security keys, as a second factor: adding one (options, then the
 * browser's answer checked by @simplewebauthn/server), renaming and removing. Adding and removing
 * change the account's factors, so the routes ask for a recent confirmation first; each change is
 * one transaction with the second-factor flag and its security event.
 */
import type { Db, UserRow, WebauthnCredentialRow } from '@lexforum/db';
import { checkText, PASSKEY_NAME_MAX_LENGTH, type Passkey, type PasskeyAdded } from '@lexforum/shared';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Clock } from '../../lib/clock.js';
import { AppError, assertFields, fieldIssue, notFound } from '../../lib/errors.js';
import type { RequestAuth } from '../../plugins/auth.js';
import type { SessionMeta } from '../auth/session.js';
import { firstRecoveryCodes } from '../second-factor/recovery-codes.js';
import { refreshSecondFactorFlag } from '../second-factor/second-factor-state.js';
import { recordSecurityEvent } from '../security/security-events.js';
import { transportsOf } from './passkey-assertion.js';
import {
  credentialIdTaken,
  deleteCredential,
  findCredential,
  insertCredential,
  listCredentials,
  passkeyNameTaken,
  renameCredential,
} from './passkeys.repository.js';
import type { RelyingParty } from './relying-party.js';
import { webauthn } from './webauthn.js';
import { keepSessionChallenge, takeSessionChallenge } from '../auth/session-challenges.js';

const NAME_RULE = { label: 'Passkey name', min: 1, max: PASSKEY_NAME_MAX_LENGTH };

export function presentPasskey(row: WebauthnCredentialRow): Passkey {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    backedUp: row.backedUp,
  };
}

export class PasskeyService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly rp: RelyingParty,
  ) {}

  async registrationOptions(auth: RequestAuth): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { user, session } = auth;
    const { generateRegistrationOptions } = await webauthn();
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      userName: user.email,
      userDisplayName: user.displayName,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      excludeCredentials: listCredentials(this.db, user.id).map((c) => ({ id: c.id, transports: transportsOf(c) })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    keepSessionChallenge(this.db, session, 'passkey_register', options.challenge, this.clock.now());
    return options;
  }

  async add(
    auth: RequestAuth,
    input: { name: string; response: Record<string, unknown> },
    meta: SessionMeta,
  ): Promise<PasskeyAdded> {
    const { user, session } = auth;
    const name = this.checkName(user, input.name);
    const now = this.clock.now();
    const challenge = takeSessionChallenge(this.db, session, 'passkey_register', now);
    if (!challenge) {
      throw new AppError(400, 'PASSKEY_FAILED', 'The passkey prompt expired. Start adding the passkey again.');
    }
    const { verifyRegistrationResponse } = await webauthn();
    let info;
    try {
      const result = await verifyRegistrationResponse({
        response: input.response as unknown as RegistrationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.id,
        requireUserVerification: false,
      });
      info = result.verified ? result.registrationInfo : undefined;
    } catch {
      // Malformed answers, wrong origin or challenge, unsupported algorithms: all one refusal.
      info = undefined;
    }
    if (!info) throw new AppError(400, 'PASSKEY_FAILED', 'The passkey could not be verified. Try again.');
    const { credential } = info;
    const row = this.db.transaction((tx) => {
      if (credentialIdTaken(tx, credential.id)) {
        throw new AppError(409, 'PASSKEY_FAILED', 'This passkey is already registered.');
      }
      const inserted = insertCredential(tx, {
        id: credential.id,
        userId: user.id,
        name,
        publicKey: Buffer.from(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        createdAt: now,
        lastUsedAt: null,
      });
      refreshSecondFactorFlag(tx, user.id);
      recordSecurityEvent(tx, { userId: user.id, kind: 'passkey_added', meta, detail: { name } }, now);
      return { inserted, codes: firstRecoveryCodes(tx, user.id, meta, now) };
    });
    return { passkey: presentPasskey(row.inserted), codes: row.codes };
  }

  rename(user: UserRow, id: string, rawName: string): Passkey {
    if (!findCredential(this.db, user.id, id)) throw notFound('That passkey');
    const name = this.checkName(user, rawName, id);
    const row = renameCredential(this.db, user.id, id, name);
    if (!row) throw notFound('That passkey');
    return presentPasskey(row);
  }

  /**
   * A moderator or administrator must keep a second factor: removing their only one is refused
   * (they add another, or enable TOTP, first).
   */
  remove(user: UserRow, id: string, meta: SessionMeta): void {
    const now = this.clock.now();
    this.db.transaction((tx) => {
      const credential = findCredential(tx, user.id, id);
      if (!credential) throw notFound('That passkey');
      const staff = user.role === 'moderator' || user.role === 'admin';
      if (staff && user.totpKey === null && listCredentials(tx, user.id).length === 1) {
        throw new AppError(
          409,
          'LAST_SECOND_FACTOR',
          'Moderators and administrators must keep a second factor: add another passkey or an authenticator app before removing this one.',
        );
      }
      deleteCredential(tx, user.id, id);
      refreshSecondFactorFlag(tx, user.id);
      recordSecurityEvent(
        tx,
        { userId: user.id, kind: 'passkey_removed', meta, detail: { name: credential.name } },
        now,
      );
    });
  }

  /** Trimmed, 1 to PASSKEY_NAME_MAX_LENGTH characters, no control characters, unique on the account. */
  private checkName(user: UserRow, raw: string, exceptId?: string): string {
    const name = raw.trim();
    const problem = checkText(name, NAME_RULE);
    assertFields({ name: problem });
    if (passkeyNameTaken(this.db, user.id, name, exceptId)) {
      assertFields({ name: fieldIssue('invalid_value', 'You already have a passkey with this name.') });
    }
    return name;
  }
}
