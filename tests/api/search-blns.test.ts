/**
 * Hostile input thrown at search. Every string of blns.json and every line of the XSS lists is a
 * query of GET /api/search, /api/search/suggest and /api/search/similar; so is a table of FTS5
 * syntax abuse, broken percent-encodings, control, invisible and right-to-left characters. Each
 * answers 200 or a 4xx with the error envelope, never a 5xx. Then posts holding every XSS line are
 * indexed and searched: snippets and titles come back as plain-text segments `{ text, hit }` cut
 * from the source text (never the cooked HTML), and a `hit` covers a word of the query only.
 * One app for the file; sessions are made directly (no password hashing).
 */
import { fold, plainText, words } from '@lexforum/db';
import { checkPostText, POST_RULES, type SearchPage, type SimilarPage, type SuggestPage } from '@lexforum/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { readBlns, readXssLines, requireCorpora } from '../helpers/corpora.js';
import { quickMember, quickModerator, send, thread } from '../helpers/moderation.js';
import { threadBody } from '../helpers/threads.js';
import type { Actor } from '../helpers/vetting.js';

const available = requireCorpora();
/** The corpus tests' time limit: about 10 to 20 s each on two idle cores, far more on busy ones. */
const LONG = 180_000;

/**
 * A query-string value, percent-encoded as UTF-8; a lone surrogate (which `encodeURIComponent`
 * refuses) as the three bytes a WTF-8 encoder would write, so the server meets it too.
 */
function encode(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const high = unit >= 0xd800 && unit <= 0xdbff;
    const low = unit >= 0xdc00 && unit <= 0xdfff;
    const next = value.charCodeAt(i + 1);
    if (high && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i++;
    } else if (high || low) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(value[i]!);
  }
  return out;
}

const ROUTES = {
  search: (v: string) => `/api/search?q=${v}`,
  suggest: (v: string) => `/api/search/suggest?q=${v}`,
  similar: (v: string) => `/api/search/similar?title=${v}`,
} as const;
type Route = keyof typeof ROUTES;

type Segment = { text: string; hit: boolean };

/** Why these segments are not plain text segments (none when they are). */
function segmentProblems(segments: unknown): string[] {
  if (!Array.isArray(segments)) return ['segments are not an array'];
  const out: string[] = [];
  for (const s of segments as unknown[]) {
    const keys = s && typeof s === 'object' ? Object.keys(s).sort().join(',') : String(s);
    if (keys !== 'hit,text') out.push(`segment with keys ${keys}`);
    const seg = s as Segment;
    if (typeof seg.text !== 'string' || typeof seg.hit !== 'boolean') out.push(`segment ${JSON.stringify(s)}`);
  }
  return out;
}

/**
 * True if a hit's text is a word of the query's terms (`x*` a prefix). One source character may
 * fold to several words (`½` is `1⁄2`): one of them is enough.
 */
function coveredBy(terms: readonly string[], hit: string): boolean {
  return words(fold(hit)).some((word) =>
    terms.some((term) => (term.endsWith('*') ? word.startsWith(term.slice(0, -1)) : word === term)),
  );
}

/** What only the cooking writes (the XSS lists hold none of it): the rel of external links. */
const COOKED = /rel="nofollow|nofollow noopener noreferrer/;

/**
 * Everything wrong with an answer to hostile input: a 5xx, a 4xx without the error envelope, a
 * 200 whose segments are not plain text or whose hits are not words of the query.
 */
function answerProblems(route: Route, res: LightMyRequestResponse): string[] {
  if (res.statusCode >= 500) return [`${res.statusCode} ${res.body}`];
  if (res.statusCode !== 200) {
    if (res.statusCode < 400) return [`status ${res.statusCode}`];
    const body = res.json() as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string')
      return [`${res.statusCode} without the error envelope: ${res.body}`];
    return [];
  }
  const out: string[] = [];
  if (route === 'search') {
    const page = res.json() as SearchPage;
    for (const r of page.results) {
      for (const segments of [r.thread.titleSegments, ...r.posts.map((p) => p.snippet)]) {
        out.push(...segmentProblems(segments));
        for (const s of segments)
          if (s.hit && !coveredBy(page.terms, s.text)) out.push(`hit ${JSON.stringify(s.text)} not in the query`);
      }
    }
  } else if (route === 'similar') {
    for (const th of (res.json() as SimilarPage).threads) out.push(...segmentProblems(th.titleSegments));
  } else {
    const page = res.json() as SuggestPage;
    if (!Array.isArray(page.threads) || !Array.isArray(page.members)) out.push(`suggestions ${res.body}`);
  }
  return out;
}

