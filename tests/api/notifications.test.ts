/**
 * Stored notifications: who is told of what in vetting (the jurisdiction's moderators, else the
 * admins; the applicant of decisions; a member of a new role), and reading them: list, unread
 * count, mark one or all read, never someone else's.
 */
import { notifications } from '@lexforum/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, MINUTE, type TestApp } from '../helpers/app.js';
import { admin, applicant, member, moderator, type Actor } from '../helpers/vetting.js';

interface Note {
  id: number;
  kind: string;
  subject: string | null;
  params: Record<string, unknown>;
  legacyTitle: string | null;
  body: string | null;
  link: string | null;
  readAt: string | null;
  createdAt: string;
}

describe('Notifications API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  const list = async (who: Actor, query = '') => {
    const res = await t.request({ method: 'GET', url: `/api/notifications${query}`, cookie: who.cookie });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { notifications: Note[]; unreadCount: number; nextCursor: number | null };
  };
  const kinds = async (who: Actor) => (await list(who)).notifications.map((n) => n.kind);
  const post = (url: string, cookie: string, body?: unknown) => t.request({ method: 'POST', url, cookie, body });
  const decide = async (by: Actor, id: string | null, action: string, body: unknown = {}) => {
    const res = await post(`/api/vetting/applications/${id}/${action}`, by.cookie, body);
    expect(res.statusCode, res.body).toBe(200);
  };

  describe('a submission', () => {
    it('notifies the moderators covering its jurisdiction, and nobody else', async () => {
      const ke = await moderator(t, ['KE'], { displayName: 'Kenya only' });
      const keUg = await moderator(t, ['UG', 'KE'], { displayName: 'Kenya and Uganda' });
      const ug = await moderator(t, ['UG'], { displayName: 'Uganda only' }); // listed by the applicant, not served
      const fr = await moderator(t, ['FR']);
      const adm = await admin(t);
      const m = await member(t);
      const a = await applicant(t, 'submitted', { displayName: 'Achieng Otieno' });

      for (const mod of [ke, keUg]) {
        const {
          notifications: [note, ...rest],
          unreadCount,
        } = await list(mod);
        expect(rest).toEqual([]);
        expect(unreadCount).toBe(1);
        expect(note).toEqual({
          id: expect.any(Number),
          kind: 'application_submitted',
          // Data, never an English sentence: the client words it in the reader's language.
          subject: null,
          params: { jurisdiction: 'KE' },
          legacyTitle: null,
          body: 'Senior State Counsel · Office of the Director of Public Prosecutions',
          link: `/vetting/${a.applicationId}`,
          actor: { id: expect.any(String), displayName: 'Achieng Otieno' },
          threadId: null,
          readAt: null,
          createdAt: t.clock.now().toISOString(),
        });
      }
      for (const other of [ug, fr, adm, m, a]) expect(await kinds(other)).toEqual([]);
    });

    it('notifies every active admin when no moderator covers the jurisdiction', async () => {
      const one = await admin(t);
      const two = await admin(t);
      const away = await admin(t);
      const res = await post(`/api/admin/users/${away.user.id}/suspend`, one.cookie, { reason: 'On leave.' });
      expect(res.statusCode).toBe(200);
      const fr = await moderator(t, ['FR']);
      const a = await applicant(t, 'submitted', {
        displayName: 'Bruno Costa',
        application: { jurisdictionCode: 'BR', otherJurisdictions: [] },
      });
      for (const adm of [one, two]) {
        expect((await list(adm)).notifications).toMatchObject([
          {
            kind: 'application_submitted',
            params: { jurisdiction: 'BR' },
            actor: { displayName: 'Bruno Costa' },
            link: `/vetting/${a.applicationId}`,
          },
        ]);
      }
      expect(
        t.handle.sqlite.prepare('select count(*) as n from notifications where user_id = ?').get(away.user.id),
      ).toEqual({ n: 0 });
      expect(await kinds(fr)).toEqual([]);
    });

    it('goes to the admins when the only moderator of the jurisdiction is suspended or demoted', async () => {
      const adm = await admin(t);
      const suspendedMod = await moderator(t, ['KE']);
      await post(`/api/admin/users/${suspendedMod.user.id}/suspend`, adm.cookie, { reason: 'Conflict of interest.' });
      await applicant(t, 'submitted');
      expect(await kinds(adm)).toEqual(['application_submitted']);

      const demoted = await moderator(t, ['TZ']);
      const res = await t.request({
        method: 'PUT',
        url: `/api/admin/users/${demoted.user.id}/role`,
        cookie: adm.cookie,
        body: { role: 'member', reason: 'Stepped down.' },
      });
      expect(res.statusCode).toBe(200);
      await applicant(t, 'submitted', { application: { jurisdictionCode: 'TZ', otherJurisdictions: [] } });
      expect(await kinds(adm)).toEqual(['application_submitted', 'application_submitted']);
      expect(await kinds(demoted)).toEqual(['role_changed']);
    });
  });

  describe('decisions reach the applicant', () => {
    it('a question, with its text; the answer goes back to the moderator who asked', async () => {
      const asker = await moderator(t, ['KE'], { displayName: 'Asker' });
      const colleague = await moderator(t, ['KE']);
      const a = await applicant(t, 'submitted', { displayName: 'Achieng' });
      await decide(asker, a.applicationId, 'request-info', { question: 'Which division do you serve in?' });
      expect((await list(a)).notifications).toMatchObject([
        {
          kind: 'application_info_requested',
          params: {},
          legacyTitle: null,
          body: 'Which division do you serve in?',
          link: '/apply',
          readAt: null,
        },
      ]);
      // The question does not leak the moderator's name to the applicant.
      expect(JSON.stringify(await list(a))).not.toContain('Asker');

      const answered = await post('/api/application/answer', a.cookie, { answer: 'The Economic Crimes Division.' });
      expect(answered.statusCode).toBe(200);
      expect((await list(asker)).notifications[0]).toMatchObject({
        kind: 'application_submitted',
        params: { answered: true },
        actor: { displayName: 'Achieng' },
        body: 'The Economic Crimes Division.',
      });
      expect(await kinds(colleague)).toEqual(['application_submitted']); // the submission only
    });

    it('an approval', async () => {
      const mod = await moderator(t, ['KE']);
      const a = await applicant(t, 'submitted');
      await decide(mod, a.applicationId, 'approve', { note: 'Internal: checked by phone.' });
      const { notifications: notes } = await list(a);
      expect(notes).toMatchObject([
        {
          kind: 'application_approved',
          params: {},
          legacyTitle: null,
          // The welcome is worded by the client; nothing in English is stored.
          body: null,
          link: '/',
        },
      ]);
      // The staff note is not sent to the applicant.
      expect(JSON.stringify(notes)).not.toContain('Internal');
    });

    it('no notification to the applicant for the first of two approvals', async () => {
      const adm = await admin(t);
      await t.request({
        method: 'PATCH',
        url: '/api/admin/settings',
        cookie: adm.cookie,
        body: { fourEyesApproval: true },
      });
      const one = await moderator(t, ['KE']);
      const two = await moderator(t, ['KE']);
      const a = await applicant(t, 'submitted');
      await decide(one, a.applicationId, 'approve');
      expect(await kinds(a)).toEqual([]);
      await decide(two, a.applicationId, 'approve');
      expect(await kinds(a)).toEqual(['application_approved']);
    });

    it('a rejection, with its reason', async () => {
      const mod = await moderator(t, ['KE']);
      const a = await applicant(t, 'submitted');
      const reason = 'We could not verify your position with your institution.';
      await decide(mod, a.applicationId, 'reject', { reason });
      expect((await list(a)).notifications).toMatchObject([
        {
          kind: 'application_rejected',
          params: {},
          legacyTitle: null,
          body: reason,
          link: '/apply',
        },
      ]);
      // Rejected applicants still read their notifications.
      expect((await list(a)).unreadCount).toBe(1);
    });

    it('nothing when a decision is refused', async () => {
      const fr = await moderator(t, ['FR']);
      const a = await applicant(t, 'submitted');
      const res = await post(`/api/vetting/applications/${a.applicationId}/reject`, fr.cookie, {
        reason: 'Outside the membership criteria.',
      });
      expect(res.statusCode).toBe(403);
      expect(await kinds(a)).toEqual([]);
    });
  });

  describe('a role change', () => {
    it('tells the member their new role and why', async () => {
      const adm = await admin(t);
      const m = await member(t);
      const res = await t.request({
        method: 'PUT',
        url: `/api/admin/users/${m.user.id}/role`,
        cookie: adm.cookie,
        body: { role: 'moderator', reason: 'You will review applications from France.' },
      });
      expect(res.statusCode).toBe(200);
      expect((await list(m)).notifications).toMatchObject([
        {
          kind: 'role_changed',
          params: { role: 'moderator' },
          legacyTitle: null,
          body: 'You will review applications from France.',
          // A new moderator must set up a second factor first: the notification leads there.
          link: '/account/security',
        },
      ]);
      expect(await kinds(adm)).toEqual([]);
    });
  });

  describe('reading', () => {
    /**
     * Stores notifications for a user directly, one minute apart, oldest first, as they were
     * before notifications became data: an English sentence in `title`, served as `legacyTitle`.
     */
    const seed = (user: Actor, count: number) => {
      for (let i = 1; i <= count; i++) {
        t.handle.db
          .insert(notifications)
          .values({
            userId: user.user.id,
            kind: 'role_changed',
            title: `Note ${i}`,
            createdAt: t.clock.now(),
          })
          .run();
        t.clock.advance(MINUTE);
      }
    };

    it('lists newest first with the unread count; marks one read, then all', async () => {
      const m = await member(t);
      seed(m, 3);
      let page = await list(m);
      expect(page.notifications.map((n) => n.legacyTitle)).toEqual(['Note 3', 'Note 2', 'Note 1']);
      expect(page).toMatchObject({ unreadCount: 3, nextCursor: null });

      const second = page.notifications[1]!;
      const marked = await post(`/api/notifications/${second.id}/read`, m.cookie);
      expect(marked.statusCode).toBe(200);
      expect(marked.json()).toEqual({ unreadCount: 2, seq: expect.any(Number) });
      page = await list(m);
      expect(page.notifications.map((n) => n.readAt)).toEqual([null, t.clock.now().toISOString(), null]);
      expect((await list(m, '?unread=true')).notifications.map((n) => n.legacyTitle)).toEqual(['Note 3', 'Note 1']);

      // Marking it again keeps the first reading time and the count.
      const readAt = page.notifications[1]!.readAt;
      t.clock.advance(MINUTE);
      expect((await post(`/api/notifications/${second.id}/read`, m.cookie)).json()).toEqual({
        unreadCount: 2,
        seq: expect.any(Number),
      });
      expect((await list(m)).notifications[1]!.readAt).toBe(readAt);

      const all = await post('/api/notifications/read-all', m.cookie);
      expect(all.json()).toEqual({ unreadCount: 0, seq: expect.any(Number) });
      page = await list(m);
      expect(page.unreadCount).toBe(0);
      expect(page.notifications.every((n) => n.readAt !== null)).toBe(true);
      expect(page.notifications[1]!.readAt).toBe(readAt);
      expect((await list(m, '?unread=true')).notifications).toEqual([]);
    });

    it('pages 30 at a time with the before cursor', async () => {
      const m = await member(t);
      seed(m, 35);
      const first = await list(m);
      expect(first.notifications).toHaveLength(30);
      expect(first.notifications[0]!.legacyTitle).toBe('Note 35');
      expect(first.nextCursor).toBe(first.notifications[29]!.id);
      expect(first.unreadCount).toBe(35);
      const second = await list(m, `?before=${first.nextCursor}`);
      expect(second.notifications.map((n) => n.legacyTitle)).toEqual([
        'Note 5',
        'Note 4',
        'Note 3',
        'Note 2',
        'Note 1',
      ]);
      expect(second.nextCursor).toBeNull();
    });

    it("never lets one user see or mark another's (404), and marking all reads only your own", async () => {
      const mine = await member(t);
      const theirs = await member(t);
      seed(mine, 1);
      seed(theirs, 2);
      const [theirNote] = (await list(theirs)).notifications;
      const res = await post(`/api/notifications/${theirNote!.id}/read`, mine.cookie);
      expect(res.statusCode).toBe(404);
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect((await list(mine)).notifications.map((n) => n.legacyTitle)).toEqual(['Note 1']);

      expect((await post('/api/notifications/read-all', mine.cookie)).statusCode).toBe(200);
      const after = await list(theirs);
      expect(after.unreadCount).toBe(2);
      expect(after.notifications.every((n) => n.readAt === null)).toBe(true);

      const missing = await post('/api/notifications/999999/read', mine.cookie);
      expect([missing.statusCode, errorCode(missing)]).toEqual([404, 'NOT_FOUND']);
    });

    it('refuses malformed ids and filters (400) and anonymous visitors (401)', async () => {
      const m = await member(t);
      for (const url of ['/api/notifications/abc/read', '/api/notifications/0/read', '/api/notifications/-1/read']) {
        expect((await post(url, m.cookie)).statusCode, url).toBe(400);
      }
      for (const q of ['?before=0', '?unread=maybe', '?surprise=1']) {
        const res = await t.request({ method: 'GET', url: `/api/notifications${q}`, cookie: m.cookie });
        expect(res.statusCode, q).toBe(400);
      }
      for (const [method, url] of [
        ['GET', '/api/notifications'],
        ['POST', '/api/notifications/1/read'],
        ['POST', '/api/notifications/read-all'],
      ] as const) {
        expect((await t.request({ method, url })).statusCode, url).toBe(401);
      }
    });

    it('is open to applicants and to rejected applicants, who read and mark their own', async () => {
      const mod = await moderator(t, ['KE']);
      const a = await applicant(t, 'submitted');
      const r = await applicant(t, 'rejected', { reviewer: mod });
      expect((await list(a)).unreadCount).toBe(0);
      expect((await list(r)).notifications.map((n) => n.kind)).toEqual(['application_rejected']);
      const [note] = (await list(r)).notifications;
      expect((await post(`/api/notifications/${note!.id}/read`, r.cookie)).json()).toEqual({
        unreadCount: 0,
        seq: expect.any(Number),
      });
    });
  });
});
