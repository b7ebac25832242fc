/**
 * Free-text rules shared by server (authoritative) and client. A value is accepted as typed or
 * refused with a message; it is never silently altered, so what is stored is what was sent.
 */
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

/** What is wrong with a text, as data: the web client words it in the reader's language. */
export type TextProblem =
  | { problem: 'spaces' }
  | { problem: 'required' }
  | { problem: 'too_short'; min: number }
  | { problem: 'too_long'; max: number }
  | { problem: 'invisible' };

export function textProblem(value: string, rule: TextRule): TextProblem | null {
  const { min, max } = rule;
  if (!rule.multiline && value.trim() !== value) return { problem: 'spaces' };
  if (value.trim() === '') return { problem: 'required' };
  const length = codePointLength(value);
  if (length < min) return { problem: 'too_short', min };
  if (length > max) return { problem: 'too_long', max };
  if ((rule.multiline ? FORBIDDEN_MULTI_LINE : FORBIDDEN_SINGLE_LINE).test(value)) return { problem: 'invisible' };
  return null;
}

/** The problem in English, named by the rule's label (the server's field messages). */
export function textProblemMessage(problem: TextProblem, label: string): string {
  switch (problem.problem) {
    case 'spaces':
      return `${label} must not start or end with spaces.`;
    case 'required':
      return `${label} is required.`;
    case 'too_short':
      return `${label} must be at least ${problem.min} characters.`;
    case 'too_long':
      return `${label} must be at most ${problem.max} characters.`;
    case 'invisible':
      return `${label} contains invisible or control characters.`;
  }
}

export function checkText(value: string, rule: TextRule): string | null {
  const problem = textProblem(value, rule);
  return problem && textProblemMessage(problem, rule.label);
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
