/**
 * Membership vetting: the application an applicant fills in, the moderators' queue and decisions,
 * the verified badge, and the staff tools (roles, jurisdictions, suspension, settings).
 */
import Type from 'typebox';
import { LANGUAGE_CODES } from './languages.js';
import { PROFESSIONS, ROLES, USER_STATUSES } from './roles.js';
import { TEXT_RULES } from './text.js';
import { EMAIL_MAX_LENGTH } from './validation.js';

const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** Loose bounds only: the per-field messages come from `checkText` (see auth.ts for why). */
const Text = (max: number) => Type.String({ maxLength: max * 4 });
const JurisdictionCode = Type.String({ minLength: 2, maxLength: 8, pattern: '^[A-Z]+$' });
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export type IdParams = Type.Static<typeof IdParams>;

export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'info_requested',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const APPLICATION_EVENT_KINDS = [
  'submitted',
  'info_requested',
  'answered',
  'approval',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export type ApplicationEventKind = (typeof APPLICATION_EVENT_KINDS)[number];

/** What an account may do in the forum: everything, or why not. */
/** `second_factor_required`: a moderator or admin with no second factor yet (account pages only). */
export const ACCESS_STATES = ['member', 'not_vetted', 'rejected', 'suspended', 'second_factor_required'] as const;
export type AccessState = (typeof ACCESS_STATES)[number];

export const Person = Type.Object({ id: Type.String(), displayName: Type.String() });
export type Person = Type.Static<typeof Person>;

export const Referee = Type.Object(
  {
    name: Text(TEXT_RULES.refereeName.max),
    position: Text(TEXT_RULES.refereePosition.max),
    email: Type.String({ maxLength: EMAIL_MAX_LENGTH * 4 }),
  },
  { additionalProperties: false },
);
export type Referee = Type.Static<typeof Referee>;

const applicationFields = {
  profession: Nullable(Type.Enum(PROFESSIONS)),
  position: Nullable(Text(TEXT_RULES.position.max)),
  institution: Nullable(Text(TEXT_RULES.institution.max)),
  jurisdictionCode: Nullable(JurisdictionCode),
  otherJurisdictions: Type.Array(JurisdictionCode, { maxItems: 20 }),
  languages: Type.Array(Type.Enum(LANGUAGE_CODES), { maxItems: 12 }),
  professionalEmail: Nullable(Type.String({ maxLength: EMAIL_MAX_LENGTH * 4 })),
  expertise: Nullable(Text(TEXT_RULES.expertise.max)),
  reason: Nullable(Text(TEXT_RULES.reason.max)),
  referee: Nullable(Referee),
};

/** Saving a draft: every field may still be empty; what is given must be valid. */
export const ApplicationDraftBody = Type.Object(
  {
    profession: Type.Optional(applicationFields.profession),
    position: Type.Optional(applicationFields.position),
    institution: Type.Optional(applicationFields.institution),
    jurisdictionCode: Type.Optional(applicationFields.jurisdictionCode),
    otherJurisdictions: Type.Optional(applicationFields.otherJurisdictions),
    languages: Type.Optional(applicationFields.languages),
    professionalEmail: Type.Optional(applicationFields.professionalEmail),
    expertise: Type.Optional(applicationFields.expertise),
    reason: Type.Optional(applicationFields.reason),
    referee: Type.Optional(applicationFields.referee),
  },
  { additionalProperties: false },
);
export type ApplicationDraftBody = Type.Static<typeof ApplicationDraftBody>;

export const ApplicationEvent = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(APPLICATION_EVENT_KINDS),
  /** The moderator or applicant who acted; null in the applicant's own view of staff actions. */
  actor: Nullable(Person),
  message: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type ApplicationEvent = Type.Static<typeof ApplicationEvent>;

export const Application = Type.Object({
  id: Type.String(),
  status: Type.Enum(APPLICATION_STATUSES),
  ...applicationFields,
  jurisdictionName: Nullable(Type.String()),
  /** The moderator's open question while status is `info_requested`. */
  pendingQuestion: Nullable(Type.String()),
  rejectionReason: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  submittedAt: Nullable(Timestamp),
  decidedAt: Nullable(Timestamp),
  events: Type.Array(ApplicationEvent),
});
export type Application = Type.Static<typeof Application>;

export const ApplicationEnvelope = Type.Object({ application: Nullable(Application) });
export type ApplicationEnvelope = Type.Static<typeof ApplicationEnvelope>;

export const AnswerBody = Type.Object({ answer: Text(TEXT_RULES.answer.max) }, { additionalProperties: false });
export type AnswerBody = Type.Static<typeof AnswerBody>;

// ---- The verified badge ------------------------------------------------------------------------

export const VerifiedBadge = Type.Object({
  profession: Type.Enum(PROFESSIONS),
  position: Type.String(),
  institution: Type.String(),
  jurisdictionCode: Type.String(),
  jurisdictionName: Type.String(),
  verifiedAt: Timestamp,
  verifiedBy: Nullable(Person),
  reverificationDueAt: Timestamp,
  /** The re-verification period has run out; moderators see the member in their "due" list. */
  reverificationDue: Type.Boolean(),
});
export type VerifiedBadge = Type.Static<typeof VerifiedBadge>;

// ---- The moderators' queue ----------------------------------------------------------------------

export const QUEUE_STATUSES = ['submitted', 'info_requested', 'approved', 'rejected', 'withdrawn'] as const;

export const QueueQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(QUEUE_STATUSES)),
    jurisdiction: Type.Optional(JurisdictionCode),
    profession: Type.Optional(Type.Enum(PROFESSIONS)),
    /** Only applications from jurisdictions no moderator covers (meaningful for admins). */
    uncovered: Type.Optional(Type.Boolean()),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type QueueQuery = Type.Static<typeof QueueQuery>;

