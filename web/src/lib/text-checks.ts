/**
 * The shared free-text rules (checkText, checkPostText, checkDisplayName) with their messages in
 * the reader's language. Shared words its problems in English for the server's field messages;
 * here the same checks run and the problem is worded from the message files. A message is shown
 * beside its field, so it does not repeat the field's label.
 */
import {
  checkDisplayName as englishDisplayNameCheck,
  checkEmail as englishEmailCheck,
  codePointLength,
  DISPLAY_NAME_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  postTextProblem,
  textProblem,
  type TextProblem,
  type TextRule,
} from '@lexforum/shared';
import { m } from './i18n.js';

function worded(problem: TextProblem | null): string | null {
  if (!problem) return null;
  switch (problem.problem) {
    case 'spaces':
      return m.check_text_spaces();
    case 'required':
      return m.check_text_required();
    case 'too_short':
      return m.check_text_too_short({ min: problem.min });
    case 'too_long':
      return m.check_text_too_long({ max: problem.max });
    case 'invisible':
      return m.check_text_invisible();
  }
}

export function checkText(value: string, rule: TextRule): string | null {
  return worded(textProblem(value, rule));
}

/** `_label` names the field in shared's English message; beside the field it is not needed. */
export function checkPostText(value: string, rule: TextRule, _label?: string): string | null {
  return worded(postTextProblem(value, rule));
}

export function checkDisplayName(name: string): string | null {
  if (englishDisplayNameCheck(name) === null) return null;
  if (name.trim() !== name) return m.check_text_spaces();
  const length = codePointLength(name);
  if (length < 2) return m.check_text_too_short({ min: 2 });
  if (length > DISPLAY_NAME_MAX_LENGTH) return m.check_text_too_long({ max: DISPLAY_NAME_MAX_LENGTH });
  if (!/[\p{L}\p{N}]/u.test(name)) return m.check_name_letter();
  return m.check_name_characters();
}

export function checkEmail(email: string): string | null {
  if (englishEmailCheck(email) === null) return null;
  return email.length > EMAIL_MAX_LENGTH ? m.check_text_too_long({ max: EMAIL_MAX_LENGTH }) : m.check_email_invalid();
}

export function checkPasswordShape(password: string): string | null {
  const length = codePointLength(password);
  if (length < PASSWORD_MIN_LENGTH) return m.check_text_too_short({ min: PASSWORD_MIN_LENGTH });
  if (length > PASSWORD_MAX_LENGTH) return m.check_text_too_long({ max: PASSWORD_MAX_LENGTH });
  return null;
}
