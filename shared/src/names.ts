/**
 * The character rules for a display name, after the Unicode security mechanisms (UTS #39): no
 * invisible or default-ignorable characters, a bounded number of combining marks, and letters from
 * one script or a combination a real name uses (Latin with Han and kana, or Han and Hangul). They
 * need no data beyond the engine's own Unicode properties, so the web runs them before sending.
 * What needs data or the database (confusable skeletons, reserved words, names already taken) is
 * the server's (server/src/lib/names/).
 */
import { issue, type Issue } from './errors.js';

/**
 * Scripts a name may use: UTS #31's recommended and limited-use scripts, the living ones. A letter
 * of any other script (historic scripts, symbols dressed as letters) is refused.
 */
const NAME_SCRIPTS = [
  // Recommended (UTS #31 table 5).
  'Arabic', 'Armenian', 'Bengali', 'Bopomofo', 'Cyrillic', 'Devanagari', 'Ethiopic', 'Georgian', 'Greek',
  'Gujarati', 'Gurmukhi', 'Han', 'Hangul', 'Hebrew', 'Hiragana', 'Kannada', 'Katakana', 'Khmer', 'Lao', 'Latin',
  'Malayalam', 'Myanmar', 'Oriya', 'Sinhala', 'Tamil', 'Telugu', 'Thaana', 'Thai', 'Tibetan',
  // Limited use (UTS #31 table 7): living scripts of smaller communities.
  'Adlam', 'Balinese', 'Bamum', 'Batak', 'Canadian_Aboriginal', 'Chakma', 'Cham', 'Cherokee', 'Hanifi_Rohingya',
  'Javanese', 'Kayah_Li', 'Lepcha', 'Limbu', 'Lisu', 'Mandaic', 'Meetei_Mayek', 'Miao', 'Mongolian', 'Newa', 'Nko',
  'Nyiakeng_Puachue_Hmong', 'Ol_Chiki', 'Osage', 'Saurashtra', 'Sundanese', 'Syloti_Nagri', 'Syriac', 'Tai_Le',
  'Tai_Tham', 'Tai_Viet', 'Tifinagh', 'Vai', 'Wancho', 'Yi',
] as const; // prettier-ignore

const SCRIPT_TESTS = NAME_SCRIPTS.map((script) => ({
  script,
  test: new RegExp(`^\\p{Script_Extensions=${script}}$`, 'u'),
}));
const COMMON_OR_INHERITED = /^[\p{Script_Extensions=Common}\p{Script_Extensions=Inherited}]$/u;

/**
 * UTS #39's augmented script sets: Han text is also Japanese, Korean and Chinese-with-Bopomofo
 * writing, kana are Japanese, Hangul is Korean. A name mixing Han and kana resolves to Japanese.
 */
const AUGMENT: Partial<Record<string, string[]>> = {
  Han: ['Jpan', 'Kore', 'Hanb'],
  Hiragana: ['Jpan'],
  Katakana: ['Jpan'],
  Hangul: ['Kore'],
  Bopomofo: ['Hanb'],
};

/**
 * Invisible characters: default-ignorables (zero-width characters, bidi controls, variation
 * selectors, tags, the Hangul fillers), format and private-use characters, unassigned code points,
 * line separators, and the blanks that render as nothing (Braille blank). Zero-width (non-)joiners
 * are handled before this by `joinerAllowed`.
 */
const INVISIBLE =
  /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u2800\u3164\u115F\u1160\uFFA0]/u;
const OTHER_SPACE = /[^\S ]|\p{Zs}/u;
/** Viramas of the Brahmic scripts: after one, a joiner picks a conjunct form (RFC 5892 CONTEXTJ). */
const VIRAMA =
  /^[\u094D\u09CD\u0A4D\u0ACD\u0B4D\u0BCD\u0C4D\u0CCD\u0D3B\u0D3C\u0D4D\u0DCA\u0E3A\u0F84\u1039\u103A\u1714\u1715\u1734\u17D2\u1A60\u1B44\u1BAA\u1BAB\u1BF2\u1BF3\u2D7F\uA806\uA8C4\uA953\uA9C0\uAAF6\uABED]$/u;
const ARABIC_LETTER = /^[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mandaic}]$/u;
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;
const MARK = /^\p{M}$/u;
const NONSPACING_MARK = /^[\p{Mn}\p{Me}]$/u;
const LETTER = /^\p{L}$/u;

/** Tibetan and Brahmic stacks take three marks on one letter; a Latin name after NFC needs two. */
export const MAX_MARKS_PER_LETTER = 3;
const ZWNJ = '\u200C';
const ZWJ = '\u200D';

