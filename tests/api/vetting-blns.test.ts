/**
 * The Big List of Naughty Strings thrown at every free-text field of vetting, the staff tools and
 * the two search boxes: each string is refused with a 400 or stored and read back through the API
 * exactly as sent; never a 5xx. One app for the whole file, and accounts get their sessions
 * directly (no password hashing), so ~500 strings × 14 fields run in seconds.
 */
import { applications, type UserRow } from '@lexforum/db';
import type { LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../server/src/modules/auth/session.js';
import { buildTestApp, errorCode, type RequestOptions, type TestApp } from '../helpers/app.js';
import { readBlns, requireCorpora } from '../helpers/corpora.js';
import { COMPLETE_APPLICATION, type Actor } from '../helpers/vetting.js';

const available = requireCorpora();

const REFEREE = { name: 'Grace Mwangi', position: 'Deputy Director', email: 'grace@odpp.example' };
type Stored = Record<string, unknown> & { referee: Record<string, unknown> | null };

/** A form field: where it goes in the draft body, where a refusal names it, how to read it back. */
interface Field {
  path: string;
  put: (body: Record<string, unknown>, referee: Record<string, unknown>, value: string) => void;
  read: (application: Stored) => unknown;
}
const top = (key: string): Field => ({
  path: `/${key}`,
  put: (body, _referee, value) => void (body[key] = value),
  read: (a) => a[key],
});
const referee = (key: string): Field => ({
  path: `/referee/${key}`,
  put: (_body, r, value) => void (r[key] = value),
  read: (a) => a.referee?.[key],
});
const FIELDS = {
  position: top('position'),
  institution: top('institution'),
  expertise: top('expertise'),
  reason: top('reason'),
  professionalEmail: top('professionalEmail'),
  refereeName: referee('name'),
  refereePosition: referee('position'),
  refereeEmail: referee('email'),
};

describe.runIf(available)('Vetting free text against blns.json', () => {
  let t: TestApp;
  let mod: Actor;
  let adm: Actor;
  const strings = available ? readBlns() : [];
  const show = (value: string) => JSON.stringify(value);
  const codePoints = (value: string) => [...value].length;

  /** An account with a session made directly. */
  const account = async (overrides: Partial<UserRow>): Promise<Actor> => {
    // A domain of its own: no "related accounts" to find by email domain.
    const user = await t.createUser({ email: `user@${randomUUID()}.example`, ...overrides });
    const { token } = createSession(t.handle.db, user.id, { userAgent: null, ip: null }, t.clock.now());
    return { user, cookie: `lexforum_session=${token}` };
  };
  const verifiedMember = (overrides: Partial<UserRow> = {}) =>
    account({
      role: 'member',
      verifiedAt: t.clock.now(),
      profession: 'judge',
      position: 'Judge',
      institution: 'High Court',
      jurisdictionCode: 'KE',
      ...overrides,
    });

  /** A 2xx (true), or a 400 VALIDATION_FAILED (false). Anything else, a 5xx above all, fails. */
  const stored = (res: LightMyRequestResponse, label: string): boolean => {
    if (res.statusCode >= 200 && res.statusCode < 300) return true;
    expect(res.statusCode, `${label}: ${res.body}`).toBe(400);
    expect(errorCode(res), label).toBe('VALIDATION_FAILED');
    return false;
  };
  const ok = async (o: RequestOptions) => {
    const res = await t.request(o);
    if (res.statusCode >= 300) throw new Error(`${o.method} ${o.url}: ${res.statusCode} ${res.body}`);
    return res;
  };
  const ownApplication = async (who: Actor) =>
    (await ok({ method: 'GET', url: '/api/application', cookie: who.cookie })).json().application;
  /** An applicant whose application is already in `status` (written directly: only what follows is tested). */
  const applicationIn = async (status: 'submitted' | 'info_requested') => {
    const a = await account({ role: 'applicant' });
    const id = randomUUID();
    const now = t.clock.now();
    t.handle.db
      .insert(applications)
      .values({
        id,
        userId: a.user.id,
        status,
        profession: COMPLETE_APPLICATION.profession,
        position: COMPLETE_APPLICATION.position,
        institution: `Institution ${id}`, // no "related accounts" to look up
        jurisdictionCode: 'KE',
        languages: ['en'],
        expertise: COMPLETE_APPLICATION.expertise,
        reason: COMPLETE_APPLICATION.reason,
        pendingQuestion: status === 'info_requested' ? 'Which court?' : null,
        createdAt: now,
        updatedAt: now,
        submittedAt: now,
      })
      .run();
    return { ...a, url: `/api/vetting/applications/${id}` };
  };

  beforeAll(async () => {
    t = await buildTestApp();
    mod = await verifiedMember({ role: 'moderator' });
    t.handle.sqlite
      .prepare('insert into moderator_jurisdictions (user_id, jurisdiction_code) values (?, ?)')
      .run(mod.user.id, 'KE');
    adm = await account({ role: 'admin' });
  });
  afterAll(async () => t?.close());

  it('has the corpus it expects', () => {
    expect(strings.length).toBeGreaterThan(500);
  });

  describe('the application form', () => {
    /**
     * Puts each string in the given fields at once. A refusal must name the fields it refuses;
     * the same draft without them is then stored, and every field sent is read back exactly.
     * Returns how many strings each field stored.
     */
    async function throwAtForm(fields: Record<string, Field>, shape: (value: string) => string) {
      const a = await account({ role: 'applicant' });
      const counts = Object.fromEntries(Object.keys(fields).map((k) => [k, 0]));
      const entries = Object.entries(fields);
      const body = (chosen: [string, Field][], value: string) => {
        const out: Record<string, unknown> = {};
        const r: Record<string, unknown> = { ...REFEREE };
        for (const [, f] of chosen) f.put(out, r, value);
        return { ...out, referee: r };
      };
      for (const raw of strings) {
        const value = shape(raw);
        const label = show(value);
        let chosen = entries;
        const first = await t.request({
          method: 'PUT',
          url: '/api/application',
          cookie: a.cookie,
          body: body(chosen, value),
        });
        if (!stored(first, label)) {
          const refused = new Set<string>(first.json().error.details.issues.map((i: { path: string }) => i.path));
          expect(refused.size, label).toBeGreaterThan(0);
          expect(
            [...refused].filter((p) => !entries.some(([, f]) => f.path === p)),
            label,
          ).toEqual([]);
          chosen = entries.filter(([, f]) => !refused.has(f.path));
          const second = await t.request({
            method: 'PUT',
            url: '/api/application',
            cookie: a.cookie,
            body: body(chosen, value),
          });
          expect(second.statusCode, `${label} without ${[...refused].join(' ')}: ${second.body}`).toBe(200);
        }
        const application = (await ownApplication(a)) as Stored;
        for (const [name, f] of chosen) {
          expect(f.read(application), `${f.path} ${label}`).toBe(value);
          counts[name]!++;
        }
      }
      return counts;
    }

    it('stores exactly, or refuses, every string in every field of a draft', async () => {
      const counts = await throwAtForm(FIELDS, (v) => v);
      // Most of the list is legitimate text (scripts, emoji, quotes) and must be accepted.
      for (const name of ['position', 'institution', 'refereeName', 'refereePosition'] as const) {
        expect(counts[name], name).toBeGreaterThan(strings.length / 2);
      }
      expect(counts['reason']).toBeGreaterThan(strings.length / 4);
      expect(counts['expertise']).toBeGreaterThan(0);
    });

    it('stores exactly, or refuses, every string inside a statement long enough to be one', async () => {
      const counts = await throwAtForm(
        { expertise: FIELDS.expertise, reason: FIELDS.reason },
        (v) => `Twelve years prosecuting counterfeit medicines cases.\n${v}`,
      );
      expect(counts['expertise']).toBeGreaterThan(strings.length * 0.8);
      expect(counts['reason']).toBeGreaterThan(strings.length * 0.8);
    });
  });

  describe('the conversation with moderators', () => {
    it('stores exactly, or refuses, every string as a question (alone or in a sentence) and as its answer', async () => {
      let a = await applicationIn('submitted');
      let history: [string, string][] = [];
      const checkHistory = async () => {
        const events = (await ownApplication(a)).events;
        expect(events.map((e: { kind: string; message: string }) => [e.kind, e.message])).toEqual(history);
      };
      let questions = 0;
      let answers = 0;
      for (const [i, raw] of strings.entries()) {
        if (i > 0 && i % 25 === 0) {
          await checkHistory();
          a = await applicationIn('submitted');
          history = [];
        }
        let question: string | null = null;
        for (const value of [raw, `Please tell us more: ${raw}`]) {
          const res = await t.request({
            method: 'POST',
            url: `${a.url}/request-info`,
            cookie: mod.cookie,
            body: { question: value },
          });
          if (!stored(res, `question ${show(value)}`)) continue;
          questions++;
          question = value;
          const application = await ownApplication(a);
          expect(application, show(value)).toMatchObject({ status: 'info_requested', pendingQuestion: value });
          break; // the sentence only for a string refused alone
        }
        if (question === null) {
          question = 'Which court do you serve in?';
          await ok({ method: 'POST', url: `${a.url}/request-info`, cookie: mod.cookie, body: { question } });
        }
        history.push(['info_requested', question]);

        const res = await t.request({
          method: 'POST',
          url: '/api/application/answer',
          cookie: a.cookie,
          body: { answer: raw },
        });
        if (stored(res, `answer ${show(raw)}`)) {
          answers++;
          history.push(['answered', raw]);
        } else {
          await ok({ method: 'POST', url: '/api/application/answer', cookie: a.cookie, body: { answer: 'Noted.' } });
          history.push(['answered', 'Noted.']);
        }
      }
      await checkHistory();
      expect(questions).toBeGreaterThan(strings.length * 0.9);
      expect(answers).toBeGreaterThan(strings.length / 2);
    });
  });

  describe('decisions', () => {
    it('stores exactly, or refuses, every string as a rejection reason, alone or in a sentence', async () => {
      let count = 0;
      let a = await applicationIn('submitted');
      for (const raw of strings) {
        for (const value of [raw, `We could not verify this: ${raw}`]) {
          const res = await t.request({
            method: 'POST',
            url: `${a.url}/reject`,
            cookie: mod.cookie,
            body: { reason: value },
          });
          if (!stored(res, `reject ${show(value)}`)) continue;
          count++;
          const application = await ownApplication(a);
          expect(application, show(value)).toMatchObject({ status: 'rejected', rejectionReason: value });
          a = await applicationIn('submitted');
          break;
        }
      }
      expect(count).toBeGreaterThan(strings.length * 0.9);
    });

    it('stores exactly, or refuses, every string as an approval note', async () => {
      let count = 0;
      let a = await applicationIn('submitted');
      for (const value of strings) {
        const res = await t.request({
          method: 'POST',
          url: `${a.url}/approve`,
          cookie: mod.cookie,
          body: { note: value },
        });
        if (!stored(res, `note ${show(value)}`)) continue;
        count++;
        const review = (await ok({ method: 'GET', url: a.url, cookie: mod.cookie })).json();
        expect(review.application.status).toBe('approved');
        expect(review.application.events.at(-1), show(value)).toMatchObject({ kind: 'approved', message: value });
        a = await applicationIn('submitted');
      }
      expect(count).toBeGreaterThan(strings.length / 2);
    });
  });

  describe('staff reasons', () => {
    /** Audit entries of one action, newest first, as [target user, reason]. */
    const auditReasons = async (action: string, limit: number) =>
      (await ok({ method: 'GET', url: `/api/audit?action=${action}&limit=${limit}`, cookie: adm.cookie }))
        .json()
        .entries.map((e: { targetUser: { id: string }; reason: string }) => [e.targetUser.id, e.reason]);

    it('stores exactly, or refuses, every string as a suspension and a reinstatement reason', async () => {
      let count = 0;
      // In batches: suspend one account per string, read every reason back from the list of
      // suspended accounts and from the log, then reinstate each with the same string.
      for (let start = 0; start < strings.length; start += 25) {
        const batch: [Actor, string][] = [];
        for (const value of strings.slice(start, start + 25)) {
          const target = await verifiedMember();
          const url = `/api/admin/users/${target.user.id}`;
          const res = await t.request({
            method: 'POST',
            url: `${url}/suspend`,
            cookie: adm.cookie,
            body: { reason: value },
          });
          if (stored(res, `suspend ${show(value)}`)) batch.push([target, value]);
          else {
            // The same rule for both: refused before the account's state is looked at.
            const again = await t.request({
              method: 'POST',
              url: `${url}/reinstate`,
              cookie: adm.cookie,
              body: { reason: value },
            });
            expect(stored(again, `reinstate ${show(value)}`)).toBe(false);
          }
        }
        if (batch.length === 0) continue;
        count += batch.length;
        const listed = (
          await ok({ method: 'GET', url: '/api/admin/users?status=suspended', cookie: adm.cookie })
        ).json();
        expect(
          listed.users.map((u: { id: string; suspendedReason: string }) => [u.id, u.suspendedReason]).sort(),
        ).toEqual(batch.map(([a, v]) => [a.user.id, v]).sort());
        expect(await auditReasons('user.suspend', batch.length)).toEqual(
          batch.map(([a, v]) => [a.user.id, v]).reverse(),
        );
        for (const [target, value] of batch) {
          const res = await t.request({
            method: 'POST',
            url: `/api/admin/users/${target.user.id}/reinstate`,
            cookie: adm.cookie,
            body: { reason: value },
          });
          expect(res.statusCode, `reinstate ${show(value)}: ${res.body}`).toBe(200);
        }
        expect(await auditReasons('user.reinstate', batch.length)).toEqual(
          batch.map(([a, v]) => [a.user.id, v]).reverse(),
        );
      }
      expect(count).toBeGreaterThan(strings.length / 2);
    });

    it('stores exactly, or refuses, every string as a role change reason, told to the member', async () => {
      const target = await verifiedMember();
      const url = `/api/admin/users/${target.user.id}/role`;
      const check = async (values: string[]) => {
        if (values.length === 0) return;
        const entries = await auditReasons('user.role_change', values.length);
        expect(entries).toEqual(values.map((v) => [target.user.id, v]).reverse());
        const notes = (await ok({ method: 'GET', url: '/api/notifications', cookie: target.cookie })).json();
        expect(notes.notifications.slice(0, values.length).map((n: { body: string }) => n.body)).toEqual(
          [...values].reverse(),
        );
      };
      let batch: string[] = [];
      let count = 0;
      for (const value of strings) {
        const res = await t.request({
          method: 'PUT',
          url,
          cookie: adm.cookie,
          body: { role: 'moderator', reason: value },
        });
        if (!stored(res, `role ${show(value)}`)) continue;
        count++;
        batch.push(value);
        // Back to member directly: only the promotion's reason is under test.
        t.handle.sqlite.prepare("update users set role = 'member' where id = ?").run(target.user.id);
        if (batch.length === 30) {
          await check(batch);
          batch = [];
        }
      }
      await check(batch);
      expect(count).toBeGreaterThan(strings.length / 2);
    });
  });

  describe('search', () => {
    // An app of its own, holding only the admin and the probe, so that a match is never pushed
    // off the first page by the hundreds of accounts the other tests made.
    let main: TestApp;
    beforeAll(async () => {
      main = t;
      t = await buildTestApp();
      adm = await account({ role: 'admin', displayName: 'Admin' });
    });
    afterAll(async () => {
      await t.close();
      t = main;
    });

    it('answers every string as an admin search and a directory search, finding the account named by it', async () => {
      const probe = await verifiedMember({ displayName: 'Probe' });
      let named = 0;
      for (const value of strings) {
        const label = show(value);
        const renamed = await t.request({
          method: 'PATCH',
          url: '/api/account',
          cookie: probe.cookie,
          body: { displayName: value },
        });
        const isName = stored(renamed, `displayName ${label}`);
        const q = encodeURIComponent(value);
        const searches = [
          [await t.request({ method: 'GET', url: `/api/admin/users?q=${q}`, cookie: adm.cookie }), 'users'],
          [await t.request({ method: 'GET', url: `/api/members?q=${q}`, cookie: probe.cookie }), 'members'],
        ] as const;
        for (const [res, key] of searches) {
          // The only refusal is a search longer than 200 characters.
          expect(res.statusCode, `${key} q=${label}: ${res.body}`).toBe(codePoints(value) > 200 ? 400 : 200);
          if (res.statusCode !== 200 || !isName || value.trim() === '') continue;
          const found = res.json()[key].filter((u: { id: string }) => u.id === probe.user.id);
          expect(
            found.map((u: { displayName: string }) => u.displayName),
            `${key} q=${label}`,
          ).toEqual([value]);
        }
        if (isName) named++;
      }
      expect(named).toBeGreaterThan(strings.length / 2);
    });
  });
});
