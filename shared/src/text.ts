/**
 * Free-text rules shared by server (authoritative) and client. A value is accepted as typed or
 * refused with a message; it is never silently altered, so what is stored is what was sent.
 */
import { issue, type Issue } from './errors.js';
import { codePointLength } from './validation.js';

/** Controls (tab and newline allowed in multi-line text), lone surrogates and bidi overrides. */
const FORBIDDEN_SINGLE_LINE = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069\u2028\u2029\uFEFF]/u;
/** `[^\P{Cc}\t\n\r]`: a control character other than tab, newline and carriage return. */
const FORBIDDEN_MULTI_LINE = /[^\P{Cc}\t\n\r]|[\p{Cs}\u202A-\u202E\u2066-\u2069\u2028\u2029\uFEFF]/u;

export interface TextRule {
  label: string;
  min: number;
  max: number;
  multiline?: boolean;
}

export function checkText(value: string, rule: TextRule): Issue | null {
  const { label, min, max } = rule;
  if (!rule.multiline && value.trim() !== value)
    return issue('edge_spaces', `${label} must not start or end with spaces.`);
  if (value.trim() === '') return issue('required', `${label} is required.`);
  const length = codePointLength(value);
  if (length < min) return issue('too_short', `${label} must be at least ${min} characters.`, { min });
  if (length > max) return issue('too_long', `${label} must be at most ${max} characters.`, { max });
  if ((rule.multiline ? FORBIDDEN_MULTI_LINE : FORBIDDEN_SINGLE_LINE).test(value)) {
    return issue('invisible_characters', `${label} contains invisible or control characters.`);
  }
  return null;
}

export const TEXT_RULES = {
  position: { label: 'Position or title', min: 2, max: 160 },
  institution: { label: 'Institution', min: 2, max: 200 },
  expertise: { label: 'Statement of expertise', min: 20, max: 4000, multiline: true },
  reason: { label: 'Reason for joining', min: 10, max: 2000, multiline: true },
  refereeName: { label: 'Referee name', min: 2, max: 120 },
  refereePosition: { label: 'Referee position', min: 2, max: 160 },
  question: { label: 'Question', min: 5, max: 2000, multiline: true },
  answer: { label: 'Answer', min: 2, max: 4000, multiline: true },
  rejectionReason: { label: 'Reason', min: 10, max: 2000, multiline: true },
  staffReason: { label: 'Reason', min: 3, max: 1000, multiline: true },
  note: { label: 'Note', min: 1, max: 1000, multiline: true },
} as const satisfies Record<string, TextRule>;