export const Claim = Type.Object({ by: Person, until: Timestamp, mine: Type.Boolean() });
export type Claim = Type.Static<typeof Claim>;

export const QueueItem = Type.Object({
  id: Type.String(),
  applicant: Person,
  status: Type.Enum(APPLICATION_STATUSES),
  profession: Nullable(Type.Enum(PROFESSIONS)),
  position: Nullable(Type.String()),
  institution: Nullable(Type.String()),
  jurisdictionCode: Nullable(Type.String()),
  jurisdictionName: Nullable(Type.String()),
  submittedAt: Nullable(Timestamp),
  claim: Nullable(Claim),
  approvals: Type.Integer({ minimum: 0 }),
});
export type QueueItem = Type.Static<typeof QueueItem>;

export const QueuePage = Type.Object({
  items: Type.Array(QueueItem),
  /** How many match the filters (all pages). */
  total: Type.Integer({ minimum: 0 }),
  /** Submitted applications waiting for a decision in the viewer's scope, whatever the filters. */
  waiting: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
});
export type QueuePage = Type.Static<typeof QueuePage>;

export const RelatedAccount = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  email: Type.String(),
  role: Type.Enum(ROLES),
  status: Type.Enum(USER_STATUSES),
  institution: Nullable(Type.String()),
  matches: Type.Array(Type.Enum(['email_domain', 'institution'] as const)),
});
export type RelatedAccount = Type.Static<typeof RelatedAccount>;

export const ApplicationReview = Type.Object({
  application: Application,
  applicant: Type.Object({
    id: Type.String(),
    displayName: Type.String(),
    email: Type.String(),
    createdAt: Timestamp,
  }),
  claim: Nullable(Claim),
  approvals: Type.Array(Type.Object({ by: Person, at: Timestamp })),
  requiredApprovals: Type.Integer({ minimum: 1, maximum: 2 }),
  related: Type.Array(RelatedAccount),
  /** What the viewer may do now (the server checks again on every action). */
  can: Type.Object({ claim: Type.Boolean(), decide: Type.Boolean() }),
});
export type ApplicationReview = Type.Static<typeof ApplicationReview>;

export const ApproveBody = Type.Object(
  { note: Type.Optional(Text(TEXT_RULES.note.max)) },
  { additionalProperties: false },
);
export type ApproveBody = Type.Static<typeof ApproveBody>;
export const RejectBody = Type.Object(
  { reason: Text(TEXT_RULES.rejectionReason.max) },
  { additionalProperties: false },
);
export type RejectBody = Type.Static<typeof RejectBody>;
export const RequestInfoBody = Type.Object(
  { question: Text(TEXT_RULES.question.max) },
  { additionalProperties: false },
);
export type RequestInfoBody = Type.Static<typeof RequestInfoBody>;

/**
 * Ready-made rejection reasons a moderator can start from (and edit), by id: the web client words
 * each label and text in the moderator's language (messages `rejection_template_<id>_label/_text`).
 */
