/**
 * A software authenticator for API tests: a P-256 key pair per credential (node:crypto), 'none'
 * attestation, CBOR and COSE through the encoder @simplewebauthn/server ships. It answers the
 * options our server sends exactly as a browser would pass on an authenticator's answer, so
 * registration and sign-in run through the server's real verification. Each answer can be bent
 * (another origin, another challenge, an old counter) to test the refusals.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

interface StoredCredential {
  id: string;
  privateKey: KeyObject;
  counter: number;
  userHandle: string;
}

export interface CreationOptions {
  challenge: string;
  rp: { id?: string };
  user: { id: string };
}

export interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}

export interface AnswerOverrides {
  origin?: string;
  challenge?: string;
  rpId?: string;
  /** Sign with this credential (e.g. another authenticator's), instead of the first allowed one. */
  credentialId?: string;
  /** The signature counter to report (default: one more than the last). */
  counter?: number;
}

const b64 = (bytes: Uint8Array | Buffer) => isoBase64URL.fromBuffer(new Uint8Array(bytes));
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export class SoftAuthenticator {
  readonly credentials = new Map<string, StoredCredential>();

  constructor(
    /** The origin a browser on the app would report. */
    readonly origin: string,
  ) {}

  get rpId(): string {
    return new URL(this.origin).hostname;
  }

  /** A RegistrationResponseJSON for `options` (from POST /api/account/passkeys/options). */
  register(options: CreationOptions, overrides: AnswerOverrides = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
    ]);
    const rawId = randomBytes(16);
    const id = b64(rawId);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(rawId.length);
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? options.rp.id ?? this.rpId),
      Buffer.from([FLAG_UP | FLAG_UV | FLAG_AT]),
      counterBytes(0),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      rawId,
      Buffer.from(isoCBOR.encode(cose)),
    ]);
    const attestation = new Map<string, string | Map<string, string> | Uint8Array>();
    attestation.set('fmt', 'none');
    attestation.set('attStmt', new Map<string, string>());
    attestation.set('authData', new Uint8Array(authData));
    const attestationObject = isoCBOR.encode(attestation);
    const clientDataJSON = this.clientData('webauthn.create', options.challenge, overrides);
    this.credentials.set(id, { id, privateKey, counter: 0, userHandle: options.user.id });
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientDataJSON),
        attestationObject: b64(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** An AuthenticationResponseJSON for `options` (sign-in second step or re-authentication). */
  authenticate(options: RequestOptions, overrides: AnswerOverrides = {}) {
    const allowed = options.allowCredentials?.map((c) => c.id) ?? [...this.credentials.keys()];
    const id = overrides.credentialId ?? allowed.find((c) => this.credentials.has(c));
    const credential = id ? this.credentials.get(id) : undefined;
    if (!credential) throw new Error('the software authenticator holds none of the allowed credentials');
    const counter = overrides.counter ?? credential.counter + 1;
    credential.counter = Math.max(credential.counter, counter);
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? options.rpId ?? this.rpId),
      Buffer.from([FLAG_UP | FLAG_UV]),
      counterBytes(counter),
    ]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, overrides);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authData),
        signature: b64(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  private clientData(type: string, challenge: string, overrides: AnswerOverrides): Buffer {
    return Buffer.from(
      JSON.stringify({
        type,
        challenge: overrides.challenge ?? challenge,
        origin: overrides.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }
}

function counterBytes(counter: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(counter);
  return bytes;
}
