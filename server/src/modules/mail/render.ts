/**
 * Puts one email together from its template's words and parameters: a plain-text part and an
 * HTML part (every parameter escaped; links as anchors; `dir="rtl"` for Arabic), in the reader's
 * interface language.
 */
import { DEFAULT_LOCALE, isLocale, type Locale } from '@lexforum/shared';
import { MAIL_MESSAGES } from './messages/index.js';
import { ACTION_LINK, type MailParams, type MailTemplate } from './templates.js';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type ParamValue = string | Date;

export function mailLocale(locale: string | null | undefined): Locale {
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function formatTime(date: Date, locale: Locale): string {
  const text = new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
    numberingSystem: 'latn',
  }).format(date);
  return `${text} UTC`;
}

/** The placeholders a string names, `{name}` → `name`. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
}

export function renderMail<T extends MailTemplate>(
  template: T,
  localeName: string | null | undefined,
  params: MailParams[T],
): RenderedMail {
  const locale = mailLocale(localeName);
  const language = MAIL_MESSAGES[locale];
  const words = language.templates[template];
  const values = new Map<string, ParamValue>(Object.entries(params as Record<string, ParamValue>));
  if (template === 'staff_second_factor_required') {
    const role = (params as MailParams['staff_second_factor_required']).role;
    values.set('role', language.roles[role]);
  }
  const plain = (key: string): string => {
    const value = values.get(key);
    if (value === undefined) throw new Error(`mail ${template}: no value for {${key}}`);
    return value instanceof Date ? formatTime(value, locale) : value;
  };
  const isLink = (key: string) => /link$/i.test(key);
  const fillText = (text: string) => text.replace(/\{(\w+)\}/g, (_, key: string) => plain(key));
  // Escape the words, then put each escaped value in: a link becomes an anchor, `\n` a line break.
  const fillHtml = (text: string) =>
    escapeHtml(text)
      .replace(/\{(\w+)\}/g, (_, key: string) => {
        const value = escapeHtml(plain(key));
        return isLink(key) ? `<a href="${value}">${value}</a>` : value;
      })
      .replaceAll('\n', '<br>');

  const actionLink = plain(ACTION_LINK[template]);
  const subject = `${fillText(words.subject)} · LexForum`;
  const text = [
    fillText(language.greeting),
    ...words.body.map(fillText),
    `${words.action}:\n${actionLink}`,
    ...words.after.map(fillText),
    language.signOff,
    `--\n${language.footer}`,
  ].join('\n\n');

  const p = (inner: string, style = 'margin:0 0 16px') => `<p style="${style}">${inner}</p>`;
  const link = escapeHtml(actionLink);
  const html = [
    '<!doctype html>',
    `<html lang="${locale}" dir="${language.dir}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f5f5f4;color:#1c1917;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif">`,
    `<div dir="${language.dir}" style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #e7e5e4;border-radius:8px;padding:24px">`,
    p(fillHtml(language.greeting)),
    ...words.body.map((line) => p(fillHtml(line))),
    p(
      `<a href="${link}" style="display:inline-block;background:#1e3a5f;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600">${escapeHtml(words.action)}</a>`,
      'margin:24px 0',
    ),
    p(
      `${escapeHtml(language.linkFallback)}<br><a href="${link}" style="word-break:break-all">${link}</a>`,
      'margin:0 0 16px;font-size:14px;color:#57534e',
    ),
    ...words.after.map((line) => p(fillHtml(line))),
    p(escapeHtml(language.signOff)),
    `<hr style="border:none;border-top:1px solid #e7e5e4;margin:24px 0 12px">`,
    p(escapeHtml(language.footer), 'margin:0;font-size:13px;color:#78716c'),
    '</div></body></html>',
  ].join('\n');
  return { subject, text, html };
}
