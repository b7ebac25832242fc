/** Reference data every form needs (jurisdictions, topics, instruments), loaded once per visit and shared. */
import type { Instrument, InstrumentList, Jurisdiction, JurisdictionList, Topic, TopicList } from '@lexforum/shared';
import { api } from './api.js';
import type { PickerOption } from './components/Combobox.svelte';

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

class Reference {
  jurisdictions = $state<Jurisdiction[]>([]);
  topics = $state<Topic[]>([]);
  instruments = $state<Instrument[]>([]);
  readonly #byCode = $derived(new Map(this.jurisdictions.map((j) => [j.code, j])));
  readonly #topicBySlug = $derived(new Map(this.topics.map((t) => [t.slug, t])));
  readonly #instrumentBySlug = $derived(new Map(this.instruments.map((i) => [i.slug, i])));
  /** The list as picker choices: "Kenya" with "KE · Africa". */
  readonly jurisdictionOptions: PickerOption[] = $derived(
    this.jurisdictions.map((j) => ({ value: j.code, label: j.name, detail: `${j.code} · ${j.region}` })),
  );
  readonly topicOptions: PickerOption[] = $derived(this.topics.map((t) => ({ value: t.slug, label: t.name })));
  /** "Medicrime Convention" with "2011 · Council of Europe". */
  readonly instrumentOptions: PickerOption[] = $derived(
    this.instruments.map((i) => ({ value: i.slug, label: i.shortName, detail: `${i.year} · ${i.body}` })),
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

  /** "Kenya", or the code itself while the list is loading. */
  jurisdictionName(code: string): string {
    return this.#byCode.get(code)?.name ?? code;
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
