/** Who a user is in the forum. Creating an account makes an applicant; vetting makes a member. */
export const ROLES = ['applicant', 'member', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const USER_STATUSES = ['active', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Professions a member can be verified as (vetting fills these in). */
export const PROFESSIONS = [
  'judge',
  'prosecutor',
  'investigating_magistrate',
  'law_enforcement_investigator',
  'customs_officer',
  'government_legal_adviser',
  'international_official',
  'academic',
  'private_sector_counsel',
  'other',
] as const;
export type Profession = (typeof PROFESSIONS)[number];
