import type { Locale } from '@lexforum/shared';
import { ar } from './ar.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import type { NotifyLanguage } from './types.js';

/** Every interface language's words for notification and digest email. */
export const NOTIFY_MESSAGES: Record<Locale, NotifyLanguage> = { en, fr, es, ar };
export type { NotifyLanguage } from './types.js';
