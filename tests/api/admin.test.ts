/**
 * Running the instance: roles, moderators' jurisdictions, suspension, settings and the account
 * list. Admins only; never on themselves; never leaving LexForum without an active admin.
 */
import { DEFAULT_SETTINGS } from '@lexforum/shared';
import { moderatorJurisdictions } from '@lexforum/db';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, type TestApp } from '../helpers/app.js';
import { admin, applicant, member, moderator, signedIn, type Actor } from '../helpers/vetting.js';

describe('Admin API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  const get = (url: string, cookie: string) => t.request({ method: 'GET', url, cookie });
  const put = (url: string, cookie: string, body?: unknown) => t.request({ method: 'PUT', url, cookie, body });
  const post = (url: string, cookie: string, body?: unknown) => t.request({ method: 'POST', url, cookie, body });
  const patch = (url: string, cookie: string, body?: unknown) => t.request({ method: 'PATCH', url, cookie, body });

  const setRole = (by: Actor, id: string, role: string, reason = 'Decided by the board.') =>
    put(`/api/admin/users/${id}/role`, by.cookie, { role, reason });
  const suspend = (by: Actor, id: string, reason = 'Shared case files outside the forum.') =>
    post(`/api/admin/users/${id}/suspend`, by.cookie, { reason });
  const reinstate = (by: Actor, id: string, reason = 'Cleared by the ethics committee.') =>
    post(`/api/admin/users/${id}/reinstate`, by.cookie, { reason });
  const account = async (by: Actor, id: string) => (await get(`/api/admin/users/${id}`, by.cookie)).json().user;
  const signIn = (email: string) =>
    t.request({
      method: 'POST',
      url: '/api/auth/sign-in',
      body: { email, password: 'correct horse battery staple 42' },
    });
  const activeAdmins = () =>
    t.handle.sqlite.prepare("select id from users where role = 'admin' and status = 'active' order by id").all();

  describe('PUT /api/admin/users/:id/role', () => {
    it('promotes a member to moderator, then admin, and demotes back; the member sees each role', async () => {
      const adm = await admin(t);
      const m = await member(t, { displayName: 'Camille' });
      const steps = ['moderator', 'admin', 'moderator', 'member'] as const;
      for (const role of steps) {
        const res = await setRole(adm, m.user.id, role, `Now a ${role}.`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().user).toMatchObject({ id: m.user.id, role, status: 'active' });
        expect((await get('/api/session', m.cookie)).json().user.role).toBe(role);
        const latest = (await get('/api/notifications', m.cookie)).json().notifications[0];
        expect(latest).toMatchObject({
          kind: 'role_changed',
          params: { role },
          legacyTitle: null,
          body: `Now a ${role}.`,
        });
      }
      // Moderator and admin powers come and go with the role.
      expect((await get('/api/admin/users', m.cookie)).statusCode).toBe(403);
      expect((await get('/api/vetting/applications', m.cookie)).statusCode).toBe(403);
      expect((await account(adm, m.user.id)).badge).toMatchObject({ profession: 'prosecutor' });
    });

    it('clears a moderator’s jurisdictions on demotion, and they no longer see those applications', async () => {
      const adm = await admin(t);
      const mod = await moderator(t, ['KE', 'UG']);
      await applicant(t, 'submitted');
      expect((await get('/api/vetting/applications', mod.cookie)).json().total).toBe(1);
      expect((await setRole(adm, mod.user.id, 'member')).json().user.moderatorJurisdictions).toEqual([]);
      expect(
        t.handle.db.select().from(moderatorJurisdictions).where(eq(moderatorJurisdictions.userId, mod.user.id)).all(),
      ).toEqual([]);
      // Promoted again, they start with no jurisdiction until an admin assigns some.
      expect((await setRole(adm, mod.user.id, 'moderator')).json().user.moderatorJurisdictions).toEqual([]);
      expect((await get('/api/vetting/applications', mod.cookie)).json()).toMatchObject({ total: 0, waiting: 0 });
    });

    it('clears jurisdictions when a moderator becomes an admin too', async () => {
      const adm = await admin(t);
      const mod = await moderator(t, ['KE']);
      const res = await setRole(adm, mod.user.id, 'admin');
      expect(res.json().user).toMatchObject({ role: 'admin', moderatorJurisdictions: [] });
    });

    it('refuses to give an applicant a role, and to give someone the role they have (409 INVALID_STATE)', async () => {
      const adm = await admin(t);
      const other = await admin(t);
      const mod = await moderator(t, ['KE']);
      const m = await member(t);
      const cases: [Actor, string][] = [
        [await applicant(t, 'submitted'), 'member'],
        [await applicant(t, 'none'), 'moderator'],
        [await applicant(t, 'draft'), 'admin'],
        [m, 'member'],
        [mod, 'moderator'],
        [other, 'admin'],
      ];
      for (const [target, role] of cases) {
        const before = await account(adm, target.user.id);
        const res = await setRole(adm, target.user.id, role);
        expect(res.statusCode, `${target.user.role} → ${role}`).toBe(409);
        expect(errorCode(res)).toBe('INVALID_STATE');
        expect(await account(adm, target.user.id)).toEqual(before);
      }
    });

    it('refuses bad input with 400 and an unknown account with 404', async () => {
      const adm = await admin(t);
      const m = await member(t);
      const url = `/api/admin/users/${m.user.id}/role`;
      for (const body of [
        { role: 'moderator' },
        { role: 'moderator', reason: 'ok' },
        { role: 'moderator', reason: '   ' },
        { role: 'moderator', reason: 'x'.repeat(1001) },
        { role: 'applicant', reason: 'Back to the start.' },
        { role: 'king', reason: 'Long live.' },
        { role: 'moderator', reason: 'Covers KE.', jurisdictions: ['KE'] },
      ]) {
        const res = await put(url, adm.cookie, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(errorCode(res)).toBe('VALIDATION_FAILED');
      }
      expect((await account(adm, m.user.id)).role).toBe('member');
      const unknown = await setRole(adm, 'no-such-user', 'moderator');
      expect([unknown.statusCode, errorCode(unknown)]).toEqual([404, 'NOT_FOUND']);
    });
  });

  describe('an admin on themself', () => {
    it('cannot change their own role, suspend or reinstate themself (403)', async () => {
      const adm = await admin(t);
      await admin(t); // another admin exists: the refusal is about "self", not "last"
      for (const res of [
        await setRole(adm, adm.user.id, 'member'),
        await setRole(adm, adm.user.id, 'moderator'),
        await suspend(adm, adm.user.id),
        await reinstate(adm, adm.user.id),
      ]) {
        expect(res.statusCode).toBe(403);
        expect(errorCode(res)).toBe('FORBIDDEN');
      }
      expect(await account(adm, adm.user.id)).toMatchObject({ role: 'admin', status: 'active' });
      expect((await get('/api/account', adm.cookie)).statusCode).toBe(200);
    });
  });

  describe('the last active admin', () => {
    // An admin cannot act on themself, so one admin alone can never remove the last admin. The
    // guard matters when two admins act on each other at the same moment: both requests were
    // let in while both were admins, and the second to commit would leave nobody.
    type Act = (by: Actor, on: Actor) => Promise<LightMyRequestResponse>;
    const suspends: Act = (by, on) => suspend(by, on.user.id);
    const demotes: Act = (by, on) => setRole(by, on.user.id, 'member');
    const races: [string, Act, Act][] = [
      ['suspend each other', suspends, suspends],
      ['demote each other', demotes, demotes],
      ['suspend and demote each other', suspends, demotes],
    ];

    it.each(races)('cannot be removed when two admins %s at once (409 LAST_ADMIN)', async (_name, first, second) => {
      const one = await admin(t, { displayName: 'One' });
      const two = await admin(t, { displayName: 'Two' });
      const auditCount = () => t.handle.sqlite.prepare('select count(*) as n from audit_log').get();
      const before = (auditCount() as { n: number }).n;
      const results = await Promise.all([first(one, two), second(two, one)]);
      const outcomes = results.map((r) => `${r.statusCode} ${errorCode(r) ?? ''}`.trim()).sort();
      expect(outcomes).toEqual(['200', '409 LAST_ADMIN']);
      // Exactly one active admin remains, and only the change that happened is in the log.
      expect(activeAdmins()).toHaveLength(1);
      expect((auditCount() as { n: number }).n - before).toBe(1);
    });

    it('can be demoted or suspended while another active admin remains', async () => {
      const one = await admin(t);
      const two = await admin(t);
      const three = await admin(t);
      expect((await setRole(one, two.user.id, 'member')).statusCode).toBe(200);
      expect((await suspend(one, three.user.id)).statusCode).toBe(200);
      expect(activeAdmins()).toEqual([{ id: one.user.id }]);
      // A suspended admin does not count: the only other admin left is not active.
      expect((await setRole(one, three.user.id, 'member')).statusCode).toBe(200);
      expect(activeAdmins()).toEqual([{ id: one.user.id }]);
    });
  });

  describe('PUT /api/admin/users/:id/jurisdictions', () => {
    it('sets a moderator’s jurisdictions, sorted, and their queue follows', async () => {
      const adm = await admin(t);
      const mod = await moderator(t, ['FR']);
      await applicant(t, 'submitted', { application: { jurisdictionCode: 'UG', otherJurisdictions: [] } });
      expect((await get('/api/vetting/applications', mod.cookie)).json().total).toBe(0);
      const res = await put(`/api/admin/users/${mod.user.id}/jurisdictions`, adm.cookie, {
        jurisdictions: ['UG', 'KE', 'FR'],
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user.moderatorJurisdictions).toEqual(['FR', 'KE', 'UG']);
      expect((await get('/api/session', mod.cookie)).json().user.moderatorJurisdictions).toEqual(['FR', 'KE', 'UG']);
      expect((await get('/api/vetting/applications', mod.cookie)).json().total).toBe(1);
      // Replaced, not merged; an empty list leaves them covering nothing.
      await put(`/api/admin/users/${mod.user.id}/jurisdictions`, adm.cookie, { jurisdictions: ['FR'] });
      expect((await account(adm, mod.user.id)).moderatorJurisdictions).toEqual(['FR']);
      await put(`/api/admin/users/${mod.user.id}/jurisdictions`, adm.cookie, { jurisdictions: [] });
      expect((await account(adm, mod.user.id)).moderatorJurisdictions).toEqual([]);
      expect((await get('/api/vetting/applications', mod.cookie)).json()).toMatchObject({ total: 0, waiting: 0 });
    });

    it('refuses unknown or repeated codes (400) and leaves the old list', async () => {
      const adm = await admin(t);
      const mod = await moderator(t, ['KE']);
      const url = `/api/admin/users/${mod.user.id}/jurisdictions`;
      for (const jurisdictions of [['XX'], ['KE', 'ZZZ'], ['KE', 'KE'], ['ke'], ['K'], ['KE1'], 'KE']) {
        const res = await put(url, adm.cookie, { jurisdictions });
        expect(res.statusCode, JSON.stringify(jurisdictions)).toBe(400);
        expect(errorCode(res)).toBe('VALIDATION_FAILED');
      }
      const unknown = await put(url, adm.cookie, { jurisdictions: ['KE', 'XX'] });
      expect(unknown.json().error.details.issues).toEqual([
        { path: '/jurisdictions', message: 'Choose jurisdictions from the list.' },
      ]);
      expect((await put(url, adm.cookie, {})).statusCode).toBe(400);
      expect((await account(adm, mod.user.id)).moderatorJurisdictions).toEqual(['KE']);
    });

    it('refuses to give jurisdictions to anyone but a moderator (409)', async () => {
      const adm = await admin(t);
      const other = await admin(t);
      for (const target of [await member(t), await applicant(t, 'submitted'), other]) {
        const res = await put(`/api/admin/users/${target.user.id}/jurisdictions`, adm.cookie, {
          jurisdictions: ['KE'],
        });
        expect(res.statusCode, target.user.role).toBe(409);
        expect(errorCode(res)).toBe('INVALID_STATE');
      }
      expect(t.handle.db.select().from(moderatorJurisdictions).all()).toEqual([]);
    });
  });

  describe('suspension', () => {
    it('ends every session of the account at once; sign-in then answers 403 SUSPENDED with the reason', async () => {
      const adm = await admin(t);
      const m = await member(t);
      const laptop = m.cookie;
      const phone = await t.loginAs(m.user);
      for (const cookie of [laptop, phone]) expect((await get('/api/account', cookie)).statusCode).toBe(200);

      const res = await suspend(adm, m.user.id, 'Shared a sealed indictment.');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user).toMatchObject({ status: 'suspended', suspendedReason: 'Shared a sealed indictment.' });

      for (const cookie of [laptop, phone]) {
        const after = await get('/api/account', cookie);
        expect(after.statusCode).toBe(401);
        expect(errorCode(after)).toBe('UNAUTHENTICATED');
      }
      const signIn1 = await signIn(m.user.email);
      expect(signIn1.statusCode).toBe(403);
      expect(errorCode(signIn1)).toBe('SUSPENDED');
      expect(signIn1.json().error.message).toContain('Shared a sealed indictment.');
      expect(signIn1.cookies.filter((c) => c.value)).toEqual([]);
      expect(t.handle.sqlite.prepare('select count(*) as n from sessions where user_id = ?').get(m.user.id)).toEqual({
        n: 0,
      });
      // The admin's own session is untouched.
      expect((await get('/api/account', adm.cookie)).statusCode).toBe(200);
    });

    it('refuses a second suspension (409) and keeps the first reason', async () => {
      const adm = await admin(t);
      const m = await member(t);
      await suspend(adm, m.user.id, 'First reason given.');
      const again = await suspend(adm, m.user.id, 'Second reason given.');
      expect([again.statusCode, errorCode(again)]).toEqual([409, 'INVALID_STATE']);
      expect((await account(adm, m.user.id)).suspendedReason).toBe('First reason given.');
    });

    it('releases the claims a suspended moderator held', async () => {
      const adm = await admin(t);
      const one = await moderator(t, ['KE']);
      const two = await moderator(t, ['KE']);
      const a = await applicant(t, 'submitted');
      const url = `/api/vetting/applications/${a.applicationId}/claim`;
      expect((await post(url, one.cookie)).statusCode).toBe(200);
      expect(errorCode(await post(url, two.cookie))).toBe('CLAIMED_BY_OTHER');
      await suspend(adm, one.user.id);
      expect((await post(url, two.cookie)).json().claim).toMatchObject({ mine: true });
    });

    it('can suspend an applicant too, who is then refused sign-in', async () => {
      const adm = await admin(t);
      const a = await applicant(t, 'submitted');
      expect((await suspend(adm, a.user.id)).statusCode).toBe(200);
      expect((await get('/api/application', a.cookie)).statusCode).toBe(401);
      expect(errorCode(await signIn(a.user.email))).toBe('SUSPENDED');
    });

    it('refuses a reason that is too short, blank or too long (400), suspending nobody', async () => {
      const adm = await admin(t);
      const m = await member(t);
      for (const body of [{}, { reason: 'no' }, { reason: ' \n\t ' }, { reason: 'x'.repeat(1001) }, { reason: 5 }]) {
        const res = await post(`/api/admin/users/${m.user.id}/suspend`, adm.cookie, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
      }
      expect((await get('/api/account', m.cookie)).statusCode).toBe(200);
      const unknown = await suspend(adm, 'no-such-user');
      expect([unknown.statusCode, errorCode(unknown)]).toEqual([404, 'NOT_FOUND']);
    });
  });

  describe('reinstatement', () => {
    it('lifts a suspension: the reason is cleared and the account signs in again', async () => {
      const adm = await admin(t);
      const m = await member(t);
      await suspend(adm, m.user.id);
      const res = await reinstate(adm, m.user.id);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user).toMatchObject({ status: 'active', suspendedReason: null });
      const back = await signIn(m.user.email);
      expect(back.statusCode).toBe(200);
      expect(back.json().user).toMatchObject({ status: 'active', access: 'member' });
    });

    it('refuses to reinstate an account that is not suspended (409), or with a bad reason (400)', async () => {
      const adm = await admin(t);
      const m = await member(t);
      const res = await reinstate(adm, m.user.id);
      expect([res.statusCode, errorCode(res)]).toEqual([409, 'INVALID_STATE']);
      await suspend(adm, m.user.id);
      expect((await reinstate(adm, m.user.id, 'ok')).statusCode).toBe(400);
      expect((await account(adm, m.user.id)).status).toBe('suspended');
    });
  });

  describe('settings', () => {
    it('reads the defaults and changes one setting at a time', async () => {
      const adm = await admin(t);
      // The test app turns pre-moderation off (tests/helpers/app.ts); everything else is the default.
      const defaults = { ...DEFAULT_SETTINGS, premoderatedPosts: 0 };
      expect((await get('/api/admin/settings', adm.cookie)).json()).toEqual({ settings: defaults });
      expect(DEFAULT_SETTINGS).toMatchObject({
        fourEyesApproval: false,
        claimMinutes: 60,
        reverificationMonths: 24,
        confidentialReportsToHide: 2,
        premoderatedPosts: 2,
        moderatorsCanSuspend: false,
      });
      const res = await patch('/api/admin/settings', adm.cookie, { reverificationMonths: 36 });
      expect(res.json().settings).toEqual({ ...defaults, reverificationMonths: 36 });
      await patch('/api/admin/settings', adm.cookie, { fourEyesApproval: true });
      expect((await get('/api/admin/settings', adm.cookie)).json().settings).toEqual({
        ...defaults,
        fourEyesApproval: true,
        reverificationMonths: 36,
      });
    });

    it('accepts the bounds and refuses anything outside them (400), changing nothing', async () => {
      const adm = await admin(t);
      const accepted = [
        { claimMinutes: 5 },
        { claimMinutes: 7 * 24 * 60 },
        { reverificationMonths: 1 },
        { reverificationMonths: 120 },
      ];
      for (const body of accepted) {
        const res = await patch('/api/admin/settings', adm.cookie, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(200);
        expect(res.json().settings).toMatchObject(body);
      }
      const settled = (await get('/api/admin/settings', adm.cookie)).json();
      for (const body of [
        { claimMinutes: 4 },
        { claimMinutes: 7 * 24 * 60 + 1 },
        { claimMinutes: 30.5 },
        { claimMinutes: '30' },
        { claimMinutes: null },
        { reverificationMonths: 0 },
        { reverificationMonths: 121 },
        { reverificationMonths: -1 },
        { fourEyesApproval: 'true' },
        { fourEyesApproval: 1 },
        { theme: 'dark' },
        {},
      ]) {
        const res = await patch('/api/admin/settings', adm.cookie, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(errorCode(res)).toBe('VALIDATION_FAILED');
      }
      expect((await get('/api/admin/settings', adm.cookie)).json()).toEqual(settled);
    });
  });

  describe('GET /api/admin/users', () => {
    const names = (res: { json(): { users: { displayName: string }[] } }) => res.json().users.map((u) => u.displayName);

    it('searches name, email and institution regardless of case, and filters by role and status', async () => {
      const adm = await admin(t, { displayName: 'Zed Admin' });
      await member(t, { displayName: 'Amara Okafor', institution: 'Federal High Court' });
      await member(t, { displayName: 'Bruno Costa', email: 'bruno@mpf.example.br' });
      await moderator(t, ['FR'], { displayName: 'Claire Moreau', institution: 'Cour de cassation' });
      const suspended = await member(t, { displayName: 'Dario Rossi' });
      await suspend(adm, suspended.user.id);
      await applicant(t, 'submitted', { displayName: 'Eve Applicant' });
      const list = (q: string) => get(`/api/admin/users?${q}`, adm.cookie);

      expect(names(await list(''))).toEqual([
        'Amara Okafor',
        'Bruno Costa',
        'Claire Moreau',
        'Dario Rossi',
        'Eve Applicant',
        'Zed Admin',
      ]);
      expect(names(await list('q=AMARA'))).toEqual(['Amara Okafor']);
      expect(names(await list('q=MPF.EXAMPLE'))).toEqual(['Bruno Costa']);
      expect(names(await list('q=cassation'))).toEqual(['Claire Moreau']);
      expect(names(await list('q=high%20COURT'))).toEqual(['Amara Okafor']);
      expect(names(await list('q=%25'))).toEqual([]); // "%" is a character, not a wildcard
      expect(names(await list('q=_'))).toEqual([]);
      expect(names(await list('role=moderator'))).toEqual(['Claire Moreau']);
      expect(names(await list('role=applicant'))).toEqual(['Eve Applicant']);
      expect(names(await list('status=suspended'))).toEqual(['Dario Rossi']);
      expect(names(await list('role=member&status=active'))).toEqual(['Amara Okafor', 'Bruno Costa']);
      expect(names(await list('role=member&q=costa'))).toEqual(['Bruno Costa']);
      const one = (await list('q=Dario')).json();
      expect(one).toMatchObject({ total: 1, page: 1, pageSize: 25 });
      expect(one.users[0]).toMatchObject({
        email: suspended.user.email,
        status: 'suspended',
        suspendedReason: expect.any(String),
      });
    });

    it('finds names with accented and non-Latin capitals whatever the case typed', async () => {
      const adm = await admin(t);
      await member(t, { displayName: 'Émilie Durand' });
      await member(t, { displayName: 'ÖZGÜR Şahin' });
      await member(t, { displayName: 'Ωμέγα Παπαδόπουλος' });
      for (const [q, name] of [
        ['Émilie', 'Émilie Durand'],
        ['émilie', 'Émilie Durand'],
        ['ÉMILIE', 'Émilie Durand'],
        ['özgür', 'ÖZGÜR Şahin'],
        ['ωμέγα', 'Ωμέγα Παπαδόπουλος'],
      ]) {
        expect(names(await get(`/api/admin/users?q=${encodeURIComponent(q!)}`, adm.cookie)), q).toEqual([name]);
      }
    });

    it('pages 25 at a time in name order', async () => {
      const adm = await admin(t, { displayName: 'Admin' });
      for (let i = 1; i <= 30; i++) {
        await t.createUser({ displayName: `Member ${String(i).padStart(2, '0')}`, email: `m${i}@paging.example` });
      }
      const first = (await get('/api/admin/users?q=paging.example', adm.cookie)).json();
      expect(first).toMatchObject({ total: 30, page: 1, pageSize: 25 });
      expect(first.users.map((u: { displayName: string }) => u.displayName)).toEqual(
        Array.from({ length: 25 }, (_, i) => `Member ${String(i + 1).padStart(2, '0')}`),
      );
      const second = (await get('/api/admin/users?q=paging.example&page=2', adm.cookie)).json();
      expect(second).toMatchObject({ total: 30, page: 2 });
      expect(second.users.map((u: { displayName: string }) => u.displayName)).toEqual([
        'Member 26',
        'Member 27',
        'Member 28',
        'Member 29',
        'Member 30',
      ]);
      expect((await get('/api/admin/users?q=paging.example&page=3', adm.cookie)).json().users).toEqual([]);
    });

    it('refuses bad filters with 400', async () => {
      const adm = await admin(t);
      for (const q of ['role=king', 'status=banned', 'page=0', 'page=x', `q=${'a'.repeat(201)}`, 'surprise=1']) {
        const res = await get(`/api/admin/users?${q}`, adm.cookie);
        expect(res.statusCode, q).toBe(400);
      }
    });

    it('reads one account, or 404', async () => {
      const adm = await admin(t);
      const mod = await moderator(t, ['KE', 'TZ'], { displayName: 'Njeri' });
      expect(await account(adm, mod.user.id)).toMatchObject({
        id: mod.user.id,
        email: mod.user.email,
        displayName: 'Njeri',
        role: 'moderator',
        status: 'active',
        moderatorJurisdictions: ['KE', 'TZ'],
        badge: { jurisdictionCode: 'KE' },
      });
      const res = await get('/api/admin/users/nobody', adm.cookie);
      expect([res.statusCode, errorCode(res)]).toEqual([404, 'NOT_FOUND']);
    });
  });

  describe('non-admins', () => {
    it('are refused every admin endpoint: moderators and members with FORBIDDEN, applicants with NOT_VETTED', async () => {
      const adm = await admin(t);
      const target = await member(t);
      const mod = await moderator(t, ['KE']);
      const actors: [string, Actor, string][] = [
        ['moderator', mod, 'FORBIDDEN'],
        ['member', await member(t), 'FORBIDDEN'],
        ['applicant', await applicant(t, 'submitted'), 'NOT_VETTED'],
        ['applicant without application', await signedIn(t, { role: 'applicant' }), 'NOT_VETTED'],
      ];
      const id = target.user.id;
      const endpoints: [string, string, unknown?][] = [
        ['GET', '/api/admin/users'],
        ['GET', `/api/admin/users/${id}`],
        ['PUT', `/api/admin/users/${id}/role`, { role: 'moderator', reason: 'Promotion.' }],
        ['PUT', `/api/admin/users/${mod.user.id}/jurisdictions`, { jurisdictions: ['UG'] }],
        ['POST', `/api/admin/users/${id}/suspend`, { reason: 'Suspension.' }],
        ['POST', `/api/admin/users/${id}/reinstate`, { reason: 'Reinstatement.' }],
        ['GET', '/api/admin/settings'],
        ['PATCH', '/api/admin/settings', { claimMinutes: 30 }],
      ];
      const auditBefore = t.handle.sqlite.prepare('select count(*) as n from audit_log').get();
      const wrong: string[] = [];
      for (const [who, actor, code] of actors) {
        for (const [method, url, body] of endpoints) {
          const res = await t.request({ method: method as 'GET', url, cookie: actor.cookie, body });
          if (res.statusCode !== 403 || errorCode(res) !== code) {
            wrong.push(`${who} ${method} ${url}: ${res.statusCode} ${errorCode(res)}`);
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(t.handle.sqlite.prepare('select count(*) as n from audit_log').get()).toEqual(auditBefore);
      expect(await account(adm, id)).toMatchObject({ role: 'member', status: 'active' });
      const anonymous = await t.request({ method: 'GET', url: '/api/admin/users' });
      expect(anonymous.statusCode).toBe(401);
    });
  });
});
