/**
 * Snippets and highlighted titles, cut from a post's source text (markdown turned into plain
 * text, never the stored HTML) and returned as plain-text segments: the client renders each as
 * text, a `hit` inside `<mark>`, so nothing in a snippet can ever be markup. Words are matched
 * exactly as the index matched them: folded, split by the same rule, a prefix by its start.
 */
import { foldWithOffsets, plainText, SECTION_ORDER, WORD } from '@lexforum/db';
import type { TextSegment } from '@lexforum/shared';

export interface Highlighter {
  words: ReadonlySet<string>;
  prefixes: readonly string[];
}

export function highlighter(terms: readonly string[]): Highlighter {
  const words = new Set<string>();
  const prefixes: string[] = [];
  for (const term of terms) {
    if (term.endsWith('*')) prefixes.push(term.slice(0, -1));
    else words.add(term);
  }
  return { words, prefixes };
}

function isHit(h: Highlighter, word: string): boolean {
  return h.words.has(word) || h.prefixes.some((p) => word.startsWith(p));
}

/** Source ranges [start, end) of the words of `text` that match. */
function hitRanges(text: string, h: Highlighter): [number, number][] {
  if (h.words.size === 0 && h.prefixes.length === 0) return [];
  const { folded, offsets } = foldWithOffsets(text);
  const ranges: [number, number][] = [];
  for (const m of folded.matchAll(WORD)) {
    if (!isHit(h, m[0])) continue;
    ranges.push([offsets[m.index]!, offsets[m.index + m[0].length]!]);
  }
  return ranges;
}

function segmentsOf(text: string, ranges: [number, number][], from: number, to: number): TextSegment[] {
  const out: TextSegment[] = [];
  let at = from;
  for (const [start, end] of ranges) {
    if (end <= from || start >= to) continue;
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (s > at) out.push({ text: text.slice(at, s), hit: false });
    // A word the window cuts (a long token without spaces near the cut) is not marked: its piece
    // is not a word of the query.
    out.push({ text: text.slice(s, e), hit: start >= from && end <= to });
    at = e;
  }
  if (at < to) out.push({ text: text.slice(at, to), hit: false });
  return out;
}

/** A title with its matching words marked. */
export function titleSegments(title: string, h: Highlighter): TextSegment[] {
  return segmentsOf(title, hitRanges(title, h), 0, title.length);
}

/** Characters of context in a snippet. */
export const SNIPPET_CHARS = 260;

/**
 * A window of the text around its densest run of matching words (or its start), cut at word
 * boundaries, with an ellipsis where it was cut.
 */
export function snippetOf(
  text: string,
  h: Highlighter,
  size = SNIPPET_CHARS,
): { segments: TextSegment[]; hits: number } {
  const flat = text.replace(/\s+/g, ' ').trim();
  const ranges = hitRanges(flat, h);
  let start = 0;
  if (ranges.length > 0) {
    // The window holding the most hits, beginning a little before its first hit.
    let best = 0;
    let bestCount = 0;
    for (let i = 0, j = 0; i < ranges.length; i++) {
      while (j < ranges.length && ranges[j]![1] - ranges[i]![0] <= size * 0.8) j++;
      if (j - i > bestCount) {
        bestCount = j - i;
        best = i;
      }
    }
    start = Math.max(0, ranges[best]![0] - Math.floor(size * 0.2));
  }
  let end = Math.min(flat.length, start + size);
  if (end - start < size) start = Math.max(0, end - size);
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    if (space !== -1 && space < start + 30) start = space + 1;
  }
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end);
    if (space > end - 30) end = space;
  }
  const segments = segmentsOf(flat, ranges, start, end);
  if (start > 0) segments.unshift({ text: '… ', hit: false });
  if (end < flat.length) segments.push({ text: ' …', hit: false });
  return { segments: mergePlain(segments), hits: ranges.length };
}

function mergePlain(segments: TextSegment[]): TextSegment[] {
  const out: TextSegment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (last && !last.hit && !s.hit) last.text += s.text;
    else if (s.text) out.push({ ...s });
  }
  return out;
}

/**
 * The snippet of a post: of its body, or of the analysis section with the most matching words
 * (named in `section`).
 */
export function postSnippet(
  body: string | null,
  sectionsJson: string | null,
  h: Highlighter,
): { section: string | null; segments: TextSegment[] } {
  if (body !== null || !sectionsJson) return { section: null, segments: snippetOf(plainText(body ?? ''), h).segments };
  let sections: Record<string, unknown> = {};
  try {
    sections = JSON.parse(sectionsJson) as Record<string, unknown>;
  } catch {
    // an unreadable row gives an empty snippet
  }
  let best: { section: string | null; segments: TextSegment[]; hits: number } = {
    section: null,
    segments: [],
    hits: -1,
  };
  for (const key of SECTION_ORDER) {
    const value = sections[key];
    if (typeof value !== 'string' || !value.trim()) continue;
    const snippet = snippetOf(plainText(value), h);
    if (snippet.hits > best.hits) best = { section: key, ...snippet };
  }
  return { section: best.section, segments: best.segments };
}
