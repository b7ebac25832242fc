import type { Locale } from '@lexforum/shared';
import type { MailLanguage } from '../templates.js';
import { ar } from './ar.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';

/** Every interface language's email words (messages.test.ts checks they say the same things). */
export const MAIL_MESSAGES: Record<Locale, MailLanguage> = { en, fr, es, ar };
