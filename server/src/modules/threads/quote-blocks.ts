/**
 * The pure half of quote handling: finding the quotes the composer writes in cooked HTML and in
 * markdown, and replacing those a reader may not see. No database here, so the cooking workers
 * can use it (excerpts leave quotes out); `quotes.ts` decides, per reader, which sources are readable.
 */

/** What the web shows instead of the quoted words (styled by `.quote-withheld` in base.css). */
export const QUOTE_WITHHELD_HTML = '<p class="quote-withheld">Quoted post withheld.</p>';

/** A quote's attribution paragraph (the link the composer writes), then the start of its block. */
const MARKER =
  /<p><a href="\/posts\/([A-Za-z0-9_-]{1,64})\/history(?:\?version=\d{1,9})?"[^>]*>(?:(?!<\/a>)[\s\S]){0,500}<\/a>:<\/p>\s*<blockquote>/g;
const BLOCKQUOTE_TAG = /<(\/?)blockquote>/g;

/** The ids of the posts quoted in some cooked HTML, nested quotes included. */
export function quotedPostIds(html: string): string[] {
  if (!html.includes('<blockquote>')) return [];
  return [...html.matchAll(MARKER)].map((m) => m[1]!);
}

/** The ids of the posts quoted in some markdown source. */
export function quotedPostIdsInMarkdown(source: string): string[] {
  if (!source.includes('/posts/')) return [];
  return source.split('\n').flatMap((line) => {
    const m = MARKDOWN_MARKER.exec(quoteDepth(line).rest);
    return m ? [m[1]!] : [];
  });
}

/**
 * The HTML with every quote whose source `canRead` refuses replaced by the notice. Quotes of
 * readable sources are kept, and searched for nested quotes.
 */
export function withholdQuotes(
  html: string,
  canRead: (postId: string) => boolean,
  notice = QUOTE_WITHHELD_HTML,
): string {
  if (!html.includes('<blockquote>')) return html;
  let out = '';
  let from = 0;
  const marker = new RegExp(MARKER.source, 'g');
  for (let m = marker.exec(html); m !== null; m = marker.exec(html)) {
    if (canRead(m[1]!)) continue; // scanning on from the marker's end looks inside the quote
    const end = blockquoteEnd(html, m.index + m[0].length);
    out += html.slice(from, m.index) + notice;
    from = end;
    marker.lastIndex = end;
  }
  return out + html.slice(from);
}

/** Where the blockquote opened just before `start` closes (the end of the HTML if it never does). */
function blockquoteEnd(html: string, start: number): number {
  const tags = new RegExp(BLOCKQUOTE_TAG.source, 'g');
  tags.lastIndex = start;
  let depth = 1;
  for (let m = tags.exec(html); m !== null; m = tags.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return m.index + m[0].length;
  }
  return html.length;
}

/** What a withheld quote becomes in markdown (a revision's source, the source for editing). */
export const QUOTE_WITHHELD_MARKDOWN = '*Quoted post withheld.*';

const MARKDOWN_MARKER = /^\[[^\n]{0,500}\]\(\/posts\/([A-Za-z0-9_-]{1,64})\/history(?:\?version=\d{1,9})?\):\s*$/;

/** A line's quote depth (its leading `>` markers) and the rest. */
function quoteDepth(line: string): { depth: number; rest: string } {
  const m = /^((?:[ ]{0,3}>[ ]?)*)(.*)$/.exec(line)!;
  return { depth: (m[1]!.match(/>/g) ?? []).length, rest: m[2]! };
}

/**
 * The same rule on markdown source: a line `[Name wrote](/posts/<id>/history?version=N):` followed
 * by lines quoted one level deeper is a quote; an unreadable one becomes the notice.
 */
export function withholdQuotesInMarkdown(source: string, canRead: (postId: string) => boolean): string {
  if (!source.includes('/posts/')) return source;
  const lines = source.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const { depth, rest } = quoteDepth(line);
    const m = MARKDOWN_MARKER.exec(rest);
    if (!m || canRead(m[1]!)) {
      out.push(line);
      continue;
    }
    let end = i + 1;
    while (end < lines.length && lines[end]!.trim() !== '' && quoteDepth(lines[end]!).depth > depth) end++;
    if (end === i + 1) {
      out.push(line); // a link and a colon, but no quote under it
      continue;
    }
    out.push(`${'> '.repeat(depth)}${QUOTE_WITHHELD_MARKDOWN}`);
    i = end - 1;
  }
  return out.join('\n');
}

/**
 * The HTML without any quote: an excerpt of a post (notifications, review items, drafts) shows
 * its own words, never a stored copy of another post's.
 */
export function dropQuotes(html: string): string {
  return withholdQuotes(html, () => false, '');
}
