/**
 * Notification and digest email as text and HTML, in the reader's language: sections of items,
 * each a title, who and when, an excerpt and a link straight to the post. Every value is escaped
 * in the HTML part and kept as written in the text part; the subject is one line (titles may hold
 * line breaks or control characters, which would otherwise end the header).
 */
import type { DigestFrequency, NotificationKind } from '@lexforum/shared';
import { MAIL_MESSAGES } from './messages/index.js';
import { NOTIFY_MESSAGES } from './notify-messages/index.js';
import type { Plural } from './notify-messages/types.js';
import { escapeHtml, mailLocale, type RenderedMail } from './render.js';
import type { DigestContent, NotificationMailItem } from './mail-content.js';
import type { MailLinks } from './links.js';

export interface MailItem {
  title: string;
  meta: string | null;
  excerpt: string | null;
  link: string;
}

interface Section {
  heading: string;
  items: MailItem[];
}

const SUBJECT_TITLE_MAX = 120;
const EXCERPT_MAX = 600;

/** A header-safe line: control characters and line breaks become spaces; long titles are cut. */
export function oneLine(text: string, max = SUBJECT_TITLE_MAX): string {
  const line = text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // Counted in code points, as cut: a title of astral characters is not cut twice.
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : line;
}

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

/** The form of `words` for `count` in the reader's language (its CLDR plural rules). */
export function plural(locale: string | null, words: Plural, count: number): string {
  const category = new Intl.PluralRules(mailLocale(locale)).select(count);
  return fill(words[category] ?? words.other, { count: String(count) });
}

/**
 * Marks a value whose direction is its own (a title, a name: Arabic in an English email, or the
 * reverse): the HTML part wraps it in <bdi>, the text part and the subject keep it as written.
 * U+2068/U+2069 (first-strong isolate, pop) mark it while the words are put together; any the
 * value itself held are removed, so the marks always pair.
 */
const isolate = (value: string) => `\u2068${value.replace(/[\u2068\u2069]/g, '')}\u2069`;
const asText = (text: string) => text.replace(/[\u2068\u2069]/g, '');
const asHtml = (text: string) =>
  escapeHtml(text)
    .replace(/\u2068/g, '<bdi>')
    .replace(/\u2069/g, '</bdi>');

const excerpt = (raw: string | null) => {
  if (raw === null) return null;
  const body = raw.replace(/[\u2068\u2069]/g, '');
  return body.length > EXCERPT_MAX ? `${body.slice(0, EXCERPT_MAX)}…` : body;
};

interface ListMail {
  locale: string | null;
  name: string;
  subject: string;
  intro: string;
  sections: Section[];
  /** Footer links: unsubscribes and the settings page. */
  links: { label: string; href: string }[];
}

function renderList(mail: ListMail): RenderedMail {
  const locale = mailLocale(mail.locale);
  const base = MAIL_MESSAGES[locale];
  const words = NOTIFY_MESSAGES[locale];
  const subject = `${asText(oneLine(mail.subject, 200))} · LexForum`;
  const greeting = fill(base.greeting, { name: isolate(mail.name) });
  const text = [
    greeting,
    mail.intro,
    ...mail.sections.map((section) =>
      [
        `== ${section.heading} ==`,
        ...section.items.map((item) =>
          [`* ${item.title}`, item.meta, item.excerpt, `${words.open}: ${item.link}`]
            .filter((line): line is string => !!line)
            .join('\n  '),
        ),
      ].join('\n\n'),
    ),
    base.signOff,
    `--\n${words.footer}\n${mail.links.map((l) => `${l.label}: ${l.href}`).join('\n')}`,
  ]
    .map(asText)
    .join('\n\n');

  const p = (inner: string, style = 'margin:0 0 16px') => `<p style="${style}">${inner}</p>`;
  const item = (i: MailItem) =>
    [
      '<li style="margin:0 0 16px">',
      `<a href="${escapeHtml(i.link)}" style="color:#1e3a5f;font-weight:600">${asHtml(i.title)}</a>`,
      i.meta ? `<div style="font-size:14px;color:#57534e">${asHtml(i.meta)}</div>` : '',
      i.excerpt
        ? `<div dir="auto" style="margin-top:4px;white-space:pre-wrap;border-inline-start:3px solid #e7e5e4;padding-inline-start:8px">${asHtml(i.excerpt)}</div>`
        : '',
      '</li>',
    ].join('');
  const html = [
    '<!doctype html>',
    `<html lang="${locale}" dir="${base.dir}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f5f5f4;color:#1c1917;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif">`,
    `<div dir="${base.dir}" style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #e7e5e4;border-radius:8px;padding:24px">`,
    p(asHtml(greeting)),
    p(escapeHtml(mail.intro)),
    ...mail.sections.map(
      (section) =>
        `<h2 style="font-size:17px;margin:24px 0 8px">${escapeHtml(section.heading)}</h2>` +
        `<ul style="padding-inline-start:20px;margin:0">${section.items.map(item).join('')}</ul>`,
    ),
    p(escapeHtml(base.signOff)),
    `<hr style="border:none;border-top:1px solid #e7e5e4;margin:24px 0 12px">`,
    p(escapeHtml(words.footer), 'margin:0 0 8px;font-size:13px;color:#78716c'),
    p(
      mail.links
        .map((l) => `<a href="${escapeHtml(l.href)}" style="color:#57534e">${escapeHtml(l.label)}</a>`)
        .join(' · '),
      'margin:0;font-size:13px',
    ),
    '</div></body></html>',
  ].join('\n');
  return { subject, text, html };
}

