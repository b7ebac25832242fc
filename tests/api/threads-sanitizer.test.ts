/**
 * The cooking pipeline (markdown-it, then sanitize-html) against the team's XSS corpora, with the
 * oracle from shared/corpora/README.md: every line, and every line as `[x](LINE)` and `![x](LINE)`,
 * is cooked by the real `cookMarkdown` and parsed in one reused jsdom document. A sample goes
 * through the API too, to show that what is stored and served is exactly that pipeline's output.
 */
import type { UserRow } from '@lexforum/db';
import { readdirSync, readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../server/src/modules/auth/session.js';
import { cookMarkdown } from '../../server/src/modules/threads/cook.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { corporaDir, requireCorpora } from '../helpers/corpora.js';
import { startThread, VALID_SECTIONS } from '../helpers/threads.js';
import type { Actor } from '../helpers/vetting.js';

const available = requireCorpora();

const FORUM = new URL('https://forum.lexforum.example/threads/abc');
const FORBIDDEN_ELEMENTS = new Set([
  'script',
  'iframe',
  'object',
  'embed',
  'style',
  'svg',
  'math',
  'form',
  'base',
  'meta',
  'link',
  'template',
  'xmp',
  'noscript',
  'textarea',
]);
const FORBIDDEN_ATTRIBUTES = new Set(['style', 'srcdoc', 'formaction', 'xlink:href']);
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
/** What the cooker may produce at all: markdown's elements, and the analysis's section wrappers. */
const PRODUCED_ELEMENTS = new Set(
  'p br hr h1 h2 h3 h4 h5 h6 blockquote pre code em strong s ul ol li a table thead tbody tr th td section'.split(' '),
);
const EXTERNAL_REL = ['nofollow', 'noopener', 'noreferrer'];

const dom = new JSDOM('<!doctype html><html><body></body></html>');
const template = dom.window.document.createElement('template');

/** The URL a browser would follow, resolved the way a browser resolves it; null if it would not parse. */
function resolve(value: string): URL | null {
  try {
    return new URL(value, FORUM);
  } catch {
    return null;
  }
}

/** The oracle: every way this HTML breaks the rules, as readable lines (none when it is safe). */
function violations(html: string): string[] {
  template.innerHTML = html;
  const out: string[] = [];
  for (const el of template.content.querySelectorAll('*')) {
    const name = el.localName;
    if (FORBIDDEN_ELEMENTS.has(name) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml')
      out.push(`element <${name}>`);
    if (!PRODUCED_ELEMENTS.has(name)) out.push(`unexpected element <${name}>`);
    for (const attr of el.attributes) {
      const attrName = attr.name.toLowerCase();
      if (attrName.startsWith('on')) out.push(`event handler ${attrName} on <${name}>`);
      if (FORBIDDEN_ATTRIBUTES.has(attrName)) out.push(`attribute ${attrName} on <${name}>`);
      if (attrName === 'href' || attrName === 'src' || attrName.endsWith(':href')) {
        const url = resolve(attr.value);
        // A value no browser can parse is not followed; anything parsed must be an allowed scheme.
        if (url && !ALLOWED_PROTOCOLS.has(url.protocol)) out.push(`${attrName}="${attr.value}" (${url.protocol})`);
        if (!url && /^[a-z][a-z0-9+.-]*:/i.test(attr.value.trim())) out.push(`${attrName}="${attr.value}"`);
      }
    }
  }
  return out;
}

/** External links (another host, http or https, however written) without the full rel. */
function unprotectedExternalLinks(html: string): string[] {
  template.innerHTML = html;
  const out: string[] = [];
  for (const a of template.content.querySelectorAll('a[href]')) {
    const url = resolve(a.getAttribute('href')!);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === FORUM.host) continue;
    const rel = (a.getAttribute('rel') ?? '').split(/\s+/);
    if (!EXTERNAL_REL.every((r) => rel.includes(r)))
      out.push(`<a href="${a.getAttribute('href')}" rel="${rel.join(' ')}">`);
  }
  return out;
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

function corpusFiles(): Record<string, string[]> {
  const files: Record<string, string[]> = {
    'xss-payloadbox/xss-payload-list.txt': readLines(`${corporaDir}xss-payloadbox/xss-payload-list.txt`),
  };
  const dir = `${corporaDir}xss-payloadsallthethings/`;
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.txt'))
    .sort()) {
    files[`xss-payloadsallthethings/${name}`] = readLines(`${dir}${name}`);
  }
  return files;
}

const variants = (line: string) => [line, `[x](${line})`, `![x](${line})`];

describe('The oracle itself', () => {
  it.each([
    '<script>alert(1)</script>',
    '<p onclick="x()">a</p>',
    '<a href="javascript:alert(1)">a</a>',
    '<a href="  JaVaScRiPt:alert(1)">a</a>',
    '<a href="java&#x09;script:alert(1)">a</a>',
    '<a href="data:text/html,x">a</a>',
    '<p style="color:red">a</p>',
    '<svg><a xlink:href="javascript:x">a</a></svg>',
    '<img src="x">',
    '<iframe srcdoc="x"></iframe>',
  ])('catches %s', (html) => {
    expect(violations(html)).not.toEqual([]);
  });

  it('catches external links without their rel, whichever way they are written', () => {
    expect(unprotectedExternalLinks('<a href="https://evil.example/">x</a>')).toHaveLength(1);
    expect(unprotectedExternalLinks('<a href="//evil.example/">x</a>')).toHaveLength(1);
    expect(unprotectedExternalLinks('<a href="http:evil.example">x</a>')).toHaveLength(1);
    expect(unprotectedExternalLinks('<a href="/threads/1">x</a><a href="mailto:a@b.example">m</a>')).toEqual([]);
    expect(
      unprotectedExternalLinks('<a href="https://evil.example/" rel="nofollow noopener noreferrer">x</a>'),
    ).toEqual([]);
  });

  it('passes safe HTML', () => {
    expect(
      violations('<p><a href="/t/1">a</a> <a href="https://x.example" rel="nofollow">b</a> <code>c</code></p>'),
    ).toEqual([]);
  });
});

describe.runIf(available)('Threads sanitizer against the XSS corpora', () => {
  const files = available ? corpusFiles() : {};
  const allLines = Object.values(files).flat();

  it('has the corpora it expects', () => {
    expect(Object.keys(files)).toHaveLength(9);
    expect(files['xss-payloadbox/xss-payload-list.txt']!.length).toBeGreaterThan(6500);
    expect(allLines.length).toBeGreaterThan(7400);
  });

  it.each(Object.keys(files))('cooks every line of %s, plain and as a link or image, into safe HTML', (file) => {
    const failures: string[] = [];
    let links = 0;
    for (const line of files[file]!) {
      for (const source of variants(line)) {
        const html = cookMarkdown(source);
        if (html.includes('<a ')) links++;
        const found = violations(html);
        if (found.length > 0) failures.push(`${JSON.stringify(source)} → ${html}\n    ${found.join('; ')}`);
      }
    }
    expect(failures.slice(0, 20), `${failures.length} unsafe outputs`).toEqual([]);
    // Not vacuous: some lines do become links (http(s) payloads), and those are checked too.
    if (file.endsWith('xss-payload-list.txt')) expect(links).toBeGreaterThan(0);
  });

  it('gives every external link from the corpora rel="nofollow noopener noreferrer"', () => {
    const failures: string[] = [];
    for (const line of allLines) {
      for (const source of variants(line)) {
        const html = cookMarkdown(source);
        for (const link of unprotectedExternalLinks(html)) failures.push(`${JSON.stringify(source)} → ${link}`);
      }
    }
    expect(failures.slice(0, 20), `${failures.length} external links without rel`).toEqual([]);
  });

  describe('through the API', () => {
    let t: TestApp;
    let author: Actor;
    beforeAll(async () => {
      t = await buildTestApp();
      const user: UserRow = await t.createUser({
        email: 'sanitizer@corpus.example',
        role: 'member',
        verifiedAt: t.clock.now(),
        profession: 'judge',
        jurisdictionCode: 'FR',
      });
      const { token } = createSession(t.handle.db, user.id, { userAgent: null, ip: null }, t.clock.now());
      author = { user, cookie: `lexforum_session=${token}` };
    });
    afterAll(async () => t?.close());

    it('stores and serves exactly the pipeline output for a sample of replies', async () => {
      const { thread } = await startThread(t, author);
      // About 300 lines, spread over every list, in each of the three shapes.
      const step = Math.max(1, Math.floor(allLines.length / 100));
      const sample = allLines.filter((_, i) => i % step === 0).flatMap(variants);
      expect(sample.length).toBeGreaterThanOrEqual(300);
      let stored = 0;
      for (const source of sample) {
        const res = await t.request({
          method: 'POST',
          url: `/api/threads/${thread.id}/posts`,
          cookie: author.cookie,
          body: { body: source },
        });
        expect(res.statusCode, `${JSON.stringify(source)}: ${res.body}`).toBeLessThan(500);
        if (res.statusCode !== 201) {
          expect(res.statusCode, JSON.stringify(source)).toBe(400);
          continue;
        }
        stored++;
        const id = res.json().post.id as string;
        const served = await t.request({ method: 'GET', url: `/api/posts/${id}`, cookie: author.cookie });
        const expected = cookMarkdown(source);
        expect(res.json().post.cooked, JSON.stringify(source)).toBe(expected);
        expect(served.json().post.cooked, JSON.stringify(source)).toBe(expected);
        const src = await t.request({ method: 'GET', url: `/api/posts/${id}/source`, cookie: author.cookie });
        expect(src.json().body).toBe(source);
      }
      expect(stored).toBeGreaterThan(sample.length * 0.9);
      const page = await t.request({ method: 'GET', url: `/api/threads/${thread.id}`, cookie: author.cookie });
      const posts = page.json().posts as { cooked: string }[];
      expect(posts).toHaveLength(stored + 1);
      for (const post of posts) expect(violations(post.cooked)).toEqual([]);
    });

    it('cooks legal analyses whose sections are corpus lines, section by section', async () => {
      const usable = allLines.filter((l) => [...l].length >= 2);
      const step = Math.floor(usable.length / 200);
      const picks = usable.filter((_, i) => i % step === 0).slice(0, 200);
      const keys = Object.keys(VALID_SECTIONS) as (keyof typeof VALID_SECTIONS)[];
      for (let i = 0; i + keys.length <= picks.length; i += keys.length) {
        const sections = Object.fromEntries(keys.map((k, j) => [k, picks[i + j]!])) as Record<
          keyof typeof VALID_SECTIONS,
          string
        >;
        const res = await t.request({
          method: 'POST',
          url: '/api/threads',
          cookie: author.cookie,
          body: {
            kind: 'legal_analysis',
            title: `Analysis of hostile input ${i}`,
            jurisdictions: ['FR'],
            topics: ['medical-products'],
            citations: [],
            sections,
            analysis: { lawAsOf: '2026-01-01', personalCapacity: true },
          },
        });
        expect(res.statusCode, `${JSON.stringify(sections)}: ${res.body}`).toBeLessThan(500);
        if (res.statusCode !== 201) {
          expect(res.statusCode).toBe(400);
          continue;
        }
        const opener = res.json().posts[0];
        expect(violations(opener.cooked), JSON.stringify(sections)).toEqual([]);
        expect(opener.sections.map((s: { key: string; cooked: string }) => [s.key, s.cooked])).toEqual(
          keys.map((k) => [k, cookMarkdown(sections[k])]),
        );
        const again = await t.request({ method: 'GET', url: `/api/posts/${opener.id}`, cookie: author.cookie });
        expect(again.json().post.sections).toEqual(opener.sections);
      }
    });
  });
});

describe('Threads sanitizer: our own markdown link cases', () => {
  const hostile = [
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](&#x6A;avascript:alert(1))',
    '[x](&#0000106;&#0000097;vascript:alert(1))',
    '[x](javascript&colon;alert(1))',
    '[x](javas&#99;ript:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](java\nscript:alert(1))',
    '[x](<java\nscript:alert(1)>)',
    '[x](<javascript:alert(1)>)',
    '[x]( javascript:alert(1))',
    '[x](\u0001javascript:alert(1))',
    '[x](%6Aavascript:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](DATA:text/html,<script>alert(1)</script>)',
    '[x](vbscript:msgbox(1))',
    '[x](VbScRiPt:msgbox(1))',
    '[x](file:///etc/passwd)',
    '[x](ftp://example.org/)',
    '[x](blob:https://example.org/uuid)',
    '[x](intent://x#Intent;end)',
    '[x](javascript://%0Aalert(1))',
    '[x](javascript:alert(1) "title")',
    '[x]("javascript:alert(1)")',
    '![x](javascript:alert(1))',
    '![x](data:image/svg+xml;base64,PHN2Zy8+)',
    '![x](vbscript:msgbox(1))',
    '[x][1]\n\n[1]: javascript:alert(1)',
    '[x][1]\n\n[1]: <javascript:alert(1)>',
    '[x][1]\n\n[1]: JaVaScRiPt:alert(1) "t"',
    '![x][img]\n\n[img]: data:text/html,x',
    '[javascript:alert(1)]\n\n[javascript:alert(1)]: javascript:alert(1)',
    '<javascript:alert(1)>',
    '<JAVASCRIPT:alert(1)>',
    '<vbscript:msgbox(1)>',
    '<data:text/html,x>',
    '<file:///etc/passwd>',
    'javascript:alert(1)',
    'Visit javascript:alert(1) now',
    'data:text/html,<script>alert(1)</script>',
    '[x](https://example.org" onmouseover="alert(1))',
    '[x](https://example.org/"onmouseover="alert(1)")',
    '[x](https://example.org/ "a\\" onmouseover=\\"alert(1)")',
    "[x](https://example.org/ 't' onclick=alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<img src=x onerror=alert(1)>',
    '[<img src=x onerror=alert(1)>](https://example.org)',
    '[x](https://example.org)<!-- --><script>alert(1)</script>',
    '```html\n<script>alert(1)</script>\n```',
    '`<script>alert(1)</script>`',
    '> <iframe src="javascript:alert(1)"></iframe>',
    '| a |\n|---|\n| <svg onload=alert(1)> |',
    '# <style>body{display:none}</style>',
  ];

  it.each(hostile)('cooks %j into safe HTML with no hostile link', (source) => {
    const html = cookMarkdown(source);
    expect(violations(html), html).toEqual([]);
    expect(unprotectedExternalLinks(html), html).toEqual([]);
    // Raw HTML is text: whatever the input, the only tags are the cooker's.
    expect(html).not.toMatch(/<(script|img|iframe|svg|style)/i);
  });

  it.each([
    ['[x](https://example.org/a)', 'https://example.org/a', true],
    ['[x](HTTP://EXAMPLE.ORG/)', 'HTTP://EXAMPLE.ORG/', true],
    ['[x](//example.org/a)', '//example.org/a', true],
    ['![a chart](https://example.org/chart.png)', 'https://example.org/chart.png', true],
    ['<https://example.org/auto>', 'https://example.org/auto', true],
    ['See www.example.org today', 'http://www.example.org', true],
    ['See https://example.org/linkified today', 'https://example.org/linkified', true],
    ['[x](/threads/abc#post-3)', '/threads/abc#post-3', false],
    ['[x](#post-3)', '#post-3', false],
    ['[x](../drafts)', '../drafts', false],
    ['[x](mailto:clerk@court.example)', 'mailto:clerk@court.example', false],
  ])('keeps the allowed link %j, external ones with their rel', (source, href, external) => {
    const html = cookMarkdown(source);
    template.innerHTML = html;
    const links = [...template.content.querySelectorAll('a')];
    expect(
      links.map((a) => a.getAttribute('href')),
      html,
    ).toEqual([href]);
    expect(links[0]!.getAttribute('rel')).toBe(external ? 'nofollow noopener noreferrer' : null);
    expect(template.content.querySelector('img')).toBeNull();
    expect(violations(html)).toEqual([]);
  });

  // A link with a scheme but no slashes ("http:host", "http:/host") is followed by browsers as
  // http://host/ when the page is https (WHATWG URL), so it is external and carries the rel.
  it.each(['[x](http:evil.example/path)', '[x](HTTP:/evil.example)', '<http:evil.example>', '![x](http:evil.example)'])(
    'gives %j, an external link without slashes, its rel',
    (source) => {
      const html = cookMarkdown(source);
      expect(unprotectedExternalLinks(html), html).toEqual([]);
    },
  );
});
