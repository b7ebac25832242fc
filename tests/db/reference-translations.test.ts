/**
 * The reference data in the four interface languages: every topic, instrument and non-ISO
 * jurisdiction has its official name in French, Spanish and Arabic, and the seed stores them.
 */
import {
  createDb,
  INSTRUMENTS,
  JURISDICTIONS,
  migrate,
  REFERENCE_LOCALES,
  seedReferenceData,
  TOPICS,
} from '@lexforum/db';
import { describe, expect, it } from 'vitest';

const ARABIC = /[\u0600-\u06FF]/;

describe('Reference data translations', () => {
  for (const [locale, names] of Object.entries(REFERENCE_LOCALES)) {
    describe(locale, () => {
      it('names every regional body and international law', () => {
        for (const j of JURISDICTIONS.filter((j) => j.kind === 'regional' || j.kind === 'international')) {
          expect(names.jurisdictions[j.code]?.name, j.code).toBeTruthy();
        }
        expect(Object.keys(names.jurisdictions).sort()).toEqual(
          JURISDICTIONS.filter((j) => j.kind === 'regional' || j.kind === 'international')
            .map((j) => j.code)
            .sort(),
        );
      });

      it('names and describes every topic, in this language', () => {
        expect(Object.keys(names.topics).sort()).toEqual(TOPICS.map((t) => t.slug).sort());
        for (const t of TOPICS) {
          const entry = names.topics[t.slug]!;
          expect(entry.name, t.slug).toBeTruthy();
          expect(entry.description, t.slug).toBeTruthy();
          expect(entry.description, t.slug).not.toBe(t.description);
          if (locale === 'ar') expect(entry.name, t.slug).toMatch(ARABIC);
        }
      });

      it('gives every instrument its title, short name and adopting body', () => {
        expect(Object.keys(names.instruments).sort()).toEqual(INSTRUMENTS.map((i) => i.slug).sort());
        for (const i of INSTRUMENTS) {
          const entry = names.instruments[i.slug]!;
          expect(entry.title, i.slug).toBeTruthy();
          expect(entry.title, i.slug).not.toBe(i.title);
          expect(entry.shortName, i.slug).toBeTruthy();
          expect(entry.body, i.slug).toBeTruthy();
          if (locale === 'ar') expect(entry.title, i.slug).toMatch(ARABIC);
        }
      });
    });
  }

  it('stores them with the rows when the reference data is seeded', () => {
    const handle = createDb(':memory:');
    migrate(handle.db);
    seedReferenceData(handle.db);
    seedReferenceData(handle.db); // a second boot changes nothing and does not fail
    const untoc = handle.sqlite.prepare("select translations from instruments where slug = 'untoc'").get() as {
      translations: string;
    };
    const stored = JSON.parse(untoc.translations) as Record<string, { title: string }>;
    expect(stored.fr?.title).toBe('Convention des Nations Unies contre la criminalité transnationale organisée');
    expect(stored.es?.title).toBe('Convención de las Naciones Unidas contra la Delincuencia Organizada Transnacional');
    expect(stored.ar?.title).toBe('اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية');
    handle.close();
  });
});
