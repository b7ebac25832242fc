// @vitest-environment node
/**
 * Guards the translated message files (web/messages/<locale>.json) against en.json: the same keys,
 * the same shape, the same placeholders, no English left behind, and, compiled by paraglide, text
 * for every message and every plural category of the language.
 */
import { compile } from '@inlang/paraglide-js';
import { LOCALES } from '@lexforum/shared';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTICAL_TO_ENGLISH } from './lib/i18n-identical';

/** A count message: one entry whose `match` maps `countPlural=<category>` to a text. */
interface Variants {
  declarations: string[];
  selectors: string[];
  match: Record<string, string>;
}
type Message = string | Variants[];
type Messages = Record<string, Message>;
type Compiled = Record<string, (inputs: Record<string, unknown>, options: { locale: string }) => string>;

const webRoot = fileURLToPath(new URL('..', import.meta.url));
const messagesDir = join(webRoot, 'messages');
const en = JSON.parse(readFileSync(join(messagesDir, 'en.json'), 'utf8')) as Messages;
const keys = Object.keys(en).filter((k) => k !== '$schema');
const translated = LOCALES.filter((l) => l !== 'en');
const present = translated.filter((l) => existsSync(join(messagesDir, `${l}.json`)));
const COUNTS = [0, 1, 2, 3, 5, 11, 100, 1_000_000];

function messagesOf(locale: string): Messages {
  const file = join(messagesDir, `${locale}.json`);
  if (!existsSync(file))
    throw new Error(`web/messages/${locale}.json is missing: the ${locale} translation is not there yet`);
  return JSON.parse(readFileSync(file, 'utf8')) as Messages;
}

const placeholders = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((x) => x[1]!))].sort();
const textsOf = (message: Message): string[] =>
  typeof message === 'string' ? [message] : Object.values(message[0]!.match);
/** The inputs a count message chooses its variant by (`local countPlural = count: plural` → count). */
const pluralInputs = (v: Variants): string[] =>
  v.declarations.flatMap((d) => /^local \w+ = (\w+): plural$/.exec(d)?.slice(1) ?? []);
/** Every input of a message: its placeholders, or the `input x` declarations of a count message. */
const inputsOf = (message: Message): string[] =>
  typeof message === 'string'
    ? placeholders(message)
    : message[0]!.declarations.flatMap((d) => /^input (\w+)$/.exec(d)?.slice(1) ?? []);
/** A text with no words of its own (`{name}, {date}`) reads the same in every language. */
const hasWords = (text: string): boolean => /\p{L}/u.test(text.replace(/\{\w+\}/g, ''));
/** Text a message should never show: a placeholder left as written, or an input it did not get. */
const UNFILLED = /\{\s*\w+\s*\}|undefined/;

