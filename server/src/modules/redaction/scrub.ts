/**
 * Taking text out of strings, pure: the redaction service runs these over every stored copy of a
 * post (sources, JSON payloads, excerpts). Matching is exact (case and spacing included); each
 * match becomes the one shared placeholder.
 */
import { REDACTED_PLACEHOLDER } from '@lexforum/shared';

/** What to look for: the text itself and the forms it takes when stored elsewhere. */
export interface Needles {
  /** Exact strings, longest first. */
  readonly exact: readonly string[];
  /** Quotes of these versions of this post are replaced whole (a whole-version redaction). */
  readonly quotedVersions?: { postId: string; versions: ReadonlySet<number> };
}

/**
 * The text and its quoted form: a quote (web's quoteMarkdown) puts `> ` before every line, so a
 * span over several lines is stored as `line one\n> line two` in a quoting post.
 */
export function needlesFor(texts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    if (text.trim() === '') continue;
    out.add(text);
    const lines = text.split(/\r?\n/);
    if (lines.length > 1) {
      out.add(lines.map((line, i) => (i === 0 ? line : line.trim() ? `> ${line}` : '>')).join('\n'));
    }
  }
  return [...out].sort((a, b) => b.length - a.length);
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every occurrence of every needle replaced by the placeholder. */
export function scrubString(value: string, needles: Needles): string {
  let out = value;
  for (const needle of needles.exact) {
    if (needle && out.includes(needle)) out = out.split(needle).join(REDACTED_PLACEHOLDER);
  }
  const quoted = needles.quotedVersions;
  if (quoted && out.includes(`/posts/${quoted.postId}/history`)) {
    // `[Name wrote](/posts/<id>/history?version=N):` and the `>` lines under it.
    const re = new RegExp(
      `(\\[[^\\]\\n]*\\]\\(/posts/${escapeRegExp(quoted.postId)}/history\\?version=(\\d+)\\):\\r?\\n)((?:>[^\\n]*(?:\\n|$))+)`,
      'g',
    );
    out = out.replace(re, (whole, head: string, version: string, lines: string) =>
      quoted.versions.has(Number(version))
        ? `${head}> ${REDACTED_PLACEHOLDER}${lines.endsWith('\n') ? '\n' : ''}`
        : whole,
    );
  }
  return out;
}

/**
 * An excerpt (plain text, whitespace collapsed, cut with `…`): besides whole matches, a needle cut
 * off by the ellipsis leaves its beginning behind, which is taken out too.
 */
export function scrubExcerpt(value: string, needles: Needles): string {
  const collapsed = needles.exact.map((n) => n.replace(/\s+/g, ' ').trim()).filter((n) => n !== '');
  let out = scrubString(value, { ...needles, exact: [...new Set([...needles.exact, ...collapsed])] });
  if (!out.endsWith('…')) return out;
  const head = out.slice(0, -1);
  for (const needle of collapsed) {
    const shortest = Math.min(needle.length - 1, 3);
    for (let k = needle.length - 1; k >= Math.max(1, shortest); k--) {
      if (head.endsWith(needle.slice(0, k))) {
        out = `${head.slice(0, -k)}${REDACTED_PLACEHOLDER}…`;
        return out;
      }
    }
  }
  return out;
}

/** Every string inside a JSON value scrubbed (keys too), the structure kept: the result stays valid JSON. */
export function scrubJson<T>(value: T, needles: Needles): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubExcerpt(v, needles);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [scrubString(k, needles), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** Whether any needle (or a quote of a redacted version) occurs in the value. */
export function containsAny(value: string | null | undefined, needles: Needles): boolean {
  if (!value) return false;
  return scrubString(value, needles) !== value;
}