function notificationItem(locale: string | null, n: NotificationMailItem, links: MailLinks): MailItem {
  const words = NOTIFY_MESSAGES[mailLocale(locale)];
  const what = words.kinds[n.kind];
  return {
    title: n.title ? `${what}: ${isolate(oneLine(n.title, 300))}` : what,
    meta: n.actor ? fill(words.by, { name: isolate(n.actor) }) : null,
    excerpt: excerpt(n.body),
    link: links.page(n.link ?? (n.threadId ? `/threads/${n.threadId}` : '/notifications')),
  };
}

export interface UnsubscribeLink {
  kind: NotificationKind | 'digest';
  href: string;
}

/** One email about one thread's (or one unthreaded) notifications. */
export function renderNotificationMail(
  locale: string | null,
  name: string,
  items: readonly NotificationMailItem[],
  unsubscribes: readonly UnsubscribeLink[],
  links: MailLinks,
): RenderedMail {
  const words = NOTIFY_MESSAGES[mailLocale(locale)];
  const title = items.find((i) => i.threadId && i.title)?.title;
  return renderList({
    locale,
    name,
    subject: title ? fill(words.threadSubject, { title: oneLine(title) }) : words.otherSubject,
    intro: words.intro,
    sections: [{ heading: words.sections.notifications, items: items.map((n) => notificationItem(locale, n, links)) }],
    links: [
      ...unsubscribes.map((u) => ({
        label:
          u.kind === 'digest' ? words.unsubscribeDigest : fill(words.unsubscribeKind, { what: words.kinds[u.kind] }),
        href: u.href,
      })),
      { label: words.settings, href: links.notificationSettings() },
    ],
  });
}

export function renderDigestMail(
  locale: string | null,
  name: string,
  frequency: Exclude<DigestFrequency, 'off'>,
  content: DigestContent,
  unsubscribe: string,
  links: MailLinks,
): RenderedMail {
  const words = NOTIFY_MESSAGES[mailLocale(locale)];
  const kindName = (kind: string) =>
    kind === 'question' || kind === 'legal_analysis' ? words.threadKinds[kind] : null;
  const sections: Section[] = [
    {
      heading: words.sections.notifications,
      items: [
        ...content.notifications.map((n) => notificationItem(locale, n, links)),
        ...(content.moreNotifications
          ? [
              {
                title: plural(locale, words.moreNotifications, content.moreNotifications),
                meta: null,
                excerpt: null,
                link: links.page('/notifications'),
              },
            ]
          : []),
      ],
    },
    {
      heading: words.sections.followed,
      items: content.followed.map((t) => ({
        title: isolate(oneLine(t.title, 300)),
        meta: [kindName(t.kind), fill(words.by, { name: isolate(t.author) })].filter(Boolean).join(' · '),
        excerpt: null,
        link: links.page(`/threads/${t.id}`),
      })),
    },
    {
      heading: words.sections.active,
      items: content.active.map((t) => ({
        title: isolate(oneLine(t.title, 300)),
        meta: plural(locale, words.newPosts, t.newPosts ?? 0),
        excerpt: null,
        link: links.page(`/threads/${t.id}`),
      })),
    },
    {
      heading: words.sections.awaiting,
      items: content.awaiting.map((t) => ({
        title: isolate(oneLine(t.title, 300)),
        meta: fill(words.by, { name: isolate(t.author) }),
        excerpt: null,
        link: links.page(`/threads/${t.id}`),
      })),
    },
  ].filter((s) => s.items.length > 0);
  return renderList({
    locale,
    name,
    subject: words.digestSubject[frequency],
    intro: words.digestIntro[frequency],
    sections,
    links: [
      { label: words.unsubscribeDigest, href: unsubscribe },
      { label: words.settings, href: links.notificationSettings() },
    ],
  });
}
