/**
 * The one door to translated strings and locale-aware formatting. Messages are compiled by
 * paraglide-js from messages/<locale>.json; `lang` and `dir` follow the active locale, and the CSS
 * uses logical properties, so Arabic lays the page out right to left.
 *
 * Which language a page is in, first match wins:
 * 1. the account's saved choice when signed in (`users.locale`; the server writes it into the
 *    language cookie when it serves the page, and `followAccountLocale` adopts it after a sign-in);
 * 2. the language cookie the language menu sets (`LOCALE_COOKIE`), for visitors;
 * 3. the browser's languages (`navigator.languages`; the server reads `Accept-Language`), best match
 *    among the four (`fr-CA` → `fr`);
 * 4. English.
 * The server decides the same way for the page it serves (server/src/lib/page-locale.ts), so
 * `<html lang dir>` is right before the first paint. Switching reloads the page at the same
 * address: every message, date and number is then rendered in the new language at once.
 */
import { DEFAULT_LOCALE, isLocale, localeDirection, type Locale } from '@lexforum/shared';
import { m } from './paraglide/messages.js';
import { getLocale, setLocale } from './paraglide/runtime.js';

export { m };

/** The language of this page (it changes only through a reload). */
export function currentLocale(): Locale {
  const locale = getLocale();
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

export function applyDocumentLocale(doc: Document = document): void {
  const locale = currentLocale();
  doc.documentElement.lang = locale;
  doc.documentElement.dir = localeDirection(locale);
}

/** Shows the page in another language: writes the cookie and reloads at the same address. */
export function switchLocale(locale: Locale): void {
  if (locale === currentLocale()) return;
  void setLocale(locale, { reload: true });
}

/**
 * After a sign-in or at start: the account's language wins over this browser's. Writes the cookie
 * and says whether the page must be loaded again to show it: not if the cookie did not take (a
 * browser refusing cookies would otherwise reload for ever).
 */
export function followAccountLocale(accountLocale: string | null | undefined): boolean {
  if (!isLocale(accountLocale) || accountLocale === currentLocale()) return false;
  void setLocale(accountLocale, { reload: false });
  return currentLocale() === accountLocale;
}

/**
 * A timestamp's date in the reader's time zone; a calendar date (`YYYY-MM-DD`, such as the date
 * the law is stated as at) as that same date everywhere, not the day before west of UTC.
 */
export function formatDate(iso: string): string {
  const calendarDate = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  return new Intl.DateTimeFormat(getLocale(), {
    dateStyle: 'long',
    ...(calendarDate ? { timeZone: 'UTC' } : {}),
  }).format(new Date(calendarDate ? `${iso}T00:00:00Z` : iso));
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A time of day alone ("14:05", "2:05 PM"). */
export function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(getLocale(), { timeStyle: 'short' }).format(new Date(iso));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 minutes ago", "in 6 days", "just now": relative to `now`. */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(getLocale(), { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.trunc(seconds / size), unit);
  }
  return rtf.format(0, 'minute');
}

const numberFormats = new Map<string, Intl.NumberFormat>();
/** A count or size with the locale's grouping ("12,345", "12 345"). */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  const key = `${getLocale()}|${JSON.stringify(options ?? {})}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(getLocale(), options)));
  return format.format(value);
}

/** "Kenya, Ghana and Nigeria" (`conjunction`), "Kenya, Ghana or Nigeria", or a plain unit list. */
export function formatList(items: readonly string[], type: Intl.ListFormatType = 'conjunction'): string {
  return new Intl.ListFormat(getLocale(), { style: 'long', type }).format(items);
}

/**
 * Facts side by side with no "and" ("KE, Africa", "2011, Council of Europe"): Intl's unit lists
 * add "et" / "و" in French and Arabic, so the comma is the locale's own (Arabic writes "،").
 */
export function formatUnitList(items: readonly string[]): string {
  return items.filter(Boolean).join(currentLocale() === 'ar' ? '، ' : ', ');
}
