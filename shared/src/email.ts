/**
 * Email links: address verification, address change and password reset. Each link carries a
 * single-use secret (only its SHA-256 is stored) and expires after the hours below.
 */
import Type from 'typebox';
import { CurrentUser } from './auth.js';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH } from './validation.js';

export const EMAIL_TOKEN_PURPOSES = ['verify_email', 'change_email', 'reset_password'] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

/** How long a link stays valid, in hours. */
export const EMAIL_LINK_HOURS: Record<EmailTokenPurpose, number> = {
  verify_email: 48,
  change_email: 24,
  reset_password: 1,
};

/**
 * The secret of a link as the page reads it from the URL's fragment (`#token=...`, never sent to
 * the server in the page request, so it stays out of access logs and Referer headers).
 */
const Token = Type.String({ minLength: 1, maxLength: 200 });
const Email = Type.String({ maxLength: EMAIL_MAX_LENGTH * 4 });

export const EmailTokenBody = Type.Object({ token: Token }, { additionalProperties: false });
export type EmailTokenBody = Type.Static<typeof EmailTokenBody>;

/** Registration's one answer, whether or not the address already had an account. */
export const RegisterAccepted = Type.Object({ status: Type.Literal('verification_sent') });
export type RegisterAccepted = Type.Static<typeof RegisterAccepted>;

/** A verified address; `user` is set when this browser is (now) signed in to that account. */
export const EmailVerified = Type.Object({ user: Type.Union([CurrentUser, Type.Null()]) });
export type EmailVerified = Type.Static<typeof EmailVerified>;

export const ChangeEmailBody = Type.Object({ email: Email }, { additionalProperties: false });
export type ChangeEmailBody = Type.Static<typeof ChangeEmailBody>;

/** A change of address asked for: the link went to `pendingEmail`, a notice to the current one. */
export const EmailChangeSent = Type.Object({ pendingEmail: Type.String() });
export type EmailChangeSent = Type.Static<typeof EmailChangeSent>;

export const PasswordResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false });
export type PasswordResetRequestBody = Type.Static<typeof PasswordResetRequestBody>;

/** The one answer to a reset request, whether or not the address has an account. */
export const PasswordResetRequested = Type.Object({ status: Type.Literal('reset_sent') });
export type PasswordResetRequested = Type.Static<typeof PasswordResetRequested>;

export const PasswordResetConfirmBody = Type.Object(
  { token: Token, password: Type.String({ maxLength: PASSWORD_MAX_LENGTH * 4 }) },
  { additionalProperties: false },
);
export type PasswordResetConfirmBody = Type.Static<typeof PasswordResetConfirmBody>;

/** A reset link that may still be used, checked before the page asks for the new password. */
export const PasswordResetLink = Type.Object({ expiresAt: Type.String({ format: 'date-time' }) });
export type PasswordResetLink = Type.Static<typeof PasswordResetLink>;

/** What an administrator's reset did: the link went to the member's address, nothing else. */
export const PasswordResetSent = Type.Object({ sentTo: Type.String() });
export type PasswordResetSent = Type.Static<typeof PasswordResetSent>;
