/**
 * Account security: the member's own record of security events. The flows themselves (email
 * links, second factors, re-authentication) have their contracts in `email.ts` and
 * `second-factor.ts`.
 */
import Type from 'typebox';

/** Mirrors `securityEventKindValues` in db/src/schema.ts (tests/db checks the two agree). */
export const SECURITY_EVENT_KINDS = [
  'sign_in',
  'sign_in_new_device',
  'second_factor_failed',
  'password_changed',
  'password_reset',
  'password_reset_sent_by_admin',
  'email_verified',
  'email_changed',
  'totp_enabled',
  'totp_disabled',
  'recovery_codes_generated',
  'recovery_code_used',
  'passkey_added',
  'passkey_removed',
  'second_factor_reset',
  'sessions_ended',
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

/** Where a sign-in came from, as precisely as the IP alone tells without an outside service. */
export const NETWORK_KINDS = ['loopback', 'private', 'public', 'unknown'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];

export const NetworkInfo = Type.Object({
  kind: Type.Enum(NETWORK_KINDS),
  /** The network the address belongs to: `203.0.113.0/24`, `2001:db8:1::/48`; null when unknown. */
  prefix: Type.Union([Type.String(), Type.Null()]),
});
export type NetworkInfo = Type.Static<typeof NetworkInfo>;

export const SecurityEvent = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(SECURITY_EVENT_KINDS),
  createdAt: Type.String({ format: 'date-time' }),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  network: NetworkInfo,
  /** True when someone else (an administrator) did it. */
  byAdmin: Type.Boolean(),
  /** Small facts, e.g. `{ name }` of a passkey. */
  detail: Type.Record(Type.String(), Type.String()),
});
export type SecurityEvent = Type.Static<typeof SecurityEvent>;

export const SecurityEventQuery = Type.Object(
  {
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type SecurityEventQuery = Type.Static<typeof SecurityEventQuery>;

export const SecurityEventPage = Type.Object({
  events: Type.Array(SecurityEvent),
  nextCursor: Type.Union([Type.Integer(), Type.Null()]),
});
export type SecurityEventPage = Type.Static<typeof SecurityEventPage>;
