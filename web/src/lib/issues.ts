/**
 * Why a field was refused, in the reader's language. The server (and the shared rules the client
 * runs for early feedback) name each refusal with an issue code (ISSUE_CODES in shared); this map
 * words every code, so a code without a message fails the type check. The English message the
 * server sent is the fallback for an issue without a code.
 */
import type { Issue, IssueCode } from '@lexforum/shared';
import { m } from './i18n.js';

type Params = Record<string, string | number>;

const WORDING: Record<IssueCode, (params: Params) => string> = {
  required: () => m.issue_required(),
  unknown_field: () => m.issue_unknown_field(),
  too_short: (p) => m.issue_too_short({ min: String(p['min'] ?? '') }),
  too_long: (p) => m.issue_too_long({ max: String(p['max'] ?? '') }),
  too_small: (p) => m.issue_too_small({ min: String(p['min'] ?? '') }),
  too_large: (p) => m.issue_too_large({ max: String(p['max'] ?? '') }),
  too_few: (p) => m.issue_too_few({ min: String(p['min'] ?? '') }),
  too_many: (p) => m.issue_too_many({ max: String(p['max'] ?? '') }),
  invalid_format: () => m.issue_invalid_format(),
  invalid_type: () => m.issue_invalid_type(),
  invalid_value: () => m.issue_invalid_value(),
  invalid: () => m.issue_invalid(),
  edge_spaces: () => m.issue_edge_spaces(),
  invisible_characters: () => m.issue_invisible_characters(),
  email_invalid: () => m.issue_email_invalid(),
  email_too_long: (p) => m.issue_email_too_long({ max: String(p['max'] ?? '') }),
  email_taken: () => m.issue_email_taken(),
  username_taken: () => m.issue_username_taken(),
  password_too_short: (p) => m.issue_password_too_short({ min: String(p['min'] ?? '') }),
  password_too_long: (p) => m.issue_password_too_long({ max: String(p['max'] ?? '') }),
  password_common: () => m.issue_password_common(),
  password_repetitive: () => m.issue_password_repetitive(),
  password_personal: () => m.issue_password_personal(),
  password_incorrect: () => m.issue_password_incorrect(),
  name_edge_spaces: () => m.issue_name_edge_spaces(),
  name_too_short: (p) => m.issue_name_too_short({ min: String(p['min'] ?? '') }),
  name_too_long: (p) => m.issue_name_too_long({ max: String(p['max'] ?? '') }),
  name_no_letter: () => m.issue_name_no_letter(),
  name_script_not_accepted: (p) => m.issue_name_script_not_accepted({ char: String(p['char'] ?? '') }),
  name_mixed_scripts: (p) => m.issue_name_mixed_scripts({ scripts: String(p['scripts'] ?? '') }),
  name_joiner: () => m.issue_name_joiner(),
  name_invisible: () => m.issue_name_invisible(),
  name_other_space: () => m.issue_name_other_space(),
  name_double_space: () => m.issue_name_double_space(),
  name_marks_on_letter: () => m.issue_name_marks_on_letter(),
  name_too_many_marks: () => m.issue_name_too_many_marks(),
  name_reserved: () => m.issue_name_reserved(),
  name_role_word: () => m.issue_name_role_word(),
  name_close_to_staff: () => m.issue_name_close_to_staff(),
  name_close_to_member: () => m.issue_name_close_to_member(),
  invalid_cursor: () => m.issue_invalid_cursor(),
  parent_not_in_thread: () => m.issue_parent_not_in_thread(),
  search_unknown_kind: (p) => m.issue_search_unknown_kind({ value: String(p['value'] ?? '') }),
  search_unknown_in: (p) => m.issue_search_unknown_in({ value: String(p['value'] ?? '') }),
  search_bad_date: (p) =>
    m.issue_search_bad_date({ operator: String(p['operator'] ?? ''), value: String(p['value'] ?? '') }),
  search_unknown_status: (p) => m.issue_search_unknown_status({ value: String(p['value'] ?? '') }),
  attachment_unavailable: () => m.issue_attachment_unavailable(),
  attachments_after_approval: () => m.issue_attachments_after_approval(),
  files_apart: () => m.issue_files_apart(),
};

/** The issue worded in the interface language; undefined for no issue (a field without error). */
export function issueText(
  issue: (Pick<Issue, 'message'> & { code?: IssueCode; params?: Params }) | null | undefined,
): string | undefined {
  if (!issue) return undefined;
  return issue.code ? WORDING[issue.code](issue.params ?? {}) : issue.message;
}
