/**
 * The text the search index holds, and the folding that makes matching what readers expect:
 * case folded, accents and other combining marks dropped (`rétention` = `retention`), compatibility
 * forms unfolded (`ﬁ` = `fi`), Arabic read as readers search it (harakat dropped with the other
 * marks, tatweel ignored, hamza-carrying alefs, alef wasla and alef maksura folded to alef and
 * yaa). The same fold runs on the indexed text (inside SQLite, as the function `lex_fold`, from
 * the triggers that keep the index in the transaction of each write) and on every query, and the
 * snippets map folded positions back to the source text with `foldWithOffsets`.
 *
 * The FTS5 table then tokenizes folded text with `unicode61` (letters and digits are word
 * characters; everything else separates), the same rule as `WORD` below.
 */

const MARKS = /\p{M}/u;
const SPECIAL: Record<string, string> = {
  '\u0640': '', // tatweel
  '\u0649': '\u064a', // alef maksura -> yaa
  '\u06cc': '\u064a', // Farsi yeh -> yaa
  '\u0671': '\u0627', // alef wasla -> alef
  '\u06a9': '\u0643', // keheh -> kaf
  '\u200c': '', // zero-width non-joiner
  '\u200d': '',
  '\u00ad': '', // soft hyphen
};

const cache = new Map<string, string>();

/** One code point, folded (possibly to nothing or to several characters). */
export function foldChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : ch;
  const hit = cache.get(ch);
  if (hit !== undefined) return hit;
  let out = SPECIAL[ch];
  if (out === undefined) {
    out = '';
    for (const part of ch.normalize('NFKD')) {
      if (MARKS.test(part)) continue;
      out += SPECIAL[part] ?? part;
    }
    out = out.toLowerCase();
  }
  if (cache.size < 20_000) cache.set(ch, out);
  return out;
}

/** The folded form of a text, as indexed and as searched for. */
export function fold(text: string): string {
  // Fast path: ASCII needs only lower-casing.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) out += foldChar(ch);
  return out;
}

/**
 * The folded text and, for each of its UTF-16 units, the index in `text` of the character it
 * came from (plus one final entry: `text.length`), so a match found in folded text is cut from
 * the source.
 */
export function foldWithOffsets(text: string): { folded: string; offsets: number[] } {
  let folded = '';
  const offsets: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) offsets.push(i);
    folded += f;
    i += ch.length;
  }
  offsets.push(text.length);
  return { folded, offsets };
}

/** A word as FTS5's unicode61 tokenizer sees it (after folding): letters, digits, private use. */
export const WORD = /[\p{L}\p{N}\p{Co}]+/gu;

/** The words of a folded text, in order. */
export function words(folded: string): string[] {
  return folded.match(WORD) ?? [];
}

/**
 * Markdown source as plain text for the index and for snippets: link targets, image sources,
 * code fences and block syntax dropped, the words kept. Cheap by design (it runs in the write's
 * transaction); the cooked HTML is never used, so nothing stored as HTML reaches a snippet.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n/g, '\n')
    .replace(/!?\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"]*")?\)/g, '$1')
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '')
    .replace(/[*_~`]+/g, (m) => (m.length > 0 ? ' ' : m))
    .replace(/[ \t]+/g, ' ');
}

/** The sections of a legal analysis, in reading order. */
export const SECTION_ORDER = ['questionPresented', 'relevantFacts', 'applicableLaw', 'analysis', 'conclusion'] as const;

/** A post's text for the index: its body, or an analysis's sections in order. */
export function postText(body: string | null, sectionsJson: string | null): string {
  if (body !== null) return plainText(body);
  if (!sectionsJson) return '';
  let sections: Record<string, unknown>;
  try {
    sections = JSON.parse(sectionsJson) as Record<string, unknown>;
  } catch {
    return '';
  }
  const parts: string[] = [];
  for (const key of SECTION_ORDER) {
    const value = sections[key];
    if (typeof value === 'string') parts.push(plainText(value));
  }
  return parts.join('\n\n');
}

/** The folded text of a post for the index (memoised: a trigger asks for it twice in a row). */
let last: { body: string | null; sections: string | null; text: string } | undefined;
export function indexedPostText(body: string | null, sectionsJson: string | null): string {
  if (last && last.body === body && last.sections === sectionsJson) return last.text;
  const text = fold(postText(body, sectionsJson));
  last = { body, sections: sectionsJson, text };
  return text;
}