// Paraglide compiles the project of web/project.inlang; a copy lists every locale that has a file,
// with absolute paths to the local plugin and the message files, so the committed settings.json
// (whatever locales it lists) is left alone.
const workdir = mkdtempSync(join(tmpdir(), 'lexforum-i18n-locales-'));
let compiled: Compiled = {};
// A file paraglide cannot compile fails the two compile tests with paraglide's error; the checks of
// the files themselves still run and say what is wrong.
let compileError: unknown;
beforeAll(async () => {
  const settings = JSON.parse(readFileSync(join(webRoot, 'project.inlang/settings.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  mkdirSync(join(workdir, 'project.inlang'));
  writeFileSync(
    join(workdir, 'project.inlang/settings.json'),
    JSON.stringify({
      ...settings,
      baseLocale: 'en',
      locales: ['en', ...present],
      modules: [join(webRoot, 'node_modules/@inlang/plugin-message-format/dist/index.js')],
      'plugin.inlang.messageFormat': { pathPattern: join(messagesDir, '{locale}.json') },
    }),
  );
  const outdir = join(workdir, 'out');
  try {
    await compile({
      project: join(workdir, 'project.inlang'),
      outdir,
      emitGitIgnore: false,
      outputStructure: 'locale-modules',
    });
    compiled = ((await import(/* @vite-ignore */ join(outdir, 'messages.js'))) as { m: Compiled }).m;
  } catch (error) {
    compileError = error;
  }
}, 120_000);
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

it('lists identical messages only for translated locales, by keys of en.json', () => {
  expect(Object.keys(IDENTICAL_TO_ENGLISH).sort()).toEqual([...translated].sort());
  for (const [locale, listed] of Object.entries(IDENTICAL_TO_ENGLISH)) {
    expect(
      listed.filter((k) => !(k in en)),
      `${locale}: listed but not in en.json`,
    ).toEqual([]);
  }
});

describe.each(translated)('messages/%s.json', (locale) => {
  it('exists', () => {
    expect(existsSync(join(messagesDir, `${locale}.json`)), `web/messages/${locale}.json is missing`).toBe(true);
  });

  it('has exactly the keys of en.json, after the $schema line', () => {
    const messages = messagesOf(locale);
    expect(Object.keys(messages)[0]).toBe('$schema');
    expect(messages.$schema).toBe(en.$schema);
    const own = Object.keys(messages).filter((k) => k !== '$schema');
    expect({
      missing: keys.filter((k) => !(k in messages)),
      extra: own.filter((k) => !(k in en)),
    }).toEqual({ missing: [], extra: [] });
  });

  it('keeps the shape of every message, with every plural category of the language', () => {
    const messages = messagesOf(locale);
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    const wrong: string[] = [];
    for (const key of keys.filter((k) => k in messages)) {
      const source = en[key]!;
      const target = messages[key]!;
      if (typeof source === 'string') {
        if (typeof target !== 'string') wrong.push(`${key}: should be a plain string`);
        continue;
      }
      if (!Array.isArray(target) || target.length !== source.length) {
        wrong.push(`${key}: should be a count message`);
        continue;
      }
      const [s, t] = [source[0]!, target[0]!];
      if (JSON.stringify(t.declarations) !== JSON.stringify(s.declarations)) wrong.push(`${key}: declarations`);
      if (JSON.stringify(t.selectors) !== JSON.stringify(s.selectors)) wrong.push(`${key}: selectors`);
      const matched = new Set(Object.keys(t.match ?? {}));
      for (const selector of s.selectors) {
        for (const category of categories) {
          if (!matched.has(`${selector}=${category}`)) wrong.push(`${key}: no variant for ${selector}=${category}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps the placeholders of every message and variant', () => {
    const messages = messagesOf(locale);
    const wrong: string[] = [];
    for (const key of keys.filter((k) => k in messages)) {
      const source = en[key]!;
      const target = messages[key]!;
      const expected = placeholders(textsOf(source).join(' '));
      if (typeof source === 'string' || typeof target === 'string') {
        for (const text of textsOf(target)) {
          if (placeholders(text).join() !== expected.join()) wrong.push(`${key}: {${placeholders(text).join('}{')}}`);
        }
        continue;
      }
      // A variant may name its count in words instead ("إشعار واحد": one notification), so the
      // count may be left out; every other placeholder stays.
      const optional = new Set(pluralInputs(source[0]!));
      for (const [variant, text] of Object.entries(target[0]?.match ?? {})) {
        const own = placeholders(text);
        const ok = own.every((p) => expected.includes(p)) && expected.every((p) => optional.has(p) || own.includes(p));
        if (!ok) wrong.push(`${key} (${variant}): {${own.join('}{')}}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('translates every message but the listed acronyms, names and examples', () => {
    const messages = messagesOf(locale);
    const allowed = new Set(IDENTICAL_TO_ENGLISH[locale] ?? []);
    const english: string[] = [];
    for (const key of keys.filter((k) => k in messages)) {
      const source = textsOf(en[key]!);
      const target = textsOf(messages[key]!);
      const same = target.every((text) => source.includes(text)) && target.some(hasWords);
      if (same && !allowed.has(key)) english.push(key);
    }
    expect(english, `${locale}: left in English (list real exceptions in web/src/lib/i18n-identical.ts)`).toEqual([]);
  });

  it('compiles: every message gives text in this language with its placeholders filled', () => {
    messagesOf(locale);
    if (compileError) throw compileError;
    const wrong: string[] = [];
    for (const key of keys) {
      const fn = compiled[key];
      if (typeof fn !== 'function') {
        wrong.push(`${key}: not compiled`);
        continue;
      }
      const inputs = Object.fromEntries(inputsOf(en[key]!).map((name) => [name, name === 'count' ? 2 : `[${name}]`]));
      const text = fn(inputs, { locale });
      if (typeof text !== 'string' || !text.trim() || UNFILLED.test(text))
        wrong.push(`${key}: ${JSON.stringify(text)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('compiles: every count message has text for 0, 1, 2, 3, 5, 11, 100 and 1,000,000', () => {
    messagesOf(locale);
    if (compileError) throw compileError;
    const wrong: string[] = [];
    for (const key of keys.filter((k) => typeof en[k] !== 'string')) {
      const source = en[key] as Variants[];
      const counted = new Set(pluralInputs(source[0]!));
      for (const count of COUNTS) {
        const inputs = Object.fromEntries(
          inputsOf(source).map((name) => [name, counted.has(name) ? count : `[${name}]`]),
        );
        const text = compiled[key]?.(inputs, { locale });
        if (typeof text !== 'string' || !text.trim() || UNFILLED.test(text)) {
          wrong.push(`${key} (${count}): ${JSON.stringify(text)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
