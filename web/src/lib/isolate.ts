/**
 * Interface sentences with user text in them ("Reply to {name}", "Started by {name}"): the user's
 * part is cut out of the translated sentence so the page can isolate it (`<bdi>`), and an Arabic
 * name in a French sentence (or the reverse) neither reorders nor is reordered by its words.
 */

/** A run of the sentence: interface text, or one of the values to isolate (by its key). */
export type SentencePart = { text: string; key?: never } | { key: string; text?: never };

// Private-use characters no translation or value contains: they mark where each value went.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARK = new RegExp(`${OPEN}([A-Za-z0-9_]+)${CLOSE}`, 'g');

/**
 * The parts of `message(values)`, with each string value in `isolate` (by default every string
 * value) as its own part. Numbers and the other values are formatted by the message as usual.
 */
export function sentenceParts<T extends Record<string, unknown>>(
  message: (inputs: T) => string,
  values: T,
  isolate: readonly (keyof T & string)[] = Object.keys(values).filter((k) => typeof values[k] === 'string'),
): SentencePart[] {
  const marked = { ...values } as Record<string, unknown>;
  for (const key of isolate) marked[key] = `${OPEN}${key}${CLOSE}`;
  const text = message(marked as T);
  const parts: SentencePart[] = [];
  let at = 0;
  for (const match of text.matchAll(MARK)) {
    if (match.index > at) parts.push({ text: text.slice(at, match.index) });
    parts.push({ key: match[1]! });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}