/** FTS5's own syntax, broken encodings and invisible characters: raw query-string values. */
const ABUSE: string[] = [
  ...[
    '"',
    '"unbalanced',
    'unbalanced"',
    '"a" "b',
    '""',
    '""""',
    '"*"',
    'NEAR(',
    'NEAR(fuel',
    'NEAR(fuel marker, 2)',
    'NEAR("fuel" "marker", -1)',
    'title:x',
    'head:x',
    'body:x',
    '{title}:x',
    '{title head}:x',
    '- {head} : x',
    '-{title}:x',
    '{nope}:x',
    'search_fts:x',
    'rank:x',
    'rowid:1',
    '*',
    '**',
    'x**',
    '*x',
    '"x"*',
    '^',
    '^x',
    'x^',
    '+',
    '+x',
    'AND',
    'OR',
    'NOT',
    'x AND',
    'x OR',
    'x NOT',
    'AND x',
    'OR x',
    'NOT x',
    'x OR OR y',
    'OR OR OR',
    'x AND NOT y',
    '(',
    ')',
    '(x',
    'x)',
    '((((x))))',
    'x:',
    ':x',
    ':',
    '@',
    '@@',
    '@x@y',
    '-',
    '--x',
    '-"',
    '-"x',
    '- x',
    'in:',
    'in:title',
    'in:title OR',
    'kind:',
    'jurisdiction:"',
    'jurisdiction:"KE',
    'topic:"a b"',
    'after:',
    'after:0000-00-00',
    'after:9999-12-31',
    'before:2024-02-30',
    'status:',
    'x'.repeat(1000),
    'x'.repeat(1001),
    'x'.repeat(10_000),
    `${'ab '.repeat(333)}a`,
    `${'a* '.repeat(300)}`,
    `${'"a '.repeat(300)}`,
    `${'x OR '.repeat(199)}x`,
    `${'-x '.repeat(300)}y`,
    '\u0000',
    '\u0000x',
    'x\u0000y',
    '\u0007\u0008\u001b[31m',
    '\t\n\r\u000b\u000c',
    '\u007f\u0085\u009f',
    '\u2028\u2029',
    '\u200b',
    '\u200bx\u200b',
    '\u200c\u200d\u2060\ufeff',
    '\u00ad',
    '\u202ex\u202c',
    '\u202e"\u202c',
    '\u2066\u2067\u2068\u2069',
    '\u061c',
    'مرحبا \u200f"x',
    'עברית\u200e OR',
    '\u0640\u0640\u0640',
    '\u064b\u064c\u064d',
    '\u0301',
    'e\u0301\u0301\u0301\u0301',
    '\ufffd',
    '\uffff',
    '\ud800',
    '\udfff',
    'x\ud800y',
    '\ud83d',
    '\ud83d\ude00',
    '𝕏𝕐',
    '\u{e0041}',
    '\u{f0000}',
    '%',
    '%%',
    '\\',
    "'",
    "x' OR 1=1 --",
    '"; drop table posts; --',
    '1) OR (1=1',
    'x%20y',
  ].map(encode),
  // Percent-encodings no decoder accepts as UTF-8: truncated, overlong, surrogates, not hex.
  '%',
  '%2',
  '%ZZ',
  '%00',
  '%C0%80',
  '%C3',
  '%E2%82',
  '%F0%9F',
  '%F0%9F%98',
  '%ED%A0%80',
  '%ED%BF%BF',
  '%FF%FE',
  '%F4%90%80%80',
  '%80',
  '%25%',
  'x%2',
  '%22%2',
];

