/**
 * Reference names in the reader's language: countries by Intl from the ISO code, regional bodies,
 * topics and instruments by their translations (English where one is missing), and pickers that
 * find them in the reader's language and in English, whatever the accents.
 */
import type { Instrument, Jurisdiction, Topic } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankOptions } from './components/Combobox.svelte';
import { setLocale } from './paraglide/runtime.js';
import { countryName, reference, regionLabel } from './reference.svelte.js';

const jurisdictions: Jurisdiction[] = [
  { code: 'CI', name: "Côte d'Ivoire", kind: 'country', region: 'Africa', translations: {} },
  { code: 'DE', name: 'Germany', kind: 'country', region: 'Europe', translations: {} },
  { code: 'KE', name: 'Kenya', kind: 'country', region: 'Africa', translations: {} },
  {
    code: 'EU',
    name: 'European Union',
    kind: 'regional',
    region: 'Regional bodies',
    translations: { fr: { name: 'Union européenne' }, ar: { name: 'الاتحاد الأوروبي' } },
  },
  { code: 'INT', name: 'International law', kind: 'international', region: 'International', translations: {} },
];
const topics: Topic[] = [
  {
    slug: 'counterfeit-medicines',
    name: 'Counterfeit medicines',
    description: 'Falsified medical products.',
    translations: { fr: { name: 'Médicaments falsifiés', description: 'Produits médicaux falsifiés.' } },
  },
];
const instruments: Instrument[] = [
  {
    slug: 'untoc',
    shortName: 'UNTOC',
    title: 'United Nations Convention against Transnational Organized Crime',
    year: 2000,
    kind: 'convention',
    body: 'United Nations',
    translations: {
      fr: {
        shortName: 'CTO',
        title: 'Convention des Nations Unies contre la criminalité transnationale organisée',
        body: 'Organisation des Nations Unies',
      },
    },
  },
];

const picked = (options: Parameters<typeof rankOptions>[0], text: string) =>
  rankOptions(options, text).map((o) => o.value);

/** The page's language, as after a reload in it: the lists (and the options built from them) anew. */
function use(locale: 'en' | 'fr' | 'ar'): void {
  void setLocale(locale, { reload: false });
  reference.jurisdictions = [...jurisdictions];
  reference.topics = [...topics];
  reference.instruments = [...instruments];
}
beforeAll(() => use('en'));
afterAll(() => void setLocale('en', { reload: false }));

describe('reference names', () => {
  it('keeps the English names in English', () => {
    use('en');
    expect(reference.jurisdictionName('CI')).toBe("Côte d'Ivoire");
    expect(reference.topicName('counterfeit-medicines')).toBe('Counterfeit medicines');
    expect(reference.instrumentShortName('untoc')).toBe('UNTOC');
  });

  it('names countries by Intl and the rest by their translations, in French', () => {
    use('fr');
    expect(reference.jurisdictionName('DE')).toBe(new Intl.DisplayNames(['fr'], { type: 'region' }).of('DE'));
    expect(reference.jurisdictionName('DE')).not.toBe('Germany');
    expect(reference.jurisdictionName('EU')).toBe('Union européenne');
    // No translation yet: English rather than nothing.
    expect(reference.jurisdictionName('INT')).toBe('International law');
    // A tag of a code the list does not hold (yet): Intl for an ISO code, else the API's name.
    expect(reference.jurisdictionName('NG', 'Nigeria')).toBe(countryName('NG'));
    expect(reference.jurisdictionName('XYZ', 'Somewhere')).toBe('Somewhere');
    expect(reference.topicName('counterfeit-medicines')).toBe('Médicaments falsifiés');
    expect(reference.topicName('unknown', 'Unknown topic')).toBe('Unknown topic');
    expect(reference.instrumentTitle('untoc')).toMatch(/^Convention des Nations Unies/);
    expect(regionLabel('Africa')).toBeTypeOf('string');
  });

  it('finds a jurisdiction in French and in English, accents or not', () => {
    use('fr');
    const options = reference.jurisdictionOptions;
    expect(picked(options, 'allem')).toEqual(['DE']);
    expect(picked(options, 'germ')).toEqual(['DE']);
    expect(picked(options, 'cote')).toContain('CI');
    expect(picked(options, 'union europeenne')).toEqual(['EU']);
    expect(picked(options, 'european')).toEqual(['EU']);
    expect(picked(reference.topicOptions, 'medicaments')).toEqual(['counterfeit-medicines']);
    expect(picked(reference.topicOptions, 'counterfeit')).toEqual(['counterfeit-medicines']);
    expect(picked(reference.instrumentOptions, 'criminalite transnationale')).toEqual(['untoc']);
    expect(picked(reference.instrumentOptions, 'organized crime')).toEqual(['untoc']);
  });

  it('finds one in Arabic however the hamza and vowels are typed', () => {
    use('ar');
    const options = reference.jurisdictionOptions;
    const germany = reference.jurisdictionName('DE');
    expect(germany).toMatch(/\p{Script=Arabic}/u);
    expect(picked(options, germany)).toEqual(['DE']);
    expect(picked(options, 'الاتحاد الاوروبي')).toEqual(['EU']);
    expect(picked(options, 'kenya')).toEqual(['KE']);
  });
});
