/**
 * The audit log: every audited action, performed through the API, leaves exactly one entry saying
 * who did what to whom, where, why and what changed; a refused action leaves none and changes
 * nothing; an action whose entry cannot be written does not happen. Then reading the log: filters,
 * paging, jurisdiction scope, and no way to change or delete an entry.
 */
import { mailOutbox } from '@lexforum/db';
import { AUDIT_ACTIONS, type AuditAction, type AuditTargetType } from '@lexforum/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  DAY,
  errorCode,
  HOUR,
  MINUTE,
  pendingCookie,
  TEST_PASSWORD,
  TEST_TOTP_KEY,
  totpCode,
  type TestApp,
} from '../helpers/app.js';
import { linkToken } from '../helpers/mail.js';
import { enrolPasskey, passkeyOptions, softAuthenticatorFor } from '../helpers/passkeys.js';
import { replyTo, startThread } from '../helpers/threads.js';
import { totpStepAt } from '../helpers/totp.js';
import type { CreationOptions } from '../helpers/webauthn.js';
import { admin, applicant, member, moderator, type Actor } from '../helpers/vetting.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Call {
  method: Method;
  url: string;
  cookie: string;
  body?: unknown;
}

interface ExpectedEntry {
  /** Null when the system acted (reports hid a post automatically). */
  actor: string | null;
  targetType: AuditTargetType;
  targetId: string | null;
  targetUser: string | null;
  jurisdictionCode: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
}

interface Failure {
  label: string;
  call: Call;
  status: 400 | 401 | 403 | 404 | 409 | 410;
  code: string;
}

interface Case {
  call: Call;
  expected: ExpectedEntry;
  failures: Failure[];
  /**
   * The acting call's answer when the audited action is itself a refusal that is recorded (a wrong
   * second-factor code); otherwise the call must succeed.
   */
  answer?: { status: number; code: string };
  /**
   * Entries the same call must write right after this action's, in this order, when one request
   * does two audited things by design (a recovery code spent at sign-in, and the sign-in).
   */
  alsoRecorded?: AuditAction[];
  /**
   * Why no refusal of this action is a 403, for flows that no role or re-authentication guards
   * (a link in an email, a pending sign-in, a password form): every other case must list one.
   */
  no403?: string;
  /**
   * A snapshot query whose rows an attempt spends even when the action fails (a single-use
   * challenge taken before an asynchronous check), and why: left out of the "does not happen" check.
   */
  spentAnyway?: { query: string; why: string };
}

interface AuditRow {
  id: number;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  target_user_id: string | null;
  jurisdiction_code: string | null;
  reason: string | null;
  before: string | null;
  after: string | null;
  created_at: number;
}

const appUrl = (id: string | null) => `/api/vetting/applications/${id}`;
const as = (actor: Actor, method: Method, url: string, body?: unknown): Call => ({
  method,
  url,
  cookie: actor.cookie,
  ...(body !== undefined && { body }),
});

async function send(t: TestApp, call: Call) {
  return t.request({ method: call.method, url: call.url, cookie: call.cookie, body: call.body });
}

async function mustSucceed(t: TestApp, call: Call) {
  const res = await send(t, call);
  if (res.statusCode >= 300) throw new Error(`${call.method} ${call.url}: ${res.statusCode} ${res.body}`);
  return res;
}

/**
 * One arrangement per audited action: the successful call and what its entry must say, and calls
 * that must be refused. `Record<AuditAction, …>` makes a new action without a row a type error.
 */
