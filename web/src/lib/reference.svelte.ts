/**
 * Reference data every form needs (jurisdictions, topics, instruments), loaded once per visit and
 * shared, and named in the reader's language: countries and territories by `Intl.DisplayNames`
 * from their ISO code (never typed by hand), regional bodies, topics and instruments by the
 * official names the API carries in `translations`, English where a name is missing. Pickers find
 * a row by its name in the reader's language and by its English name.
 */
import type { Instrument, InstrumentList, Jurisdiction, JurisdictionList, Topic, TopicList } from '@lexforum/shared';
import { api } from './api.js';
import type { PickerOption } from './components/Combobox.svelte';
import { currentLocale, formatUnitList, m } from './i18n.js';

/** One list from the server, fetched at most once; a failed fetch is retried by the next caller. */
function once<T>(fetch: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= fetch().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}

// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache of formatters, never rendered from
const regionNames = new Map<string, Intl.DisplayNames>();
/** "Kenia", "كينيا": a country or territory by its ISO 3166 code; null if the engine has no name. */
export function countryName(code: string): string | null {
  if (!/^[A-Z]{2}$/.test(code)) return null;
  const locale = currentLocale();
  try {
    let names = regionNames.get(locale);
    if (!names)
      regionNames.set(locale, (names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' })));
    return names.of(code) ?? null;
  } catch {
    return null;
  }
}

const regions: Record<string, () => string> = {
  Africa: m.region_africa,
  Americas: m.region_americas,
  Antarctica: m.region_antarctica,
  Asia: m.region_asia,
  Europe: m.region_europe,
  Oceania: m.region_oceania,
  International: m.region_international,
  'Regional bodies': m.region_regional_bodies,
};
/** A jurisdiction's group ("Africa", "Regional bodies") in the reader's language. */
export const regionLabel = (region: string): string => regions[region]?.() ?? region;

type Translated<T> = { translations: Partial<Record<'fr' | 'es' | 'ar', T>> };
/** This row's entry in the reader's language (none in English: the row itself is English). */
function inLocale<T>(row: Translated<T> | undefined): Partial<T> {
  const locale = currentLocale();
  return (locale === 'en' ? undefined : row?.translations[locale]) ?? {};
}

/** Sorted as the reader's alphabet sorts them. */
const collator = () => new Intl.Collator(currentLocale());

class Reference {
  jurisdictions = $state<Jurisdiction[]>([]);
  topics = $state<Topic[]>([]);
  instruments = $state<Instrument[]>([]);
  readonly #byCode = $derived(new Map(this.jurisdictions.map((j) => [j.code, j])));
  readonly #topicBySlug = $derived(new Map(this.topics.map((t) => [t.slug, t])));
  readonly #instrumentBySlug = $derived(new Map(this.instruments.map((i) => [i.slug, i])));
  /**
   * The list as picker choices: "Kenya" with "KE, Africa"; countries in the reader's alphabetical
   * order, then the regional bodies and international law as the list orders them.
   */
  readonly jurisdictionOptions: PickerOption[] = $derived.by(() => {
    const options = this.jurisdictions.map((j) => ({
      kind: j.kind,
      value: j.code,
      label: this.jurisdictionName(j.code),
      detail: formatUnitList([j.code, regionLabel(j.region)]),
      aliases: [j.name],
    }));
    const sort = collator();
    const isBody = (kind: string) => kind === 'regional' || kind === 'international';
    return [
      ...options.filter((o) => !isBody(o.kind)).sort((a, b) => sort.compare(a.label, b.label)),
      ...options.filter((o) => isBody(o.kind)),
    ].map(({ kind: _, ...option }) => option);
  });
  readonly topicOptions: PickerOption[] = $derived(
    this.topics.map((t) => ({ value: t.slug, label: this.topicName(t.slug), aliases: [t.name] })),
  );
  /** "Medicrime Convention" with "2011, Council of Europe"; found by its title too. */
  readonly instrumentOptions: PickerOption[] = $derived(
    this.instruments.map((i) => {
      const local = inLocale(i);
      return {
        value: i.slug,
        label: local.shortName ?? i.shortName,
        detail: formatUnitList([String(i.year), local.body ?? i.body]),
        aliases: [i.shortName, i.title, ...(local.title ? [local.title] : [])],
      };
    }),
  );

  readonly #jurisdictions = once(() =>
    api
      .get<JurisdictionList>('/api/reference/jurisdictions')
      .then(({ jurisdictions }) => (this.jurisdictions = jurisdictions)),
  );
  readonly #topics = once(() =>
    api.get<TopicList>('/api/reference/topics').then(({ topics }) => (this.topics = topics)),
  );
  readonly #instruments = once(() =>
    api.get<InstrumentList>('/api/reference/instruments').then(({ instruments }) => (this.instruments = instruments)),
  );

  /** Loads the jurisdictions once; a failed load is retried by the next caller. */
  load(): Promise<Jurisdiction[]> {
    return this.#jurisdictions();
  }

  /** Loads every list the thread screens tag with. */
  loadTags(): Promise<unknown> {
    return Promise.all([this.#jurisdictions(), this.#topics(), this.#instruments()]);
  }

  /**
   * For a component that shows tag names (chips, badges): outside English the names come from the
   * lists, so they are loaded (once per visit); in English the names the API gave are the names.
   */
  loadNamesForLocale(): void {
    if (currentLocale() !== 'en') void this.loadTags().catch(() => undefined);
  }

  /**
   * "Kenya" / "Kenia" / "كينيا": a country by Intl, a regional body by its translation. `english`
   * is the name the API gave with the code (a tag, a badge), used while the list is loading and
   * where no translation exists.
   */
  jurisdictionName(code: string, english?: string): string {
    const j = this.#byCode.get(code);
    const fallback = j?.name ?? english ?? code;
    if (currentLocale() === 'en') return fallback;
    if (j && j.kind !== 'country' && j.kind !== 'territory') return inLocale(j).name ?? fallback;
    if (!j && !/^[A-Z]{2}$/.test(code)) return fallback;
    return countryName(code) ?? fallback;
  }

  /** A topic's name in the reader's language; `english` while the list is loading. */
  topicName(slug: string, english?: string): string {
    const t = this.#topicBySlug.get(slug);
    return inLocale(t).name ?? t?.name ?? english ?? slug;
  }

  topicDescription(slug: string): string {
    const t = this.#topicBySlug.get(slug);
    return inLocale(t).description ?? t?.description ?? '';
  }

  /** An instrument's short name in the reader's language ("CTOC", "UNTOC", "COTN"). */
  instrumentShortName(slug: string, english?: string): string {
    const i = this.#instrumentBySlug.get(slug);
    return inLocale(i).shortName ?? i?.shortName ?? english ?? slug;
  }

  instrumentTitle(slug: string): string {
    const i = this.#instrumentBySlug.get(slug);
    return inLocale(i).title ?? i?.title ?? slug;
  }

  instrumentBody(slug: string): string {
    const i = this.#instrumentBySlug.get(slug);
    return inLocale(i).body ?? i?.body ?? '';
  }

  jurisdiction(code: string): Jurisdiction | undefined {
    return this.#byCode.get(code);
  }

  topic(slug: string): Topic | undefined {
    return this.#topicBySlug.get(slug);
  }

  instrument(slug: string): Instrument | undefined {
    return this.#instrumentBySlug.get(slug);
  }
}

export const reference = new Reference();
