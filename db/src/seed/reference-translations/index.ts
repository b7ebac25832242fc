import type { ReferenceTranslations } from '../../schema.js';
import { AR } from './ar.js';
import { ES } from './es.js';
import { FR } from './fr.js';
import type { ReferenceLocale } from './types.js';

export type { ReferenceLocale } from './types.js';

export const REFERENCE_LOCALES: Readonly<Record<'fr' | 'es' | 'ar', ReferenceLocale>> = { fr: FR, es: ES, ar: AR };

/** The `translations` value of one reference row: its entry in each language that has one. */
export function translationsOf(table: keyof ReferenceLocale, key: string): ReferenceTranslations {
  const out: ReferenceTranslations = {};
  for (const [locale, names] of Object.entries(REFERENCE_LOCALES)) {
    const entry = names[table][key];
    if (entry) out[locale] = { ...entry };
  }
  return out;
}
