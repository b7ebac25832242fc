import { describe, expect, it } from 'vitest';
import { avatarColour, initialsOf } from './avatar.js';
import { formatEdit, type Format } from './markdown-format.js';

/** The text after applying the edit, with the new selection marked by [ and ]. */
function apply(marked: string, format: Format): string {
  const start = marked.indexOf('[');
  const end = marked.indexOf(']') - 1;
  const text = marked.replace('[', '').replace(']', '');
  const edit = formatEdit(text, start, end, format);
  const next = text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
  return `${next.slice(0, edit.selectStart)}[${next.slice(edit.selectStart, edit.selectEnd)}]${next.slice(edit.selectEnd)}`;
}

describe('formatEdit', () => {
  it.each<[string, Format, string]>([
    ['Hello [world]', 'bold', 'Hello **[world]**'],
    ['Hello **[world]**', 'bold', 'Hello [world]'],
    ['Hello [world]', 'italic', 'Hello *[world]*'],
    ['a []b', 'bold', 'a **[]**b'],
    ['see [the convention]', 'link', 'see [the convention]([https://])'],
    ['[]', 'link', '[[]](https://)'],
    ['[one\ntwo]', 'quote', '[> one\n> two]'],
    ['x\n[one\ntwo]', 'bullets', 'x\n[- one\n- two]'],
    ['[one\ntwo\nthree]', 'numbers', '[1. one\n2. two\n3. three]'],
    ['call [f()] here', 'code', 'call `[f()]` here'],
    ['[a\nb]', 'code', '```\n[a\nb]\n```\n'],
    ['Tit[]le', 'heading', '## Tit[]le'],
  ])('%j with %s gives %j', (input, format, expected) => {
    expect(apply(input, format)).toBe(expected);
  });
});

describe('generated avatars', () => {
  /** WCAG contrast of white text on a #rrggbb colour. */
  function contrastWithWhite(hex: string): number {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
  }

  it('give the same person the same colour, with white initials at 4.5:1 or more', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    expect(avatarColour('abc')).toBe(avatarColour('abc'));
    for (const id of ids) expect(contrastWithWhite(avatarColour(id))).toBeGreaterThanOrEqual(4.5);
    expect(new Set(ids.map(avatarColour)).size).toBeGreaterThan(5);
  });

  it.each([
    ['Hélène Marchal', 'HM'],
    ['Nguyễn Thị Lan', 'NL'],
    ['Sofía Ramírez Ortega', 'SO'],
    ['عائشة المنصوري', 'عا'],
    ['  madonna ', 'M'],
    ['(Dr) Ann Lee', 'DL'],
  ])('of %s reads %s', (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
  });
});
