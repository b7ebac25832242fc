import type { SearchPage, SimilarPage, SuggestPage } from '@lexforum/shared';
import type { SearchOutcome } from '../../server/src/modules/search/search-runner.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, DAY, errorCode, type TestApp } from '../helpers/app.js';
import {
  configure,
  moderatePost,
  ok,
  pendingReply,
  quickActor,
  quickAdmin,
  quickMember,
  quickModerator,
  reply,
  send,
  thread,
  itemOfSubmission,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

const search = (t: TestApp, who: Actor, query: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return send(t, who, 'GET', `/api/search?${params}`);
};

async function found(t: TestApp, who: Actor, q: string, extra: Record<string, string | string[]> = {}) {
  const res = await search(t, who, { q, ...extra });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as SearchPage;
}

const ids = (page: SearchPage) => page.results.map((r) => r.thread.id);
const text = (segments: { text: string }[]) => segments.map((s) => s.text).join('');
const hits = (segments: { text: string; hit: boolean }[]) => segments.filter((s) => s.hit).map((s) => s.text);

describe('Search API', () => {
  let t: TestApp;
  let alice: Actor;
  let bruno: Actor;
  beforeAll(async () => {
    t = await buildTestApp();
    alice = await quickMember(t, 'FR', { displayName: 'Alice Martin', username: 'alice' });
    bruno = await quickMember(t, 'KE', { displayName: 'Bruno Otieno', username: 'bruno' });
  });
  afterAll(async () => t.close());

  describe('GET /api/search', () => {
    it('finds words with case, accents and Arabic forms folded, and article references', async () => {
      const fr = await thread(t, alice, {
        title: 'Rétention douanière des médicaments falsifiés',
        body: 'La retenue en douane au titre du règlement MEDICRIME, art. 5(1)(b), suffit-elle ?',
      });
      const ar = await thread(t, bruno, {
        title: 'الأدوية المغشوشة',
        body: 'هل تُطبَّق إتفاقية ميديكرايم على البيع عبر الإنـتـرنت في مستشفى؟',
        jurisdictions: ['MA'],
      });
      expect(ids(await found(t, bruno, 'retention douaniere'))).toEqual([fr.thread.id]);
      expect(ids(await found(t, bruno, 'Medicrime'))).toContain(fr.thread.id);
      expect(ids(await found(t, bruno, 'medicaments FALSIFIES'))).toEqual([fr.thread.id]);
      expect(ids(await found(t, bruno, 'art. 5'))).toEqual([fr.thread.id]);
      expect(ids(await found(t, bruno, '5(1)(b)'))).toEqual([fr.thread.id]);
      // Diacritics (harakat), hamza on alef, tatweel and alef maksura are folded both ways.
      expect(ids(await found(t, alice, 'تطبق'))).toEqual([ar.thread.id]);
      expect(ids(await found(t, alice, 'اتفاقية'))).toEqual([ar.thread.id]);
      expect(ids(await found(t, alice, 'الانترنت'))).toEqual([ar.thread.id]);
      expect(ids(await found(t, alice, 'مستشفي'))).toEqual([ar.thread.id]);
      expect(ids(await found(t, alice, 'الأدوية'))).toEqual([ar.thread.id]);
      expect(ids(await found(t, alice, 'ﺍﻷﺩﻭﻳﺔ'))).toEqual([ar.thread.id]); // presentation forms
    });

    it('supports phrases, exclusions, OR and prefixes', async () => {
      const a = await thread(t, alice, {
        title: 'Counterfeit pesticides seized at the port',
        body: 'Seized pesticide drums.',
      });
      const b = await thread(t, alice, {
        title: 'Illicit pesticides and port authorities',
        body: 'Customs seized drums.',
      });
      expect(ids(await found(t, bruno, '"pesticides seized"'))).toEqual([a.thread.id]);
      expect(ids(await found(t, bruno, 'pesticides -counterfeit')).sort()).toEqual([b.thread.id]);
      expect(ids(await found(t, bruno, 'pesticides -"seized at"'))).toEqual([b.thread.id]);
      expect(ids(await found(t, bruno, 'counterfeit OR illicit')).sort()).toEqual([a.thread.id, b.thread.id].sort());
      expect(ids(await found(t, bruno, 'pestic* port')).sort()).toEqual([a.thread.id, b.thread.id].sort());
      expect(ids(await found(t, bruno, 'authorit*'))).toEqual([b.thread.id]);
      // A prefix opening more words than are listed falls back to FTS5's own prefix query.
      const many = Array.from({ length: 260 }, (_, i) => `quixo${i}x`).join(' ');
      const c = await thread(t, alice, { title: 'Many prefixed words', body: many });
      expect(ids(await found(t, bruno, 'quixo*'))).toEqual([c.thread.id]);
      expect(ids(await found(t, bruno, 'quixo6*'))).toEqual([c.thread.id]);
      expect(ids(await found(t, bruno, '"prefixed wor"*'))).toEqual([c.thread.id]);
    });

    it('groups by thread with snippets of the matching posts, built from the source text', async () => {
      const th = await thread(t, alice, { title: 'Wildlife trafficking evidence', body: 'Opening **ivory** post.' });
      await reply(
        t,
        bruno,
        th.thread.id,
        'A reply on ivory with <script>alert(1)</script> and [a link](https://x.example).',
      );
      await reply(t, alice, th.thread.id, 'Another word entirely.');
      const page = await found(t, bruno, 'ivory');
      expect(page.results).toHaveLength(1);
      const [result] = page.results;
      expect(result!.matchCount).toBe(2);
      expect(result!.posts.map((p) => p.number).sort()).toEqual([1, 2]);
      for (const post of result!.posts) {
        expect(hits(post.snippet).map((h) => h.toLowerCase())).toEqual(['ivory']);
        // Source text, never the cooked HTML: no <strong>, no <p>, the link's target dropped.
        expect(text(post.snippet)).not.toMatch(/<strong>|<p>|https:\/\/x\.example/);
      }
      const replyHit = result!.posts.find((p) => p.number === 2)!;
      expect(text(replyHit.snippet)).toContain('<script>alert(1)</script>'); // as text, for the client to escape
      expect(replyHit.author.displayName).toBe('Bruno Otieno');
      expect(replyHit.author.badge?.jurisdictionCode).toBe('KE');
      expect(result!.thread.author.displayName).toBe('Alice Martin');
      expect(result!.thread.jurisdictions).toEqual([{ code: 'FR', name: 'France' }]);
    });

    it('names the analysis section a snippet comes from, and weights titles above replies', async () => {
      const analysis = await thread(t, alice, {
        kind: 'legal_analysis',
        title: 'Smuggled cigarettes: the burden of proof',
        sections: {
          questionPresented: 'Who bears the burden?',
          relevantFacts: 'Cartons found in a van.',
          applicableLaw: 'The FCTC Protocol, article 14.',
          analysis: 'The prosecution must prove knowledge of the smuggled goods.',
          conclusion: 'The prosecution.',
        },
      });
      const other = await thread(t, bruno, {
        title: 'Unrelated title',
        body: 'Nothing here. Padding so the post is long enough.',
      });
      await reply(t, alice, other.thread.id, 'Something about smuggled tobacco in a reply.');
      const page = await found(t, bruno, 'smuggled');
      expect(ids(page)[0]).toBe(analysis.thread.id);
      expect(ids(page)).toContain(other.thread.id);
      expect(page.results[0]!.posts[0]!.section).toBe('analysis');
      expect(hits(page.results[0]!.thread.titleSegments)).toEqual(['Smuggled']);
      const byKind = await found(t, bruno, 'smuggled kind:analysis');
      expect(ids(byKind)).toEqual([analysis.thread.id]);
      expect(byKind.filters.kind).toBe('legal_analysis');
    });

    it('applies operators and the matching parameters alike, and reports them in filters', async () => {
      const ke = await thread(t, bruno, {
        title: 'Fuel adulteration in Mombasa',
        body: 'Fuel marker evidence.',
        jurisdictions: ['KE'],
        topics: ['illicit-fuel'],
        citations: [{ instrument: 'untoc', provision: 'art. 5' }],
      });
      const fr = await thread(t, alice, {
        title: 'Fuel fraud in Marseille',
        body: 'Fuel marker tests. Padding so the post is long enough.',
        jurisdictions: ['FR'],
      });
      expect(ids(await found(t, alice, 'fuel jurisdiction:KE'))).toEqual([ke.thread.id]);
      expect(ids(await found(t, alice, 'fuel', { jurisdiction: 'KE' }))).toEqual([ke.thread.id]);
      expect(ids(await found(t, alice, 'fuel', { jurisdiction: ['KE', 'FR'] })).sort()).toEqual(
        [ke.thread.id, fr.thread.id].sort(),
      );
      expect(ids(await found(t, alice, 'fuel instrument:untoc'))).toEqual([ke.thread.id]);
      expect(ids(await found(t, alice, 'fuel topic:illicit-fuel'))).toEqual([ke.thread.id]);
      expect(ids(await found(t, alice, 'marker @alice'))).toEqual([fr.thread.id]);
      expect(ids(await found(t, alice, 'marker', { author: 'bruno' }))).toEqual([ke.thread.id]);
      expect(ids(await found(t, alice, 'mombasa in:title'))).toEqual([ke.thread.id]);
      expect(ids(await found(t, alice, 'marker in:title'))).toEqual([]);
      expect(ids(await found(t, alice, 'marker', { in: 'title' }))).toEqual([]);
      expect(ids(await found(t, alice, 'mombasa', { in: 'title' }))).toEqual([ke.thread.id]);
      const page = await found(t, alice, 'fuel jurisdiction:ke');
      expect(page.filters.jurisdictions).toEqual(['KE']);
      // Facets count matching threads per value.
      const all = await found(t, alice, 'fuel marker');
      expect(all.facets.jurisdictions).toEqual(
        expect.arrayContaining([
          { value: 'KE', label: 'Kenya', count: 1, selected: false },
          { value: 'FR', label: 'France', count: 1, selected: false },
        ]),
      );
      expect(all.facets.authors.map((a) => a.value).sort()).toEqual(['alice', 'bruno']);
      expect(all.facets.instruments).toContainEqual({ value: 'untoc', label: 'UNTOC', count: 1, selected: false });
    });

    it('filters by date (inclusive days) and by resolution', async () => {
      const old = await thread(t, alice, {
        kind: 'question',
        title: 'Datefilter question from long ago',
        body: 'Old text. Padding so the post is long enough.',
      });
      t.clock.advance(2 * DAY);
      const fresh = await thread(t, alice, {
        kind: 'question',
        title: 'Datefilter question today',
        body: 'New text. Padding so the post is long enough.',
      });
      const today = t.clock.now().toISOString().slice(0, 10);
      const oldDay = new Date(t.clock.now().getTime() - 2 * DAY).toISOString().slice(0, 10);
      expect(ids(await found(t, bruno, `datefilter after:${today}`))).toEqual([fresh.thread.id]);
      expect(ids(await found(t, bruno, `datefilter before:${oldDay}`))).toEqual([old.thread.id]);
      expect(ids(await found(t, bruno, 'datefilter', { after: oldDay, before: oldDay }))).toEqual([old.thread.id]);
      const admin = await quickAdmin(t);
      await ok(t, admin, 'POST', `/api/moderation/threads/${old.thread.id}/resolve`, { reason: 'Answered.' });
      expect(ids(await found(t, bruno, 'datefilter status:resolved'))).toEqual([old.thread.id]);
      expect(ids(await found(t, bruno, 'datefilter status:open'))).toEqual([fresh.thread.id]);
      const resolved = (await found(t, bruno, 'datefilter status:resolved')).results[0]!;
      expect(resolved.thread.resolved).toBe(true);
    });

    it('sorts by relevance or by date, answers operator-only queries newest first, and pages by cursor', async () => {
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        t.clock.advance(1000);
        made.push(
          (
            await thread(t, alice, {
              title: `Pagination subject ${i}`,
              body: 'Pagination body. Padding so the post is long enough.',
              jurisdictions: ['SN'],
            })
          ).thread.id,
        );
      }
      const first = await found(t, bruno, 'pagination', { sort: 'date', limit: '2' });
      expect(ids(first)).toEqual([made[4], made[3]]);
      expect(first.total).toBe(5);
      const second = await found(t, bruno, 'pagination', { sort: 'date', limit: '2', cursor: first.nextCursor! });
      expect(ids(second)).toEqual([made[2], made[1]]);
      const third = await found(t, bruno, 'pagination', { sort: 'date', limit: '2', cursor: second.nextCursor! });
      expect(ids(third)).toEqual([made[0]]);
      expect(third.nextCursor).toBeNull();
      const operators = await found(t, bruno, 'jurisdiction:SN');
      expect(ids(operators)).toEqual([...made].reverse());
      expect(operators.sort).toBe('date');
      expect(operators.terms).toEqual([]);
    });

    it('applies filters before bounding very common words, so an older match in the filter is still found', async () => {
      const kenya = await thread(t, bruno, {
        title: 'Old Kenyan teff case',
        body: 'Teff smuggling, an older post.',
        jurisdictions: ['KE'],
      });
      const france = await thread(t, alice, {
        title: 'Busy French teff thread',
        body: 'Teff everywhere in this thread.',
      });
      const insert = t.handle.sqlite.prepare(
        `insert into posts (id, thread_id, number, author_id, body, cooked, created_at) values (?, ?, ?, ?, 'teff teff', '<p>teff</p>', ?)`,
      );
      t.handle.sqlite.transaction(() => {
        for (let i = 2; i <= 6_000; i++)
          insert.run(`teff-${i}`, france.thread.id, i, alice.user.id, t.clock.now().getTime());
      })();
      const all = await found(t, bruno, 'teff');
      expect(all.notice).toBe('common_terms');
      const filtered = await found(t, bruno, 'teff jurisdiction:KE');
      expect(ids(filtered)).toEqual([kenya.thread.id]);
    });

    it('refuses bad operator values, exclusions alone, overlong queries and foreign cursors with 400', async () => {
      for (const q of [
        'fuel jurisdiction:XX',
        'fuel topic:nope',
        'fuel instrument:nope',
        'fuel kind:poem',
        'fuel after:2024-13-01',
        'fuel before:yesterday',
        'fuel status:maybe',
        'fuel in:body',
        'fuel @nobody_here',
        '-fuel',
        'fuel after:2025-01-02 before:2025-01-01',
      ]) {
        const res = await search(t, bruno, { q });
        expect(res.statusCode, q).toBe(400);
        expect(errorCode(res), q).toBe('VALIDATION_FAILED');
        expect((res.json() as { error: { message: string } }).error.message.length, q).toBeGreaterThan(10);
      }
      expect((await search(t, bruno, { q: 'x'.repeat(10_000) })).statusCode).toBe(400);
      expect((await search(t, bruno, { q: 'fuel', cursor: 'bm9wZQ' })).statusCode).toBe(400);
      expect((await search(t, bruno, { q: 'fuel', extra: '1' })).statusCode).toBe(400);
    });

    it('treats FTS5 syntax as plain words: never a 5xx', async () => {
      for (const q of [
        '"unbalanced',
        'NEAR(fuel marker',
        'title: fuel',
        '{title}: fuel',
        '*',
        '^fuel',
        'fuel AND',
        'OR',
        'NOT fuel',
        '+',
        '""',
        '(',
        ')',
        'a"b"c',
        '\u0000\u0007fuel',
        '-"',
        '@',
        'jurisdiction:',
      ]) {
        const res = await search(t, bruno, { q });
        expect(res.statusCode, q).toBeLessThan(500);
      }
    });
  });

  describe('visibility', () => {
    let kenya: Actor;
    let france: Actor;
    let admin: Actor;
    beforeAll(async () => {
      kenya = await quickModerator(t, ['KE']);
      france = await quickModerator(t, ['FR']);
      admin = await quickAdmin(t);
    });

    it('drops hidden and deleted posts and hidden threads for members, keeps them for moderators in scope, marked', async () => {
      const th = await thread(t, alice, {
        title: 'Visibility harbour case',
        body: 'Opening on zebrafish.',
        jurisdictions: ['KE'],
      });
      const post = await reply(t, bruno, th.thread.id, 'A reply naming quokkas.');
      expect(ids(await found(t, alice, 'quokkas'))).toEqual([th.thread.id]);
      expect((await moderatePost(t, kenya, post.id, 'hide')).statusCode).toBe(200);
      expect(ids(await found(t, alice, 'quokkas'))).toEqual([]);
      // The author does not find it either: search shows what everyone may read, and staff in scope.
      expect(ids(await found(t, bruno, 'quokkas'))).toEqual([]);
      const forKenya = await found(t, kenya, 'quokkas');
      expect(ids(forKenya)).toEqual([th.thread.id]);
      expect(forKenya.results[0]!.posts[0]!.state).toBe('hidden');
      expect(ids(await found(t, france, 'quokkas'))).toEqual([]);
      expect(ids(await found(t, admin, 'quokkas'))).toEqual([th.thread.id]);
      expect((await moderatePost(t, kenya, post.id, 'restore')).statusCode).toBe(200);
      expect(ids(await found(t, alice, 'quokkas'))).toEqual([th.thread.id]);
      // The opening post hidden: the whole thread leaves members' results.
      expect((await moderatePost(t, kenya, th.posts[0]!.id, 'hide')).statusCode).toBe(200);
      expect(ids(await found(t, alice, 'quokkas'))).toEqual([]);
      expect(ids(await found(t, alice, 'zebrafish'))).toEqual([]);
      const staff = await found(t, kenya, 'zebrafish');
      expect(staff.results[0]!.thread.state).toBe('hidden');
      expect((await moderatePost(t, kenya, post.id, 'delete')).statusCode).toBe(200);
      expect(ids(await found(t, kenya, 'quokkas'))).toEqual([th.thread.id]);
      expect((await found(t, kenya, 'quokkas')).results[0]!.posts[0]!.state).toBe('deleted');
    });

    it('finds a held post only once it is approved, with the text approved', async () => {
      const th = await thread(t, alice, {
        title: 'Held posts thread',
        body: 'Opening. Padding so the post is long enough.',
      });
      const newcomer = await quickMember(t, 'FR');
      await configure(t, { premoderatedPosts: 2 });
      try {
        const pending = await pendingReply(t, newcomer, th.thread.id, 'Held words about narwhals.');
        expect(ids(await found(t, alice, 'narwhals'))).toEqual([]);
        expect(ids(await found(t, admin, 'narwhals'))).toEqual([]);
        const item = await itemOfSubmission(t, admin, pending.id);
        await ok(t, admin, 'POST', `/api/moderation/queue/${item!.id}/approve`, { reason: 'Fine.' });
        expect(ids(await found(t, alice, 'narwhals'))).toEqual([th.thread.id]);
      } finally {
        await configure(t, { premoderatedPosts: 0 });
      }
    });

    it('follows edits, title changes and moves in the same transaction', async () => {
      const th = await thread(t, alice, {
        title: 'Original walrus title',
        body: 'Body about lemurs. Padding so the post is long enough.',
      });
      const post = await reply(t, bruno, th.thread.id, 'Reply about pangolins.');
      const edited = await send(t, bruno, 'PATCH', `/api/posts/${post.id}`, {
        body: 'Reply about okapis. Padding so the post is long enough.',
        version: 1,
      });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(ids(await found(t, alice, 'pangolins'))).toEqual([]);
      expect(ids(await found(t, alice, 'okapis'))).toEqual([th.thread.id]);
      const retitled = await send(t, alice, 'PATCH', `/api/threads/${th.thread.id}`, {
        title: 'Renamed capybara title',
      });
      expect(retitled.statusCode, retitled.body).toBe(200);
      expect(ids(await found(t, bruno, 'walrus'))).toEqual([]);
      expect(ids(await found(t, bruno, 'capybara in:title'))).toEqual([th.thread.id]);
      const target = await thread(t, alice, {
        title: 'Move target',
        body: 'Target opening. Padding so the post is long enough.',
      });
      const moved = await moderatePost(t, admin, post.id, 'move', {
        reason: 'Belongs there.',
        toThreadId: target.thread.id,
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(ids(await found(t, bruno, 'okapis'))).toEqual([target.thread.id]);
    });

    it('forgets redacted words: not found, no posting left, gone from the prefix list', async () => {
      const th = await thread(t, alice, {
        title: 'Redaction and search',
        body: 'The witness Zorglubwitness saw the seizure.',
      });
      expect(ids(await found(t, bruno, 'zorglubwitness'))).toEqual([th.thread.id]);
      const res = await send(t, alice, 'POST', `/api/posts/${th.posts[0]!.id}/redactions`, {
        kind: 'span',
        text: 'Zorglubwitness',
        reason: 'A witness named by mistake.',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(ids(await found(t, admin, 'zorglubwitness'))).toEqual([]);
      expect(ids(await found(t, admin, 'zorglub*'))).toEqual([]);
      expect(ids(await found(t, bruno, 'seizure witness'))).toEqual([th.thread.id]);
      const sqlite = t.handle.sqlite;
      expect(sqlite.prepare(`select count(*) as n from search_terms where term = 'zorglubwitness'`).get()).toEqual({
        n: 0,
      });
      expect(sqlite.prepare(`select count(*) as n from search_vocab where term = 'zorglubwitness'`).get()).toEqual({
        n: 0,
      });
      // Words other posts still hold stay listed.
      expect(sqlite.prepare(`select count(*) as n from search_terms where term = 'witness'`).get()).toEqual({ n: 1 });
    });

    it('answers 403 to applicants, rejected and suspended accounts, and 401 to nobody', async () => {
      const applicant = await quickActor(t, { role: 'applicant' });
      const suspended = await quickMember(t, 'FR', { status: 'suspended' });
      for (const [who, code] of [
        [applicant, 'NOT_VETTED'],
        [suspended, 'SUSPENDED'],
      ] as const) {
        for (const url of [
          '/api/search?q=fuel',
          '/api/search/similar?title=fuel%20fraud',
          '/api/search/suggest?q=fu',
        ]) {
          const res = await send(t, who, 'GET', url);
          expect(res.statusCode, url).toBe(403);
          expect(errorCode(res)).toBe(code);
        }
      }
      expect((await t.request({ method: 'GET', url: '/api/search?q=fuel' })).statusCode).toBe(401);
    });
  });

  describe('GET /api/search/similar and /api/search/suggest', () => {
    it('offers threads with similar titles while composing, visible ones only', async () => {
      const a = await thread(t, alice, {
        title: 'Online sale of falsified insulin pens',
        body: 'x y z. Padding so the post is long enough.',
      });
      const res = await send(
        t,
        bruno,
        'GET',
        `/api/search/similar?title=${encodeURIComponent('falsified insulin sold online')}`,
      );
      expect(res.statusCode).toBe(200);
      const page = res.json() as SimilarPage;
      expect(page.threads[0]!.id).toBe(a.thread.id);
      expect(page.threads.length).toBeLessThanOrEqual(5);
      expect(hits(page.threads[0]!.titleSegments).map((s) => s.toLowerCase())).toEqual(
        expect.arrayContaining(['falsified', 'insulin']),
      );
      const none = (await send(t, bruno, 'GET', '/api/search/similar?title=zz')).json() as SimilarPage;
      expect(none.threads).toEqual([]);
    });

    it('suggests threads by title prefix, members, jurisdictions and instruments', async () => {
      await thread(t, alice, { title: 'Kenyan ivory seizures', body: 'Text. Padding so the post is long enough.' });
      const res = await send(t, bruno, 'GET', '/api/search/suggest?q=keny');
      expect(res.statusCode).toBe(200);
      const page = res.json() as SuggestPage;
      expect(page.threads.map((x) => x.title)).toContain('Kenyan ivory seizures');
      expect(page.jurisdictions.map((j) => j.code)).toContain('KE');
      const people = (await send(t, bruno, 'GET', '/api/search/suggest?q=ali')).json() as SuggestPage;
      expect(people.members.map((m) => m.username)).toContain('alice');
      const instruments = (await send(t, bruno, 'GET', '/api/search/suggest?q=medicr')).json() as SuggestPage;
      expect(instruments.instruments.map((i) => i.code)).toContain('medicrime');
    });
  });
});

describe('Search in worker threads', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lexforum-search-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs searches in workers with their own connection, and sees writes as soon as they commit', async () => {
    const t = await buildTestApp({ database: join(dir, 'a.db') });
    try {
      expect(t.app.searchPool.inline).toBe(false);
      const member = await quickMember(t);
      const th = await thread(t, member, {
        title: 'Worker thread test about okra',
        body: 'Body. Padding so the post is long enough.',
      });
      expect(ids(await found(t, member, 'okra'))).toEqual([th.thread.id]);
      await reply(t, member, th.thread.id, 'Reply about sorghum.');
      expect(ids(await found(t, member, 'sorghum'))).toEqual([th.thread.id]);
      expect(t.app.searchPool.stats.pooled).toBeGreaterThanOrEqual(2);
      expect(t.app.searchPool.threads).toBeGreaterThanOrEqual(1);
    } finally {
      await t.close();
    }
  });

  it('stops a search past its time budget with 503 SEARCH_TIMEOUT, and the next search gets a fresh worker', async () => {
    const t = await buildTestApp({ database: join(dir, 'b.db'), env: { SEARCH_TIMEOUT_MS: '1' } });
    try {
      const member = await quickMember(t);
      const th = await thread(t, member, {
        title: 'Timeout test about millet',
        body: 'Millet body, long enough to post.',
      });
      // Thirty thousand posts sharing a word: ranking them takes far longer than 1 ms.
      const insert = t.handle.sqlite.prepare(
        `insert into posts (id, thread_id, number, author_id, body, cooked, created_at)
         values (?, ?, ?, ?, 'millet sorghum teff', '<p>millet</p>', ?)`,
      );
      t.handle.sqlite.transaction(() => {
        for (let i = 2; i <= 30_000; i++) insert.run(`p${i}`, th.thread.id, i, member.user.id, Date.now());
      })();
      const res = await search(t, member, { q: 'millet sorghum' });
      expect(res.statusCode, res.body).toBe(503);
      expect(errorCode(res)).toBe('SEARCH_TIMEOUT');
      expect(t.app.searchPool.stats.timeouts).toBe(1);
      // The worker that overran was terminated; a fresh one answers the next search.
      const outcome = await t.app.searchPool.run<SearchOutcome>(
        {
          type: 'search',
          query: { clauses: [[{ words: ['millet'], prefix: false }]], excluded: [], inTitle: false },
          filters: {
            jurisdictions: [],
            topics: [],
            instruments: [],
            kind: null,
            language: null,
            authorId: null,
            afterMs: null,
            beforeMs: null,
            status: null,
            threadId: null,
          },
          scope: { role: 'member' },
          sort: 'relevance',
          offset: 0,
          limit: 10,
          highlight: ['millet'],
          snippetsPerThread: 1,
          now: Date.now(),
        },
        30_000,
      );
      expect(outcome).toMatchObject({ total: 1, notice: 'common_terms' });
    } finally {
      await t.close();
    }
  });
});