/**
 * A zero-width joiner or non-joiner is a real part of a name only where it changes the rendering:
 * after a virama (Indic conjuncts), a non-joiner between two Arabic-script letters (Persian), or a
 * joiner inside an emoji sequence. Anywhere else it only hides a difference.
 */
function joinerAllowed(chars: readonly string[], i: number): boolean {
  const before = chars[i - 1] ?? '';
  const after = chars[i + 1] ?? '';
  if (VIRAMA.test(before)) return true;
  if (chars[i] === ZWNJ) return ARABIC_LETTER.test(before) && ARABIC_LETTER.test(after);
  return PICTOGRAPH.test(before.replace(/\uFE0F$/u, '')) && PICTOGRAPH.test(after);
}

function scriptSet(char: string): Set<string> | 'any' {
  const scripts = SCRIPT_TESTS.filter((s) => s.test.test(char)).map((s) => s.script);
  if (scripts.length === 0) return COMMON_OR_INHERITED.test(char) ? 'any' : new Set();
  return new Set(scripts.flatMap((s) => [s, ...(AUGMENT[s] ?? [])]));
}

function intersect(sets: readonly Set<string>[]): Set<string> | 'any' {
  if (sets.length === 0) return 'any';
  return new Set([...sets[0]!].filter((s) => sets.every((set) => set.has(s))));
}

/** Scripts named in a refusal, in the order they appear ("Latin and Cyrillic"). */
function scriptList(sets: readonly Set<string>[]): string[] {
  return [...new Set(sets.map((set) => [...set][0]!.replace(/_/g, ' ')))];
}

function scriptNames(sets: readonly Set<string>[]): string {
  const names = scriptList(sets);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
}

/**
 * UTS #39's "highly restrictive" level: every letter from one script (Common and Inherited ones,
 * such as digits, punctuation and combining accents, fit any), or Latin together with Japanese
 * (Han, Hiragana, Katakana), Chinese (Han, Bopomofo) or Korean (Han, Hangul) writing.
 */
export function checkNameScripts(name: string): Issue | null {
  const sets: Set<string>[] = [];
  for (const char of name) {
    const set = scriptSet(char);
    if (set === 'any') continue;
    if (set.size === 0) {
      return issue('name_script_not_accepted', `“${char}” is from a script that is not accepted in names.`, { char });
    }
    sets.push(set);
  }
  const single = intersect(sets);
  if (single === 'any' || single.size > 0) return null;
  const withoutLatin = sets.filter((set) => !set.has('Latin'));
  const rest = intersect(withoutLatin);
  if (rest === 'any' || ['Jpan', 'Kore', 'Hanb'].some((s) => rest.has(s))) return null;
  return issue(
    'name_mixed_scripts',
    `A name must not mix letters of different scripts (here ${scriptNames(sets)}), as look-alike letters can imitate another name.`,
    { scripts: scriptList(sets).join(', ') },
  );
}

/**
 * Invisible characters, spacing and combining marks. `name` is in NFC (the server stores names in
 * NFC, and a precomposed letter counts as a letter, not as a letter and a mark).
 */
export function checkNameCharacters(name: string): Issue | null {
  const chars = [...name];
  let marksOnLetter = 0;
  let nonspacingMarks = 0;
  let letters = 0;
  let lastMark = '';
  for (const [i, char] of chars.entries()) {
    if (char === ZWJ || char === ZWNJ) {
      if (!joinerAllowed(chars, i))
        return issue('name_joiner', 'Display name contains invisible characters (a zero-width joiner).');
      continue;
    }
    if (INVISIBLE.test(char)) return issue('name_invisible', 'Display name contains invisible or control characters.');
    if (char !== ' ' && OTHER_SPACE.test(char))
      return issue('name_other_space', 'Use ordinary spaces between the parts of a name.');
    if (char === ' ' && chars[i + 1] === ' ')
      return issue('name_double_space', 'Use a single space between the parts of a name.');
    if (MARK.test(char)) {
      marksOnLetter++;
      if (NONSPACING_MARK.test(char)) nonspacingMarks++;
      if (
        marksOnLetter > MAX_MARKS_PER_LETTER ||
        char === lastMark ||
        i === 0 ||
        !/[\p{L}\p{M}]/u.test(chars[i - 1]!)
      ) {
        return issue('name_marks_on_letter', 'Display name has too many accents or combining marks on one letter.');
      }
      lastMark = char;
      continue;
    }
    marksOnLetter = 0;
    lastMark = '';
    if (LETTER.test(char)) letters++;
  }
  if (nonspacingMarks > letters)
    return issue('name_too_many_marks', 'Display name has too many accents or combining marks.');
  return null;
}

/** The form a name is stored and compared in. */
export function normalizeDisplayName(name: string): string {
  return name.normalize('NFC');
}
