import type { CurrentUser } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import { landingPath, redirectFor } from './access.js';

const user = (overrides: Partial<CurrentUser>): CurrentUser => ({
  id: 'u1',
  email: 'judge@court.example',
  emailVerified: true,
  displayName: 'Judge',
  username: 'judge',
  role: 'member',
  status: 'active',
  access: 'member',
  applicationStatus: null,
  badge: null,
  languages: [],
  locale: null,
  moderatorJurisdictions: [],
  suspendedReason: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

const applicant = user({ role: 'applicant', access: 'not_vetted', applicationStatus: 'draft' });
const member = user({});
const moderator = user({ role: 'moderator' });
const admin = user({ role: 'admin' });
const suspended = user({ role: 'moderator', status: 'suspended', access: 'suspended' });
const unenrolled = user({ role: 'moderator', access: 'second_factor_required' });
const unenrolledAdmin = user({ role: 'admin', access: 'second_factor_required' });

describe('screen access', () => {
  it.each([
    // [who, path, where they are sent (null: they stay)]
    ['signed out', null, '/', null],
    ['signed out', null, '/sign-in', null],
    ['signed out', null, '/members', '/sign-in'],
    ['signed out', null, '/vetting/abc', '/sign-in'],
    ['signed out', null, '/threads/t1', '/sign-in'],
    ['signed out', null, '/posts/p1/history', '/sign-in'],
    ['signed out', null, '/jurisdictions/FR', '/sign-in'],
    ['signed out', null, '/following', '/sign-in'],
    ['signed out', null, '/search', '/sign-in'],
    ['applicant', applicant, '/', '/apply'],
    ['applicant', applicant, '/apply', null],
    ['applicant', applicant, '/account', null],
    ['applicant', applicant, '/notifications', null],
    ['applicant', applicant, '/members', '/apply'],
    ['applicant', applicant, '/vetting', '/apply'],
    ['applicant', applicant, '/threads/new', '/apply'],
    ['applicant', applicant, '/instruments/medicrime', '/apply'],
    ['applicant', applicant, '/search', '/apply'],
    ['applicant', applicant, '/no/such/page', '/apply'],
    ['suspended moderator', suspended, '/vetting', '/apply'],
    ['member', member, '/', null],
    ['member', member, '/members/x', null],
    ['member', member, '/threads/new', null],
    ['member', member, '/threads/t1', null],
    ['member', member, '/posts/p1/history', null],
    ['member', member, '/topics/counterfeit-medicines', null],
    ['member', member, '/following', null],
    ['member', member, '/search', null],
    ['member', member, '/sign-in', '/'],
    ['member', member, '/vetting', '/'],
    ['member', member, '/moderation', '/'],
    ['member', member, '/moderation/7', '/'],
    ['member', member, '/account/submissions', null],
    ['member', member, '/audit', '/'],
    ['member', member, '/admin', '/'],
    ['moderator', moderator, '/vetting/abc', null],
    ['moderator', moderator, '/moderation/7', null],
    ['admin', admin, '/moderation', null],
    ['moderator', moderator, '/audit', null],
    ['moderator', moderator, '/admin/users/x', '/'],
    ['admin', admin, '/admin/users/x', null],
    ['moderator without a second factor', unenrolled, '/', '/account/security'],
    ['moderator without a second factor', unenrolled, '/vetting', '/account/security'],
    ['moderator without a second factor', unenrolled, '/moderation/7', '/account/security'],
    ['moderator without a second factor', unenrolled, '/threads/t1', '/account/security'],
    ['moderator without a second factor', unenrolled, '/notifications', '/account/security'],
    ['moderator without a second factor', unenrolled, '/apply', '/account/security'],
    ['moderator without a second factor', unenrolled, '/account', null],
    ['moderator without a second factor', unenrolled, '/account/security', null],
    ['admin without a second factor', unenrolledAdmin, '/admin', '/account/security'],
    ['admin without a second factor', unenrolledAdmin, '/audit', '/account/security'],
  ] as const)('%s at %s goes to %s', (_who, who, path, expected) => {
    expect(redirectFor(who, path)?.path ?? null).toBe(expected);
  });

  it.each(['/verify-email', '/forgot-password', '/reset-password'])('opens %s to everyone (email links)', (path) => {
    for (const who of [null, applicant, suspended, member, moderator, admin]) expect(redirectFor(who, path)).toBeNull();
  });

  it('brings a signed-out visitor back to where they were going', () => {
    expect(redirectFor(null, '/vetting/abc')).toEqual({ path: '/sign-in', search: { next: '/vetting/abc' } });
  });

  it('lands members on the forum and everyone else on their application', () => {
    expect(landingPath(member)).toBe('/');
    expect(landingPath(applicant)).toBe('/apply');
    expect(landingPath(suspended)).toBe('/apply');
  });

  it('lands staff without a second factor on the enrolment screen', () => {
    expect(landingPath(unenrolled)).toBe('/account/security');
  });
});
