/**
 * The interface language of a page request, decided on the server so that the served index.html
 * carries the right `lang` and `dir` before the first paint (an Arabic page never flashes left to
 * right). The same order as the client (web/src/lib/i18n.ts): the account's saved language when
 * signed in, else the language cookie the menu sets, else the best match of Accept-Language, else
 * English.
 */
import { bestLocale, DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, localeDirection, type Locale } from '@lexforum/shared';
import type { FastifyRequest } from 'fastify';

export interface PageLocale {
  locale: Locale;
  dir: 'ltr' | 'rtl';
  /** Whether the cookie must be (re)written: the account's language differs from the browser's. */
  setCookie: boolean;
}

export function pageLocale(request: FastifyRequest): PageLocale {
  const account = request.auth?.user.locale;
  const cookie = request.cookies[LOCALE_COOKIE];
  const locale = isLocale(account)
    ? account
    : isLocale(cookie)
      ? cookie
      : (bestLocale(request.headers['accept-language']) ?? DEFAULT_LOCALE);
  return { locale, dir: localeDirection(locale), setCookie: isLocale(account) && account !== cookie };
}

/** index.html with `lang` and `dir` on its root element. */
export function localizePage(html: string, { locale, dir }: PageLocale): string {
  return html.replace(/<html\b[^>]*>/i, `<html lang="${locale}" dir="${dir}">`);
}
