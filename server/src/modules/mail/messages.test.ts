import { LOCALES } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import { MAIL_MESSAGES } from './messages/index.js';
import { deviceName } from './device-name.js';
import { placeholders, renderMail } from './render.js';
import { MAIL_TEMPLATES, type MailLanguage } from './templates.js';

/** Every string of a language with its place, e.g. `templates.verify_email.body.0`. */
function strings(language: MailLanguage): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') out.set(path, value);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
    }
  };
  walk(language, '');
  return out;
}

describe('Mail messages', () => {
  const english = strings(MAIL_MESSAGES.en);

  it.each(LOCALES.filter((l) => l !== 'en'))(
    '%s says everything English says, with the same placeholders',
    (locale) => {
      const other = strings(MAIL_MESSAGES[locale]);
      expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [path, text] of english) {
        expect(placeholders(other.get(path)!).sort(), `${locale} ${path}`).toEqual(placeholders(text).sort());
        expect(other.get(path)!.trim(), `${locale} ${path}`).not.toBe('');
      }
    },
  );

  it('writes Arabic right to left', () => {
    expect(MAIL_MESSAGES.ar.dir).toBe('rtl');
    const { html } = renderMail('password_reset', 'ar', {
      name: 'ليلى',
      link: 'https://forum.example/reset-password#token=a.b',
    });
    expect(html).toContain('<html lang="ar" dir="rtl">');
  });

  it.each(MAIL_TEMPLATES)('renders %s in every language, text and HTML, with every placeholder filled', (template) => {
    const params = {
      name: 'Ana <b>"&"</b>',
      link: 'https://forum.example/x#token=abc.def',
      signInLink: 'https://forum.example/sign-in',
      resetLink: 'https://forum.example/forgot-password',
      newEmail: 'new@court.example',
      time: new Date('2026-11-22T09:05:00Z'),
      device: 'Firefox on Linux',
      network: '203.0.113.0/24',
      role: 'moderator',
    };
    for (const locale of LOCALES) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one parameter set serves every template
      const mail = renderMail(template, locale, params as any);
      for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/\{\w+\}/);
      expect(mail.html).not.toContain('<b>');
      expect(mail.html).toContain('Ana &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;');
      expect(mail.text).toContain('Ana <b>"&"</b>');
      expect(mail.text).toContain('https://forum.example/');
      expect(mail.html).toContain('href="https://forum.example/');
    }
  });

  it('falls back to the default language for an account without one', () => {
    const mail = renderMail('verify_email', null, { name: 'A', link: 'https://f.example/v#token=x.y' });
    expect(mail.subject).toBe(`${MAIL_MESSAGES.en.templates.verify_email.subject} · LexForum`);
    expect(renderMail('verify_email', 'fr', { name: 'A', link: 'https://f.example/v' }).subject).toContain('Confirmez');
  });
});

describe('deviceName', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      'Chrome · Windows',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox · Linux'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
      'Safari · iOS',
    ],
    ['curl/8.5.0', 'Unknown device'],
    [null, 'Unknown device'],
  ])('names %s', (userAgent, name) => {
    expect(deviceName(userAgent)).toBe(name);
  });
});