describe('Search against FTS5 syntax abuse and broken encodings', () => {
  let t: TestApp;
  let member: Actor;
  beforeAll(async () => {
    t = await buildTestApp();
    member = await quickMember(t, 'FR');
    // Something to find, so the abuse meets matching, ranking and highlighting too.
    for (const title of [
      'Fuel marker evidence in x cases',
      'Title head body near rank',
      'NEAR and AND or OR not NOT',
    ]) {
      await thread(t, member, { title, body: `${title}: x y a b "quoted" *starred* {braces} (parens).` });
    }
  });
  afterAll(async () => t?.close());

  it('answers each with a result or a 4xx with the error envelope, on all three routes', async () => {
    const problems: string[] = [];
    let ok = 0;
    for (const value of ABUSE) {
      for (const route of Object.keys(ROUTES) as Route[]) {
        const res = await send(t, member, 'GET', ROUTES[route](value));
        if (res.statusCode === 200) ok++;
        for (const p of answerProblems(route, res)) problems.push(`${route} ${value.slice(0, 80)}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
    // Most of it is punctuation the parser treats as text: answered, not refused.
    expect(ok).toBeGreaterThan(ABUSE.length * 1.5);
  });

  it('never lets FTS5 syntax typed by a member act as syntax', async () => {
    const ids = async (q: string) =>
      ((await send(t, member, 'GET', ROUTES.search(encode(q)))).json() as SearchPage).results.map(
        (r) => r.thread.title,
      );
    // A column filter is two words, a phrase: "body:near" is "body near", never the column "body".
    expect(await ids('body:near')).toEqual(['Title head body near rank']);
    expect(await ids('{title}:marker')).toEqual([]);
    expect(await ids('title:fuel')).toEqual([]);
    // NEAR, AND, NOT are words like any other.
    expect(await ids('NEAR(and')).toEqual(['NEAR and AND or OR not NOT']);
    expect(await ids('NOT')).toEqual(['NEAR and AND or OR not NOT']);
    expect(await ids('fuel NOT')).toEqual([]);
  });

  it('marks no piece of a word that the snippet window cuts', async () => {
    // A long token starting well before the window's end (no space near the cut) is cut inside.
    const long = `k${'w'.repeat(99)}`;
    const made = await thread(t, member, {
      title: 'A snippet cut inside a word',
      body: `${long} ${'z'.repeat(98)} ${long}`,
    });
    const page = (await send(t, member, 'GET', ROUTES.search(long))).json() as SearchPage;
    const snippet = page.results.find((r) => r.thread.id === made.thread.id)!.posts[0]!.snippet;
    expect(snippet.filter((s) => s.hit).map((s) => s.text)).toEqual([long]);
    expect(snippet.at(-1)!.hit).toBe(false);
    expect(snippet.at(-1)!.text.endsWith(` k${'w'.repeat(59)} …`)).toBe(true);
  });
});

describe.runIf(available)('Search against blns.json and the XSS lists', () => {
  let t: TestApp;
  let member: Actor;
  let moderator: Actor;
  const blns = available ? readBlns() : [];
  const xss = available ? readXssLines() : [];
  const uniqueXss = [...new Set(xss.map((x) => x.line))];

  beforeAll(async () => {
    t = await buildTestApp();
    member = await quickMember(t, 'FR');
    moderator = await quickModerator(t, ['FR']);
    // The words these lists are made of, so hostile queries meet matching and highlighting.
    await thread(t, member, {
      title: 'Script alert onerror img svg',
      body: 'A script, an alert, onerror on an img, an svg onload, javascript: in an href, an iframe src.',
    });
    await thread(t, member, { title: 'Mixed scripts: Ελληνικά, العربية, 日本語', body: 'Text in scripts, ½ ﬁ Ⅻ.' });
  });
  afterAll(async () => t?.close());

  it('has the corpora it expects', () => {
    expect(blns.length).toBeGreaterThan(500);
    expect(xss.length).toBeGreaterThan(7000);
  });

  /** Every value as a query of every route; the problems found, readable. */
  const throwAll = async (values: readonly string[], who: () => Actor, routes = Object.keys(ROUTES) as Route[]) => {
    const problems: string[] = [];
    const statuses = new Map<string, number>();
    for (const value of values) {
      for (const route of routes) {
        const res = await send(t, who(), 'GET', ROUTES[route](encode(value)));
        const key = `${route} ${res.statusCode}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        for (const p of answerProblems(route, res)) problems.push(`${route} ${JSON.stringify(value)}: ${p}`);
      }
    }
    return { problems, statuses };
  };

  it(
    'answers every blns string as a query with a result or a 4xx, on all three routes',
    async () => {
      const { problems, statuses } = await throwAll(blns, () => member);
      expect(problems).toEqual([]);
      expect(statuses.get('search 200')).toBeGreaterThan(blns.length * 0.9);
    },
    LONG,
  );

  it(
    'answers every XSS line as a query of search, and a sample as suggestions and similar titles',
    async () => {
      // Every line goes through the query language of GET /api/search. Suggestions and similar titles
      // reduce input to its folded words before anything reaches SQL, and cost more per call: they
      // get every line of the curated lists and every 16th line of payloadbox's long list.
      const sampled = xss.filter((x, i) => !x.file.startsWith('xss-payloadbox/') || i % 16 === 0).map((x) => x.line);
      let i = 0;
      // Half as a member, half as a moderator (whose searches read hidden content in scope too).
      const who = () => (i++ % 2 === 0 ? member : moderator);
      const all = await throwAll(uniqueXss, who, ['search']);
      const some = await throwAll([...new Set(sampled)], who, ['suggest', 'similar']);
      expect([...all.problems, ...some.problems]).toEqual([]);
      expect(all.statuses.get('search 200')).toBeGreaterThan(uniqueXss.length * 0.9);
      expect(some.statuses.get('suggest 200')).toBeGreaterThan(sampled.length * 0.5);
    },
    LONG,
  );

  it(
    'indexes posts holding every XSS line; snippets are plain text cut from the source, hits are query words',
    async () => {
      // Lines the post rules refuse (control characters) are refused as posts too: one each.
      const postable = uniqueXss.filter((line) => checkPostText(line, POST_RULES.body) === null);
      for (const line of uniqueXss.filter((l) => !postable.includes(l)).slice(0, 20)) {
        const res = await send(t, member, 'POST', '/api/threads', threadBody('discussion', { body: `Probe ${line}` }));
        expect(res.statusCode, JSON.stringify(line)).toBe(400);
      }
      expect(postable.length).toBeGreaterThan(uniqueXss.length * 0.9);
      // Packed into threads of about 6,000 characters, one line per paragraph, each thread with a marker.
      const chunks: { marker: string; lines: string[]; body: string; id?: string }[] = [];
      for (const line of postable) {
        let last = chunks[chunks.length - 1];
        if (!last || last.body.length + line.length > 6_000) {
          const marker = `xssprobe${chunks.length}`;
          chunks.push((last = { marker, lines: [], body: `${marker} opens.` }));
        }
        last.lines.push(line);
        last.body += `\n\n${line}`;
      }
      for (const chunk of chunks) {
        const title = `Probe ${chunk.marker}: ${chunk.lines[0]!.replace(/\s+/g, ' ').trim()}`.slice(0, 150).trim();
        let res = await send(t, member, 'POST', '/api/threads', threadBody('discussion', { title, body: chunk.body }));
        // A title the rules refuse (it ends in a cut surrogate pair, say): a plain one.
        if (res.statusCode === 400)
          res = await send(
            t,
            member,
            'POST',
            '/api/threads',
            threadBody('discussion', { title: `Probe ${chunk.marker}`, body: chunk.body }),
          );
        expect(res.statusCode, res.body).toBe(201);
        chunk.id = (res.json() as { thread: { id: string } }).thread.id;
      }
      const sources = new Map(chunks.map((c) => [c.id!, flat(plainText(c.body))]));
      const indexed = new Map(chunks.map((c) => [c.id!, new Set(words(fold(plainText(c.body))))]));
      const problems: string[] = [];
      const check = async (q: string, expectedThread: string) => {
        const res = await send(t, member, 'GET', ROUTES.search(encode(q)));
        for (const p of answerProblems('search', res)) problems.push(`${q}: ${p}`);
        if (res.statusCode !== 200) return problems.push(`${q}: ${res.statusCode} ${res.body}`);
        const page = res.json() as SearchPage;
        const result = page.results.find((r) => r.thread.id === expectedThread);
        if (!result) return problems.push(`${q}: its thread not found`);
        for (const r of page.results) {
          if (text(r.thread.titleSegments) !== r.thread.title) problems.push(`${q}: title segments are not the title`);
          for (const post of r.posts) {
            const cut = text(post.snippet).replace(/^… /, '').replace(/ …$/, '');
            if (!sources.get(r.thread.id)?.includes(cut))
              problems.push(`${q}: snippet not cut from the source: ${cut}`);
            if (COOKED.test(cut)) problems.push(`${q}: cooked HTML in a snippet: ${cut}`);
          }
        }
        if (!result.posts[0]?.snippet.some((s) => s.hit)) problems.push(`${q}: nothing highlighted`);
      };
      for (const chunk of chunks) await check(chunk.marker, chunk.id!);
      // Every 8th line, searched by its marker and the line's own longest words: the snippet lands on it.
      let searched = 0;
      for (const chunk of chunks) {
        for (const [i, line] of chunk.lines.entries()) {
          if (i % 8 !== 0) continue;
          // The line's words as indexed (markdown syntax and link targets are not), two longest.
          const picked = [...new Set(words(fold(plainText(line))))]
            .filter((w) => indexed.get(chunk.id!)!.has(w))
            .sort((a, b) => b.length - a.length)
            .slice(0, 2);
          if (picked.length === 0) continue;
          await check([chunk.marker, ...picked].join(' '), chunk.id!);
          searched++;
        }
      }
      expect(problems).toEqual([]);
      expect(searched).toBeGreaterThan(postable.length / 10);
    },
    LONG,
  );
});

const text = (segments: Segment[]) => segments.map((s) => s.text).join('');
const flat = (value: string) => value.replace(/\s+/g, ' ').trim();
