import { DEMO_PEOPLE } from '@lexforum/db';
import { checkDisplayName } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import { checkReservedName } from './reserved.js';
import { nameSkeleton } from './skeleton.js';

describe('nameSkeleton', () => {
  it.each([
    ['Camille Laurent', 'Cаmille Laurent'], // Cyrillic а
    ['Camille Laurent', 'CAMILLE LAURENT'],
    ['Camille Laurent', 'Camil1e Laurent'],
    ['Camille Laurent', 'Camille  Laurent'],
    ['Camille Laurent', 'Camille\u200B Laurent'],
    ['Admin', 'Аdmin'],
    ['Moderator', 'M0DERAT0R'],
    ['Moderator', 'Мoderatоr'],
    ['Emma', 'Ernrna'],
  ])('gives %j and %j one skeleton', (a, b) => {
    expect(nameSkeleton(b)).toBe(nameSkeleton(a));
  });

  it.each([
    ['Camille Laurent', 'Camille Lauren'],
    ['Иван Петров', 'Иван Петрова'],
    ['José', 'Jose'],
  ])('tells %j and %j apart', (a, b) => {
    expect(nameSkeleton(b)).not.toBe(nameSkeleton(a));
  });
});

describe('checkDisplayName (character and script rules)', () => {
  it.each([
    ['Cyrillic а in a Latin name', 'Cаmille Laurent'],
    ['Greek ο in a Latin name', 'Camille Laurent Dοe'],
    ['zero-width joiner', 'Cam\u200Dille'],
    ['zero-width space', 'Cam\u200Bille'],
    ['zero-width non-joiner in Latin', 'Cam\u200Cille'],
    ['Hangul filler only', '\u3164\u3164'],
    ['Hangul choseong filler', 'Ab\u115F'],
    ['Braille blank', 'Camille\u2800Laurent'],
    ['30 combining marks', 'Za' + '\u0301'.repeat(30) + 'lgo'],
    ['4 marks on one letter', 'Zox\u0301\u0302\u0303\u0304'],
    ['the same mark twice', 'Zox\u0301\u0301'],
    ['right-to-left override', '\u202Enimda'],
    ['left-to-right mark', 'Camille\u200E'],
    ['variation selector', 'Camille\uFE0F'],
    ['tag characters', 'Camille\u{E0041}'],
    ['soft hyphen', 'Ca\u00ADmille'],
    ['no-break space', 'Camille\u00A0Laurent'],
    ['two spaces', 'Camille  Laurent'],
    ['a historic script', '𐌀𐌁'],
  ])('refuses a name with %s', (_, name) => {
    expect(checkDisplayName(name)).not.toBeNull();
  });

  it.each([
    'José Álvarez-Núñez',
    'Zoë Ó Briain',
    'Mary-Jane O’Neil',
    'Nguyễn Văn An',
    'Иван Петров',
    'محمد الأمين',
    'میلاد\u200Cپور',
    '王小明',
    '山田 太郎',
    'やまだ はなこ',
    '田中 Tanaka',
    '김민준',
    'Νίκος Παπαδόπουλος',
    'अमित शर्मा',
    'क्\u200Dष',
    'דוד כהן',
    'ნინო ბერიძე',
    'སྒྲོལ་མ',
    'Thabo Nkosi',
  ])('accepts %j', (name) => {
    expect(checkDisplayName(name)).toBeNull();
  });
});

describe('checkReservedName', () => {
  it.each([
    'admin',
    'Admin',
    'Аdmin',
    'ADM1N',
    'Moderator',
    'Lex Forum',
    'LexForum Support',
    'support',
    'Camille Laurent (Moderator)',
    'Camille Laurent - Admin',
    'Official Camille',
    'camille.admin',
  ])('refuses %j', (name) => {
    expect(checkReservedName(name)).not.toBeNull();
  });

  it.each(['Camille Laurent', 'Admira Hodžić', 'Modesto Ruiz', 'Helena Rootsi', 'Supporta', 'Security Mbeki'])(
    'accepts %j',
    (name) => {
      expect(checkReservedName(name)).toBeNull();
    },
  );
});

describe('the demo people', () => {
  it('have names the rules accept, no two alike', () => {
    for (const person of DEMO_PEOPLE) {
      expect(
        checkDisplayName(person.displayName) ?? checkReservedName(person.displayName),
        person.displayName,
      ).toBeNull();
    }
    const skeletons = DEMO_PEOPLE.map((p) => nameSkeleton(p.displayName));
    expect(new Set(skeletons).size).toBe(skeletons.length);
  });
});
