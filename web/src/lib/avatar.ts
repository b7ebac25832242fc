/**
 * Generated avatars: a person's initials on a colour derived from their id. Every colour carries
 * white text at a contrast of at least 4.5:1 (they are dark enough in both colour schemes).
 */
const COLOURS = [
  '#1d4e89',
  '#7a3b69',
  '#2f6b3b',
  '#8a4b08',
  '#5b4a9e',
  '#0f6a73',
  '#9a2f3c',
  '#4d5a1e',
  '#6b4226',
  '#35507a',
];

/** The same colour for the same id, everywhere. */
export function avatarColour(id: string): string {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
  return COLOURS[(hash >>> 0) % COLOURS.length]!;
}

/** One or two initials: the first letters of the first and last words of the name. */
export function initialsOf(name: string): string {
  const words = name
    .trim()
    .split(/\s+/u)
    .filter((w) => /\p{L}/u.test(w));
  if (words.length === 0) return '?';
  const first = (word: string) => Array.from(word.replace(/^[^\p{L}]+/u, ''))[0] ?? '';
  const letters = words.length === 1 ? first(words[0]!) : first(words[0]!) + first(words[words.length - 1]!);
  return letters.toLocaleUpperCase();
}
