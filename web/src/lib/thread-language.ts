/**
 * The language a thread is written in, as the composer offers it and the list shows it. Names
 * come from `Intl.DisplayNames` (the reader's locale for choosing, the language's own name on the
 * label), never typed by hand.
 */
import { LANGUAGE_CODES, LOCALES, RTL_LANGUAGES } from '@lexforum/shared';
import { languageName } from './labels.js';
import { getLocale } from './paraglide/runtime.js';

export interface LanguageChoice {
  value: string;
  label: string;
}

/**
 * The choices of a language select: the forum's four interface languages first (in their fixed
 * order), then every other language by name in the reader's locale.
 */
export function threadLanguageChoices(): { interface: LanguageChoice[]; other: LanguageChoice[] } {
  const choice = (value: string): LanguageChoice => ({ value, label: languageName(value) });
  const first = new Set<string>(LOCALES);
  return {
    interface: LOCALES.map(choice),
    other: LANGUAGE_CODES.filter((code) => !first.has(code))
      .map(choice)
      .sort((a, b) => a.label.localeCompare(b.label, getLocale())),
  };
}

/** The language a new thread starts in: the interface language when threads may be written in it. */
export function defaultThreadLanguage(): string {
  const locale = getLocale().split('-')[0] ?? 'en';
  return (LANGUAGE_CODES as readonly string[]).includes(locale) ? locale : 'en';
}

const autonyms = new Map<string, string>();
/** A language's name in itself ("العربية", "Français"), for the label beside a title. */
export function autonym(code: string): string {
  let name = autonyms.get(code);
  if (name === undefined) {
    try {
      const own = new Intl.DisplayNames([code], { type: 'language' }).of(code);
      name = own && own !== code ? own.charAt(0).toLocaleUpperCase(code) + own.slice(1) : code.toUpperCase();
    } catch {
      name = code.toUpperCase();
    }
    autonyms.set(code, name);
  }
  return name;
}

/** The text direction of a language (for `dir` where `auto` cannot guess, such as an empty field). */
export function languageDirection(code: string): 'rtl' | 'ltr' {
  return RTL_LANGUAGES.has(code) ? 'rtl' : 'ltr';
}
