import type { ReferenceLocale } from './types.js';

/** Reference names in es (see types.ts); filled by the translation of issue 15. */
export const ES: ReferenceLocale = { jurisdictions: {}, topics: {}, instruments: {} };
