/**
 * The permission matrix of vetting, staff and audit endpoints: role × account status × action,
 * every cell asserted through the real app. "KE" is the jurisdiction under test: the in-scope
 * moderator covers it, the out-of-scope one covers FR only. Each cell gets fresh targets, so one
 * cell's write never decides another's answer.
 */
import { moderatorJurisdictions, type UserRow } from '@lexforum/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../server/src/modules/auth/session.js';
import { buildTestApp, errorCode, type TestApp } from '../helpers/app.js';
import { COMPLETE_APPLICATION } from '../helpers/vetting.js';

const ACTORS = ['anonymous', 'applicant', 'rejected', 'suspended', 'member', 'modOut', 'modIn', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
/** 'ok' is any 2xx; otherwise the error code expected (its status follows from the code). */
type Outcome = 'ok' | 'UNAUTHENTICATED' | 'NOT_VETTED' | 'REJECTED' | 'SUSPENDED' | 'FORBIDDEN';
const STATUS: Record<Exclude<Outcome, 'ok'>, number> = {
  UNAUTHENTICATED: 401,
  NOT_VETTED: 403,
  REJECTED: 403,
  SUSPENDED: 403,
  FORBIDDEN: 403,
};

interface Targets {
  applicationId: string;
  memberId: string;
  moderatorId: string;
}

interface Row {
  action: string;
  request: (targets: Targets) => { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; body?: unknown };
  expect: Record<ActorName, Outcome>;
}

// Shorthands for common columns.
const gate = {
  anonymous: 'UNAUTHENTICATED',
  applicant: 'NOT_VETTED',
  rejected: 'REJECTED',
  suspended: 'SUSPENDED',
} as const;
const staffInScope = { ...gate, member: 'FORBIDDEN', modOut: 'FORBIDDEN', modIn: 'ok', admin: 'ok' } as const;
const staffAnyScope = { ...gate, member: 'FORBIDDEN', modOut: 'ok', modIn: 'ok', admin: 'ok' } as const;
const adminOnly = { ...gate, member: 'FORBIDDEN', modOut: 'FORBIDDEN', modIn: 'FORBIDDEN', admin: 'ok' } as const;
const membersOnly = { ...gate, member: 'ok', modOut: 'ok', modIn: 'ok', admin: 'ok' } as const;
const everyoneSignedIn = {
  anonymous: 'UNAUTHENTICATED',
  applicant: 'ok',
  rejected: 'ok',
  suspended: 'ok',
  member: 'ok',
  modOut: 'ok',
  modIn: 'ok',
  admin: 'ok',
} as const;
const ownApplication = {
  anonymous: 'UNAUTHENTICATED',
  applicant: 'ok',
  rejected: 'REJECTED',
  suspended: 'SUSPENDED',
  member: 'FORBIDDEN',
  modOut: 'FORBIDDEN',
  modIn: 'FORBIDDEN',
  admin: 'FORBIDDEN',
} as const;

const app = (t: Targets) => `/api/vetting/applications/${t.applicationId}`;
const MATRIX: Row[] = [
  // The applicant's own application
  {
    action: 'read own application',
    request: () => ({ method: 'GET', url: '/api/application' }),
    expect: everyoneSignedIn,
  },
  {
    action: 'save a draft',
    request: () => ({ method: 'PUT', url: '/api/application', body: { position: 'Magistrate' } }),
    expect: ownApplication,
  },
  // The queue and decisions on a KE application
  {
    action: 'list the queue',
    request: () => ({ method: 'GET', url: '/api/vetting/applications' }),
    expect: staffAnyScope,
  },
  { action: 'open a KE application', request: (t) => ({ method: 'GET', url: app(t) }), expect: staffInScope },
  { action: 'claim it', request: (t) => ({ method: 'POST', url: `${app(t)}/claim` }), expect: staffInScope },
  {
    action: 'approve it',
    request: (t) => ({ method: 'POST', url: `${app(t)}/approve`, body: {} }),
    expect: staffInScope,
  },
  {
    action: 'reject it',
    request: (t) => ({ method: 'POST', url: `${app(t)}/reject`, body: { reason: 'Outside the membership.' } }),
    expect: staffInScope,
  },
  {
    action: 'ask for more information',
    request: (t) => ({ method: 'POST', url: `${app(t)}/request-info`, body: { question: 'Which court?' } }),
    expect: staffInScope,
  },
  {
    action: 'list members due re-verification',
    request: () => ({ method: 'GET', url: '/api/vetting/reverification' }),
    expect: staffAnyScope,
  },
  {
    action: 're-verify a KE member',
    request: (t) => ({ method: 'POST', url: `/api/vetting/members/${t.memberId}/reverify` }),
    expect: staffInScope,
  },
  // Roles, jurisdictions, suspension, settings
  { action: 'list accounts', request: () => ({ method: 'GET', url: '/api/admin/users' }), expect: adminOnly },
  {
    action: 'read an account',
    request: (t) => ({ method: 'GET', url: `/api/admin/users/${t.memberId}` }),
    expect: adminOnly,
  },
  {
    action: 'promote a member',
    request: (t) => ({
      method: 'PUT',
      url: `/api/admin/users/${t.memberId}/role`,
      body: { role: 'moderator', reason: 'Covers East Africa' },
    }),
    expect: adminOnly,
  },
  {
    action: "set a moderator's jurisdictions",
    request: (t) => ({
      method: 'PUT',
      url: `/api/admin/users/${t.moderatorId}/jurisdictions`,
      body: { jurisdictions: ['KE', 'TZ'] },
    }),
    expect: adminOnly,
  },
  {
    action: 'suspend a member',
    request: (t) => ({
      method: 'POST',
      url: `/api/admin/users/${t.memberId}/suspend`,
      body: { reason: 'Shared case files' },
    }),
    expect: adminOnly,
  },
  { action: 'read settings', request: () => ({ method: 'GET', url: '/api/admin/settings' }), expect: adminOnly },
  {
    action: 'change settings',
    request: () => ({ method: 'PATCH', url: '/api/admin/settings', body: { claimMinutes: 30 } }),
    expect: adminOnly,
  },
  // Audit, directory, notifications
  { action: 'read the audit log', request: () => ({ method: 'GET', url: '/api/audit' }), expect: staffAnyScope },
  { action: 'browse the directory', request: () => ({ method: 'GET', url: '/api/members' }), expect: membersOnly },
  {
    action: "open a member's profile",
    request: (t) => ({ method: 'GET', url: `/api/members/${t.memberId}` }),
    expect: membersOnly,
  },
  {
    action: 'read notifications',
    request: () => ({ method: 'GET', url: '/api/notifications' }),
    expect: everyoneSignedIn,
  },
];

describe('Permission matrix (role × status × action)', () => {
  let t: TestApp;
  const cookies = {} as Record<ActorName, string | undefined>;
  let seq = 0;

  /** A user with a session made directly (no password hashing: the matrix makes hundreds). */
  const userWithSession = async (overrides: Partial<UserRow>) => {
    const user = await t.createUser({ email: `p${seq++}@matrix${seq}.example`, ...overrides });
    const { token } = createSession(t.handle.db, user.id, { userAgent: null, ip: null }, t.clock.now());
    return { user, cookie: `lexforum_session=${token}` };
  };
  const verified = (code: string) =>
    ({
      verifiedAt: t.clock.now(),
      profession: 'judge',
      position: 'Judge',
      institution: 'Court',
      jurisdictionCode: code,
    }) as const;

  const freshTargets = async (): Promise<Targets> => {
    const applicant = await userWithSession({ role: 'applicant' });
    const put = await t.request({
      method: 'PUT',
      url: '/api/application',
      cookie: applicant.cookie,
      body: COMPLETE_APPLICATION,
    });
    await t.request({ method: 'POST', url: '/api/application/submit', cookie: applicant.cookie });
    const member = await userWithSession({ role: 'member', ...verified('KE') });
    const moderator = await userWithSession({ role: 'moderator', ...verified('KE') });
    return { applicationId: put.json().application.id, memberId: member.user.id, moderatorId: moderator.user.id };
  };

  beforeAll(async () => {
    t = await buildTestApp();
    cookies.anonymous = undefined;
    cookies.applicant = (await userWithSession({ role: 'applicant' })).cookie;
    cookies.member = (await userWithSession({ role: 'member', ...verified('FR') })).cookie;
    cookies.suspended = (await userWithSession({ role: 'member', status: 'suspended', ...verified('KE') })).cookie;
    const modIn = await userWithSession({ role: 'moderator', ...verified('KE') });
    const modOut = await userWithSession({ role: 'moderator', ...verified('FR') });
    t.handle.db
      .insert(moderatorJurisdictions)
      .values([
        { userId: modIn.user.id, jurisdictionCode: 'KE' },
        { userId: modOut.user.id, jurisdictionCode: 'FR' },
      ])
      .run();
    cookies.modIn = modIn.cookie;
    cookies.modOut = modOut.cookie;
    cookies.admin = (await userWithSession({ role: 'admin' })).cookie;
    // A rejected applicant: rejected through the API by the in-scope moderator.
    const rejected = await userWithSession({ role: 'applicant' });
    const saved = await t.request({
      method: 'PUT',
      url: '/api/application',
      cookie: rejected.cookie,
      body: COMPLETE_APPLICATION,
    });
    await t.request({ method: 'POST', url: '/api/application/submit', cookie: rejected.cookie });
    const res = await t.request({
      method: 'POST',
      url: `/api/vetting/applications/${saved.json().application.id}/reject`,
      cookie: modIn.cookie,
      body: { reason: 'Not a criminal-justice role.' },
    });
    expect(res.statusCode).toBe(200);
    cookies.rejected = rejected.cookie;
  });
  afterAll(async () => t.close());

  it.each(MATRIX)('$action', async (row) => {
    const cells: string[] = [];
    for (const actor of ACTORS) {
      const targets = await freshTargets();
      const { method, url, body } = row.request(targets);
      const cookie = cookies[actor];
      const res = await t.request({ method, url, body, ...(cookie ? { cookie } : {}) });
      const expected = row.expect[actor];
      const got = res.statusCode < 300 ? 'ok' : (errorCode(res) ?? String(res.statusCode));
      if (expected !== 'ok' && res.statusCode !== STATUS[expected]) cells.push(`${actor}: status ${res.statusCode}`);
      if (got !== expected) cells.push(`${actor}: expected ${expected}, got ${got} (${res.statusCode})`);
    }
    expect(cells, `${row.action}\n${cells.join('\n')}`).toEqual([]);
  });
});
