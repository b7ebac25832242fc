/**
 * The official names of the reference data in one interface language other than English. Countries
 * and territories are not here: clients name them with `Intl.DisplayNames` from their ISO code.
 * Every topic, every instrument and every non-ISO jurisdiction (regional bodies, international law)
 * has an entry in each language; tests/db/reference-translations.test.ts checks that.
 */
export interface ReferenceLocale {
  /** Regional bodies and `INT`, by code. */
  jurisdictions: Record<string, { name: string }>;
  /** Crime areas, by slug. */
  topics: Record<string, { name: string; description: string }>;
  /**
   * Instruments, by slug: the official title in this language as the depositary publishes it, the
   * short name used in that language (an official acronym or short title) and the adopting body.
   */
  instruments: Record<string, { shortName: string; title: string; body: string }>;
}
