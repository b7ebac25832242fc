/**
 * Refuses a password built from things an attacker tries first against one person: the forum's own
 * name, the member's name, the parts of their email. zxcvbn-ts does the judging: it takes these as
 * "user inputs" and finds them inside the password (also reversed, in l33t, with years, digits and
 * keyboard walks around them), then estimates the guesses the rest of the password adds. A
 * password whose strength comes mostly from such a word is refused; a long phrase that happens to
 * contain a first name is not.
 *
 * zxcvbn costs CPU (its dictionaries take ~0.1 s to load, once; a check takes a few milliseconds),
 * so it runs only when a cheap substring test finds one of the inputs in the password, and its
 * matcher is built on first use rather than at boot.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';

/** The forum's own names: every member's password is checked against them. */
export const FORUM_WORDS = ['lexforum', 'lex forum'];

/** Below this many guesses (10^n) a password containing a personal word is refused. */
const MIN_GUESSES_LOG10 = 10;
/** Words shorter than this are too common to hold against a password ("li", "ng", "jo"). */
const MIN_WORD_LENGTH = 3;

export interface PersonalContext {
  email?: string | undefined;
  displayName?: string | undefined;
  username?: string | null | undefined;
}

let matcher: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  matcher ??= new ZxcvbnFactory({
    // The common-password and diceware lists only: the English word lists add ~0.3 s of loading
    // and make a check ten times slower, for no better answer to this question.
    dictionary: commonDictionary,
    graphs: adjacencyGraphs,
  });
  return matcher;
}

/** The words of the forum, the name and the email, lowercased: what an attacker would try. */
export function personalWords(context: PersonalContext): string[] {
  const words = new Set<string>(FORUM_WORDS);
  const add = (value: string | null | undefined) => {
    if (!value) return;
    const lower = value.normalize('NFKC').toLowerCase();
    const parts = lower.split(/[^\p{L}\p{N}]+/u).filter((p) => p.length >= MIN_WORD_LENGTH);
    for (const part of parts) words.add(part);
    if (parts.length > 1) words.add(parts.join(''));
    if (lower.length >= MIN_WORD_LENGTH) words.add(lower);
  };
  add(context.displayName);
  add(context.username);
  if (context.email) {
    const at = context.email.lastIndexOf('@');
    add(context.email.slice(0, at));
    // The domain whole, and its labels but the last: the court's name, not "org" or "example".
    const domain = context.email.slice(at + 1).toLowerCase();
    words.add(domain);
    for (const label of domain.split('.').slice(0, -1)) add(label);
  }
  return [...words];
}

/** Undo the common l33t substitutions, one character for one, so "l3xf0rum" reads "lexforum". */
function unleet(text: string, one: 'i' | 'l'): string {
  const map: Record<string, string> = { '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's' };
  return text.replace(/[0134578@$!|]/g, (c) => (c === '1' || c === '!' || c === '|' ? one : map[c]!));
}

/**
 * Cheap: what is left of the password once every personal word is taken out of it (as typed,
 * reversed, in l33t), or null when none is in it. The shortest remainder over those readings.
 */
function remainderWithoutPersonalWords(password: string, words: string[]): string | null {
  const lower = password.normalize('NFKC').toLowerCase();
  const reversed = [...lower].reverse().join('');
  const readings = [lower, reversed].flatMap((v) => [v, unleet(v, 'i'), unleet(v, 'l')]);
  const longestFirst = [...words].sort((a, b) => b.length - a.length);
  let shortest: string | null = null;
  for (const reading of readings) {
    let rest = reading;
    for (const word of longestFirst) rest = rest.split(word).join(' ');
    if (rest !== reading && (shortest === null || rest.length < shortest.length)) shortest = rest;
  }
  return shortest;
}

/**
 * True when the password is built from the forum's name or the member's name or email: one of
 * those words is in it and either zxcvbn, given them as user inputs, finds the whole weak, or what
 * remains without them is weak on its own ("kwame.boateng.1984" leaves ".. 1984").
 */
export function isPersonalPassword(password: string, context: PersonalContext): boolean {
  const words = personalWords(context);
  const remainder = remainderWithoutPersonalWords(password, words);
  if (remainder === null) return false;
  const whole = zxcvbn().check(password, words);
  if (whole.guessesLog10 < MIN_GUESSES_LOG10 && whole.sequence.some((m) => m.dictionaryName === 'userInputs')) {
    return true;
  }
  return zxcvbn().check(remainder.replace(/\s+/g, ' ').trim()).guessesLog10 < MIN_GUESSES_LOG10;
}
