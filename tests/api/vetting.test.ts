import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, DAY, errorCode, MINUTE, type TestApp } from '../helpers/app.js';
import { admin, applicant, COMPLETE_APPLICATION, member, moderator, signedIn } from '../helpers/vetting.js';

describe('Vetting API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  const get = (url: string, cookie: string) => t.request({ method: 'GET', url, cookie });
  const post = (url: string, cookie: string, body?: unknown) => t.request({ method: 'POST', url, cookie, body });
  const put = (url: string, cookie: string, body?: unknown) => t.request({ method: 'PUT', url, cookie, body });

  describe('the applicant', () => {
    it('saves a partial draft, then is told every missing field at submission', async () => {
      const a = await applicant(t, 'none');
      expect((await get('/api/application', a.cookie)).json()).toEqual({ application: null });
      const saved = await put('/api/application', a.cookie, { position: 'Judge', languages: ['fr'] });
      expect(saved.statusCode).toBe(200);
      expect(saved.json().application).toMatchObject({ status: 'draft', position: 'Judge', languages: ['fr'] });

      const submit = await post('/api/application/submit', a.cookie);
      expect(submit.statusCode).toBe(400);
      const paths = submit.json().error.details.issues.map((i: { path: string }) => i.path);
      expect(paths.sort()).toEqual(['/expertise', '/institution', '/jurisdictionCode', '/profession', '/reason']);
      expect((await get('/api/application', a.cookie)).json().application.status).toBe('draft');
    });

    it('refuses invalid fields one by one with per-field messages, storing nothing', async () => {
      const a = await applicant(t, 'draft');
      const cases: [Record<string, unknown>, string][] = [
        [{ jurisdictionCode: 'XX' }, '/jurisdictionCode'],
        [{ otherJurisdictions: ['KE'] }, '/otherJurisdictions'],
        [{ otherJurisdictions: ['UG', 'UG'] }, '/otherJurisdictions'],
        [{ languages: ['en', 'en'] }, '/languages'],
        [{ professionalEmail: 'not an email' }, '/professionalEmail'],
        [{ position: ' Judge' }, '/position'],
        [{ expertise: 'too short' }, '/expertise'],
        [{ referee: { name: 'A Referee', position: 'Judge', email: 'nope' } }, '/referee/email'],
      ];
      for (const [body, path] of cases) {
        const res = await put('/api/application', a.cookie, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
      }
      const stored = (await get('/api/application', a.cookie)).json().application;
      expect(stored).toMatchObject({
        jurisdictionCode: 'KE',
        otherJurisdictions: ['UG', 'TZ'],
        languages: ['en', 'sw'],
      });
      // Shape errors (wrong types, unknown fields) are 400 from the schema.
      for (const body of [{ profession: 'wizard' }, { languages: ['xx'] }, { surprise: 1 }, { position: 5 }]) {
        expect((await put('/api/application', a.cookie, body)).statusCode).toBe(400);
      }
    });

    it('follows submit → question → answer → approval, seeing where it stands at each step', async () => {
      const mod = await moderator(t, ['KE'], { displayName: 'Wanjiru Kamau' });
      const a = await applicant(t, 'submitted');
      const app = (await get('/api/application', a.cookie)).json().application;
      expect(app.status).toBe('submitted');
      expect((await put('/api/application', a.cookie, { position: 'Judge' })).statusCode).toBe(409);

      const asked = await post(`/api/vetting/applications/${app.id}/request-info`, mod.cookie, {
        question: 'Which division of the ODPP do you serve in?',
      });
      expect(asked.statusCode).toBe(200);
      let mine = (await get('/api/application', a.cookie)).json().application;
      expect(mine).toMatchObject({
        status: 'info_requested',
        pendingQuestion: 'Which division of the ODPP do you serve in?',
      });
      // The applicant sees what was asked, not which moderator asked it.
      expect(mine.events.at(-1)).toMatchObject({ kind: 'info_requested', actor: null });

      const answered = await post('/api/application/answer', a.cookie, { answer: 'The Economic Crimes Division.' });
      expect(answered.statusCode).toBe(200);
      expect(answered.json().application).toMatchObject({ status: 'submitted', pendingQuestion: null });

      const approved = await post(`/api/vetting/applications/${app.id}/approve`, mod.cookie, {});
      expect(approved.statusCode).toBe(200);
      expect(approved.json().application.status).toBe('approved');

      const session = (await get('/api/session', a.cookie)).json().user;
      expect(session).toMatchObject({ role: 'member', access: 'member' });
      expect(session.badge).toMatchObject({
        profession: 'prosecutor',
        jurisdictionCode: 'KE',
        jurisdictionName: 'Kenya',
        institution: COMPLETE_APPLICATION.institution,
        verifiedBy: { id: mod.user.id, displayName: 'Wanjiru Kamau' },
        reverificationDue: false,
      });
      mine = (await get('/api/application', a.cookie)).json().application;
      expect(mine.events.map((e: { kind: string }) => e.kind)).toEqual([
        'submitted',
        'info_requested',
        'answered',
        'approved',
      ]);
      expect((await get('/api/members', a.cookie)).statusCode).toBe(200);
    });

    it('sees a rejection with its reason, and is refused the forum with REJECTED', async () => {
      const mod = await moderator(t, ['KE']);
      const a = await applicant(t, 'submitted');
      const reason = 'We could not verify your position with your institution.';
      expect(
        (await post(`/api/vetting/applications/${a.applicationId}/reject`, mod.cookie, { reason })).statusCode,
      ).toBe(200);
      const mine = (await get('/api/application', a.cookie)).json().application;
      expect(mine).toMatchObject({ status: 'rejected', rejectionReason: reason });
      const members = await get('/api/members', a.cookie);
      expect(members.statusCode).toBe(403);
      expect(errorCode(members)).toBe('REJECTED');
      expect((await get('/api/session', a.cookie)).json().user.access).toBe('rejected');
      expect((await put('/api/application', a.cookie, { position: 'Judge' })).statusCode).toBe(403);
    });

    it('withdraws, and can reopen a withdrawn application as a draft', async () => {
      const a = await applicant(t, 'submitted');
      const res = await post('/api/application/withdraw', a.cookie);
      expect(res.json().application.status).toBe('withdrawn');
      expect((await post('/api/application/withdraw', a.cookie)).statusCode).toBe(409);
      const reopened = await put('/api/application', a.cookie, { position: 'Chief Prosecutor' });
      expect(reopened.json().application).toMatchObject({ status: 'draft', position: 'Chief Prosecutor' });
    });

    it("keeps a draft its own: it cannot be withdrawn into the moderators' view, nor seen by them", async () => {
      const mod = await moderator(t, ['KE']);
      const a = await applicant(t, 'draft');
      expect(errorCode(await post('/api/application/withdraw', a.cookie))).toBe('INVALID_STATE');
      expect((await get(`/api/vetting/applications/${a.applicationId}`, mod.cookie)).statusCode).toBe(404);
      for (const status of ['submitted', 'withdrawn']) {
        expect((await get(`/api/vetting/applications?status=${status}`, mod.cookie)).json().total).toBe(0);
      }
      expect((await get('/api/audit', mod.cookie)).json().entries).toEqual([]);
    });

    it('cannot send an emptied application back to the queue by answering a question', async () => {
      const mod = await moderator(t, ['KE']);
      const a = await applicant(t, 'info_requested', { reviewer: mod });
      const emptied = await put('/api/application', a.cookie, { jurisdictionCode: null, expertise: null });
      expect(emptied.statusCode).toBe(200); // the applicant may edit while the question is open...
      const answer = await post('/api/application/answer', a.cookie, { answer: 'Here is my answer.' });
      expect(answer.statusCode).toBe(400); // ...but not resubmit an incomplete application
      expect(
        answer
          .json()
          .error.details.issues.map((i: { path: string }) => i.path)
          .sort(),
      ).toEqual(['/expertise', '/jurisdictionCode']);
      expect((await get('/api/application', a.cookie)).json().application.status).toBe('info_requested');
    });

    it('sends the answer to the moderator who asked only while they still cover the application', async () => {
      const asker = await moderator(t, ['KE'], { displayName: 'Asker' });
      const other = await moderator(t, ['KE'], { displayName: 'Other' });
      const adm = await admin(t);
      const a = await applicant(t, 'info_requested', { reviewer: asker });
      await put(`/api/admin/users/${asker.user.id}/jurisdictions`, adm.cookie, { jurisdictions: ['FR'] });
      await post('/api/application/answer', a.cookie, { answer: 'Confidential detail of my unit.' });
      const answers = async (who: { cookie: string }) =>
        (await get('/api/notifications', who.cookie))
          .json()
          .notifications.filter((n: { params: { answered?: boolean } }) => n.params.answered === true);
      expect(await answers(asker)).toEqual([]);
      expect(await answers(other)).toMatchObject([
        { kind: 'application_submitted', actor: { displayName: 'Applicant' }, subject: null, legacyTitle: null },
      ]);
    });

    it('is refused every forum API with NOT_VETTED until approved', async () => {
      const a = await applicant(t, 'submitted');
      for (const url of ['/api/members', '/api/vetting/applications', '/api/audit', '/api/admin/users']) {
        const res = await get(url, a.cookie);
        expect(res.statusCode, url).toBe(403);
        expect(errorCode(res), url).toBe('NOT_VETTED');
      }
      expect((await get('/api/account', a.cookie)).statusCode).toBe(200);
      expect((await get('/api/notifications', a.cookie)).statusCode).toBe(200);
      expect((await get('/api/reference/jurisdictions', a.cookie)).statusCode).toBe(200);
    });
  });

  describe('the queue', () => {
    it('lists pending applications oldest first, scoped to the moderator, filterable, with the count waiting', async () => {
      const ke = await moderator(t, ['KE', 'UG']);
      const adm = await admin(t);
      const first = await applicant(t, 'submitted', { displayName: 'First' });
      t.clock.advance(MINUTE);
      await applicant(t, 'submitted', {
        displayName: 'Second',
        application: { jurisdictionCode: 'UG', otherJurisdictions: [], profession: 'judge' },
      });
      t.clock.advance(MINUTE);
      await applicant(t, 'submitted', {
        displayName: 'Elsewhere',
        application: { jurisdictionCode: 'BR', otherJurisdictions: [] },
      });
      await applicant(t, 'draft', { displayName: 'Drafting' });

      const mine = (await get('/api/vetting/applications', ke.cookie)).json();
      expect(mine.items.map((i: { applicant: { displayName: string } }) => i.applicant.displayName)).toEqual([
        'First',
        'Second',
      ]);
      expect(mine).toMatchObject({ total: 2, waiting: 2 });
      const judges = (await get('/api/vetting/applications?profession=judge', ke.cookie)).json();
      expect(judges).toMatchObject({ total: 1, waiting: 2 });
      expect((await get('/api/vetting/applications?jurisdiction=BR', ke.cookie)).json().total).toBe(0);

      const all = (await get('/api/vetting/applications', adm.cookie)).json();
      expect(all.total).toBe(3);
      const uncovered = (await get('/api/vetting/applications?uncovered=true', adm.cookie)).json();
      expect(uncovered.items.map((i: { jurisdictionCode: string }) => i.jurisdictionCode)).toEqual(['BR']);

      // A moderator for FR cannot open or decide an application from KE.
      const fr = await moderator(t, ['FR']);
      expect((await get(`/api/vetting/applications/${first.applicationId}`, fr.cookie)).statusCode).toBe(403);
      expect((await post(`/api/vetting/applications/${first.applicationId}/approve`, fr.cookie, {})).statusCode).toBe(
        403,
      );
      expect((await get('/api/vetting/applications', fr.cookie)).json()).toMatchObject({ total: 0, waiting: 0 });
    });

    it('rejects bad filters with 400', async () => {
      const adm = await admin(t);
      for (const q of ['status=nope', 'jurisdiction=ke', 'page=0', 'uncovered=maybe', 'surprise=1']) {
        expect((await get(`/api/vetting/applications?${q}`, adm.cookie)).statusCode, q).toBe(400);
      }
    });

    it('shows the whole application, its history and other accounts of the same domain or institution', async () => {
      const mod = await moderator(t, ['KE']);
      await signedIn(t, { displayName: 'Same Domain', email: 'colleague@odpp.go.ke' });
      await member(t, { displayName: 'Same Institution', institution: COMPLETE_APPLICATION.institution.toUpperCase() });
      await member(t, { displayName: 'Same Court', institution: 'ústavní soud' });
      await signedIn(t, { displayName: 'Free Mail', email: 'someone@gmail.com' });
      const a = await applicant(t, 'submitted', { application: { professionalEmail: 'me@odpp.go.ke' } });
      const court = await applicant(t, 'submitted', { application: { institution: 'Ústavní soud' } });
      const courtReview = (await get(`/api/vetting/applications/${court.applicationId}`, mod.cookie)).json();
      expect(courtReview.related.map((r: { displayName: string }) => r.displayName)).toContain('Same Court');
      const review = (await get(`/api/vetting/applications/${a.applicationId}`, mod.cookie)).json();
      expect(review.application).toMatchObject({ ...COMPLETE_APPLICATION, professionalEmail: 'me@odpp.go.ke' });
      expect(review.applicant.email).toBe(a.user.email);
      expect(review.application.events[0]).toMatchObject({ kind: 'submitted', actor: { id: a.user.id } });
      const related = Object.fromEntries(
        review.related.map((r: { displayName: string; matches: string[] }) => [r.displayName, r.matches]),
      );
      expect(related).toEqual({ 'Same Domain': ['email_domain'], 'Same Institution': ['institution'] });
      expect(review.related.map((r: { displayName: string }) => r.displayName)).not.toContain('Same Court');
    });
  });

  describe('claims', () => {
    it('keeps a second moderator off a claimed application until the claim lapses', async () => {
      const one = await moderator(t, ['KE'], { displayName: 'One' });
      const two = await moderator(t, ['KE'], { displayName: 'Two' });
      const a = await applicant(t, 'submitted');
      const url = `/api/vetting/applications/${a.applicationId}`;
      const claimed = await post(`${url}/claim`, one.cookie);
      expect(claimed.json().claim).toMatchObject({ by: { displayName: 'One' }, mine: true });
      const blocked = await post(`${url}/approve`, two.cookie, {});
      expect(blocked.statusCode).toBe(409);
      expect(errorCode(blocked)).toBe('CLAIMED_BY_OTHER');
      expect(errorCode(await post(`${url}/claim`, two.cookie))).toBe('CLAIMED_BY_OTHER');
      expect((await get(url, two.cookie)).json()).toMatchObject({ claim: { mine: false }, can: { decide: false } });

      t.clock.advance(61 * MINUTE); // default claim: 60 minutes
      expect((await get(url, two.cookie)).json().claim).toBeNull();
      expect((await post(`${url}/claim`, two.cookie)).statusCode).toBe(200);
      expect((await post(`${url}/reject`, two.cookie, { reason: 'Outside the membership criteria.' })).statusCode).toBe(
        200,
      );
    });

    it('releases a claim held by yourself only', async () => {
      const one = await moderator(t, ['KE']);
      const two = await moderator(t, ['KE']);
      const a = await applicant(t, 'submitted');
      const url = `/api/vetting/applications/${a.applicationId}/claim`;
      await post(url, one.cookie);
      expect((await t.request({ method: 'DELETE', url, cookie: two.cookie })).statusCode).toBe(409);
      const released = await t.request({ method: 'DELETE', url, cookie: one.cookie });
      expect(released.json().claim).toBeNull();
    });

    it('lasts as long as the setting says', async () => {
      const adm = await admin(t);
      await t.request({ method: 'PATCH', url: '/api/admin/settings', cookie: adm.cookie, body: { claimMinutes: 10 } });
      const a = await applicant(t, 'submitted');
      const res = await post(`/api/vetting/applications/${a.applicationId}/claim`, adm.cookie);
      expect(Date.parse(res.json().claim.until) - t.clock.now().getTime()).toBe(10 * MINUTE);
    });
  });

  describe('four eyes', () => {
    it('off (the default): one approval makes a member', async () => {
      const mod = await moderator(t, ['KE']);
      const a = await applicant(t, 'submitted');
      const res = await post(`/api/vetting/applications/${a.applicationId}/approve`, mod.cookie, {});
      expect(res.json()).toMatchObject({ requiredApprovals: 1, application: { status: 'approved' } });
    });

    it('on: needs two different moderators; the same one twice is refused', async () => {
      const adm = await admin(t);
      const settings = await t.request({
        method: 'PATCH',
        url: '/api/admin/settings',
        cookie: adm.cookie,
        body: { fourEyesApproval: true },
      });
      expect(settings.json().settings.fourEyesApproval).toBe(true);
      const one = await moderator(t, ['KE'], { displayName: 'One' });
      const two = await moderator(t, ['KE'], { displayName: 'Two' });
      const a = await applicant(t, 'submitted');
      const url = `/api/vetting/applications/${a.applicationId}/approve`;

      const first = await post(url, one.cookie, { note: 'Checked with the ODPP directory.' });
      expect(first.json()).toMatchObject({
        requiredApprovals: 2,
        approvals: [{ by: { displayName: 'One' } }],
        application: { status: 'submitted' },
      });
      expect((await get('/api/session', a.cookie)).json().user.role).toBe('applicant');
      const again = await post(url, one.cookie, {});
      expect(errorCode(again)).toBe('ALREADY_APPROVED');

      const second = await post(url, two.cookie, {});
      expect(second.json().application.status).toBe('approved');
      expect((await get('/api/session', a.cookie)).json().user).toMatchObject({
        role: 'member',
        badge: { verifiedBy: { displayName: 'Two' } },
      });
    });
  });

  describe('re-verification', () => {
    it('marks badges due after the period and lists them for moderators of the jurisdiction', async () => {
      const mod = await moderator(t, ['FR']);
      const m = await member(t, { displayName: 'Camille' });
      const elsewhere = await member(t, { jurisdictionCode: 'BR' });
      expect((await get('/api/vetting/reverification', mod.cookie)).json().members).toEqual([]);
      t.clock.advance(731 * DAY);
      mod.cookie = await t.loginAs(mod.user); // sessions have long expired
      m.cookie = await t.loginAs(m.user);
      const due = (await get('/api/vetting/reverification', mod.cookie)).json().members;
      expect(due.map((d: { member: { displayName: string } }) => d.member.displayName)).toEqual(['Camille']);
      expect(due[0].badge.reverificationDue).toBe(true);
      expect((await post(`/api/vetting/members/${elsewhere.user.id}/reverify`, mod.cookie)).statusCode).toBe(403);
      expect((await post(`/api/vetting/members/${m.user.id}/reverify`, mod.cookie)).statusCode).toBe(204);
      expect((await get('/api/vetting/reverification', mod.cookie)).json().members).toEqual([]);
      expect((await get('/api/account', m.cookie)).json().user.badge).toMatchObject({
        reverificationDue: false,
        verifiedBy: { id: mod.user.id },
      });
    });
  });
});