export const REJECTION_TEMPLATES = [
  { id: 'not_criminal_justice' },
  { id: 'unverifiable' },
  { id: 'no_answer' },
  { id: 'duplicate' },
] as const;

// ---- Re-verification -----------------------------------------------------------------------------

export const DueMember = Type.Object({ member: Person, email: Type.String(), badge: VerifiedBadge });
export const DueMemberList = Type.Object({ members: Type.Array(DueMember) });
export type DueMemberList = Type.Static<typeof DueMemberList>;

// ---- Admin: users, roles, jurisdictions, suspension, settings ------------------------------------

export const StaffReasonBody = Type.Object(
  { reason: Text(TEXT_RULES.staffReason.max) },
  { additionalProperties: false },
);
export type StaffReasonBody = Type.Static<typeof StaffReasonBody>;

export const ASSIGNABLE_ROLES = ['member', 'moderator', 'admin'] as const;
export const RoleBody = Type.Object(
  { role: Type.Enum(ASSIGNABLE_ROLES), reason: Text(TEXT_RULES.staffReason.max) },
  { additionalProperties: false },
);
export type RoleBody = Type.Static<typeof RoleBody>;

export const JurisdictionsBody = Type.Object(
  { jurisdictions: Type.Array(JurisdictionCode, { maxItems: 300 }) },
  { additionalProperties: false },
);
export type JurisdictionsBody = Type.Static<typeof JurisdictionsBody>;

export const UserQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    role: Type.Optional(Type.Enum(ROLES)),
    status: Type.Optional(Type.Enum(USER_STATUSES)),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type UserQuery = Type.Static<typeof UserQuery>;

export const StaffUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  role: Type.Enum(ROLES),
  status: Type.Enum(USER_STATUSES),
  badge: Nullable(VerifiedBadge),
  moderatorJurisdictions: Type.Array(Type.String()),
  suspendedReason: Nullable(Type.String()),
  /** Has a second factor (authenticator app or passkey): what an admin's factor reset removes. */
  hasSecondFactor: Type.Boolean(),
  createdAt: Timestamp,
});
export type StaffUser = Type.Static<typeof StaffUser>;
export const StaffUserEnvelope = Type.Object({ user: StaffUser });
export type StaffUserEnvelope = Type.Static<typeof StaffUserEnvelope>;
export const StaffUserPage = Type.Object({
  users: Type.Array(StaffUser),
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
});
export type StaffUserPage = Type.Static<typeof StaffUserPage>;

export const Settings = Type.Object({
  /** Two approvals from two different moderators before an application is approved. */
  fourEyesApproval: Type.Boolean(),
  /** How long a moderator's claim on an application lasts. */
  claimMinutes: Type.Integer({ minimum: 5, maximum: 7 * 24 * 60 }),
  /** After how long a verified badge is due for re-verification. */
  reverificationMonths: Type.Integer({ minimum: 1, maximum: 120 }),
  /** Reports for confidential or personal data that hide a post at once, pending review (0: never). */
  confidentialReportsToHide: Type.Integer({ minimum: 0, maximum: 20 }),
  /** A new member's first posts (threads and replies) wait for a moderator's approval (0: none). */
  premoderatedPosts: Type.Integer({ minimum: 0, maximum: 20 }),
  /** Moderators may suspend members (from a post in their scope); otherwise admins only. */
  moderatorsCanSuspend: Type.Boolean(),
});
export type Settings = Type.Static<typeof Settings>;
export const SettingsEnvelope = Type.Object({ settings: Settings });
export type SettingsEnvelope = Type.Static<typeof SettingsEnvelope>;
export const SettingsPatch = Type.Object(
  {
    fourEyesApproval: Type.Optional(Type.Boolean()),
    claimMinutes: Type.Optional(Settings.properties.claimMinutes),
    reverificationMonths: Type.Optional(Settings.properties.reverificationMonths),
    confidentialReportsToHide: Type.Optional(Settings.properties.confidentialReportsToHide),
    premoderatedPosts: Type.Optional(Settings.properties.premoderatedPosts),
    moderatorsCanSuspend: Type.Optional(Settings.properties.moderatorsCanSuspend),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SettingsPatch = Type.Static<typeof SettingsPatch>;
export const DEFAULT_SETTINGS: Settings = {
  fourEyesApproval: false,
  claimMinutes: 60,
  reverificationMonths: 24,
  confidentialReportsToHide: 2,
  premoderatedPosts: 2,
  moderatorsCanSuspend: false,
};
