/** Reference data every form needs (jurisdictions), loaded once per visit and shared. */
import type { Jurisdiction, JurisdictionList } from '@lexforum/shared';
import { api } from './api.js';
import type { PickerOption } from './components/Combobox.svelte';

class Reference {
  jurisdictions = $state<Jurisdiction[]>([]);
  #loading: Promise<Jurisdiction[]> | null = null;
  readonly #byCode = $derived(new Map(this.jurisdictions.map((j) => [j.code, j])));
  /** The list as picker choices: "Kenya" with "KE · Africa". */
  readonly jurisdictionOptions: PickerOption[] = $derived(
    this.jurisdictions.map((j) => ({ value: j.code, label: j.name, detail: `${j.code} · ${j.region}` })),
  );

  /** Loads the list once; a failed load is retried by the next caller. */
  load(): Promise<Jurisdiction[]> {
    this.#loading ??= api.get<JurisdictionList>('/api/reference/jurisdictions').then(
      ({ jurisdictions }) => (this.jurisdictions = jurisdictions),
      (error: unknown) => {
        this.#loading = null;
        throw error;
      },
    );
    return this.#loading;
  }

  /** "Kenya", or the code itself while the list is loading. */
  jurisdictionName(code: string): string {
    return this.#byCode.get(code)?.name ?? code;
  }
}

export const reference = new Reference();
