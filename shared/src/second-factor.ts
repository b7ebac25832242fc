/**
 * Second factors (TOTP, recovery codes, passkeys), the two-step sign-in, re-authentication before
 * sensitive actions, and the account's security summary.
 */
import Type from 'typebox';
import { CurrentUser } from './auth.js';

const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** How long a password (or second factor) confirmation lets sensitive actions through. */
export const REAUTH_WINDOW_MINUTES = 10;
/** How long the pending state between password and second factor lasts. */
export const PENDING_SIGN_IN_MINUTES = 5;
export const RECOVERY_CODE_COUNT = 10;

export const SECOND_FACTOR_METHODS = ['totp', 'recovery_code', 'passkey'] as const;
export type SecondFactorMethod = (typeof SECOND_FACTOR_METHODS)[number];

/** A six-digit TOTP code or a recovery code (`xxxxx-xxxxx`); spaces and dashes are ignored. */
const Code = Type.String({ minLength: 1, maxLength: 64 });

/** After a right password on an account with a second factor: what the second step accepts. */
export const SecondFactorChallenge = Type.Object({
  methods: Type.Array(Type.Enum(SECOND_FACTOR_METHODS)),
  expiresAt: Timestamp,
});
export type SecondFactorChallenge = Type.Static<typeof SecondFactorChallenge>;

/** The answer to a right password: signed in, or a second factor is due. */
export const SignInResult = Type.Union([
  Type.Object({ user: CurrentUser }),
  Type.Object({ secondFactor: SecondFactorChallenge }),
]);
export type SignInResult = Type.Static<typeof SignInResult>;

export const SecondFactorCodeBody = Type.Object(
  { method: Type.Union([Type.Literal('totp'), Type.Literal('recovery_code')]), code: Code },
  { additionalProperties: false },
);
export type SecondFactorCodeBody = Type.Static<typeof SecondFactorCodeBody>;

/** Re-authentication: the password, or a code of a second factor (passkeys have their own route). */
export const ReauthBody = Type.Union([
  Type.Object({ password: Type.String({ maxLength: 4096 }) }, { additionalProperties: false }),
  SecondFactorCodeBody,
]);
export type ReauthBody = Type.Static<typeof ReauthBody>;

export const ReauthState = Type.Object({
  /** Until when sensitive actions go through without asking again. */
  reauthUntil: Timestamp,
});
export type ReauthState = Type.Static<typeof ReauthState>;

/** What a 403 REAUTH_REQUIRED carries in `details`, so the client can ask in place. */
export const ReauthRequiredDetails = Type.Object({
  methods: Type.Array(Type.Union([Type.Literal('password'), Type.Enum(SECOND_FACTOR_METHODS)])),
});
export type ReauthRequiredDetails = Type.Static<typeof ReauthRequiredDetails>;

/** WebAuthn options (PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON), passed through. */
export const WebAuthnOptions = Type.Object({ options: Type.Record(Type.String(), Type.Unknown()) });
export type WebAuthnOptions = Type.Static<typeof WebAuthnOptions>;

/** A WebAuthn answer from the browser (RegistrationResponseJSON / AuthenticationResponseJSON). */
const WebAuthnResponse = Type.Record(Type.String(), Type.Unknown(), { maxProperties: 16 });

export const PasskeyAnswerBody = Type.Object({ response: WebAuthnResponse }, { additionalProperties: false });
export type PasskeyAnswerBody = Type.Static<typeof PasskeyAnswerBody>;

export const PASSKEY_NAME_MAX_LENGTH = 60;
const PasskeyName = Type.String({ minLength: 1, maxLength: PASSKEY_NAME_MAX_LENGTH * 4 });

export const AddPasskeyBody = Type.Object(
  { name: PasskeyName, response: WebAuthnResponse },
  { additionalProperties: false },
);
export type AddPasskeyBody = Type.Static<typeof AddPasskeyBody>;

export const RenamePasskeyBody = Type.Object({ name: PasskeyName }, { additionalProperties: false });
export type RenamePasskeyBody = Type.Static<typeof RenamePasskeyBody>;

export const PasskeyIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 1400, pattern: '^[A-Za-z0-9_-]+$' }) },
  { additionalProperties: false },
);
export type PasskeyIdParams = Type.Static<typeof PasskeyIdParams>;

export const Passkey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  /** Synced to the member's other devices by their platform (a passkey) rather than one key. */
  backedUp: Type.Boolean(),
});
export type Passkey = Type.Static<typeof Passkey>;

/** A new TOTP key to scan; confirmed by one code before it counts. */
export const TotpSetup = Type.Object({
  /** Base32, for typing by hand. */
  secret: Type.String(),
  /** `otpauth://totp/...`: what the QR code holds. */
  uri: Type.String(),
});
export type TotpSetup = Type.Static<typeof TotpSetup>;

export const TotpConfirmBody = Type.Object({ code: Code }, { additionalProperties: false });
export type TotpConfirmBody = Type.Static<typeof TotpConfirmBody>;

/** Shown once, when made; only hashes are kept. Empty when enrolment kept the codes already made. */
export const RecoveryCodes = Type.Object({ codes: Type.Array(Type.String()) });
export type RecoveryCodes = Type.Static<typeof RecoveryCodes>;

/** The account page's security summary. */
export const AccountSecurity = Type.Object({
  email: Type.String(),
  emailVerified: Type.Boolean(),
  /** A new address waiting for its confirmation link to be opened. */
  pendingEmail: Nullable(Type.String()),
  /** Staff must have a second factor: true for moderators and administrators. */
  secondFactorRequired: Type.Boolean(),
  hasSecondFactor: Type.Boolean(),
  totp: Type.Object({ enabled: Type.Boolean(), enabledAt: Nullable(Timestamp) }),
  recoveryCodesLeft: Type.Integer({ minimum: 0 }),
  passkeys: Type.Array(Passkey),
  /** Until when sensitive actions go through without asking again (null: they ask now). */
  reauthUntil: Nullable(Timestamp),
});
export type AccountSecurity = Type.Static<typeof AccountSecurity>;

/** A passkey just added; `codes` holds the first recovery codes when it is the account's first factor. */
export const PasskeyAdded = Type.Object({ passkey: Passkey, codes: Type.Array(Type.String()) });
export type PasskeyAdded = Type.Static<typeof PasskeyAdded>;
