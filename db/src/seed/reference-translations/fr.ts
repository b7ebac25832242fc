import type { ReferenceLocale } from './types.js';

/** Reference names in fr (see types.ts); filled by the translation of issue 15. */
export const FR: ReferenceLocale = { jurisdictions: {}, topics: {}, instruments: {} };
