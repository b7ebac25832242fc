import type { UserRow } from '@lexforum/db';
import type { ApplicationStatus, MessagingRefusal } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import { Guardian, type MessagingTarget } from './guardian.js';

const now = new Date('2026-11-22T09:00:00Z');
function guardianFor(
  role: UserRow['role'],
  status: UserRow['status'],
  applicationStatus: ApplicationStatus | null = null,
  covered: string[] = [],
  secondFactor = true,
) {
  const user = { id: 'me', role, status, secondFactor, createdAt: now, updatedAt: now } as UserRow;
  return new Guardian({ user, applicationStatus, coveredJurisdictions: new Set(covered) });
}

describe('Guardian', () => {
  // role, status, application, covered → access, forum, apply, staff, admin, review KE, audit KE entry
  const table: [
    string,
    ReturnType<typeof guardianFor>,
    string,
    boolean,
    boolean,
    boolean,
    boolean,
    boolean,
    boolean,
  ][] = [
    [
      'applicant, draft',
      guardianFor('applicant', 'active', 'draft'),
      'not_vetted',
      false,
      true,
      false,
      false,
      false,
      false,
    ],
    ['applicant, none yet', guardianFor('applicant', 'active'), 'not_vetted', false, true, false, false, false, false],
    [
      'applicant, rejected',
      guardianFor('applicant', 'active', 'rejected'),
      'rejected',
      false,
      false,
      false,
      false,
      false,
      false,
    ],
    [
      'applicant, suspended',
      guardianFor('applicant', 'suspended', 'submitted'),
      'suspended',
      false,
      false,
      false,
      false,
      false,
      false,
    ],
    ['member', guardianFor('member', 'active'), 'member', true, false, false, false, false, false],
    ['member, suspended', guardianFor('member', 'suspended'), 'suspended', false, false, false, false, false, false],
    [
      'moderator of FR',
      guardianFor('moderator', 'active', null, ['FR']),
      'member',
      true,
      false,
      true,
      false,
      false,
      false,
    ],
    [
      'moderator of KE',
      guardianFor('moderator', 'active', null, ['KE']),
      'member',
      true,
      false,
      true,
      false,
      true,
      true,
    ],
    [
      'moderator of KE, suspended',
      guardianFor('moderator', 'suspended', null, ['KE']),
      'suspended',
      false,
      false,
      false,
      false,
      false,
      false,
    ],
    ['admin', guardianFor('admin', 'active'), 'member', true, false, true, true, true, true],
    // Staff without a second factor: nothing but their account until they enrol.
    [
      'moderator of KE, no second factor',
      guardianFor('moderator', 'active', null, ['KE'], false),
      'second_factor_required',
      false,
      false,
      false,
      false,
      false,
      false,
    ],
    [
      'admin, no second factor',
      guardianFor('admin', 'active', null, [], false),
      'second_factor_required',
      false,
      false,
      false,
      false,
      false,
      false,
    ],
    [
      'member, no second factor',
      guardianFor('member', 'active', null, [], false),
      'member',
      true,
      false,
      false,
      false,
      false,
      false,
    ],
    ['admin, suspended', guardianFor('admin', 'suspended'), 'suspended', false, false, false, false, false, false],
  ];

  it.each(table)('%s', (_, g, access, forum, apply, staff, admin, reviewKe, auditKe) => {
    expect({
      access: g.access,
      forum: g.canUseForum(),
      apply: g.canApply(),
      staff: g.isStaff,
      admin: g.canManageUsers(),
      reviewKe: g.canReviewApplication({ jurisdictionCode: 'KE', userId: 'someone' }),
      auditKe: g.canViewAuditEntry({ jurisdictionCode: 'KE' }),
    }).toEqual({ access, forum, apply, staff, admin, reviewKe, auditKe });
  });

  // Threads and posts: who replies, and who edits their own and others' posts and threads.
  // label, guardian → reply, edit own post, edit another's post, edit own thread, edit another's thread
  const forumTable: [string, ReturnType<typeof guardianFor>, boolean, boolean, boolean, boolean, boolean][] = [
    ['applicant, draft', guardianFor('applicant', 'active', 'draft'), false, false, false, false, false],
    ['applicant, submitted', guardianFor('applicant', 'active', 'submitted'), false, false, false, false, false],
    ['applicant, rejected', guardianFor('applicant', 'active', 'rejected'), false, false, false, false, false],
    ['member', guardianFor('member', 'active'), true, true, false, true, false],
    ['member, suspended', guardianFor('member', 'suspended'), false, false, false, false, false],
    ['moderator of FR', guardianFor('moderator', 'active', null, ['FR']), true, true, false, true, false],
    ['moderator, suspended', guardianFor('moderator', 'suspended', null, ['FR']), false, false, false, false, false],
    ['admin', guardianFor('admin', 'active'), true, true, false, true, false],
    ['admin, suspended', guardianFor('admin', 'suspended'), false, false, false, false, false],
  ];

  it.each(forumTable)('%s in threads', (_, g, reply, ownPost, otherPost, ownThread, otherThread) => {
    const thread = { id: 't1', authorId: 'someone', jurisdictions: ['FR'] };
    expect({
      reply: g.canReply(thread),
      ownPost: g.canEditPost({ authorId: 'me' }),
      otherPost: g.canEditPost({ authorId: 'someone' }),
      ownThread: g.canEditThread({ authorId: 'me' }),
      otherThread: g.canEditThread(thread),
    }).toEqual({ reply, ownPost, otherPost, ownThread, otherThread });
  });

  it('sends applications without a jurisdiction, and audit entries without one, to admins only', () => {
    expect(guardianFor('moderator', 'active', null, ['KE']).coversJurisdiction(null)).toBe(false);
    expect(guardianFor('admin', 'active').coversJurisdiction(null)).toBe(true);
    expect(guardianFor('moderator', 'active', null, ['KE']).canViewAuditEntry({ jurisdictionCode: null })).toBe(false);
  });

  it('never lets staff act on themselves where it matters', () => {
    const admin = guardianFor('admin', 'active');
    expect(admin.canChangeRoleOf({ id: 'me' })).toBe(false);
    expect(admin.canSuspend({ id: 'me' })).toBe(false);
    expect(admin.canChangeRoleOf({ id: 'other' })).toBe(true);
    expect(admin.canReviewApplication({ jurisdictionCode: 'KE', userId: 'me' })).toBe(false);
    expect(admin.canReverify({ id: 'me', jurisdictionCode: 'KE' })).toBe(false);
  });

  it('lets a post be redacted by its author or a moderator in scope, as a matrix', () => {
    const fr = { jurisdictions: ['FR'] };
    const mine = { authorId: 'me' };
    const theirs = { authorId: 'other' };
    // who → [their post in FR, their post in FR with a staffed jurisdiction elsewhere, my own post]
    const cases: [string, Guardian, boolean, boolean][] = [
      ['member', guardianFor('member', 'active'), false, true],
      ['suspended member', guardianFor('member', 'suspended'), false, false],
      ['applicant', guardianFor('applicant', 'active', 'submitted'), false, false],
      ['moderator of FR', guardianFor('moderator', 'active', null, ['FR']), true, true],
      ['admin', guardianFor('admin', 'active'), true, true],
    ];
    for (const [label, g, other, own] of cases) {
      expect(g.canRedactPost(theirs, fr), label).toBe(other);
      expect(g.canRedactPost(mine, fr), label).toBe(own);
    }
    const ke = new Guardian({
      user: {
        id: 'me',
        role: 'moderator',
        status: 'active',
        secondFactor: true,
        createdAt: now,
        updatedAt: now,
      } as UserRow,
      applicationStatus: null,
      coveredJurisdictions: new Set(['KE']),
      staffedJurisdictions: () => new Set(['FR', 'KE']),
    });
    expect(ke.canRedactPost(theirs, fr)).toBe(false);
    expect(ke.canRedactPost(mine, fr)).toBe(true);
  });

  it('answers each refusal with its stable code', () => {
    const code = (g: Guardian) => {
      try {
        g.ensureForumAccess();
        return 'ok';
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    expect(code(guardianFor('applicant', 'active', 'submitted'))).toBe('NOT_VETTED');
    expect(code(guardianFor('applicant', 'active', 'rejected'))).toBe('REJECTED');
    expect(code(guardianFor('member', 'suspended'))).toBe('SUSPENDED');
    expect(code(guardianFor('member', 'active'))).toBe('ok');
  });
});

describe('Guardian: who may message whom', () => {
  const sender = (role: UserRow['role'], status: UserRow['status'] = 'active') => {
    const user = {
      id: 'me',
      role,
      status,
      secondFactor: true,
      jurisdictionCode: 'FR',
      otherJurisdictions: ['BE'],
      createdAt: now,
      updatedAt: now,
    } as UserRow;
    return new Guardian({ user, applicationStatus: null, coveredJurisdictions: new Set() });
  };
  const target = (overrides: Partial<MessagingTarget> = {}): MessagingTarget => ({
    id: 'them',
    role: 'member',
    status: 'active',
    verifiedAt: now,
    jurisdictionCode: 'KE',
    otherJurisdictions: [],
    messagingAllowFrom: 'verified',
    blocked: false,
    ...overrides,
  });

  // sender, target, refusal (null: allowed)
  const matrix: [string, Guardian, MessagingTarget, MessagingRefusal | null][] = [
    ['a member, anyone verified', sender('member'), target(), null],
    ['staff get no exception', sender('admin'), target({ messagingAllowFrom: 'nobody' }), 'nobody'],
    ['a member, nobody', sender('member'), target({ messagingAllowFrom: 'nobody' }), 'nobody'],
    ['no shared jurisdiction', sender('member'), target({ messagingAllowFrom: 'jurisdictions' }), 'jurisdictions'],
    ['served by both', sender('member'), target({ messagingAllowFrom: 'jurisdictions', jurisdictionCode: 'FR' }), null],
    [
      "the sender's expertise is where they serve",
      sender('member'),
      target({ messagingAllowFrom: 'jurisdictions', jurisdictionCode: 'BE' }),
      null,
    ],
    [
      'their expertise is where the sender serves',
      sender('member'),
      target({ messagingAllowFrom: 'jurisdictions', otherJurisdictions: ['FR'] }),
      null,
    ],
    ['a block either way', sender('member'), target({ blocked: true }), 'blocked'],
    [
      'a block beats an open door',
      sender('member'),
      target({ blocked: true, messagingAllowFrom: 'nobody' }),
      'blocked',
    ],
    ['an applicant recipient', sender('member'), target({ role: 'applicant', verifiedAt: null }), 'unavailable'],
    ['a suspended recipient', sender('member'), target({ status: 'suspended' }), 'unavailable'],
    ['oneself', sender('member'), target({ id: 'me' }), 'unavailable'],
    ['an applicant sender', sender('applicant'), target(), 'unavailable'],
    ['a suspended sender', sender('member', 'suspended'), target(), 'unavailable'],
  ];
  it.each(matrix)('%s', (_label, guardian, them, refusal) => {
    expect(guardian.messagingRefusal(them)).toBe(refusal);
  });

  it('lets only current participants read a conversation, staff included', () => {
    for (const g of [sender('member'), sender('moderator'), sender('admin')]) {
      expect(g.canReadConversation(undefined)).toBe(false);
      expect(g.canReadConversation({ leftAt: now })).toBe(false);
      expect(g.canReadConversation({ leftAt: null })).toBe(true);
    }
  });

  it('lets the author edit a visible message within the window only', () => {
    const g = sender('member');
    const message = { authorId: 'me', state: 'visible', createdAt: now };
    const window = 15 * 60_000;
    expect(g.canEditMessage(message, window, new Date(now.getTime() + window - 1))).toBe(true);
    expect(g.canEditMessage(message, window, new Date(now.getTime() + window))).toBe(false);
    expect(g.canEditMessage({ ...message, state: 'deleted' }, window, now)).toBe(false);
    expect(g.canEditMessage({ ...message, authorId: 'them' }, window, now)).toBe(false);
  });
});