const CASES: Record<AuditAction, (t: TestApp) => Promise<Case>> = {
  'application.submit': async (t) => {
    const a = await applicant(t, 'draft');
    const incomplete = await applicant(t, 'draft', { application: { expertise: null } });
    const submitted = await applicant(t, 'submitted');
    const m = await member(t);
    return {
      call: as(a, 'POST', '/api/application/submit'),
      expected: {
        actor: a.user.id,
        targetType: 'application',
        targetId: a.applicationId,
        targetUser: a.user.id,
        jurisdictionCode: 'KE',
        reason: null,
        before: null,
        after: { status: 'submitted' },
      },
      failures: [
        {
          label: 'an incomplete application',
          call: as(incomplete, 'POST', '/api/application/submit'),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        { label: 'a member', call: as(m, 'POST', '/api/application/submit'), status: 403, code: 'FORBIDDEN' },
        {
          label: 'a second submission',
          call: as(submitted, 'POST', '/api/application/submit'),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'application.answer': async (t) => {
    const mod = await moderator(t, ['KE']);
    const a = await applicant(t, 'info_requested', { reviewer: mod });
    const waiting = await applicant(t, 'submitted');
    const m = await member(t);
    const answer = { answer: 'The Economic Crimes Division.' };
    return {
      call: as(a, 'POST', '/api/application/answer', answer),
      expected: {
        actor: a.user.id,
        targetType: 'application',
        targetId: a.applicationId,
        targetUser: a.user.id,
        jurisdictionCode: 'KE',
        reason: null,
        before: { status: 'info_requested' },
        after: { status: 'submitted' },
      },
      failures: [
        {
          label: 'a one-letter answer',
          call: as(a, 'POST', '/api/application/answer', { answer: 'x' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'an answer that is not text',
          call: as(a, 'POST', '/api/application/answer', { answer: 42 }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        { label: 'a member', call: as(m, 'POST', '/api/application/answer', answer), status: 403, code: 'FORBIDDEN' },
        {
          label: 'no open question',
          call: as(waiting, 'POST', '/api/application/answer', answer),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'application.withdraw': async (t) => {
    const mod = await moderator(t, ['KE']);
    const a = await applicant(t, 'submitted');
    const withdrawn = await applicant(t, 'withdrawn');
    const rejected = await applicant(t, 'rejected', { reviewer: mod });
    const m = await member(t);
    return {
      call: as(a, 'POST', '/api/application/withdraw'),
      expected: {
        actor: a.user.id,
        targetType: 'application',
        targetId: a.applicationId,
        targetUser: a.user.id,
        jurisdictionCode: 'KE',
        reason: null,
        before: { status: 'submitted' },
        after: { status: 'withdrawn' },
      },
      failures: [
        { label: 'a member', call: as(m, 'POST', '/api/application/withdraw'), status: 403, code: 'FORBIDDEN' },
        {
          label: 'a rejected applicant',
          call: as(rejected, 'POST', '/api/application/withdraw'),
          status: 403,
          code: 'REJECTED',
        },
        {
          label: 'an application already withdrawn',
          call: as(withdrawn, 'POST', '/api/application/withdraw'),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'application.claim': async (t) => {
    const mod = await moderator(t, ['KE']);
    const other = await moderator(t, ['KE']);
    const fr = await moderator(t, ['FR']);
    const a = await applicant(t, 'submitted');
    const taken = await applicant(t, 'submitted');
    await mustSucceed(t, as(other, 'POST', `${appUrl(taken.applicationId)}/claim`));
    const decided = await applicant(t, 'rejected', { reviewer: mod });
    return {
      call: as(mod, 'POST', `${appUrl(a.applicationId)}/claim`),
      expected: {
        actor: mod.user.id,
        targetType: 'application',
        targetId: a.applicationId,
        targetUser: a.user.id,
        jurisdictionCode: 'KE',
        reason: null,
        before: null,
        after: { claimedUntil: new Date(t.clock.now().getTime() + 60 * MINUTE).toISOString() },
      },
      failures: [
        {
          label: 'a malformed id',
          call: as(mod, 'POST', `${appUrl('not-an-id!')}/claim`),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'a moderator of another jurisdiction',
          call: as(fr, 'POST', `${appUrl(a.applicationId)}/claim`),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'an application claimed by someone else',
          call: as(mod, 'POST', `${appUrl(taken.applicationId)}/claim`),
          status: 409,
          code: 'CLAIMED_BY_OTHER',
        },
        {
          label: 'a decided application',
          call: as(mod, 'POST', `${appUrl(decided.applicationId)}/claim`),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'application.release': async (t) => {
    const mod = await moderator(t, ['KE']);
    const other = await moderator(t, ['KE']);
    const fr = await moderator(t, ['FR']);
    const a = await applicant(t, 'submitted');
    await mustSucceed(t, as(mod, 'POST', `${appUrl(a.applicationId)}/claim`));
    const unclaimed = await applicant(t, 'submitted');
    return {
      call: as(mod, 'DELETE', `${appUrl(a.applicationId)}/claim`),
      expected: {
        actor: mod.user.id,
        targetType: 'application',
        targetId: a.applicationId,
        targetUser: a.user.id,
        jurisdictionCode: 'KE',
        reason: null,
        before: { claimedById: mod.user.id },
        after: null,
      },
      failures: [
        {
          label: 'a moderator of another jurisdiction',
          call: as(fr, 'DELETE', `${appUrl(a.applicationId)}/claim`),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: "another moderator's claim",
          call: as(other, 'DELETE', `${appUrl(a.applicationId)}/claim`),
          status: 409,
          code: 'INVALID_STATE',
        },
        {
          label: 'no claim at all',
          call: as(mod, 'DELETE', `${appUrl(unclaimed.applicationId)}/claim`),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'application.request_info': async (t) => {
    const mod = await moderator(t, ['KE']);
    const fr = await moderator(t, ['FR']);
    const a = await applicant(t, 'submitted');
    const asked = await applicant(t, 'info_requested', { reviewer: mod });
    const question = 'Which division of the ODPP do you serve in?';
    return {
      call: as(mod, 'POST', `${appUrl(a.applicationId)}/request-info`, { question }),
      expected: {
        actor: mod.user.id,
        targetType: 'application',
        targetId: a.applicationId,
        targetUser: a.user.id,
        jurisdictionCode: 'KE',
        reason: question,
        before: { status: 'submitted' },
        after: { status: 'info_requested' },
      },
      failures: [
        {
          label: 'a question too short',
          call: as(mod, 'POST', `${appUrl(a.applicationId)}/request-info`, { question: 'Why' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'an unknown field',
          call: as(mod, 'POST', `${appUrl(a.applicationId)}/request-info`, { question, urgent: true }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'a moderator of another jurisdiction',
          call: as(fr, 'POST', `${appUrl(a.applicationId)}/request-info`, { question }),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'an application already waiting for an answer',
          call: as(mod, 'POST', `${appUrl(asked.applicationId)}/request-info`, { question }),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'application.approval': async (t) => {
    const adm = await admin(t);
    await mustSucceed(t, as(adm, 'PATCH', '/api/admin/settings', { fourEyesApproval: true }));
    const one = await moderator(t, ['KE']);
    const fr = await moderator(t, ['FR']);
    const a = await applicant(t, 'submitted');
    const approvedOnce = await applicant(t, 'submitted');
    await mustSucceed(t, as(one, 'POST', `${appUrl(approvedOnce.applicationId)}/approve`, {}));
    const note = 'Checked with the ODPP staff directory.';
    return {
      call: as(one, 'POST', `${appUrl(a.applicationId)}/approve`, { note }),
      expected: {
        actor: one.user.id,
        targetType: 'application',
        targetId: a.applicationId,
        targetUser: a.user.id,
        jurisdictionCode: 'KE',
        reason: note,
        before: null,
        after: { approvals: 1, required: 2 },
      },
      failures: [
        {
          label: 'an empty note',
          call: as(one, 'POST', `${appUrl(a.applicationId)}/approve`, { note: '' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'a moderator of another jurisdiction',
          call: as(fr, 'POST', `${appUrl(a.applicationId)}/approve`, { note }),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'the same moderator approving twice',
          call: as(one, 'POST', `${appUrl(approvedOnce.applicationId)}/approve`, { note }),
          status: 409,
          code: 'ALREADY_APPROVED',
        },
      ],
    };
  },

  'application.approve': async (t) => {
    const mod = await moderator(t, ['KE']);
    const fr = await moderator(t, ['FR']);
    const a = await applicant(t, 'submitted');
    const asked = await applicant(t, 'info_requested', { reviewer: mod });
    const m = await member(t);
    const note = 'Confirmed by telephone with the ODPP.';
    return {
      call: as(mod, 'POST', `${appUrl(a.applicationId)}/approve`, { note }),
      expected: {
        actor: mod.user.id,
        targetType: 'application',
        targetId: a.applicationId,
        targetUser: a.user.id,
        jurisdictionCode: 'KE',
        reason: note,
        before: { status: 'submitted', role: 'applicant' },
        after: { status: 'approved', role: 'member', approvedBy: [mod.user.id] },
      },
      failures: [
        {
          label: 'a blank note',
          call: as(mod, 'POST', `${appUrl(a.applicationId)}/approve`, { note: '   ' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'a note that is not text',
          call: as(mod, 'POST', `${appUrl(a.applicationId)}/approve`, { note: 7 }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'a member',
          call: as(m, 'POST', `${appUrl(a.applicationId)}/approve`, {}),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'a moderator of another jurisdiction',
          call: as(fr, 'POST', `${appUrl(a.applicationId)}/approve`, {}),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'an application waiting for an answer',
          call: as(mod, 'POST', `${appUrl(asked.applicationId)}/approve`, {}),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'application.reject': async (t) => {
    const mod = await moderator(t, ['KE']);
    const fr = await moderator(t, ['FR']);
    const a = await applicant(t, 'submitted');
    const approved = await applicant(t, 'submitted');
    await mustSucceed(t, as(mod, 'POST', `${appUrl(approved.applicationId)}/approve`, {}));
    const reason = 'We could not verify your position with your institution.';
    return {
      call: as(mod, 'POST', `${appUrl(a.applicationId)}/reject`, { reason }),
      expected: {
        actor: mod.user.id,
        targetType: 'application',
        targetId: a.applicationId,
        targetUser: a.user.id,
        jurisdictionCode: 'KE',
        reason,
        before: { status: 'submitted' },
        after: { status: 'rejected' },
      },
      failures: [
        {
          label: 'a reason too short',
          call: as(mod, 'POST', `${appUrl(a.applicationId)}/reject`, { reason: 'No.' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'no reason',
          call: as(mod, 'POST', `${appUrl(a.applicationId)}/reject`, {}),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'a moderator of another jurisdiction',
          call: as(fr, 'POST', `${appUrl(a.applicationId)}/reject`, { reason }),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'an approved application',
          call: as(mod, 'POST', `${appUrl(approved.applicationId)}/reject`, { reason }),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'member.reverify': async (t) => {
    const mod = await moderator(t, ['FR']);
    const ke = await moderator(t, ['KE']);
    const m = await member(t, { jurisdictionCode: 'FR' });
    const a = await applicant(t, 'submitted');
    const verifiedAt = m.user.verifiedAt!.toISOString();
    t.clock.advance(HOUR);
    const url = (id: string) => `/api/vetting/members/${id}/reverify`;
    return {
      call: as(mod, 'POST', url(m.user.id)),
      expected: {
        actor: mod.user.id,
        targetType: 'user',
        targetId: m.user.id,
        targetUser: m.user.id,
        jurisdictionCode: 'FR',
        reason: null,
        before: { verifiedAt },
        after: { verifiedAt: t.clock.now().toISOString() },
      },
      failures: [
        { label: 'a malformed id', call: as(mod, 'POST', url('a b')), status: 400, code: 'VALIDATION_FAILED' },
        { label: 'a member', call: as(m, 'POST', url(mod.user.id)), status: 403, code: 'FORBIDDEN' },
        {
          label: 'a moderator of another jurisdiction',
          call: as(ke, 'POST', url(m.user.id)),
          status: 403,
          code: 'FORBIDDEN',
        },
        { label: 'a moderator on themself', call: as(mod, 'POST', url(mod.user.id)), status: 403, code: 'FORBIDDEN' },
        { label: 'an applicant', call: as(mod, 'POST', url(a.user.id)), status: 404, code: 'NOT_FOUND' },
      ],
    };
  },

  'user.role_change': async (t) => {
    const adm = await admin(t);
    const mod = await moderator(t, ['FR']);
    const m = await member(t, { jurisdictionCode: 'FR' });
    const a = await applicant(t, 'submitted');
    const url = (id: string) => `/api/admin/users/${id}/role`;
    const body = { role: 'moderator', reason: 'Covers the francophone courts.' };
    return {
      call: as(adm, 'PUT', url(m.user.id), body),
      expected: {
        actor: adm.user.id,
        targetType: 'user',
        targetId: m.user.id,
        targetUser: m.user.id,
        jurisdictionCode: 'FR',
        reason: body.reason,
        before: { role: 'member' },
        after: { role: 'moderator' },
      },
      failures: [
        {
          label: 'a reason too short',
          call: as(adm, 'PUT', url(m.user.id), { ...body, reason: 'ok' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'an unknown role',
          call: as(adm, 'PUT', url(m.user.id), { ...body, role: 'superuser' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        { label: 'a moderator', call: as(mod, 'PUT', url(m.user.id), body), status: 403, code: 'FORBIDDEN' },
        {
          label: 'an admin on themself',
          call: as(adm, 'PUT', url(adm.user.id), body),
          status: 403,
          code: 'FORBIDDEN',
        },
        { label: 'an applicant', call: as(adm, 'PUT', url(a.user.id), body), status: 409, code: 'INVALID_STATE' },
        {
          label: 'the role they already have',
          call: as(adm, 'PUT', url(m.user.id), { ...body, role: 'member' }),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'user.jurisdictions_change': async (t) => {
    const adm = await admin(t);
    const mod = await moderator(t, ['KE']);
    const m = await member(t);
    const url = (id: string) => `/api/admin/users/${id}/jurisdictions`;
    return {
      call: as(adm, 'PUT', url(mod.user.id), { jurisdictions: ['TZ', 'KE', 'UG'] }),
      expected: {
        actor: adm.user.id,
        targetType: 'user',
        targetId: mod.user.id,
        targetUser: mod.user.id,
        jurisdictionCode: 'KE',
        reason: null,
        before: { jurisdictions: ['KE'] },
        after: { jurisdictions: ['KE', 'TZ', 'UG'] },
      },
      failures: [
        {
          label: 'an unknown code',
          call: as(adm, 'PUT', url(mod.user.id), { jurisdictions: ['KE', 'XX'] }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'a code twice',
          call: as(adm, 'PUT', url(mod.user.id), { jurisdictions: ['UG', 'UG'] }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'a lower-case code',
          call: as(adm, 'PUT', url(mod.user.id), { jurisdictions: ['ug'] }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'the moderator on themself',
          call: as(mod, 'PUT', url(mod.user.id), { jurisdictions: ['UG'] }),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'a member',
          call: as(adm, 'PUT', url(m.user.id), { jurisdictions: ['UG'] }),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'user.suspend': async (t) => {
    const adm = await admin(t);
    const mod = await moderator(t, ['FR']);
    const m = await member(t, { jurisdictionCode: 'FR' });
    await t.loginAs(m.user); // a second session: both end
    const already = await t.createUser({ role: 'member', status: 'suspended', suspendedReason: 'Earlier.' });
    const url = (id: string) => `/api/admin/users/${id}/suspend`;
    const reason = 'Shared case files outside the forum.';
    return {
      call: as(adm, 'POST', url(m.user.id), { reason }),
      expected: {
        actor: adm.user.id,
        targetType: 'user',
        targetId: m.user.id,
        targetUser: m.user.id,
        jurisdictionCode: 'FR',
        reason,
        before: { status: 'active' },
        after: { status: 'suspended', sessionsEnded: 2 },
      },
      failures: [
        {
          label: 'a reason too short',
          call: as(adm, 'POST', url(m.user.id), { reason: 'no' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        { label: 'a moderator', call: as(mod, 'POST', url(m.user.id), { reason }), status: 403, code: 'FORBIDDEN' },
        {
          label: 'an admin on themself',
          call: as(adm, 'POST', url(adm.user.id), { reason }),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'an account already suspended',
          call: as(adm, 'POST', url(already.id), { reason }),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'user.reinstate': async (t) => {
    const adm = await admin(t);
    const mod = await moderator(t, ['FR']);
    const s = await member(t, { jurisdictionCode: 'FR' });
    const active = await member(t);
    await mustSucceed(t, as(adm, 'POST', `/api/admin/users/${s.user.id}/suspend`, { reason: 'Shared case files.' }));
    const url = (id: string) => `/api/admin/users/${id}/reinstate`;
    const reason = 'Cleared by the ethics committee.';
    return {
      call: as(adm, 'POST', url(s.user.id), { reason }),
      expected: {
        actor: adm.user.id,
        targetType: 'user',
        targetId: s.user.id,
        targetUser: s.user.id,
        jurisdictionCode: 'FR',
        reason,
        before: { status: 'suspended', reason: 'Shared case files.' },
        after: { status: 'active' },
      },
      failures: [
        {
          label: 'a blank reason',
          call: as(adm, 'POST', url(s.user.id), { reason: '  \n ' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        { label: 'a moderator', call: as(mod, 'POST', url(s.user.id), { reason }), status: 403, code: 'FORBIDDEN' },
        {
          label: 'an admin on themself',
          call: as(adm, 'POST', url(adm.user.id), { reason }),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'an account that is not suspended',
          call: as(adm, 'POST', url(active.user.id), { reason }),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'settings.change': async (t) => {
    const adm = await admin(t);
    const mod = await moderator(t, ['KE']);
    const url = '/api/admin/settings';
    return {
      call: as(adm, 'PATCH', url, { claimMinutes: 30, fourEyesApproval: true, reverificationMonths: 24 }),
      expected: {
        actor: adm.user.id,
        targetType: 'settings',
        targetId: null,
        targetUser: null,
        jurisdictionCode: null,
        reason: null,
        // Only what changed: reverificationMonths was already 24.
        before: { claimMinutes: 60, fourEyesApproval: false },
        after: { claimMinutes: 30, fourEyesApproval: true },
      },
      failures: [
        {
          label: 'a claim shorter than 5 minutes',
          call: as(adm, 'PATCH', url, { claimMinutes: 4, fourEyesApproval: true }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'an unknown setting',
          call: as(adm, 'PATCH', url, { fourEyesApproval: true, theme: 'dark' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        { label: 'nothing at all', call: as(adm, 'PATCH', url, {}), status: 400, code: 'VALIDATION_FAILED' },
        {
          label: 'a moderator',
          call: as(mod, 'PATCH', url, { fourEyesApproval: true }),
          status: 403,
          code: 'FORBIDDEN',
        },
      ],
    };
  },
  'mail.retry': async (t) => {
    const adm = await admin(t);
    const m = await member(t);
    const row = (status: 'failed' | 'sent') =>
      t.handle.db
        .insert(mailOutbox)
        .values({
          toAddress: m.user.email,
          template: 'notification_batch',
          subject: '',
          textBody: '',
          htmlBody: '',
          userId: m.user.id,
          payload: { notificationIds: [] },
          messageId: `audit-${status}`,
          status,
          attempts: status === 'failed' ? 10 : 1,
          nextAttemptAt: t.clock.now(),
          lastError: status === 'failed' ? '550 Mailbox unavailable' : null,
          createdAt: t.clock.now(),
        })
        .returning({ id: mailOutbox.id })
        .get().id;
    const failed = row('failed');
    const sent = row('sent');
    return {
      call: as(adm, 'POST', `/api/admin/mail/${failed}/retry`),
      expected: {
        actor: adm.user.id,
        targetType: 'mail',
        targetId: String(failed),
        targetUser: m.user.id,
        jurisdictionCode: null,
        reason: null,
        before: { status: 'failed', attempts: 10, template: 'notification_batch' },
        after: { status: 'pending', attempts: 0 },
      },
      failures: [
        { label: 'a member', call: as(m, 'POST', `/api/admin/mail/${failed}/retry`), status: 403, code: 'FORBIDDEN' },
        {
          label: 'a message that did not fail',
          call: as(adm, 'POST', `/api/admin/mail/${sent}/retry`),
          status: 409,
          code: 'INVALID_STATE',
        },
        {
          label: 'no such message',
          call: as(adm, 'POST', '/api/admin/mail/999999/retry'),
          status: 404,
          code: 'NOT_FOUND',
        },
      ],
    };
  },
  // ---- Moderation (issue 6): a FR thread, its FR moderator, a KE moderator out of scope ----

  'post.hide': async (t) => {
    const s = await moderationScene(t);
    const hidden = await replyTo(t, s.author, s.thread.id, undefined, 'Another reply, hidden already.');
    await mustSucceed(t, modPost(s.mod, hidden.id, 'hide'));
    return {
      call: modPost(s.mod, s.post.id, 'hide'),
      expected: postEntry(s, { before: { state: 'visible' }, after: { state: 'hidden' } }),
      failures: [
        ...outsiders(s, (a) => modPost(a, s.post.id, 'hide')),
        {
          label: 'no reason',
          call: modPost(s.mod, s.post.id, 'hide', { reason: ' ' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        { label: 'an unknown post', call: modPost(s.mod, 'no-such-post', 'hide'), status: 404, code: 'NOT_FOUND' },
        { label: 'a hidden post', call: modPost(s.mod, hidden.id, 'hide'), status: 409, code: 'INVALID_STATE' },
      ],
    };
  },

  'post.delete': async (t) => {
    const s = await moderationScene(t);
    const gone = await replyTo(t, s.author, s.thread.id, undefined, 'Another reply, removed already.');
    await mustSucceed(t, modPost(s.mod, gone.id, 'delete'));
    return {
      call: modPost(s.mod, s.post.id, 'delete'),
      expected: postEntry(s, { before: { state: 'visible' }, after: { state: 'deleted' } }),
      failures: [
        ...outsiders(s, (a) => modPost(a, s.post.id, 'delete')),
        { label: 'a deleted post', call: modPost(s.mod, gone.id, 'delete'), status: 409, code: 'INVALID_STATE' },
      ],
    };
  },

  'post.restore': async (t) => {
    const s = await moderationScene(t);
    await mustSucceed(t, modPost(s.mod, s.post.id, 'hide'));
    const visible = await replyTo(t, s.author, s.thread.id, undefined, 'A reply nobody hid.');
    return {
      call: modPost(s.mod, s.post.id, 'restore'),
      expected: postEntry(s, { before: { state: 'hidden' }, after: { state: 'visible' } }),
      failures: [
        // A hidden post does not exist for a moderator out of scope: 404, not 403.
        { label: 'a member', call: modPost(s.other, s.post.id, 'restore'), status: 403, code: 'FORBIDDEN' },
        {
          label: 'a moderator out of scope',
          call: modPost(s.outsider, s.post.id, 'restore'),
          status: 404,
          code: 'NOT_FOUND',
        },
        { label: 'a visible post', call: modPost(s.mod, visible.id, 'restore'), status: 409, code: 'INVALID_STATE' },
      ],
    };
  },

  'post.auto_hide': async (t) => {
    const s = await moderationScene(t);
    const second = await member(t, { displayName: 'Second reporter' });
    const report = (a: Actor, body: unknown = { reason: 'confidential_data' }) =>
      as(a, 'POST', `/api/posts/${s.post.id}/reports`, body);
    await mustSucceed(t, report(s.other));
    return {
      call: report(second),
      expected: {
        ...postEntry(s, { before: { state: 'visible' }, after: { state: 'hidden' } }),
        actor: null,
        reason: 'Hidden automatically after 2 reports of confidential or personal data, until a moderator reviews it.',
      },
      failures: [
        { label: 'its author', call: report(s.author), status: 403, code: 'FORBIDDEN' },
        { label: 'the same reporter again', call: report(s.other), status: 409, code: 'ALREADY_REPORTED' },
        {
          label: '"other" without a note',
          call: report(second, { reason: 'other' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'an unknown reason',
          call: report(second, { reason: 'boring' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
      ],
    };
  },

  'report.dismiss': async (t) => {
    const s = await moderationScene(t);
    await mustSucceed(t, as(s.other, 'POST', `/api/posts/${s.post.id}/reports`, { reason: 'off_topic' }));
    const unreported = await replyTo(t, s.author, s.thread.id, undefined, 'A reply nobody reported.');
    return {
      call: modPost(s.mod, s.post.id, 'dismiss'),
      expected: postEntry(s, { before: { state: 'visible', reports: 1 }, after: { state: 'visible' } }),
      failures: [
        ...outsiders(s, (a) => modPost(a, s.post.id, 'dismiss')),
        {
          label: 'no open reports',
          call: modPost(s.mod, unreported.id, 'dismiss'),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },

  'post.edit': async (t) => {
    const s = await moderationScene(t);
    const edit = (a: Actor, body: unknown) => as(a, 'PATCH', `/api/posts/${s.post.id}`, body);
    const after = 'The accused, [name removed by a moderator], was released on bail.';
    return {
      call: edit(s.mod, { version: 1, body: after, reason: REASON }),
      expected: postEntry(s, {
        before: { version: 1, body: SCENE_REPLY, sections: null },
        after: { version: 2, body: after, sections: null },
      }),
      failures: [
        { label: 'no reason', call: edit(s.mod, { version: 1, body: after }), status: 400, code: 'VALIDATION_FAILED' },
        { label: 'another member', call: edit(s.other, { version: 1, body: after }), status: 403, code: 'FORBIDDEN' },
        {
          label: 'a moderator out of scope',
          call: edit(s.outsider, { version: 1, body: after, reason: REASON }),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'a stale version',
          call: edit(s.mod, { version: 7, body: after, reason: REASON }),
          status: 409,
          code: 'CONFLICT',
        },
      ],
    };
  },

  'post.move': async (t) => {
    const s = await moderationScene(t);
    const target = (await startThread(t, s.other, { title: 'Where the post belongs: bail in France' })).thread;
    const move = (a: Actor, postId: string, toThreadId: string) =>
      modPost(a, postId, 'move', { reason: REASON, toThreadId });
    return {
      call: move(s.mod, s.post.id, target.id),
      expected: postEntry(s, {
        before: { threadId: s.thread.id, number: 2, posts: 1 },
        after: { threadId: target.id, number: 2 },
      }),
      failures: [
        ...outsiders(s, (a) => move(a, s.post.id, target.id)),
        { label: 'an opening post', call: move(s.mod, s.opening, target.id), status: 400, code: 'VALIDATION_FAILED' },
        {
          label: 'an unknown thread',
          call: move(s.mod, s.post.id, 'no-such-thread'),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
      ],
    };
  },

  'post.redact': async (t) => {
    const s = await moderationScene(t);
    const redact = (a: Actor, body: unknown) => as(a, 'POST', `/api/posts/${s.post.id}/redactions`, body);
    const span = { kind: 'span', text: 'Jean Dupont', reason: REASON };
    return {
      call: redact(s.mod, span),
      // Never the text: the kind, the versions changed and what else was scrubbed, counted.
      expected: postEntry(s, {
        before: null,
        after: {
          kind: 'span',
          // Version 1 scrubbed; the scrubbed text is version 2.
          versions: [1, 2],
          counts: {
            revisions: 1,
            quotingPosts: 0,
            notifications: 1,
            events: 1,
            reviewItems: 0,
            reports: 0,
            drafts: 0,
            auditEntries: 0,
          },
        },
      }),
      failures: [
        ...outsiders(s, (a) => redact(a, span)),
        {
          label: 'a span the post does not hold',
          call: redact(s.mod, { ...span, text: 'Marie Curie' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'an unknown post',
          call: as(s.mod, 'POST', '/api/posts/no-such-post/redactions', span),
          status: 404,
          code: 'NOT_FOUND',
        },
      ],
    };
  },

  'message.hide': async (t) => {
    const s = await moderationScene(t);
    const started = await mustSucceed(
      t,
      as(s.author, 'POST', '/api/conversations', { recipientIds: [s.other.user.id], markdown: SCENE_REPLY }),
    );
    const { conversation, message } = started.json() as { conversation: { id: string }; message: { id: string } };
    await mustSucceed(
      t,
      as(s.other, 'POST', `/api/conversations/${conversation.id}/messages/${message.id}/report`, {
        reason: 'confidential_data',
      }),
    );
    const item = t.handle.sqlite.prepare('select id from review_items where message_id = ?').get(message.id) as {
      id: number;
    };
    const hide = (a: Actor, body: unknown = { reason: REASON }) =>
      as(a, 'POST', `/api/moderation/messages/${message.id}/hide`, body);
    return {
      call: hide(s.mod),
      // Never the message's text: its id, its conversation's and the review item's.
      expected: {
        actor: s.mod.user.id,
        targetType: 'message',
        targetId: message.id,
        targetUser: s.author.user.id,
        jurisdictionCode: 'FR',
        reason: REASON,
        before: { state: 'visible' },
        after: { messageId: message.id, conversationId: conversation.id, reviewItemId: item.id },
      },
      failures: [
        ...outsiders(s, (a) => hide(a)),
        { label: 'a short reason', call: hide(s.mod, { reason: 'x' }), status: 400, code: 'VALIDATION_FAILED' },
      ],
    };
  },

  'user.warn': async (t) => {
    const s = await moderationScene(t);
    return {
      call: modPost(s.mod, s.post.id, 'warn'),
      expected: {
        ...postEntry(s, { before: null, after: { postId: s.post.id, threadId: s.thread.id } }),
        targetType: 'user',
        targetId: s.author.user.id,
      },
      failures: [
        ...outsiders(s, (a) => modPost(a, s.post.id, 'warn')),
        {
          label: 'a short reason',
          call: modPost(s.mod, s.post.id, 'warn', { reason: 'no' }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
      ],
    };
  },

  'user.review': async (t) => {
    const s = await moderationScene(t);
    const review = (a: Actor, userId: string, underReview: boolean) =>
      as(a, 'PUT', `/api/moderation/users/${userId}/review`, { reason: REASON, underReview });
    return {
      call: review(s.mod, s.author.user.id, true),
      expected: {
        actor: s.mod.user.id,
        targetType: 'user',
        targetId: s.author.user.id,
        targetUser: s.author.user.id,
        jurisdictionCode: 'FR',
        reason: REASON,
        before: { underReview: false },
        after: { underReview: true },
      },
      failures: [
        ...outsiders(s, (a) => review(a, s.author.user.id, true)),
        {
          label: 'lifting what is not there',
          call: review(s.mod, s.author.user.id, false),
          status: 409,
          code: 'INVALID_STATE',
        },
        { label: 'an unknown member', call: review(s.mod, 'no-such-member', true), status: 404, code: 'NOT_FOUND' },
      ],
    };
  },

  'thread.lock': async (t) => threadCase(t, 'lock', { locked: false }, { locked: true }),
  'thread.unlock': async (t) => threadCase(t, 'unlock', { locked: true }, { locked: false }, ['lock']),
  'thread.resolve': async (t) => threadCase(t, 'resolve', { resolved: false }, { resolved: true }),
  'thread.unresolve': async (t) => threadCase(t, 'unresolve', { resolved: true }, { resolved: false }, ['resolve']),
  'thread.unpin': async (t) => threadCase(t, 'unpin', { pin: 'FR' }, { pin: null }, ['pin']),
  'thread.accept_answer': async (t) => {
    const s = await moderationScene(t);
    const opened = await startThread(t, s.other, { kind: 'question' });
    const answer = await replyTo(t, s.author, opened.thread.id, undefined, 'The answer, with its provision.');
    const discussion = await replyTo(t, s.author, s.thread.id, undefined, 'A reply to a discussion.');
    const url = `/api/threads/${opened.thread.id}/answer`;
    return {
      call: as(s.other, 'PUT', url, { postId: answer.id }),
      expected: {
        actor: s.other.user.id,
        targetType: 'thread',
        targetId: opened.thread.id,
        targetUser: s.author.user.id,
        jurisdictionCode: 'FR',
        reason: null,
        before: { answer: null },
        after: { answer: answer.id },
      },
      failures: [
        {
          label: "the answer's own author",
          call: as(s.author, 'PUT', url, { postId: answer.id }),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'a moderator out of scope',
          call: as(s.outsider, 'PUT', url, { postId: answer.id }),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'the question itself',
          call: as(s.other, 'PUT', url, { postId: opened.posts[0]!.id }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'a thread that is not a question',
          call: as(s.other, 'PUT', `/api/threads/${s.thread.id}/answer`, { postId: discussion.id }),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },
  'thread.unaccept_answer': async (t) => {
    const s = await moderationScene(t);
    const opened = await startThread(t, s.other, { kind: 'question' });
    const unanswered = await startThread(t, s.other, { kind: 'question' });
    const answer = await replyTo(t, s.author, opened.thread.id, undefined, 'The answer, with its provision.');
    await mustSucceed(t, as(s.other, 'PUT', `/api/threads/${opened.thread.id}/answer`, { postId: answer.id }));
    const url = `/api/threads/${opened.thread.id}/answer`;
    return {
      call: as(s.mod, 'DELETE', url),
      expected: {
        actor: s.mod.user.id,
        targetType: 'thread',
        targetId: opened.thread.id,
        targetUser: s.author.user.id,
        jurisdictionCode: 'FR',
        reason: null,
        before: { answer: answer.id },
        after: { answer: null },
      },
      failures: [
        { label: "the answer's own author", call: as(s.author, 'DELETE', url), status: 403, code: 'FORBIDDEN' },
        { label: 'a moderator out of scope', call: as(s.outsider, 'DELETE', url), status: 403, code: 'FORBIDDEN' },
        {
          label: 'nothing to undo',
          call: as(s.other, 'DELETE', `/api/threads/${unanswered.thread.id}/answer`),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
    };
  },
  'thread.pin': async (t) => {
    const c = await threadCase(t, 'pin', { pin: null }, { pin: 'FR' });
    const pin = (jurisdiction: string | null) => ({ ...c.call, body: { reason: REASON, jurisdiction } });
    c.failures.push(
      { label: 'globally, by a moderator', call: pin(null), status: 403, code: 'FORBIDDEN' },
      { label: 'within a jurisdiction not its own', call: pin('DE'), status: 400, code: 'VALIDATION_FAILED' },
    );
    return c;
  },

  'thread.retag': async (t) => {
    const s = await moderationScene(t);
    const retag = (a: Actor, body: unknown) => as(a, 'PATCH', `/api/threads/${s.thread.id}`, body);
    const tags = {
      title: s.thread.title,
      topics: ['medical-products'],
      citations: [{ instrument: 'medicrime', provision: 'art. 7' }],
      lawAsOf: null,
      language: 'en',
    };
    return {
      call: retag(s.mod, { jurisdictions: ['FR', 'INT'], reason: REASON }),
      expected: {
        actor: s.mod.user.id,
        targetType: 'thread',
        targetId: s.thread.id,
        targetUser: s.other.user.id,
        jurisdictionCode: 'FR',
        reason: REASON,
        before: { ...tags, jurisdictions: ['FR'] },
        after: { ...tags, jurisdictions: ['FR', 'INT'] },
      },
      failures: [
        {
          label: 'no reason',
          call: retag(s.mod, { jurisdictions: ['FR', 'INT'] }),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
        {
          label: 'a member',
          call: retag(s.author, { jurisdictions: ['FR', 'INT'], reason: REASON }),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'a moderator out of scope',
          call: retag(s.outsider, { jurisdictions: ['FR', 'INT'], reason: REASON }),
          status: 403,
          code: 'FORBIDDEN',
        },
      ],
    };
  },

  'thread.retitle_redact': async (t) => {
    const s = await moderationScene(t);
    const redact = (a: Actor, postId: string, body: unknown) => as(a, 'POST', `/api/posts/${postId}/redactions`, body);
    const title = { kind: 'title', text: 'medicines', reason: REASON };
    return {
      call: redact(s.mod, s.opening, title),
      expected: {
        actor: s.mod.user.id,
        targetType: 'thread',
        targetId: s.thread.id,
        targetUser: s.other.user.id,
        jurisdictionCode: 'FR',
        reason: REASON,
        before: null,
        after: {
          kind: 'title',
          versions: [1],
          counts: {
            revisions: 1,
            quotingPosts: 0,
            notifications: 1,
            events: 1,
            reviewItems: 0,
            reports: 0,
            drafts: 0,
            auditEntries: 0,
          },
        },
      },
      failures: [
        // The opener's author (s.other) may redact their own title; another member may not.
        { label: 'a member', call: redact(s.author, s.opening, title), status: 403, code: 'FORBIDDEN' },
        {
          label: 'a moderator out of scope',
          call: redact(s.outsider, s.opening, title),
          status: 403,
          code: 'FORBIDDEN',
        },
        {
          label: 'a reply (no title)',
          call: redact(s.mod, s.post.id, title),
          status: 400,
          code: 'VALIDATION_FAILED',
        },
      ],
    };
  },

  'review.claim': async (t) => {
    const s = await moderationScene(t);
    const item = await reportedItem(t, s, s.post.id);
    const other = await replyTo(t, s.author, s.thread.id, undefined, 'A second reported reply.');
    const held = await reportedItem(t, s, other.id);
    const colleague = await moderator(t, ['FR'], { displayName: 'Colleague' });
    await mustSucceed(t, as(colleague, 'POST', `/api/moderation/queue/${held}/claim`));
    const claim = (a: Actor, id: number | string) => as(a, 'POST', `/api/moderation/queue/${id}/claim`);
    return {
      call: claim(s.mod, item),
      expected: reviewEntry(s, item),
      failures: [
        ...outsiders(s, (a) => claim(a, item)),
        { label: 'an unknown item', call: claim(s.mod, 99999), status: 404, code: 'NOT_FOUND' },
        { label: 'claimed by a colleague', call: claim(s.mod, held), status: 409, code: 'CLAIMED_BY_OTHER' },
      ],
    };
  },

  'review.release': async (t) => {
    const s = await moderationScene(t);
    const item = await reportedItem(t, s, s.post.id);
    await mustSucceed(t, as(s.mod, 'POST', `/api/moderation/queue/${item}/claim`));
    const colleague = await moderator(t, ['FR'], { displayName: 'Colleague' });
    const release = (a: Actor) => as(a, 'DELETE', `/api/moderation/queue/${item}/claim`);
    return {
      call: release(s.mod),
      expected: reviewEntry(s, item),
      failures: [
        ...outsiders(s, release),
        { label: 'a colleague who holds nothing', call: release(colleague), status: 409, code: 'INVALID_STATE' },
      ],
    };
  },

  'submission.approve': async (t) => {
    const s = await heldScene(t);
    const approve = (a: Actor, id: number) => as(a, 'POST', `/api/moderation/queue/${id}/approve`, {});
    await mustSucceed(t, approve(s.mod, s.decided));
    return {
      call: approve(s.mod, s.item),
      expected: {
        ...heldEntry(s),
        reason: null,
        before: { status: 'pending' },
        after: { status: 'approved' },
      },
      failures: [
        ...outsiders(s, (a) => approve(a, s.item)),
        { label: 'an item already decided', call: approve(s.mod, s.decided), status: 409, code: 'INVALID_STATE' },
      ],
    };
  },

  'submission.reject': async (t) => {
    const s = await heldScene(t);
    const reject = (a: Actor, id: number, reason = REASON) =>
      as(a, 'POST', `/api/moderation/queue/${id}/reject`, { reason });
    await mustSucceed(t, reject(s.mod, s.decided));
    return {
      call: reject(s.mod, s.item),
      expected: {
        ...heldEntry(s),
        before: { status: 'pending', type: 'reply', title: s.thread.title, body: HELD_REPLY, sections: null },
        after: { status: 'rejected' },
      },
      failures: [
        ...outsiders(s, (a) => reject(a, s.item)),
        { label: 'no reason', call: reject(s.mod, s.item, ''), status: 400, code: 'VALIDATION_FAILED' },
        { label: 'an item already decided', call: reject(s.mod, s.decided), status: 409, code: 'INVALID_STATE' },
      ],
    };
  },

  // Security events (recordSecurityEvent), each driven through its real flow.
  'security.sign_in': async (t) => signInCase(t, { knownDevice: true }),
  'security.sign_in_new_device': async (t) => signInCase(t, { knownDevice: false }),

  'security.second_factor_failed': async (t) => {
    const m = await withTotp(t);
    const pending = pendingCookie(await signInRequest(t, m.email));
    return {
      call: { method: 'POST', url: SECOND_STEP, cookie: pending, body: { method: 'totp', code: wrongCode(t) } },
      answer: { status: 400, code: 'INVALID_CODE' },
      expected: selfEntry(m.id, { method: 'totp' }),
      failures: [
        {
          label: 'no pending sign-in',
          call: { method: 'POST', url: SECOND_STEP, cookie: '', body: { method: 'totp', code: wrongCode(t) } },
          status: 401,
          code: 'SIGN_IN_EXPIRED',
        },
        {
          label: 'no method',
          call: { method: 'POST', url: SECOND_STEP, cookie: pending, body: { code: wrongCode(t) } },
          status: 400,
          code: 'VALIDATION_FAILED',
        },
      ],
      no403: 'the second step answers to a pending sign-in, not to a role',
    };
  },

  'security.password_changed': async (t) => {
    const m = await member(t);
    const change = (newPassword: string, currentPassword = TEST_PASSWORD) =>
      as(m, 'POST', '/api/account/password', { currentPassword, newPassword });
    return {
      call: change(NEW_PASSWORD),
      expected: selfEntry(m.user.id),
      failures: [
        {
          label: 'a wrong current password',
          call: change(NEW_PASSWORD, 'not the password at all'),
          status: 401,
          code: 'INVALID_CREDENTIALS',
        },
        { label: 'a new password too short', call: change('short'), status: 400, code: 'VALIDATION_FAILED' },
      ],
      no403: 'the current password is the re-authentication of this form',
    };
  },

  'security.password_reset': async (t) => {
    // An account with a second factor: the reset opens a pending sign-in instead of signing in
    // (which would be an entry of its own).
    const m = await withTotp(t);
    const used = await withTotp(t);
    const usedToken = await resetToken(t, used.email);
    await mustSucceed(t, resetConfirm(usedToken));
    const token = await resetToken(t, m.email);
    return {
      call: resetConfirm(token),
      expected: selfEntry(m.id),
      failures: [
        { label: 'a used link', call: resetConfirm(usedToken), status: 410, code: 'LINK_USED' },
        { label: 'an altered link', call: resetConfirm(altered(token)), status: 400, code: 'LINK_INVALID' },
        { label: 'a password too short', call: resetConfirm(token, 'short'), status: 400, code: 'VALIDATION_FAILED' },
      ],
      no403: 'the link in the email is the authority, whoever holds it',
    };
  },

  'security.password_reset_sent_by_admin': async (t) => {
    const stale = await admin(t);
    t.clock.advance(STALE);
    const adm = await admin(t);
    const m = await member(t);
    const other = await member(t);
    const send = (a: Actor, id: string) => as(a, 'POST', `/api/admin/users/${id}/password-reset`);
    return {
      call: send(adm, m.user.id),
      expected: byAdmin(adm, m.user.id),
      failures: [
        { label: 'a member', call: send(other, m.user.id), status: 403, code: 'FORBIDDEN' },
        { label: 'a stale re-authentication', call: send(stale, m.user.id), status: 403, code: 'REAUTH_REQUIRED' },
        { label: 'an unknown account', call: send(adm, 'nobody'), status: 404, code: 'NOT_FOUND' },
      ],
    };
  },

  'security.email_verified': async (t) => {
    const m = await member(t, { emailVerifiedAt: null });
    const used = await member(t, { emailVerifiedAt: null });
    const usedToken = await verifyToken(t, used);
    await mustSucceed(t, as(used, 'POST', '/api/auth/verify-email', { token: usedToken }));
    const token = await verifyToken(t, m);
    // Signed in to the account, so that opening the link verifies without signing in (an entry of its own).
    const verify = (tok: string) => as(m, 'POST', '/api/auth/verify-email', { token: tok });
    return {
      call: verify(token),
      expected: selfEntry(m.user.id),
      failures: [
        { label: 'a used link', call: verify(usedToken), status: 410, code: 'LINK_USED' },
        { label: 'an altered link', call: verify(altered(token)), status: 400, code: 'LINK_INVALID' },
      ],
      no403: 'the link in the email is the authority, whoever holds it',
    };
  },

  'security.email_changed': async (t) => {
    const m = await member(t);
    const stranger = await member(t);
    const address = `moved@${m.user.id.slice(0, 8)}.court.example`;
    await mustSucceed(t, as(m, 'PUT', '/api/account/email', { email: address }));
    const token = linkToken(mailedLink(t, address, '/verify-email'));
    const confirm = (a: Actor, tok: string) => as(a, 'POST', '/api/account/email/confirm', { token: tok });
    return {
      call: confirm(m, token),
      expected: selfEntry(m.user.id, { email: address }),
      failures: [
        { label: 'another account signed in', call: confirm(stranger, token), status: 403, code: 'LINK_INVALID' },
        { label: 'an altered link', call: confirm(m, altered(token)), status: 400, code: 'LINK_INVALID' },
      ],
    };
  },

  'security.totp_enabled': async (t) => {
    // An account that already has a passkey and its recovery codes: enrolling the app makes no
    // new codes (on a first factor it would, as an entry of its own).
    const m = await member(t);
    expect((await enrolPasskey(t, m.cookie, softAuthenticatorFor(t))).statusCode).toBe(201);
    await mustSucceed(t, as(m, 'POST', '/api/account/recovery-codes'));
    const setup = (await mustSucceed(t, as(m, 'POST', '/api/account/totp/setup'))).json() as { secret: string };
    const other = await member(t);
    const confirm = (a: Actor, code: string) => as(a, 'POST', '/api/account/totp/confirm', { code });
    return {
      call: confirm(m, totpCode(setup.secret, t.clock.now())),
      expected: selfEntry(m.user.id),
      failures: [
        { label: 'a wrong code', call: confirm(m, wrongCode(t, setup.secret)), status: 400, code: 'INVALID_CODE' },
        {
          label: 'no setup started',
          call: confirm(other, totpCode(setup.secret, t.clock.now())),
          status: 409,
          code: 'INVALID_STATE',
        },
      ],
      no403: 'the code answers to a setup this session started, and starting one asks for a recent re-authentication',
    };
  },

  'security.totp_disabled': async (t) => {
    const stale = await signedInWithTotp(t);
    t.clock.advance(STALE);
    const m = await signedInWithTotp(t);
    const none = await member(t);
    const mod = await moderator(t, ['KE']);
    const disable = (a: Actor) => as(a, 'DELETE', '/api/account/totp');
    return {
      call: disable(m),
      expected: selfEntry(m.user.id),
      failures: [
        { label: 'a stale re-authentication', call: disable(stale), status: 403, code: 'REAUTH_REQUIRED' },
        { label: 'no authenticator app', call: disable(none), status: 409, code: 'INVALID_STATE' },
        { label: "a moderator's only factor", call: disable(mod), status: 409, code: 'LAST_SECOND_FACTOR' },
      ],
    };
  },

  'security.recovery_codes_generated': async (t) => {
    const stale = await signedInWithTotp(t);
    t.clock.advance(STALE);
    const m = await signedInWithTotp(t);
    const none = await member(t);
    const regenerate = (a: Actor) => as(a, 'POST', '/api/account/recovery-codes');
    return {
      call: regenerate(m),
      expected: selfEntry(m.user.id),
      failures: [
        { label: 'a stale re-authentication', call: regenerate(stale), status: 403, code: 'REAUTH_REQUIRED' },
        { label: 'no second factor', call: regenerate(none), status: 409, code: 'INVALID_STATE' },
      ],
    };
  },

  'security.recovery_code_used': async (t) => {
    const m = await signedInWithTotp(t);
    const { codes } = (await mustSucceed(t, as(m, 'POST', '/api/account/recovery-codes'))).json() as {
      codes: string[];
    };
    const pending = pendingCookie(await signInRequest(t, m.user.email));
    const step = (cookie: string, code: string) => ({
      method: 'POST' as const,
      url: SECOND_STEP,
      cookie,
      body: { method: 'recovery_code', code },
    });
    return {
      call: step(pending, codes[0]!),
      expected: selfEntry(m.user.id, { left: String(codes.length - 1) }),
      // The code is spent and the member signed in, by one request: two events of the member's record.
      alsoRecorded: ['security.sign_in_new_device'],
      failures: [
        { label: 'no pending sign-in', call: step('', codes[0]!), status: 401, code: 'SIGN_IN_EXPIRED' },
        { label: 'an empty code', call: step(pending, ''), status: 400, code: 'VALIDATION_FAILED' },
      ],
      no403:
        'the second step answers to a pending sign-in, not to a role (a wrong code is recorded as second_factor_failed)',
    };
  },

  'security.passkey_added': async (t) => {
    // Not the account's first factor, and it has recovery codes: adding it makes none.
    const stale = await signedInWithTotp(t);
    const staleOptions = await passkeyOptions<CreationOptions>(t, '/api/account/passkeys/options', stale.cookie);
    t.clock.advance(STALE);
    const m = await signedInWithTotp(t);
    // It has its recovery codes already: a passkey added then makes none.
    await mustSucceed(t, as(m, 'POST', '/api/account/recovery-codes'));
    const options = await passkeyOptions<CreationOptions>(t, '/api/account/passkeys/options', m.cookie);
    const authenticator = softAuthenticatorFor(t);
    const response = authenticator.register(options);
    const add = (a: Actor, answer: unknown, name = 'Laptop') =>
      as(a, 'POST', '/api/account/passkeys', { name, response: answer });
    return {
      call: add(m, response),
      expected: selfEntry(m.user.id, { name: 'Laptop' }),
      failures: [
        {
          label: 'a stale re-authentication',
          call: add(stale, authenticator.register(staleOptions)),
          status: 403,
          code: 'REAUTH_REQUIRED',
        },
        { label: 'an empty name', call: add(m, response, ' '), status: 400, code: 'VALIDATION_FAILED' },
      ],
      spentAnyway: {
        query: AUTH_CHALLENGES,
        why: 'the WebAuthn challenge is single use: any answer spends it before the (async) verification',
      },
    };
  },

  'security.passkey_removed': async (t) => {
    const stale = await signedInWithTotp(t);
    const staleKey = await passkeyOf(t, stale);
    t.clock.advance(STALE);
    const m = await signedInWithTotp(t);
    const id = await passkeyOf(t, m);
    const mod = await moderator(t, ['KE'], { secondFactor: false });
    const modKey = await passkeyOf(t, mod);
    const remove = (a: Actor, key: string) => as(a, 'DELETE', `/api/account/passkeys/${key}`);
    return {
      call: remove(m, id),
      expected: selfEntry(m.user.id, { name: 'Laptop' }),
      failures: [
        { label: 'a stale re-authentication', call: remove(stale, staleKey), status: 403, code: 'REAUTH_REQUIRED' },
        { label: "another member's passkey", call: remove(m, staleKey), status: 404, code: 'NOT_FOUND' },
        { label: "a moderator's only factor", call: remove(mod, modKey), status: 409, code: 'LAST_SECOND_FACTOR' },
      ],
    };
  },

  'security.second_factor_reset': async (t) => {
    const stale = await admin(t);
    t.clock.advance(STALE);
    const adm = await admin(t);
    const m = await signedInWithTotp(t);
    const other = await member(t);
    const reset = (a: Actor, id: string) => as(a, 'DELETE', `/api/admin/users/${id}/second-factor`);
    return {
      call: reset(adm, m.user.id),
      expected: byAdmin(adm, m.user.id, { sessionsEnded: '1', by: 'admin' }),
      failures: [
        { label: 'a member', call: reset(other, m.user.id), status: 403, code: 'FORBIDDEN' },
        { label: 'a stale re-authentication', call: reset(stale, m.user.id), status: 403, code: 'REAUTH_REQUIRED' },
        { label: 'their own account', call: reset(adm, adm.user.id), status: 403, code: 'FORBIDDEN' },
        { label: 'an unknown account', call: reset(adm, 'nobody'), status: 404, code: 'NOT_FOUND' },
      ],
    };
  },

  'security.sessions_ended': async (t) => {
    const stale = await member(t);
    await t.loginAs(stale.user);
    t.clock.advance(STALE);
    const m = await member(t);
    await t.loginAs(m.user);
    await t.loginAs(m.user);
    const endOthers = (a: Actor) => as(a, 'POST', '/api/account/sessions/revoke-others');
    return {
      call: endOthers(m),
      expected: selfEntry(m.user.id, { count: '2' }),
      failures: [{ label: 'a stale re-authentication', call: endOthers(stale), status: 403, code: 'REAUTH_REQUIRED' }],
    };
  },
};

const STALE = 11 * MINUTE;
const NEW_PASSWORD = 'a fresh and private passphrase 7';
const SECOND_STEP = '/api/auth/sign-in/second-factor';
/** Where every test request comes from (inject's 127.0.0.1), as the entries record it. */
const NETWORK = '127.0.0.0/24';

/** A security event the member did themself: about their own account, no jurisdiction. */
function selfEntry(userId: string, detail: Record<string, string> = {}): ExpectedEntry {
  return {
    actor: userId,
    targetType: 'user',
    targetId: userId,
    targetUser: userId,
    jurisdictionCode: null,
    reason: null,
    before: null,
    after: { ...detail, network: NETWORK },
  };
}

function byAdmin(adm: Actor, userId: string, detail: Record<string, string> = {}): ExpectedEntry {
  return { ...selfEntry(userId, detail), actor: adm.user.id };
}

/** A member (no role needs it) with the authenticator app, not signed in. */
function withTotp(t: TestApp) {
  return t.createUser({ totpKey: TEST_TOTP_KEY, totpEnabledAt: t.clock.now(), secondFactor: true });
}

/** A member with the authenticator app, signed in (both steps). */
function signedInWithTotp(t: TestApp) {
  return member(t, { totpKey: TEST_TOTP_KEY, totpEnabledAt: t.clock.now(), secondFactor: true });
}

async function suspend(t: TestApp, a: Actor) {
  const adm = await admin(t);
  await mustSucceed(t, as(adm, 'POST', `/api/admin/users/${a.user.id}/suspend`, { reason: 'Leaked a file.' }));
}

function signInRequest(t: TestApp, email: string, cookie = '', password = TEST_PASSWORD) {
  return t.request({ method: 'POST', url: '/api/auth/sign-in', cookie, body: { email, password } });
}

/** Signing in with the password, from a browser this account signed in on before or a new one. */
async function signInCase(t: TestApp, { knownDevice }: { knownDevice: boolean }): Promise<Case> {
  const m = await t.createUser();
  const first = await signInRequest(t, m.email);
  const device = first.cookies.find((c) => c.name.endsWith('lexforum_device') && c.value)!;
  const deviceCookie = knownDevice ? `${device.name}=${device.value}` : '';
  const suspended = await member(t);
  await suspend(t, suspended);
  const signIn = (email: string, password = TEST_PASSWORD): Call => ({
    method: 'POST',
    url: '/api/auth/sign-in',
    cookie: deviceCookie,
    body: { email, password },
  });
  return {
    call: signIn(m.email),
    expected: selfEntry(m.id),
    failures: [
      {
        label: 'a wrong password',
        call: signIn(m.email, 'not the password at all'),
        status: 401,
        code: 'INVALID_CREDENTIALS',
      },
      { label: 'a suspended account', call: signIn(suspended.user.email), status: 403, code: 'SUSPENDED' },
      {
        label: 'no password',
        call: { method: 'POST', url: '/api/auth/sign-in', cookie: deviceCookie, body: { email: m.email } },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
    ],
  };
}

/** A six-digit code that is none of those the key accepts now (within one step of drift). */
function wrongCode(t: TestApp, key: Uint8Array | string = TEST_TOTP_KEY): string {
  const now = totpStepAt(t.clock.now());
  const right = [now - 1, now, now + 1].map((step) => totpCode(key, 0, { step }));
  return ['000000', '111111', '222222', '333333'].find((c) => !right.includes(c))!;
}

/** The first link under `path` in the last email queued to `address` (what the member receives). */
function mailedLink(t: TestApp, address: string, path: string): string {
  const row = t.handle.sqlite
    .prepare('select text_body as text from mail_outbox where lower(to_address) = lower(?) order by id desc limit 1')
    .get(address) as { text: string } | undefined;
  if (!row) throw new Error(`no mail to ${address}`);
  const link = (row.text.match(/https?:\/\/[^\s)]+/g) ?? []).find((l) => new URL(l).pathname.startsWith(path));
  if (!link) throw new Error(`no link under ${path} in the mail to ${address}:\n${row.text}`);
  return link;
}

async function resetToken(t: TestApp, email: string): Promise<string> {
  expect((await t.request({ method: 'POST', url: '/api/auth/password-reset', body: { email } })).statusCode).toBe(202);
  return linkToken(mailedLink(t, email, '/reset-password'));
}

const resetConfirm = (token: string, password = NEW_PASSWORD): Call => ({
  method: 'POST',
  url: '/api/auth/password-reset/confirm',
  cookie: '',
  body: { token, password },
});

async function verifyToken(t: TestApp, a: Actor): Promise<string> {
  await mustSucceed(t, as(a, 'POST', '/api/account/email/verification'));
  return linkToken(mailedLink(t, a.user.email, '/verify-email'));
}

/** The same link with its secret's last character changed. */
function altered(token: string): string {
  const [id, secret] = token.split('.') as [string, string];
  return `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
}

/** Enrols a passkey named Laptop on the signed-in account; its id. */
async function passkeyOf(t: TestApp, a: Actor): Promise<string> {
  const res = await enrolPasskey(t, a.cookie, softAuthenticatorFor(t));
  if (res.statusCode !== 201) throw new Error(`passkey: ${res.statusCode} ${res.body}`);
  return (res.json() as { passkey: { id: string } }).passkey.id;
}

const REASON = 'It names a suspect in a pending case.';
const SCENE_REPLY = 'The accused, Jean Dupont of Lyon, was released on bail.';
const HELD_REPLY = 'A first reply from a newly vetted member, waiting for review.';

interface Scene {
  /** Wrote the reply acted on. */
  author: Actor;
  /** Opened the thread. */
  other: Actor;
  /** Moderates FR, the thread's jurisdiction. */
  mod: Actor;
  /** Moderates KE only. */
  outsider: Actor;
  thread: { id: string; title: string };
  /** The opening post's id. */
  opening: string;
  post: { id: string };
}

/** A FR thread by `other` with a reply by `author`, the FR moderator and a KE moderator. */
async function moderationScene(t: TestApp): Promise<Scene> {
  const author = await member(t, { displayName: 'Author' });
  const other = await member(t, { displayName: 'Opener' });
  const mod = await moderator(t, ['FR'], { displayName: 'FR moderator' });
  const outsider = await moderator(t, ['KE'], { displayName: 'KE moderator' });
  const started = await startThread(t, other);
  const post = await replyTo(t, author, started.thread.id, undefined, SCENE_REPLY);
  return { author, other, mod, outsider, thread: started.thread, opening: started.posts[0]!.id, post };
}

const modPost = (a: Actor, postId: string, action: string, body: unknown = { reason: REASON }) =>
  as(a, 'POST', `/api/moderation/posts/${postId}/${action}`, body);

/** A member and a moderator out of scope are refused alike. */
function outsiders(s: Scene, call: (a: Actor) => Call): Failure[] {
  return [
    { label: 'a member', call: call(s.other), status: 403, code: 'FORBIDDEN' },
    { label: 'a moderator out of scope', call: call(s.outsider), status: 403, code: 'FORBIDDEN' },
  ];
}

function postEntry(s: Scene, change: { before: unknown; after: unknown }): ExpectedEntry {
  return {
    actor: s.mod.user.id,
    targetType: 'post',
    targetId: s.post.id,
    targetUser: s.author.user.id,
    jurisdictionCode: 'FR',
    reason: REASON,
    ...change,
  };
}

/** A thread action on a thread `author` opened (a question, so it can be resolved). */
async function threadCase(
  t: TestApp,
  action: string,
  before: unknown,
  after: unknown,
  first: string[] = [],
): Promise<Case> {
  const s = await moderationScene(t);
  const question = (await startThread(t, s.author, { kind: 'question' })).thread;
  const url = (verb: string) => `/api/moderation/threads/${question.id}/${verb}`;
  const body = (verb: string) => (verb === 'pin' ? { reason: REASON, jurisdiction: 'FR' } : { reason: REASON });
  for (const verb of first) await mustSucceed(t, as(s.mod, 'POST', url(verb), body(verb)));
  const discussion = (await startThread(t, s.author)).thread;
  const failures: Failure[] = [
    ...outsiders(s, (a) => as(a, 'POST', url(action), body(action))),
    {
      label: 'no reason',
      call: as(s.mod, 'POST', url(action), { reason: '' }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      label: 'an unknown thread',
      call: as(s.mod, 'POST', `/api/moderation/threads/no-such-thread/${action}`, body(action)),
      status: 404,
      code: 'NOT_FOUND',
    },
  ];
  if (action === 'resolve') {
    failures.push({
      label: 'a discussion',
      call: as(s.mod, 'POST', `/api/moderation/threads/${discussion.id}/resolve`, body(action)),
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  } else if (action !== 'pin') {
    // Undoing what is not there, or doing twice what is done.
    const other = action.startsWith('un') ? discussion.id : null;
    if (other) {
      failures.push({
        label: 'nothing to undo',
        call: as(s.mod, 'POST', `/api/moderation/threads/${other}/${action}`, body(action)),
        status: action === 'unresolve' ? 400 : 409,
        code: action === 'unresolve' ? 'VALIDATION_FAILED' : 'INVALID_STATE',
      });
    }
  }
  return {
    call: as(s.mod, 'POST', url(action), body(action)),
    expected: {
      actor: s.mod.user.id,
      targetType: 'thread',
      targetId: question.id,
      targetUser: s.author.user.id,
      jurisdictionCode: 'FR',
      reason: REASON,
      before,
      after,
    },
    failures,
  };
}

/** Reports a post (off-topic, by `other`) and returns its review item's id. */
async function reportedItem(t: TestApp, s: Scene, postId: string): Promise<number> {
  await mustSucceed(t, as(s.other, 'POST', `/api/posts/${postId}/reports`, { reason: 'off_topic' }));
  const queue = (await send(t, as(s.mod, 'GET', '/api/moderation/queue'))).json() as {
    items: { id: number; post: { id: string } | null }[];
  };
  return queue.items.find((i) => i.post?.id === postId)!.id;
}

function reviewEntry(s: Scene, item: number): ExpectedEntry {
  return {
    actor: s.mod.user.id,
    targetType: 'review',
    targetId: String(item),
    targetUser: s.author.user.id,
    jurisdictionCode: 'FR',
    reason: null,
    before: null,
    after: null,
  };
}

/** Pre-moderation on: a new member's two replies wait; one is decided already. */
async function heldScene(t: TestApp): Promise<Scene & { item: number; decided: number }> {
  const s = await moderationScene(t);
  const adm = await admin(t);
  await mustSucceed(t, as(adm, 'PATCH', '/api/admin/settings', { premoderatedPosts: 2 }));
  const newcomer = await member(t, { displayName: 'Newcomer' });
  const hold = async (body: string) => {
    const res = await send(t, as(newcomer, 'POST', `/api/threads/${s.thread.id}/posts`, { body }));
    expect(res.statusCode, res.body).toBe(202);
    return (res.json() as { pending: { id: number } }).pending.id;
  };
  const item = await hold(HELD_REPLY);
  const decided = await hold('Another reply waiting for review, decided first.');
  return { ...s, author: newcomer, item, decided };
}

function heldEntry(s: Scene & { item: number }): ExpectedEntry {
  return {
    actor: s.mod.user.id,
    targetType: 'review',
    targetId: String(s.item),
    targetUser: s.author.user.id,
    jurisdictionCode: 'FR',
    reason: REASON,
    before: null,
    after: null,
  };
}

const AUTH_CHALLENGES = 'select * from auth_challenges order by key';

/** Everything an action could change, sessions included (by id: last-seen times may move). */
const SNAPSHOT_QUERIES = [
  'select * from users order by id',
  'select * from applications order by id',
  'select * from application_events order by id',
  'select * from moderator_jurisdictions order by user_id, jurisdiction_code',
  'select * from settings order by key',
  'select * from notifications order by id',
  'select * from audit_log order by id',
  'select id, user_id from sessions order by id',
  'select * from threads order by id',
  'select * from posts order by id',
  'select * from post_revisions order by post_id, version',
  'select * from thread_jurisdictions order by thread_id, code',
  'select * from reports order by id',
  'select * from review_items order by id',
  'select * from security_events order by id',
  'select * from email_tokens order by id',
  'select * from recovery_codes order by id',
  'select * from webauthn_credentials order by id',
  'select * from sign_in_challenges order by id',
  AUTH_CHALLENGES,
  'select * from known_devices order by user_id, token_hash',
  // What was queued, not its delivery (which goes on in the background).
  'select id, to_address, template from mail_outbox order by id',
];

function expectAnswer(res: { statusCode: number; body: string }, c: Case) {
  if (c.answer) {
    expect(res.statusCode, res.body).toBe(c.answer.status);
    expect(JSON.parse(res.body).error.code).toBe(c.answer.code);
  } else {
    expect(res.statusCode, res.body).toBeLessThan(300);
  }
}

describe('Audit log API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  const snapshot = () => SNAPSHOT_QUERIES.map((q) => t.handle.sqlite.prepare(q).all());
  const lastId = () =>
    (t.handle.sqlite.prepare('select max(id) as id from audit_log').get() as { id: number | null }).id;
  const entriesAfter = (id: number | null) =>
    t.handle.sqlite.prepare('select * from audit_log where id > ? order by id').all(id ?? 0) as AuditRow[];
  const get = (url: string, cookie: string) => t.request({ method: 'GET', url, cookie });

  describe('every audited action', () => {
    it('has a row in this table, and the table has no action the contract lacks', () => {
      expect(Object.keys(CASES).sort()).toEqual([...AUDIT_ACTIONS].sort());
    });

    it.each(AUDIT_ACTIONS)(
      '%s leaves exactly one entry: who, to whom, where, why, before and after',
      async (action) => {
        const c = await CASES[action](t);
        const from = lastId();
        const res = await send(t, c.call);
        expectAnswer(res, c);

        const added = entriesAfter(from);
        expect(added.map((e) => e.action)).toEqual([action, ...(c.alsoRecorded ?? [])]);
        const row = added[0]!;
        expect({
          action: row.action,
          actor: row.actor_id,
          targetType: row.target_type,
          targetId: row.target_id,
          targetUser: row.target_user_id,
          jurisdictionCode: row.jurisdiction_code,
          reason: row.reason,
          before: row.before === null ? null : JSON.parse(row.before),
          after: row.after === null ? null : JSON.parse(row.after),
          createdAt: row.created_at,
        }).toEqual({ action, ...c.expected, createdAt: t.clock.now().getTime() });

        // The same entry, read through the API by an admin, names the people. (Signing the reader
        // in writes entries of its own: the page starts at this entry.)
        const reader = await admin(t, { displayName: 'Reader' });
        const page = (await get(`/api/audit?limit=1&before=${row.id + 1}`, reader.cookie)).json();
        expect(page.entries[0]).toMatchObject({
          id: row.id,
          action,
          actor: c.expected.actor === null ? null : { id: c.expected.actor },
          targetType: c.expected.targetType,
          targetId: c.expected.targetId,
          targetUser: c.expected.targetUser === null ? null : { id: c.expected.targetUser },
          jurisdictionCode: c.expected.jurisdictionCode,
          reason: c.expected.reason,
          before: c.expected.before,
          after: c.expected.after,
          createdAt: t.clock.now().toISOString(),
        });
        if (c.expected.actor !== null) expect(page.entries[0].actor.displayName).not.toBe('');
      },
    );

    it.each(AUDIT_ACTIONS)('%s refused (400, 403, 404, 409) leaves no entry and changes nothing', async (action) => {
      const c = await CASES[action](t);
      for (const failure of c.failures) {
        const before = snapshot();
        const res = await send(t, failure.call);
        expect(res.statusCode, `${failure.label}: ${res.body}`).toBe(failure.status);
        expect(errorCode(res), failure.label).toBe(failure.code);
        expect(snapshot(), failure.label).toEqual(before);
      }
      // The failures covered the kinds of refusal that apply, and the action itself still works.
      if (c.no403 === undefined) expect(c.failures.some((f) => f.status === 403)).toBe(true);
      else expect(c.no403.length).toBeGreaterThan(10);
      const from = lastId();
      expectAnswer(await send(t, c.call), c);
      expect(entriesAfter(from).map((e) => e.action)).toEqual([action, ...(c.alsoRecorded ?? [])]);
    });

    it.each(AUDIT_ACTIONS)('%s does not happen at all when its entry cannot be written', async (action) => {
      const c = await CASES[action](t);
      const except = c.spentAnyway?.query;
      if (except !== undefined) expect(SNAPSHOT_QUERIES).toContain(except);
      const kept = () => SNAPSHOT_QUERIES.filter((q) => q !== except).map((q) => t.handle.sqlite.prepare(q).all());
      const before = kept();
      t.handle.sqlite.exec(
        "create temp trigger audit_refuses_insert before insert on audit_log begin select raise(abort, 'audit log unavailable'); end",
      );
      try {
        const res = await send(t, c.call);
        expect(res.statusCode).toBe(500);
        expect(kept()).toEqual(before);
      } finally {
        t.handle.sqlite.exec('drop trigger audit_refuses_insert');
      }
    });
  });

  it('records the second approval under four eyes as one approval entry naming both moderators', async () => {
    const adm = await admin(t);
    await mustSucceed(t, as(adm, 'PATCH', '/api/admin/settings', { fourEyesApproval: true }));
    const one = await moderator(t, ['KE']);
    const two = await moderator(t, ['KE']);
    const a = await applicant(t, 'submitted');
    await mustSucceed(t, as(one, 'POST', `${appUrl(a.applicationId)}/approve`, {}));
    const from = lastId();
    await mustSucceed(t, as(two, 'POST', `${appUrl(a.applicationId)}/approve`, {}));
    const added = entriesAfter(from);
    expect(added.map((e) => [e.action, e.actor_id])).toEqual([['application.approve', two.user.id]]);
    expect(JSON.parse(added[0]!.after!)).toEqual({
      status: 'approved',
      role: 'member',
      approvedBy: [one.user.id, two.user.id],
    });
  });

  it('writes no entry for a settings change that changes nothing', async () => {
    const adm = await admin(t);
    const from = lastId();
    const res = await t.request({
      method: 'PATCH',
      url: '/api/admin/settings',
      cookie: adm.cookie,
      body: { claimMinutes: 60, fourEyesApproval: false },
    });
    expect(res.statusCode).toBe(200);
    expect(entriesAfter(from)).toEqual([]);
  });

  describe('GET /api/audit', () => {
    interface Story {
      adm: Actor;
      ke: Actor;
      fr: Actor;
      a: Actor & { applicationId: string | null };
      b: Actor & { applicationId: string | null };
      m: Actor;
      /** Entry ids by what happened, in order. */
      ids: Record<string, number>;
    }

    /**
     * Three days of work: KE and FR applications, a claim and a rejection in KE, a settings change
     * at the last millisecond of day two, a suspension in FR at the first of day three.
     */
    async function story(): Promise<Story> {
      const adm = await admin(t, { displayName: 'Ada Admin' });
      const ke = await moderator(t, ['KE'], { displayName: 'Kamau' });
      const fr = await moderator(t, ['FR'], { displayName: 'Fournier' });
      const m = await member(t, { displayName: 'Marchand', jurisdictionCode: 'FR' });
      const ids: Record<string, number> = {};
      const mark = (name: string) => (ids[name] = lastId()!);
      // Signing in is a security event, in the log like the rest (no jurisdiction: admins only).
      const signedIn = (name: string, a: Actor) =>
        (ids[name] = (
          t.handle.sqlite
            .prepare("select id from audit_log where action = 'security.sign_in_new_device' and target_user_id = ?")
            .get(a.user.id) as { id: number }
        ).id);
      signedIn('signInAdm', adm);
      signedIn('signInKe', ke);
      signedIn('signInFr', fr);
      signedIn('signInM', m);

      // Day one, 09:00 (2026-11-22)
      const a = await applicant(t, 'submitted', { displayName: 'Achieng' });
      signedIn('signInA', a);
      mark('submitA');
      await mustSucceed(t, as(ke, 'POST', `${appUrl(a.applicationId)}/claim`));
      mark('claimA');
      // Day two, 09:00 (2026-11-23)
      t.clock.advance(DAY);
      const b = await applicant(t, 'submitted', {
        displayName: 'Bernard',
        application: { jurisdictionCode: 'FR', otherJurisdictions: [], languages: ['fr'] },
      });
      signedIn('signInB', b);
      mark('submitB');
      t.clock.advance(15 * HOUR - 1); // 23:59:59.999
      // A day after signing in, an admin action asks for the password again (it writes no entry).
      await mustSucceed(t, as(adm, 'POST', '/api/auth/reauth', { password: TEST_PASSWORD }));
      await mustSucceed(t, as(adm, 'PATCH', '/api/admin/settings', { claimMinutes: 90 }));
      mark('settings');
      // Day three, 00:00:00.000 (2026-11-24)
      t.clock.advance(1);
      await mustSucceed(t, as(adm, 'POST', `/api/admin/users/${m.user.id}/suspend`, { reason: 'Leaked a file.' }));
      mark('suspendM');
      await mustSucceed(
        t,
        as(ke, 'POST', `${appUrl(a.applicationId)}/reject`, { reason: 'Outside the membership criteria.' }),
      );
      mark('rejectA');
      return { adm, ke, fr, a, b, m, ids };
    }

    const ids = async (url: string, cookie: string) => {
      const res = await get(url, cookie);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      return res.json().entries.map((e: { id: number }) => e.id);
    };

    it('gives an admin every entry, newest first, with names', async () => {
      const s = await story();
      const { submitA, claimA, submitB, settings, suspendM, rejectA } = s.ids;
      const { signInAdm, signInKe, signInFr, signInM, signInA, signInB } = s.ids;
      expect(await ids('/api/audit', s.adm.cookie)).toEqual([
        rejectA,
        suspendM,
        settings,
        submitB,
        signInB,
        claimA,
        submitA,
        signInA,
        signInM,
        signInFr,
        signInKe,
        signInAdm,
      ]);
      const newest = (await get('/api/audit?limit=1', s.adm.cookie)).json().entries[0];
      expect(newest).toMatchObject({
        action: 'application.reject',
        actor: { id: s.ke.user.id, displayName: 'Kamau' },
        targetUser: { id: s.a.user.id, displayName: 'Achieng' },
        targetType: 'application',
        targetId: s.a.applicationId,
        jurisdictionCode: 'KE',
        reason: 'Outside the membership criteria.',
      });
    });

    it('filters by actor, action, target user and inclusive UTC days, alone and together', async () => {
      const s = await story();
      const { submitA, claimA, submitB, settings, suspendM, rejectA } = s.ids;
      const { signInAdm, signInKe, signInFr, signInM, signInA, signInB } = s.ids;
      const c = s.adm.cookie;
      expect(await ids(`/api/audit?actor=${s.ke.user.id}`, c)).toEqual([rejectA, claimA, signInKe]);
      expect(await ids(`/api/audit?actor=${s.adm.user.id}`, c)).toEqual([suspendM, settings, signInAdm]);
      expect(await ids('/api/audit?action=application.submit', c)).toEqual([submitB, submitA]);
      expect(await ids('/api/audit?action=settings.change', c)).toEqual([settings]);
      expect(await ids('/api/audit?action=security.sign_in_new_device', c)).toEqual([
        signInB,
        signInA,
        signInM,
        signInFr,
        signInKe,
        signInAdm,
      ]);
      expect(await ids(`/api/audit?target=${s.a.user.id}`, c)).toEqual([rejectA, claimA, submitA, signInA]);
      expect(await ids(`/api/audit?target=${s.m.user.id}`, c)).toEqual([suspendM, signInM]);
      expect(await ids('/api/audit?from=2026-11-23', c)).toEqual([rejectA, suspendM, settings, submitB, signInB]);
      expect(await ids('/api/audit?to=2026-11-23', c)).toEqual([
        settings,
        submitB,
        signInB,
        claimA,
        submitA,
        signInA,
        signInM,
        signInFr,
        signInKe,
        signInAdm,
      ]);
      expect(await ids('/api/audit?from=2026-11-23&to=2026-11-23', c)).toEqual([settings, submitB, signInB]);
      expect(await ids('/api/audit?from=2026-11-24&to=2026-11-24', c)).toEqual([rejectA, suspendM]);
      expect(await ids('/api/audit?from=2026-11-25', c)).toEqual([]);
      expect(await ids('/api/audit?from=2026-11-24&to=2026-11-22', c)).toEqual([]);
      expect(await ids(`/api/audit?actor=${s.ke.user.id}&action=application.claim`, c)).toEqual([claimA]);
      expect(await ids(`/api/audit?target=${s.a.user.id}&from=2026-11-24`, c)).toEqual([rejectA]);
      expect(await ids('/api/audit?actor=nobody', c)).toEqual([]);
    });

    it('pages with limit and the before cursor, every entry once, ending with a null cursor', async () => {
      const s = await story();
      const all = await ids('/api/audit', s.adm.cookie);
      const seen: number[] = [];
      let url = '/api/audit?limit=4';
      for (let pages = 0; pages < 10; pages++) {
        const page = (await get(url, s.adm.cookie)).json();
        seen.push(...page.entries.map((e: { id: number }) => e.id));
        expect(page.entries.length).toBeLessThanOrEqual(4);
        if (page.nextCursor === null) break;
        expect(page.nextCursor).toBe(page.entries.at(-1).id);
        url = `/api/audit?limit=4&before=${page.nextCursor}`;
      }
      expect(seen).toEqual(all);
      expect(all.length).toBeGreaterThan(4);
      // A cursor combines with filters.
      const first = (await get('/api/audit?action=application.submit&limit=1', s.adm.cookie)).json();
      expect(first.entries.map((e: { id: number }) => e.id)).toEqual([s.ids['submitB']]);
      const next = await ids(`/api/audit?action=application.submit&limit=1&before=${first.nextCursor}`, s.adm.cookie);
      expect(next).toEqual([s.ids['submitA']]);
    });

    it('shows a moderator only the entries of their jurisdictions', async () => {
      const s = await story();
      const { submitA, claimA, submitB, suspendM, rejectA } = s.ids;
      expect(await ids('/api/audit', s.ke.cookie)).toEqual([rejectA, claimA, submitA]);
      expect(await ids('/api/audit', s.fr.cookie)).toEqual([suspendM, submitB]);
      // Filters cannot widen the scope, and settings (no jurisdiction) are for admins.
      expect(await ids(`/api/audit?target=${s.b.user.id}`, s.ke.cookie)).toEqual([]);
      expect(await ids('/api/audit?action=settings.change', s.ke.cookie)).toEqual([]);
      expect(await ids(`/api/audit?actor=${s.adm.user.id}`, s.fr.cookie)).toEqual([suspendM]);
      // A moderator covering no jurisdiction sees nothing.
      const none = await moderator(t, []);
      expect(await ids('/api/audit', none.cookie)).toEqual([]);
    });

    it('refuses members and applicants, and anonymous visitors', async () => {
      const m = await member(t);
      const a = await applicant(t, 'submitted');
      const memberRes = await get('/api/audit', m.cookie);
      expect([memberRes.statusCode, errorCode(memberRes)]).toEqual([403, 'FORBIDDEN']);
      const applicantRes = await get('/api/audit', a.cookie);
      expect([applicantRes.statusCode, errorCode(applicantRes)]).toEqual([403, 'NOT_VETTED']);
      const anonymous = await t.request({ method: 'GET', url: '/api/audit' });
      expect(anonymous.statusCode).toBe(401);
    });

    it('refuses malformed filters with 400', async () => {
      const adm = await admin(t);
      for (const q of [
        'action=user.delete',
        'from=2026-13-01',
        'from=2026-02-30',
        'to=yesterday',
        'from=2026-11-22T00:00:00Z',
        'before=0',
        'before=abc',
        'limit=0',
        'limit=101',
        `actor=${'x'.repeat(65)}`,
        'surprise=1',
      ]) {
        const res = await get(`/api/audit?${q}`, adm.cookie);
        expect(res.statusCode, q).toBe(400);
        expect(errorCode(res), q).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('an entry, once written', () => {
    it('has no route that changes or deletes it', async () => {
      const adm = await admin(t);
      await mustSucceed(t, as(adm, 'PATCH', '/api/admin/settings', { claimMinutes: 45 }));
      const id = lastId()!;
      const before = snapshot();
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        for (const url of ['/api/audit', `/api/audit/${id}`]) {
          const res = await t.request({ method, url, cookie: adm.cookie, body: { reason: 'rewritten' } });
          expect(res.statusCode, `${method} ${url}`).toBe(404);
          expect(errorCode(res), `${method} ${url}`).toBe('ROUTE_NOT_FOUND');
        }
      }
      expect(snapshot()).toEqual(before);
    });

    it('is protected by the database itself: UPDATE and DELETE are refused', async () => {
      const adm = await admin(t);
      await mustSucceed(t, as(adm, 'PATCH', '/api/admin/settings', { claimMinutes: 45 }));
      const id = lastId()!;
      const row = () => t.handle.sqlite.prepare('select * from audit_log where id = ?').get(id);
      const original = row();
      expect(() => t.handle.sqlite.prepare("update audit_log set reason = 'rewritten' where id = ?").run(id)).toThrow(
        /append-only/,
      );
      expect(() => t.handle.sqlite.prepare('delete from audit_log where id = ?').run(id)).toThrow(/append-only/);
      expect(() => t.handle.sqlite.prepare('delete from audit_log').run()).toThrow(/append-only/);
      expect(row()).toEqual(original);
      // Appending still works.
      await mustSucceed(t, as(adm, 'PATCH', '/api/admin/settings', { claimMinutes: 50 }));
      expect(lastId()).toBe(id + 1);
    });
  });
});
