import type { ReferenceLocale } from './types.js';

/** Reference names in ar (see types.ts); filled by the translation of issue 15. */
export const AR: ReferenceLocale = { jurisdictions: {}, topics: {}, instruments: {} };
