/**
 * The one door to translated strings and locale-aware formatting. Messages are compiled by
 * paraglide-js from messages/<locale>.json; `lang` and `dir` follow the active locale, so an
 * Arabic locale later flips the layout (CSS uses logical properties throughout).
 */
import { m } from './paraglide/messages.js';
import { getLocale } from './paraglide/runtime.js';

export { m };

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur']);

export function applyDocumentLocale(doc: Document = document): void {
  const locale = getLocale();
  doc.documentElement.lang = locale;
  doc.documentElement.dir = RTL_LANGUAGES.has(locale.split('-')[0] ?? '') ? 'rtl' : 'ltr';
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
