/**
 * Comparative questions (issue 18): a question asked of several named jurisdictions, answered per
 * jurisdiction (a reply states which, with its provisions and the date of the law), one accepted
 * answer per jurisdiction, a comparison side by side (JSON and CSV), the members and experts of
 * the jurisdictions asked told, and the open questions of a jurisdiction listed.
 */
import { checkSearchIndex } from '@lexforum/db';
import type {
  Comparison,
  Post,
  PostHistory,
  SearchPage,
  ThreadDetail,
  ThreadPage,
  ThreadWithPosts,
} from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  auditRows,
  configure,
  expectError,
  lastAuditId,
  moderatePost,
  notifiedDuring,
  ok,
  quickActor,
  quickMember,
  quickModerator,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

describe('Comparative questions API', () => {
  let t: TestApp;
  let asker: Actor;
  let fr: Actor;
  let ke: Actor;
  let ngExpert: Actor;
  let br: Actor;
  let modKE: Actor;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0 });
    asker = await quickMember(t, 'FR', { displayName: 'Claire Asker' });
    fr = await quickMember(t, 'FR', { displayName: 'François Answer' });
    ke = await quickMember(t, 'KE', { displayName: 'Wanjiru Answer' });
    // Serves in Brazil, and is an expert of Nigeria's law.
    ngExpert = await quickMember(t, 'BR', { displayName: 'Ngozi Expert', otherJurisdictions: ['NG'] });
    br = await quickMember(t, 'BR', { displayName: 'Otávio Other' });
    modKE = await quickModerator(t, ['KE'], { displayName: 'Kamau Mod' });
  });
  afterAll(async () => t?.close());

  const TITLE = 'Is the online sale of falsified medicines an offence in its own right?';
  const ask = (jurisdictions = ['FR', 'KE', 'NG'], title = TITLE) =>
    thread(t, asker, { kind: 'question', comparative: true, jurisdictions, title });
  const answer = (
    who: Actor,
    threadId: string,
    facts: Record<string, unknown> | undefined,
    body = `An answer for ${String(facts?.jurisdiction)}: it is, since the 2012 reform.`,
  ) => send(t, who, 'POST', `/api/threads/${threadId}/posts`, { body, ...(facts ? { answer: facts } : {}) });
  const answered = async (who: Actor, threadId: string, facts: Record<string, unknown>, body?: string) => {
    const res = await answer(who, threadId, facts, body);
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { post: Post }).post;
  };
  const facts = (jurisdiction: string, more: Record<string, unknown> = {}) => ({
    jurisdiction,
    provisions: ['Code de la santé publique, art. L.5421-2'],
    lawAsOf: '2026-06-30',
    shortAnswer: null,
    ...more,
  });
  const comparison = (who: Actor, id: string) => ok<Comparison>(t, who, 'GET', `/api/threads/${id}/comparison`);
  const accept = (who: Actor, threadId: string, postId: string) =>
    send(t, who, 'PUT', `/api/threads/${threadId}/answer`, { postId });

  describe('asking', () => {
    it('asks a question of several jurisdictions, and says so in the list and the thread', async () => {
      const opened = await ask();
      expect(opened.thread).toMatchObject({ kind: 'question', comparative: true });
      expect(opened.thread.jurisdictions.map((j) => j.code)).toEqual(['FR', 'KE', 'NG']);
      const list = await ok<ThreadPage>(t, br, 'GET', '/api/threads?kind=question&limit=100');
      expect(list.threads.find((x) => x.id === opened.thread.id)?.comparative).toBe(true);
      const plain = await thread(t, asker, { kind: 'question', jurisdictions: ['FR', 'KE'] });
      expect(plain.thread.comparative).toBe(false);
    });

    it.each([
      ['a discussion', { kind: 'discussion', jurisdictions: ['FR', 'KE'] }, '/comparative'],
      ['a legal analysis', { kind: 'legal_analysis', jurisdictions: ['FR', 'KE'] }, '/comparative'],
      ['one jurisdiction', { kind: 'question', jurisdictions: ['FR'] }, '/jurisdictions'],
    ])('refuses a comparative %s', async (_, overrides, path) => {
      const { threadBody } = await import('../helpers/threads.js');
      const body = threadBody(overrides.kind as 'question', { ...overrides, comparative: true } as never);
      const res = await send(t, asker, 'POST', '/api/threads', body);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    });

    it('keeps at least two jurisdictions on a comparative question when its tags change', async () => {
      const opened = await ask(['FR', 'KE']);
      const res = await send(t, asker, 'PATCH', `/api/threads/${opened.thread.id}`, { jurisdictions: ['FR'] });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.json().error.details.issues[0].path).toBe('/jurisdictions');
    });

    it('tells the members who serve in or are experts of a jurisdiction asked, once each, with its code', async () => {
      const during = async (who: Actor) => notifiedDuring(t, who, () => ask(['KE', 'NG'], `${TITLE} (notify)`));
      // Each read runs its own question: one member per run.
      const toKE = await during(ke);
      expect(toKE).toEqual([
        expect.objectContaining({
          kind: 'question_for_jurisdiction',
          params: expect.objectContaining({ jurisdiction: 'KE' }),
          subject: `${TITLE} (notify)`,
        }),
      ]);
      expect(toKE[0]!.link).toMatch(/^\/threads\/[^/#]+$/);
      const toExpert = await during(ngExpert);
      expect(toExpert.map((n) => [n.kind, n.params?.jurisdiction])).toEqual([['question_for_jurisdiction', 'NG']]);
      expect(await during(br)).toEqual([]);
      expect(await during(asker)).toEqual([]);
      // A plain question with the same tags tells nobody for this reason.
      const plain = await notifiedDuring(t, ke, () => thread(t, asker, { kind: 'question', jurisdictions: ['KE'] }));
      expect(plain.filter((n) => n.kind === 'question_for_jurisdiction')).toEqual([]);
    });

    it('tells nobody who turned that kind off', async () => {
      const prefs = (channel: string) =>
        send(t, ke, 'PUT', '/api/notifications/preferences', {
          preferences: [{ kind: 'question_for_jurisdiction', channel }],
        });
      expect((await prefs('off')).statusCode).toBe(200);
      try {
        expect(await notifiedDuring(t, ke, () => ask(['KE', 'FR'], `${TITLE} (off)`))).toEqual([]);
      } finally {
        expect((await prefs('app')).statusCode).toBe(200);
      }
    });
  });

  describe('answering', () => {
    it('states the jurisdiction answered for, the provisions and the date, on the post and its version', async () => {
      const q = await ask();
      const post = await answered(
        fr,
        q.thread.id,
        facts('FR', {
          provisions: ['  Code de la santé publique, art. L.5421-2 ', '', 'Code pénal, art. 313-1'],
          shortAnswer: '  Yes, since 2012.  ',
        }),
      );
      expect(post.answer).toEqual({
        jurisdiction: { code: 'FR', name: 'France' },
        provisions: ['Code de la santé publique, art. L.5421-2', 'Code pénal, art. 313-1'],
        lawAsOf: '2026-06-30',
        shortAnswer: 'Yes, since 2012.',
      });
      const history = await ok<PostHistory>(t, br, 'GET', `/api/posts/${post.id}/revisions`);
      expect(history.revisions[0]!.answer).toEqual(post.answer);

      // An edit changes the facts; the first version keeps its own.
      const edit = await send(t, fr, 'PATCH', `/api/posts/${post.id}`, {
        version: 1,
        body: 'An answer for France, corrected: the offence exists since the 2012 reform.',
        answer: facts('FR', { lawAsOf: '2026-09-01', provisions: ['Code pénal, art. 313-1'] }),
      });
      expect(edit.statusCode, edit.body).toBe(200);
      const after = await ok<PostHistory>(t, br, 'GET', `/api/posts/${post.id}/revisions`);
      expect(after.revisions.map((r) => r.answer?.lawAsOf)).toEqual(['2026-06-30', '2026-09-01']);
      // An edit of the text alone keeps the facts.
      const textOnly = await send(t, fr, 'PATCH', `/api/posts/${post.id}`, {
        version: 2,
        body: 'An answer for France, once more: the offence exists since the 2012 reform.',
      });
      expect(textOnly.statusCode, textOnly.body).toBe(200);
      expect((textOnly.json() as { post: Post }).post.answer?.provisions).toEqual(['Code pénal, art. 313-1']);
      // And null takes them off.
      const off = await send(t, fr, 'PATCH', `/api/posts/${post.id}`, {
        version: 3,
        body: 'An answer for France, once more: the offence exists since the 2012 reform.',
        answer: null,
      });
      expect(off.statusCode, off.body).toBe(200);
      expect((off.json() as { post: Post }).post.answer).toBeNull();
    });

    it.each([
      ['a jurisdiction not asked', facts('BR'), '/answer/jurisdiction'],
      ['a future date', facts('FR', { lawAsOf: '2099-01-01' }), '/answer/lawAsOf'],
      ['an impossible date', facts('FR', { lawAsOf: '2026-02-30' }), '/answer/lawAsOf'],
      ['a provision of one letter', facts('FR', { provisions: ['x'] }), '/answer/provisions/0'],
    ])('refuses an answer for %s', async (_, answerFacts, path) => {
      const q = await ask();
      const res = await answer(fr, q.thread.id, answerFacts);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    });

    it('refuses answer facts in a question that is not comparative, and eleven provisions', async () => {
      const plain = await thread(t, asker, { kind: 'question', jurisdictions: ['FR', 'KE'] });
      const res = await answer(fr, plain.thread.id, facts('FR'));
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.json().error.details.issues[0].path).toBe('/answer');
      const q = await ask();
      const many = await answer(
        fr,
        q.thread.id,
        facts('FR', { provisions: Array.from({ length: 11 }, (_, i) => `art. ${i + 1}`) }),
      );
      expectError(many, 400, 'VALIDATION_FAILED');
    });
  });

  describe('search', () => {
    it('finds an answer by its short answer and the provisions it cites, and forgets them when they change', async () => {
      const q = await ask(['FR', 'KE']);
      const post = await answered(
        ke,
        q.thread.id,
        facts('KE', {
          provisions: ['Pharmacy and Poisons Act, s. 35'],
          shortAnswer: 'Yes, with a quindecennial sentence.',
        }),
        'In Kenya it is an offence in its own right.',
      );
      const found = async (query: string) => {
        const page = await ok<SearchPage>(t, br, 'GET', `/api/search?q=${encodeURIComponent(query)}`);
        return page.results.flatMap((r) => r.posts.map((p) => p.id));
      };
      expect(await found('"Poisons Act"')).toContain(post.id);
      expect(await found('quindecennial')).toContain(post.id);
      const edit = await send(t, ke, 'PATCH', `/api/posts/${post.id}`, {
        version: 1,
        body: 'In Kenya it is an offence in its own right.',
        answer: facts('KE', { provisions: ['Penal Code, s. 313'], shortAnswer: null }),
      });
      expect(edit.statusCode, edit.body).toBe(200);
      expect(await found('quindecennial')).not.toContain(post.id);
      expect(await found('"Penal Code"')).toContain(post.id);
      const report = checkSearchIndex(t.handle.sqlite);
      expect(report.differences, JSON.stringify(report)).toBe(0);
    });
  });

  describe('search documents', () => {
    it('are what they were before answer facts for replies that state none, or empty ones', async () => {
      const q = await ask(['FR', 'KE']);
      const plain = (await answer(br, q.thread.id, undefined, 'A plain remark, no jurisdiction.')).json() as {
        post: Post;
      };
      const empty = await answered(fr, q.thread.id, facts('FR', { provisions: [], lawAsOf: null, shortAnswer: null }));
      const statement = t.handle.sqlite.prepare<[string], { same: number }>(
        `select v.body = lex_post_text(p.body, p.sections) as same
         from search_post_text v join posts p on p.id = v.post_id where v.post_id = ?`,
      );
      const same = (id: string) => statement.get(id)?.same;
      expect(same(plain.post.id)).toBe(1);
      expect(same(empty.id)).toBe(1);
    });
  });

  describe('redaction', () => {
    it("takes a redacted name out of an answer's short form and provisions too, in every version", async () => {
      const modFR = await quickModerator(t, ['FR']);
      const q = await ask(['FR', 'KE']);
      const id = q.thread.id;
      const post = await answered(
        fr,
        id,
        facts('FR', {
          shortAnswer: 'Yes, as Jeanne Victimname learnt.',
          provisions: ['Décision Jeanne Victimname, 2024'],
        }),
        'In France it is an offence in its own right, since 2012.',
      );
      // The name is only in the facts, not in the text: redacting it still works.
      const res = await send(t, modFR, 'POST', `/api/posts/${post.id}/redactions`, {
        kind: 'span',
        text: 'Jeanne Victimname',
        reason: 'Names a victim.',
      });
      expect(res.statusCode, res.body).toBe(201);
      const reads = [
        (await send(t, br, 'GET', `/api/threads/${id}`)).body,
        (await send(t, br, 'GET', `/api/threads/${id}/comparison`)).body,
        (await send(t, br, 'GET', `/api/threads/${id}/comparison.csv`)).body,
        (await send(t, fr, 'GET', `/api/posts/${post.id}/revisions`)).body,
        (await send(t, modFR, 'GET', `/api/posts/${post.id}/revisions`)).body,
      ];
      for (const body of reads) expect(body).not.toContain('Victimname');
      const history = await ok<PostHistory>(t, fr, 'GET', `/api/posts/${post.id}/revisions`);
      // The redaction is a new version; every version keeps its (scrubbed) facts.
      expect(history.revisions.map((r) => r.answer?.jurisdiction.code)).toEqual(['FR', 'FR']);
    });
  });

  describe('held replies', () => {
    it('keeps the facts of a held reply approved later, and drops those for a jurisdiction no longer asked', async () => {
      const modFR = await quickModerator(t, ['FR']);
      const held = await quickMember(t, 'FR', { displayName: 'Hélène Held' });
      const review = await send(t, modFR, 'PUT', `/api/moderation/users/${held.user.id}/review`, {
        reason: 'New member: posts checked for a while.',
        underReview: true,
      });
      expect(review.statusCode, review.body).toBe(200);
      const q = await ask(['FR', 'KE', 'NG']);
      const id = q.thread.id;
      const hold = async (code: string) => {
        const res = await answer(held, id, facts(code), `A held answer for ${code}: yes, since 2012.`);
        expect(res.statusCode, res.body).toBe(202);
        return (res.json() as { pending: { id: number } }).pending;
      };
      const forFR = await hold('FR');
      const forNG = await hold('NG');
      const retag = await send(t, asker, 'PATCH', `/api/threads/${id}`, { jurisdictions: ['FR', 'KE'] });
      expect(retag.statusCode, retag.body).toBe(200);
      for (const pending of [forFR, forNG]) {
        const approved = await send(t, modFR, 'POST', `/api/moderation/queue/${pending.id}/approve`, {});
        expect(approved.statusCode, approved.body).toBe(200);
      }
      const page = await ok<ThreadWithPosts>(t, br, 'GET', `/api/threads/${id}`);
      const byText = (code: string) => page.posts.find((p) => p.number > 1 && p.cooked.includes(`for ${code}:`));
      expect(byText('FR')?.answer?.jurisdiction.code).toBe('FR');
      expect(byText('NG')).toBeDefined();
      expect(byText('NG')!.answer).toBeNull();

      // A held edit moving France's answer to Nigeria, approved after Nigeria was dropped: the
      // text goes through, the facts stay France's.
      const frPost = byText('FR')!;
      const heldEdit = await send(t, held, 'PATCH', `/api/posts/${frPost.id}`, {
        version: frPost.version,
        body: 'A held answer for FR, reworded: yes, since 2012.',
        answer: facts('KE'),
      });
      expect(heldEdit.statusCode, heldEdit.body).toBe(202);
      const pendingEdit = (heldEdit.json() as { pending: { id: number } }).pending;
      const retag2 = await send(t, asker, 'PATCH', `/api/threads/${id}`, { jurisdictions: ['FR', 'NG'] });
      expect(retag2.statusCode, retag2.body).toBe(200);
      const approved = await send(t, modFR, 'POST', `/api/moderation/queue/${pendingEdit.id}/approve`, {});
      expect(approved.statusCode, approved.body).toBe(200);
      const after = await ok<{ post: Post }>(t, br, 'GET', `/api/posts/${frPost.id}`);
      expect(after.post.cooked).toContain('reworded');
      expect(after.post.answer?.jurisdiction.code).toBe('FR');
    });
  });

  describe('accepting, per jurisdiction', () => {
    it('keeps one accepted answer per jurisdiction, replaced and taken back one jurisdiction at a time', async () => {
      const q = await ask();
      const id = q.thread.id;
      const frOne = await answered(fr, id, facts('FR'));
      const frTwo = await answered(br, id, facts('FR'), 'Another view for France: only with intent to deceive.');
      const keOne = await answered(ke, id, facts('KE', { provisions: ['Pharmacy and Poisons Act, s. 35'] }));
      // Facts without the jurisdiction answered for are no answer.
      expectError(await answer(br, id, {}, 'A general remark.'), 400, 'VALIDATION_FAILED');

      const before = lastAuditId(t);
      const told = await notifiedDuring(t, fr, async () => {
        expect((await accept(asker, id, frOne.id)).statusCode).toBe(200);
      });
      expect(told.map((n) => [n.kind, n.params?.jurisdiction])).toEqual([['answer_accepted', 'FR']]);
      // A moderator in scope (Kenya) marks Kenya's.
      const res = await accept(modKE, id, keOne.id);
      expect(res.statusCode, res.body).toBe(200);
      let detail = (res.json() as { thread: ThreadDetail }).thread;
      expect(detail.acceptedAnswers.map((a) => [a.jurisdiction?.code, a.postId])).toEqual([
        ['FR', frOne.id],
        ['KE', keOne.id],
      ]);
      expect(auditRows(t, { after: before }).map((r) => [r.action, r.after])).toEqual([
        ['thread.accept_answer', { answer: frOne.id, jurisdiction: 'FR' }],
        ['thread.accept_answer', { answer: keOne.id, jurisdiction: 'KE' }],
      ]);

      // Replacing France's leaves Kenya's.
      expect((await accept(asker, id, frTwo.id)).statusCode).toBe(200);
      detail = (await ok<ThreadWithPosts>(t, br, 'GET', `/api/threads/${id}`)).thread;
      expect(detail.acceptedAnswers.map((a) => [a.jurisdiction?.code, a.postId])).toEqual([
        ['FR', frTwo.id],
        ['KE', keOne.id],
      ]);

      // Taking one back names the jurisdiction.
      expectError(await send(t, asker, 'DELETE', `/api/threads/${id}/answer`), 400, 'VALIDATION_FAILED');
      expectError(await send(t, asker, 'DELETE', `/api/threads/${id}/answer?jurisdiction=NG`), 409, 'INVALID_STATE');
      expect((await send(t, asker, 'DELETE', `/api/threads/${id}/answer?jurisdiction=KE`)).statusCode).toBe(200);
      detail = (await ok<ThreadWithPosts>(t, br, 'GET', `/api/threads/${id}`)).thread;
      expect(detail.acceptedAnswers.map((a) => a.jurisdiction?.code)).toEqual(['FR']);
    });

    it('counts a mark only while its reply still answers for that jurisdiction, one the question still asks', async () => {
      const q = await ask(['FR', 'KE', 'NG']);
      const id = q.thread.id;
      const post = await answered(fr, id, facts('FR'));
      const kenya = await answered(ke, id, facts('KE'));
      expect((await accept(asker, id, post.id)).statusCode).toBe(200);
      expect((await accept(asker, id, kenya.id)).statusCode).toBe(200);
      const state = async () => {
        const page = await ok<ThreadWithPosts>(t, br, 'GET', `/api/threads/${id}`);
        const awaitingFR = (await ok<ThreadPage>(t, br, 'GET', '/api/threads?awaiting=FR&limit=100')).threads;
        return {
          marks: page.thread.acceptedAnswers.map((a) => a.jurisdiction?.code),
          answered: page.thread.answered,
          awaitingFR: awaitingFR.some((x) => x.id === id),
        };
      };
      expect(await state()).toEqual({ marks: ['FR', 'KE'], answered: true, awaitingFR: false });
      // France's answer now says it answers for Nigeria: it no longer answers France.
      const moved = await send(t, fr, 'PATCH', `/api/posts/${post.id}`, {
        version: 1,
        body: `An answer for FR: it is, since the 2012 reform.`,
        answer: facts('NG'),
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(await state()).toEqual({ marks: ['KE'], answered: true, awaitingFR: true });
      // Kenya is no longer asked: its mark no longer counts either.
      const retag = await send(t, asker, 'PATCH', `/api/threads/${id}`, { jurisdictions: ['FR', 'NG'] });
      expect(retag.statusCode, retag.body).toBe(200);
      expect(await state()).toEqual({ marks: [], answered: false, awaitingFR: true });
      const listed = await ok<ThreadPage>(t, br, 'GET', '/api/threads?kind=question&limit=100');
      expect(listed.threads.find((x) => x.id === id)?.answered).toBe(false);
    });

    it('refuses to accept a reply that answers for no jurisdiction asked', async () => {
      const q = await ask();
      const res = await send(t, br, 'POST', `/api/threads/${q.thread.id}/posts`, { body: 'A general remark.' });
      const general = (res.json() as { post: Post }).post;
      const refused = await accept(asker, q.thread.id, general.id);
      expectError(refused, 400, 'VALIDATION_FAILED');
      expect(refused.json().error.details.issues[0].path).toBe('/postId');
    });
  });

  describe('the comparison', () => {
    it('has a row per jurisdiction asked, in order, the accepted answer first and "no answer yet" empty', async () => {
      const q = await ask();
      const id = q.thread.id;
      const first = await answered(fr, id, facts('FR'), 'First paragraph for France.\n\nSecond paragraph.');
      const second = await answered(br, id, facts('FR', { shortAnswer: 'Only with intent.' }));
      const kenya = await answered(ke, id, facts('KE', { lawAsOf: null, provisions: [] }));
      expect((await accept(asker, id, second.id)).statusCode).toBe(200);

      const seen = await comparison(br, id);
      expect(seen.thread).toMatchObject({ id, title: TITLE, author: { id: asker.user.id } });
      expect(seen.thread.cooked).toContain('<p>');
      expect(seen.rows.map((r) => [r.jurisdiction.code, r.answers.map((a) => [a.postId, a.accepted])])).toEqual([
        [
          'FR',
          [
            [second.id, true],
            [first.id, false],
          ],
        ],
        ['KE', [[kenya.id, false]]],
        ['NG', []],
      ]);
      const [accepted, other] = seen.rows[0]!.answers;
      expect(accepted!.short).toBe('Only with intent.');
      expect(other!.short).toBe('First paragraph for France.');
      expect(other!).toMatchObject({
        provisions: ['Code de la santé publique, art. L.5421-2'],
        lawAsOf: '2026-06-30',
        version: 1,
        author: expect.objectContaining({ displayName: 'François Answer', badge: expect.anything() }),
      });

      // A hidden reply answers nothing, for members; back when restored.
      const modFR = await quickModerator(t, ['FR']);
      expect((await moderatePost(t, modFR, first.id, 'hide')).statusCode).toBe(200);
      expect((await comparison(br, id)).rows[0]!.answers.map((a) => a.postId)).toEqual([second.id]);
      expect((await moderatePost(t, modFR, first.id, 'restore')).statusCode).toBe(200);
      expect((await comparison(br, id)).rows[0]!.answers.map((a) => a.postId)).toEqual([second.id, first.id]);
    });

    it("takes an answer's short form from its own first paragraph, never from a quote of another post", async () => {
      const q = await ask(['FR', 'KE']);
      const id = q.thread.id;
      const quoted = await answered(ke, id, facts('KE'), 'The Kenyan statute says nothing of online sales.');
      const quote = `[Wanjiru Answer wrote](/posts/${quoted.id}/history?version=1):\n> The Kenyan statute says nothing\n\n`;
      await answered(fr, id, facts('FR'), `${quote}In France, by contrast, the 2012 ordinance does.`);
      const modKE2 = await quickModerator(t, ['KE']);
      expect((await moderatePost(t, modKE2, quoted.id, 'hide')).statusCode).toBe(200);
      const seen = await comparison(br, id);
      expect(seen.rows[0]!.answers[0]!.short).toBe('In France, by contrast, the 2012 ordinance does.');
      expect(JSON.stringify(seen)).not.toContain('says nothing');
    });

    it('exports as CSV: a line per answer and per jurisdiction without one, formulas defused', async () => {
      const q = await ask(['FR', 'KE']);
      const id = q.thread.id;
      await answered(fr, id, facts('FR', { shortAnswer: '=HYPERLINK("http://evil.example","Yes")' }));
      const res = await send(t, br, 'GET', `/api/threads/${id}/comparison.csv`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="comparison-${id}.csv"`);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.body.startsWith('\uFEFF"Jurisdiction code","Jurisdiction","Status"')).toBe(true);
      const lines = res.body.slice(1).trimEnd().split('\r\n');
      expect(lines).toHaveLength(3);
      expect(lines[1]).toContain(`"FR","France","answer","'=HYPERLINK(""http://evil.example"",""Yes"")"`);
      expect(lines[1]).toContain('"François Answer","Prosecutor, Public Prosecution Service (France)"');
      expect(lines[1]).toMatch(/"http:\/\/localhost:\d+\/posts\/[^/]+\/history\?version=1"$/);
      expect(lines[2]).toBe('"KE","Kenya","no answer yet","","","","","","","",""');
    });

    it('is refused to whoever may not read the thread, and for a question that is not comparative', async () => {
      const q = await ask();
      const applicant = await quickActor(t, { role: 'applicant' });
      for (const url of [`/api/threads/${q.thread.id}/comparison`, `/api/threads/${q.thread.id}/comparison.csv`]) {
        expect((await send(t, null, 'GET', url)).statusCode).toBe(401);
        expect((await send(t, applicant, 'GET', url)).statusCode).toBe(403);
      }
      const plain = await thread(t, asker, { kind: 'question', jurisdictions: ['FR', 'KE'] });
      expectError(await send(t, br, 'GET', `/api/threads/${plain.thread.id}/comparison`), 409, 'INVALID_STATE');
      expectError(await send(t, br, 'GET', '/api/threads/no-such-thread/comparison'), 404);
    });
  });

  describe('open questions of a jurisdiction', () => {
    it('lists the comparative questions asked of it with no accepted answer for it, until answered or resolved', async () => {
      const q = await ask(['KE', 'NG'], 'Are falsified pesticides covered by the medicines law in Kenya and Nigeria?');
      const id = q.thread.id;
      const awaiting = async (code: string) =>
        (await ok<ThreadPage>(t, br, 'GET', `/api/threads?awaiting=${code}&limit=100`)).threads.map((x) => x.id);
      expect(await awaiting('KE')).toContain(id);
      expect(await awaiting('NG')).toContain(id);
      expect(await awaiting('FR')).not.toContain(id);

      const kenya = await answered(ke, id, facts('KE'));
      expect(await awaiting('KE')).toContain(id); // answered, not accepted yet
      expect((await accept(asker, id, kenya.id)).statusCode).toBe(200);
      expect(await awaiting('KE')).not.toContain(id);
      expect(await awaiting('NG')).toContain(id);

      const resolved = await send(t, modKE, 'POST', `/api/moderation/threads/${id}/resolve`, {
        reason: 'Answered for both in the discussion.',
      });
      expect(resolved.statusCode, resolved.body).toBe(200);
      expect(await awaiting('NG')).not.toContain(id);
    });
  });
});
