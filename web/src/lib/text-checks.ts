/**
 * The shared input rules (checkText, checkPostText, checkDisplayName, checkEmail,
 * checkPasswordShape) for a form's early feedback, worded in the reader's language. The rules
 * return an issue code (as the server does for the same rule), which `issueText` words; a
 * message is shown beside its field, so it does not repeat the field's label.
 */
import {
  checkDisplayName as displayNameIssue,
  checkEmail as emailIssue,
  checkPasswordShape as passwordIssue,
  checkPostText as postTextIssue,
  checkText as textIssue,
  type TextRule,
} from '@lexforum/shared';
import { issueText } from './issues.js';

export function checkText(value: string, rule: TextRule): string | null {
  return issueText(textIssue(value, rule)) ?? null;
}

/** `label` names the field in the English fallback only; beside the field it is not needed. */
export function checkPostText(value: string, rule: TextRule, label?: string): string | null {
  return issueText(postTextIssue(value, rule, label)) ?? null;
}

export function checkDisplayName(name: string): string | null {
  return issueText(displayNameIssue(name)) ?? null;
}

export function checkEmail(email: string): string | null {
  return issueText(emailIssue(email)) ?? null;
}

export function checkPasswordShape(password: string): string | null {
  return issueText(passwordIssue(password)) ?? null;
}
