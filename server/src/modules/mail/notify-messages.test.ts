import { LOCALES, NOTIFICATION_KINDS } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import { mailLinks } from './links.js';
import { NOTIFY_MESSAGES, type NotifyLanguage } from './notify-messages/index.js';
import { mailLocale, placeholders } from './render.js';
import { oneLine, plural, renderDigestMail, renderNotificationMail } from './render-notify.js';

/** Words with plural forms: each language has its own categories (checked apart). */
const PLURALS = ['newPosts', 'moreNotifications'] as const;

function strings(language: NotifyLanguage): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if ((PLURALS as readonly string[]).includes(path)) return;
    if (typeof value === 'string') out.set(path, value);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
    }
  };
  walk(language, '');
  return out;
}

const links = mailLinks('https://forum.example');
const item = {
  id: 1,
  kind: 'reply_to_post' as const,
  threadId: 't1',
  title: 'Line one\nLine two\u0000<script>',
  body: '<b>bold</b> & "quoted"',
  link: '/threads/t1#post-2',
  actor: 'Ana <i>',
  createdAt: 0,
};

describe('Notification email words', () => {
  const english = strings(NOTIFY_MESSAGES.en);

  it('names every notification kind in English', () => {
    expect(Object.keys(NOTIFY_MESSAGES.en.kinds).sort()).toEqual([...NOTIFICATION_KINDS].sort());
  });

  it.each(LOCALES.filter((l) => l !== 'en'))(
    '%s says everything English says, with the same placeholders',
    (locale) => {
      const other = strings(NOTIFY_MESSAGES[locale]);
      expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [path, text] of english) {
        expect(placeholders(other.get(path)!).sort(), `${locale} ${path}`).toEqual(placeholders(text).sort());
        expect(other.get(path)!.trim(), `${locale} ${path}`).not.toBe('');
      }
    },
  );

  it.each(LOCALES)('%s has a form for each plural category of its language, and says the number', (locale) => {
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const key of PLURALS) {
      const forms = NOTIFY_MESSAGES[locale][key];
      expect(Object.keys(forms).sort(), `${locale} ${key}`).toEqual([...categories].sort());
      expect(forms.other).toContain('{count}');
    }
  });

  it('picks the plural form by the language rules', () => {
    const count = (locale: string, n: number) => plural(locale, NOTIFY_MESSAGES[mailLocale(locale)].newPosts, n);
    expect(count('en', 1)).toBe('1 new post');
    expect(count('en', 4)).toBe('4 new posts');
    expect(count('fr', 1)).toBe('1 nouveau message');
    expect(count('es', 2)).toBe('2 mensajes nuevos');
    expect(count('ar', 1)).toBe('مشاركة جديدة واحدة');
    expect(count('ar', 2)).toBe('مشاركتان جديدتان');
    expect(count('ar', 3)).toBe('3 مشاركات جديدة');
    expect(count('ar', 11)).toBe('11 مشاركة جديدة');
  });

  it('isolates titles and names in the HTML part (<bdi>), and keeps the text part as written', () => {
    const arabic = { ...item, title: 'مصادرة الأدوية \u2069المزيفة', actor: 'ليلى' };
    const mail = renderNotificationMail('en', 'Ana', [arabic], [], links);
    expect(mail.html).toContain('<bdi>مصادرة الأدوية المزيفة</bdi>');
    expect(mail.html).toContain('by <bdi>ليلى</bdi>');
    expect(mail.html).toContain('Dear <bdi>Ana</bdi>,');
    expect(mail.text).toContain('A reply to your post: مصادرة الأدوية المزيفة');
    expect(mail.text).not.toMatch(/[\u2068\u2069]/);
    expect(mail.subject).not.toMatch(/[\u2068\u2069]/);
    const digest = renderDigestMail(
      'en',
      'Ana',
      'daily',
      {
        notifications: [],
        followed: [{ id: 't3', title: 'عنوان', kind: 'question', author: 'سامي' }],
        active: [],
        awaiting: [],
      },
      links.unsubscribePage('tok'),
      links,
    );
    expect(digest.html).toContain('<bdi>عنوان</bdi>');
    expect(digest.html).toContain('<bdi>سامي</bdi>');
  });

  it.each(LOCALES)('renders %s: one-line subject, escaped HTML, text as written', (locale) => {
    const unsubscribes = [{ kind: 'reply_to_post' as const, href: links.unsubscribePage('tok') }];
    const mail = renderNotificationMail(locale, 'Ana', [item], unsubscribes, links);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).not.toContain(String.fromCharCode(0));
    expect(mail.subject).toContain(oneLine(item.title));
    expect(mail.text).toContain('<b>bold</b> & "quoted"');
    expect(mail.text).toContain('https://forum.example/threads/t1#post-2');
    expect(mail.html).not.toMatch(/<(script|b|i)>/);
    expect(mail.html).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;');
    expect(mail.html).toContain(`dir="${locale === 'ar' ? 'rtl' : 'ltr'}"`);
    const digest = renderDigestMail(
      locale,
      'Ana',
      'weekly',
      {
        notifications: [item],
        followed: [],
        active: [{ id: 't2', title: 'Busy', kind: 'discussion', author: 'B', newPosts: 4 }],
        awaiting: [],
      },
      links.unsubscribePage('d'),
      links,
    );
    expect(digest.subject).toBe(`${NOTIFY_MESSAGES[locale].digestSubject.weekly} · LexForum`);
    expect(digest.text).toContain('https://forum.example/threads/t2');
  });
});
