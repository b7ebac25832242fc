import Type from 'typebox';
import { LOCALES } from './languages.js';
import { USERNAME_PATTERN } from './members.js';
import { ROLES, USER_STATUSES } from './roles.js';
import { ACCESS_STATES, APPLICATION_STATUSES, VerifiedBadge } from './vetting.js';
import { DISPLAY_NAME_MAX_LENGTH, EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH } from './validation.js';

// Schemas bound loosely (lengths, types) so that every refusal of a well-formed request carries
// a per-field message from the shared `check*` rules rather than a raw JSON-schema sentence.
const Email = Type.String({ maxLength: EMAIL_MAX_LENGTH * 4, description: 'Sign-in email, case-insensitive.' });
const Password = Type.String({ maxLength: PASSWORD_MAX_LENGTH * 4 });
const DisplayName = Type.String({ maxLength: DISPLAY_NAME_MAX_LENGTH * 8 });
const Timestamp = Type.String({ format: 'date-time' });

/** An interface language: one of LOCALES. */
export const LocaleSchema = Type.Enum(LOCALES);

export const RegisterBody = Type.Object(
  {
    email: Email,
    password: Password,
    displayName: DisplayName,
    /** The interface language the applicant registered in; else the best match of Accept-Language. */
    locale: Type.Optional(LocaleSchema),
  },
  { additionalProperties: false },
);
export type RegisterBody = Type.Static<typeof RegisterBody>;

export const SignInBody = Type.Object({ email: Email, password: Password }, { additionalProperties: false });
export type SignInBody = Type.Static<typeof SignInBody>;

export const UpdateAccountBody = Type.Object({ displayName: DisplayName }, { additionalProperties: false });
export type UpdateAccountBody = Type.Static<typeof UpdateAccountBody>;

/** The interface language saved on the account: every device (and later, email) follows it. */
export const UpdateLocaleBody = Type.Object({ locale: LocaleSchema }, { additionalProperties: false });
export type UpdateLocaleBody = Type.Static<typeof UpdateLocaleBody>;

export const ChangePasswordBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);
export type ChangePasswordBody = Type.Static<typeof ChangePasswordBody>;

/** What the signed-in user may know about themself. Never includes the password hash. */
export const CurrentUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  /** Whether the owner opened the link sent to `email` (an application waits for it). */
  emailVerified: Type.Boolean(),
  displayName: Type.String(),
  /** What `@username` in a post refers to. */
  username: Type.String(),
  role: Type.Enum(ROLES),
  status: Type.Enum(USER_STATUSES),
  /** Whether the forum is open to this account, and if not, why (the 403 code forum routes answer). */
  access: Type.Enum(ACCESS_STATES),
  /** The status of the account's application, for applicants; null once vetted or before applying. */
  applicationStatus: Type.Union([Type.Enum(APPLICATION_STATUSES), Type.Null()]),
  badge: Type.Union([VerifiedBadge, Type.Null()]),
  languages: Type.Array(Type.String()),
  /** The interface language chosen for this account; null until one is chosen. */
  locale: Type.Union([LocaleSchema, Type.Null()]),
  /** The jurisdictions a moderator covers (empty for everyone else; admins see all). */
  moderatorJurisdictions: Type.Array(Type.String()),
  suspendedReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
});
export type CurrentUser = Type.Static<typeof CurrentUser>;

export const UserEnvelope = Type.Object({ user: CurrentUser });
export type UserEnvelope = Type.Static<typeof UserEnvelope>;

export const SessionState = Type.Object({ user: Type.Union([CurrentUser, Type.Null()]) });
export type SessionState = Type.Static<typeof SessionState>;

export const SessionInfo = Type.Object({
  id: Type.String(),
  current: Type.Boolean(),
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  /** When the session ends at the latest: the earlier of idle and absolute expiry. */
  expiresAt: Timestamp,
  userAgent: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
});
export type SessionInfo = Type.Static<typeof SessionInfo>;

export const SessionList = Type.Object({ sessions: Type.Array(SessionInfo) });
export type SessionList = Type.Static<typeof SessionList>;

export const SessionIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9]+$' }) },
  { additionalProperties: false },
);
export type SessionIdParams = Type.Static<typeof SessionIdParams>;

export const RevokedCount = Type.Object({ revoked: Type.Integer({ minimum: 0 }) });
export type RevokedCount = Type.Static<typeof RevokedCount>;

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  version: Type.String(),
});
export type Health = Type.Static<typeof Health>;

/**
 * A new username (what `@name` refers to). Earlier posts keep linking to the member, whatever the
 * name they were written with.
 */
export const ChangeUsernameBody = Type.Object(
  { username: Type.String({ minLength: 2, maxLength: 30, pattern: USERNAME_PATTERN }) },
  { additionalProperties: false },
);
export type ChangeUsernameBody = Type.Static<typeof ChangeUsernameBody>;
