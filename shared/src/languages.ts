/** Working languages a member can list (ISO 639-1 codes with English names), for the directory. */
export const LANGUAGES = {
  ar: 'Arabic',
  bg: 'Bulgarian',
  bn: 'Bengali',
  cs: 'Czech',
  da: 'Danish',
  de: 'German',
  el: 'Greek',
  en: 'English',
  es: 'Spanish',
  et: 'Estonian',
  fa: 'Persian',
  fi: 'Finnish',
  fr: 'French',
  ha: 'Hausa',
  he: 'Hebrew',
  hi: 'Hindi',
  hr: 'Croatian',
  hu: 'Hungarian',
  id: 'Indonesian',
  it: 'Italian',
  ja: 'Japanese',
  ko: 'Korean',
  lt: 'Lithuanian',
  lv: 'Latvian',
  ms: 'Malay',
  nl: 'Dutch',
  no: 'Norwegian',
  pl: 'Polish',
  pt: 'Portuguese',
  ro: 'Romanian',
  ru: 'Russian',
  sk: 'Slovak',
  sl: 'Slovenian',
  sr: 'Serbian',
  sv: 'Swedish',
  sw: 'Swahili',
  th: 'Thai',
  tr: 'Turkish',
  uk: 'Ukrainian',
  ur: 'Urdu',
  vi: 'Vietnamese',
  yo: 'Yoruba',
  zh: 'Chinese',
  zu: 'Zulu',
} as const;
export type LanguageCode = keyof typeof LANGUAGES;
export const LANGUAGE_CODES = Object.keys(LANGUAGES) as LanguageCode[];

/**
 * The interface languages: INTERPOL's working languages. The web client has a message file for
 * each, and an account keeps the one its user chose (`users.locale`).
 */
export const LOCALES = ['en', 'fr', 'es', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';
/** Scripts written right to left, among the interface and thread languages. */
export const RTL_LANGUAGES: ReadonlySet<string> = new Set(['ar', 'fa', 'he', 'ur']);

/** Each interface language named in itself, for the language menu (the same in every interface). */
export const LOCALE_AUTONYMS: Readonly<Record<Locale, string>> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
  ar: 'العربية',
};

/**
 * The cookie that carries the interface language between the client and the server: the client's
 * language menu writes it (so it is not httpOnly), and the server reads it to put `lang` and `dir`
 * into the page before the first paint.
 */
export const LOCALE_COOKIE = 'lexforum_locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function localeDirection(locale: string): 'rtl' | 'ltr' {
  return RTL_LANGUAGES.has(locale.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}

/**
 * The interface language that best fits a browser's preferences: an `Accept-Language` header
 * (`fr-CA,fr;q=0.9,en;q=0.5`) or `navigator.languages`. A regional tag takes its language
 * (`fr-CA` → `fr`); weights order the header (`q=0` refuses). Null when none of the four fits.
 */
export function bestLocale(preferences: string | readonly string[] | null | undefined): Locale | null {
  if (!preferences) return null;
  const tags =
    typeof preferences === 'string'
      ? preferences
          .split(',')
          .map((part, index) => {
            const [tag = '', ...params] = part.trim().split(';');
            const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
            return { tag: tag.trim(), weight: q === undefined ? 1 : Number(q), index };
          })
          .filter((t) => t.tag && t.weight > 0)
          .sort((a, b) => b.weight - a.weight || a.index - b.index)
          .map((t) => t.tag)
      : preferences;
  for (const tag of tags) {
    const language = tag.split('-')[0]!.toLowerCase();
    if (isLocale(language)) return language;
  }
  return null;
}
