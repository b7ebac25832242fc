/**
 * The member directory: verified, active members only, findable by jurisdiction (served or of
 * expertise), profession, language and free text; never an email; vetted members only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, type TestApp } from '../helpers/app.js';
import { admin, applicant, member, moderator, type Actor } from '../helpers/vetting.js';

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  }
  return [];
}

describe('Member directory API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  const get = (url: string, cookie: string) => t.request({ method: 'GET', url, cookie });
  const names = async (url: string, cookie: string) => {
    const res = await get(url, cookie);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json().members.map((m: { displayName: string }) => m.displayName);
  };

  /**
   * A small bar association: four verified members in three countries, one suspended, one
   * applicant waiting, one rejected, one approved through the API, and an admin without a badge.
   */
  async function people() {
    const mod = await moderator(t, ['KE'], {
      displayName: 'Wanjiru Kamau',
      profession: 'judge',
      position: 'Judge of the High Court',
      institution: 'High Court of Kenya',
      jurisdictionCode: 'KE',
      languages: ['en', 'sw'],
    });
    const adm = await admin(t, { displayName: 'Ada Admin' });
    const amara = await member(t, {
      displayName: 'Amara Okafor',
      profession: 'prosecutor',
      position: 'Chief State Counsel',
      institution: 'Federal Ministry of Justice',
      jurisdictionCode: 'NG',
      otherJurisdictions: ['KE', 'GH'],
      languages: ['en'],
    });
    const camille = await member(t, {
      displayName: 'Camille Martin',
      profession: 'investigating_magistrate',
      position: "Juge d'instruction",
      institution: 'Tribunal judiciaire de Paris',
      jurisdictionCode: 'FR',
      languages: ['fr', 'en'],
    });
    const bruno = await member(t, {
      displayName: 'bruno Costa',
      profession: 'customs_officer',
      position: 'Customs Inspector',
      institution: 'Receita Federal',
      jurisdictionCode: 'BR',
      languages: ['pt', 'es'],
    });
    const suspended = await member(t, { displayName: 'Dario Rossi', jurisdictionCode: 'KE', languages: ['en'] });
    const res = await t.request({
      method: 'POST',
      url: `/api/admin/users/${suspended.user.id}/suspend`,
      cookie: adm.cookie,
      body: { reason: 'Shared case files outside the forum.' },
    });
    expect(res.statusCode).toBe(200);
    const waiting = await applicant(t, 'submitted', { displayName: 'Waiting Applicant' });
    const rejected = await applicant(t, 'rejected', { displayName: 'Rejected Applicant', reviewer: mod });
    const approved = await applicant(t, 'submitted', { displayName: 'Njeri Otieno' });
    const approval = await t.request({
      method: 'POST',
      url: `/api/vetting/applications/${approved.applicationId}/approve`,
      cookie: mod.cookie,
      body: {},
    });
    expect(approval.statusCode).toBe(200);
    return { mod, adm, amara, camille, bruno, suspended, waiting, rejected, approved };
  }

  describe('GET /api/members', () => {
    it('lists verified, active members only, by name regardless of case', async () => {
      const p = await people();
      const res = await get('/api/members', p.amara.cookie);
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.members.map((m: { displayName: string }) => m.displayName)).toEqual([
        'Amara Okafor',
        'bruno Costa',
        'Camille Martin',
        'Njeri Otieno',
        'Wanjiru Kamau',
      ]);
      expect(page).toMatchObject({ total: 5, page: 1, pageSize: 24 });
    });

    it('describes each member by their badge, languages and other jurisdictions', async () => {
      const p = await people();
      const [amara] = (await get('/api/members?q=amara', p.camille.cookie)).json().members;
      expect(amara).toEqual({
        id: p.amara.user.id,
        displayName: 'Amara Okafor',
        username: 'amara.okafor',
        role: 'member',
        badge: {
          profession: 'prosecutor',
          position: 'Chief State Counsel',
          institution: 'Federal Ministry of Justice',
          jurisdictionCode: 'NG',
          jurisdictionName: 'Nigeria',
          verifiedAt: t.clock.now().toISOString(),
          verifiedBy: null,
          reverificationDueAt: expect.any(String),
          reverificationDue: false,
        },
        languages: ['en'],
        otherJurisdictions: [
          { code: 'KE', name: 'Kenya' },
          { code: 'GH', name: 'Ghana' },
        ],
        memberSince: t.clock.now().toISOString(),
        // Whether the viewer may start a conversation with them (direct messages).
        canMessage: true,
      });
      // A member approved through vetting carries the application's facts and their verifier.
      const [njeri] = (await get('/api/members?q=njeri', p.camille.cookie)).json().members;
      expect(njeri.badge).toMatchObject({
        profession: 'prosecutor',
        jurisdictionCode: 'KE',
        verifiedBy: { id: p.mod.user.id, displayName: 'Wanjiru Kamau' },
      });
      expect(njeri.otherJurisdictions.map((j: { code: string }) => j.code)).toEqual(['UG', 'TZ']);
    });

    it('filters by jurisdiction served or listed among other jurisdictions', async () => {
      const p = await people();
      const c = p.bruno.cookie;
      // Kenya: the moderator serves there, Amara lists it, Njeri serves there. Dario is suspended.
      expect(await names('/api/members?jurisdiction=KE', c)).toEqual(['Amara Okafor', 'Njeri Otieno', 'Wanjiru Kamau']);
      expect(await names('/api/members?jurisdiction=GH', c)).toEqual(['Amara Okafor']);
      expect(await names('/api/members?jurisdiction=TZ', c)).toEqual(['Njeri Otieno']);
      expect(await names('/api/members?jurisdiction=FR', c)).toEqual(['Camille Martin']);
      expect(await names('/api/members?jurisdiction=JP', c)).toEqual([]);
    });

    it('filters by profession, by language and by free text, and combines filters', async () => {
      const p = await people();
      const c = p.camille.cookie;
      expect(await names('/api/members?profession=prosecutor', c)).toEqual(['Amara Okafor', 'Njeri Otieno']);
      expect(await names('/api/members?profession=customs_officer', c)).toEqual(['bruno Costa']);
      expect(await names('/api/members?profession=academic', c)).toEqual([]);
      expect(await names('/api/members?language=en', c)).toEqual([
        'Amara Okafor',
        'Camille Martin',
        'Njeri Otieno',
        'Wanjiru Kamau',
      ]);
      expect(await names('/api/members?language=pt', c)).toEqual(['bruno Costa']);
      expect(await names('/api/members?language=sw', c)).toEqual(['Njeri Otieno', 'Wanjiru Kamau']);
      // Free text: name, institution or position, regardless of case; never the email.
      expect(await names('/api/members?q=COSTA', c)).toEqual(['bruno Costa']);
      expect(await names('/api/members?q=receita', c)).toEqual(['bruno Costa']);
      expect(await names('/api/members?q=juge%20d', c)).toEqual(['Camille Martin']);
      expect(await names('/api/members?q=%20%20high%20court%20', c)).toEqual(['Wanjiru Kamau']);
      expect(await names(`/api/members?q=${encodeURIComponent(p.bruno.user.email)}`, c)).toEqual([]);
      expect(await names('/api/members?q=court.example', c)).toEqual([]);
      expect(await names('/api/members?q=%25', c)).toEqual([]);
      expect(await names('/api/members?q=Dario', c)).toEqual([]);
      expect(await names('/api/members?q=Applicant', c)).toEqual([]);
      // Together.
      expect(await names('/api/members?jurisdiction=KE&profession=prosecutor', c)).toEqual([
        'Amara Okafor',
        'Njeri Otieno',
      ]);
      expect(await names('/api/members?jurisdiction=KE&language=sw&q=otieno', c)).toEqual(['Njeri Otieno']);
      expect(await names('/api/members?jurisdiction=FR&language=pt', c)).toEqual([]);
      const filtered = (await get('/api/members?language=en', c)).json();
      expect(filtered.total).toBe(4);
    });

    it('finds accented and non-Latin names whatever the case typed', async () => {
      const m = await member(t, { displayName: 'Émilie Durand', institution: 'Cour d’appel de Lyon' });
      await member(t, { displayName: 'Ωμέγα Παπαδόπουλος', institution: 'Άρειος Πάγος' });
      for (const [q, name] of [
        ['Émilie', 'Émilie Durand'],
        ['émilie', 'Émilie Durand'],
        ['ÉMILIE DURAND', 'Émilie Durand'],
        ['ωμέγα', 'Ωμέγα Παπαδόπουλος'],
        ['ΆΡΕΙΟΣ', 'Ωμέγα Παπαδόπουλος'],
      ]) {
        expect(await names(`/api/members?q=${encodeURIComponent(q!)}`, m.cookie), q).toEqual([name]);
      }
    });

    it('pages 24 at a time', async () => {
      const viewer = await member(t, { displayName: 'Aaron Viewer' });
      for (let i = 1; i <= 25; i++) {
        await t.createUser({
          displayName: `Peer ${String(i).padStart(2, '0')}`,
          verifiedAt: t.clock.now(),
          profession: 'judge',
          position: 'Judge',
          institution: 'Court',
          jurisdictionCode: 'DE',
        });
      }
      const first = (await get('/api/members?jurisdiction=DE', viewer.cookie)).json();
      expect(first).toMatchObject({ total: 25, page: 1, pageSize: 24 });
      expect(first.members).toHaveLength(24);
      const second = (await get('/api/members?jurisdiction=DE&page=2', viewer.cookie)).json();
      expect(second.members.map((m: { displayName: string }) => m.displayName)).toEqual(['Peer 25']);
    });

    it('never sends an email, in any field, list or profile', async () => {
      const p = await people();
      const emails = [p.mod, p.adm, p.amara, p.camille, p.bruno, p.approved].map((a) => a.user.email);
      for (const url of [
        '/api/members',
        '/api/members?jurisdiction=KE',
        `/api/members/${p.amara.user.id}`,
        `/api/members/${p.approved.user.id}`,
        `/api/members/${p.mod.user.id}`,
      ]) {
        for (const viewer of [p.amara, p.adm, p.mod]) {
          const res = await get(url, viewer.cookie);
          expect(res.statusCode, url).toBe(200);
          const keys = keysOf(res.json());
          expect(keys.length, url).toBeGreaterThan(5);
          expect(
            keys.filter((k) => /mail/i.test(k)),
            url,
          ).toEqual([]);
          for (const email of emails) expect(res.body, url).not.toContain(email);
        }
      }
    });

    it('refuses bad filters with 400', async () => {
      const m = await member(t);
      for (const q of [
        'jurisdiction=ke',
        'jurisdiction=K',
        'profession=wizard',
        'language=xx',
        'page=0',
        'page=10001',
        `q=${'a'.repeat(201)}`,
        'email=x',
      ]) {
        const res = await get(`/api/members?${q}`, m.cookie);
        expect(res.statusCode, q).toBe(400);
        expect(errorCode(res)).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('GET /api/members/:id', () => {
    it('shows a verified member or moderator with their badge', async () => {
      const p = await people();
      for (const target of [p.amara, p.mod, p.approved]) {
        const res = await get(`/api/members/${target.user.id}`, p.camille.cookie);
        expect(res.statusCode).toBe(200);
        expect(res.json().member).toMatchObject({ id: target.user.id, badge: { verifiedAt: expect.any(String) } });
      }
    });

    it('answers 404 for applicants, the rejected, the suspended, unbadged staff and unknown ids', async () => {
      const p = await people();
      const targets: [string, string][] = [
        ['waiting applicant', p.waiting.user.id],
        ['rejected applicant', p.rejected.user.id],
        ['suspended member', p.suspended.user.id],
        ['admin without a badge', p.adm.user.id],
        ['unknown', 'no-such-member'],
      ];
      for (const [label, id] of targets) {
        const res = await get(`/api/members/${id}`, p.amara.cookie);
        expect(res.statusCode, label).toBe(404);
        expect(errorCode(res), label).toBe('NOT_FOUND');
      }
      const malformed = await get('/api/members/not%20an%20id', p.amara.cookie);
      expect(malformed.statusCode).toBe(400);
    });
  });

  describe('who may look', () => {
    it('refuses applicants (NOT_VETTED), the rejected (REJECTED) and anonymous visitors (401)', async () => {
      const mod = await moderator(t, ['KE']);
      const m = await member(t);
      const cases: [Actor | null, number, string][] = [
        [await applicant(t, 'none'), 403, 'NOT_VETTED'],
        [await applicant(t, 'submitted'), 403, 'NOT_VETTED'],
        [await applicant(t, 'info_requested', { reviewer: mod }), 403, 'NOT_VETTED'],
        [await applicant(t, 'withdrawn'), 403, 'NOT_VETTED'],
        [await applicant(t, 'rejected', { reviewer: mod }), 403, 'REJECTED'],
        [null, 401, 'UNAUTHENTICATED'],
      ];
      for (const [actor, status, code] of cases) {
        for (const url of ['/api/members', `/api/members/${m.user.id}`]) {
          const res = await t.request({ method: 'GET', url, ...(actor && { cookie: actor.cookie }) });
          expect(res.statusCode, `${code} ${url}`).toBe(status);
          expect(errorCode(res), url).toBe(code);
          expect(res.body).not.toContain(m.user.email);
        }
      }
    });
  });
});
