/** Readable names for the contract's codes (professions, statuses, actions), all through messages. */
import {
  LANGUAGE_CODES,
  LANGUAGES,
  PROFESSIONS,
  REPORT_REASON_LABELS,
  type ApplicationEventKind,
  type ApplicationStatus,
  type AuditAction,
  type DigestFrequency,
  type EmailChoice,
  type MailStatus,
  type ModerationNote,
  type NotificationChannel,
  type NotificationKind,
  type PostState,
  type Profession,
  type Report,
  type ReportReason,
  type ReviewKind,
  type ReviewResolution,
  type SecurityEventKind,
  type Role,
  type ThreadKind,
  type ThreadSort,
  type UserStatus,
} from '@lexforum/shared';
import type { PickerOption } from './components/Combobox.svelte';
import { formatDateTime, m } from './i18n.js';
import { reference } from './reference.svelte.js';
import { getLocale } from './paraglide/runtime.js';

const professions: Record<Profession, () => string> = {
  judge: m.profession_judge,
  prosecutor: m.profession_prosecutor,
  investigating_magistrate: m.profession_investigating_magistrate,
  law_enforcement_investigator: m.profession_law_enforcement_investigator,
  customs_officer: m.profession_customs_officer,
  government_legal_adviser: m.profession_government_legal_adviser,
  international_official: m.profession_international_official,
  academic: m.profession_academic,
  private_sector_counsel: m.profession_private_sector_counsel,
  other: m.profession_other,
};
export const professionLabel = (profession: Profession): string => professions[profession]();

const roles: Record<Role, () => string> = {
  applicant: m.role_applicant,
  member: m.role_member,
  moderator: m.role_moderator,
  admin: m.role_admin,
};
export const roleLabel = (role: Role): string => roles[role]();

const userStatuses: Record<UserStatus, () => string> = {
  active: m.status_active,
  suspended: m.status_suspended,
};
export const userStatusLabel = (status: UserStatus): string => userStatuses[status]();

const applicationStatuses: Record<ApplicationStatus, () => string> = {
  draft: m.application_status_draft,
  submitted: m.application_status_submitted,
  info_requested: m.application_status_info_requested,
  approved: m.application_status_approved,
  rejected: m.application_status_rejected,
  withdrawn: m.application_status_withdrawn,
};
export const applicationStatusLabel = (status: ApplicationStatus): string => applicationStatuses[status]();

const eventKinds: Record<ApplicationEventKind, () => string> = {
  submitted: m.event_submitted,
  info_requested: m.event_info_requested,
  answered: m.event_answered,
  approval: m.event_approval,
  approved: m.event_approved,
  rejected: m.event_rejected,
  withdrawn: m.event_withdrawn,
};
export const eventKindLabel = (kind: ApplicationEventKind): string => eventKinds[kind]();

const auditActions: Record<AuditAction, () => string> = {
  'application.submit': m.audit_action_application_submit,
  'application.answer': m.audit_action_application_answer,
  'application.withdraw': m.audit_action_application_withdraw,
  'application.claim': m.audit_action_application_claim,
  'application.release': m.audit_action_application_release,
  'application.request_info': m.audit_action_application_request_info,
  'application.approval': m.audit_action_application_approval,
  'application.approve': m.audit_action_application_approve,
  'application.reject': m.audit_action_application_reject,
  'member.reverify': m.audit_action_member_reverify,
  'user.role_change': m.audit_action_user_role_change,
  'user.jurisdictions_change': m.audit_action_user_jurisdictions_change,
  'user.suspend': m.audit_action_user_suspend,
  'user.reinstate': m.audit_action_user_reinstate,
  'settings.change': m.audit_action_settings_change,
  'mail.retry': m.audit_action_mail_retry,
  'review.claim': m.audit_action_review_claim,
  'review.release': m.audit_action_review_release,
  'submission.approve': m.audit_action_submission_approve,
  'submission.reject': m.audit_action_submission_reject,
  'report.dismiss': m.audit_action_report_dismiss,
  'post.hide': m.audit_action_post_hide,
  'post.auto_hide': m.audit_action_post_auto_hide,
  'post.restore': m.audit_action_post_restore,
  'post.edit': m.audit_action_post_edit,
  'post.delete': m.audit_action_post_delete,
  'post.move': m.audit_action_post_move,
  'post.redact': m.audit_action_post_redact,
  'message.hide': m.audit_action_message_hide,
  'user.warn': m.audit_action_user_warn,
  'user.review': m.audit_action_user_review,
  'thread.lock': m.audit_action_thread_lock,
  'thread.unlock': m.audit_action_thread_unlock,
  'thread.pin': m.audit_action_thread_pin,
  'thread.unpin': m.audit_action_thread_unpin,
  'thread.retag': m.audit_action_thread_retag,
  'thread.retitle_redact': m.audit_action_thread_retitle_redact,
  'thread.resolve': m.audit_action_thread_resolve,
  'thread.unresolve': m.audit_action_thread_unresolve,
  'thread.accept_answer': m.audit_action_thread_accept_answer,
  'thread.unaccept_answer': m.audit_action_thread_unaccept_answer,
  'security.sign_in': m.audit_action_security_sign_in,
  'security.sign_in_new_device': m.audit_action_security_sign_in_new_device,
  'security.second_factor_failed': m.audit_action_security_second_factor_failed,
  'security.password_changed': m.audit_action_security_password_changed,
  'security.password_reset': m.audit_action_security_password_reset,
  'security.password_reset_sent_by_admin': m.audit_action_security_password_reset_sent_by_admin,
  'security.email_verified': m.audit_action_security_email_verified,
  'security.email_changed': m.audit_action_security_email_changed,
  'security.totp_enabled': m.audit_action_security_totp_enabled,
  'security.totp_disabled': m.audit_action_security_totp_disabled,
  'security.recovery_codes_generated': m.audit_action_security_recovery_codes_generated,
  'security.recovery_code_used': m.audit_action_security_recovery_code_used,
  'security.passkey_added': m.audit_action_security_passkey_added,
  'security.passkey_removed': m.audit_action_security_passkey_removed,
  'security.second_factor_reset': m.audit_action_security_second_factor_reset,
  'security.sessions_ended': m.audit_action_security_sessions_ended,
};
export const auditActionLabel = (action: AuditAction): string => auditActions[action]();

/** A member's own security event, worded as in the audit log. */
export const securityEventLabel = (kind: SecurityEventKind): string => auditActions[`security.${kind}`]();

let languageNames: Intl.DisplayNames | undefined;
/** A language's name in the reader's locale ("Swahili"), from the ISO code the contract uses. */
export function languageName(code: string): string {
  try {
    languageNames ??= new Intl.DisplayNames([getLocale()], { type: 'language' });
    const name = languageNames.of(code);
    if (name && name !== code) return name;
  } catch {
    // An engine without DisplayNames: the contract's English names below.
  }
  return (LANGUAGES as Record<string, string>)[code] ?? code;
}

/** Every working language as picker choices, by name in the reader's locale. */
export function languageOptions(): PickerOption[] {
  return LANGUAGE_CODES.map((code) => ({ value: code, label: languageName(code), detail: code })).sort((a, b) =>
    a.label.localeCompare(b.label, getLocale()),
  );
}

/** Profession choices for a select, in the contract's order. */
export function professionOptions(): { value: Profession; label: string }[] {
  return PROFESSIONS.map((value) => ({ value, label: professionLabel(value) }));
}

const threadKinds: Record<ThreadKind, () => string> = {
  discussion: m.thread_kind_discussion,
  question: m.thread_kind_question,
  case_note: m.thread_kind_case_note,
  legal_analysis: m.thread_kind_legal_analysis,
};
export const threadKindLabel = (kind: ThreadKind): string => threadKinds[kind]();

const threadSorts: Record<ThreadSort, () => string> = {
  latest: m.thread_sort_latest,
  newest: m.thread_sort_newest,
  replies: m.thread_sort_replies,
};
export const threadSortLabel = (sort: ThreadSort): string => threadSorts[sort]();

/**
 * "Medicrime Convention, art. 5", or the instrument alone when it is cited as a whole; by its short
 * name in the reader's language when the instrument is known (`shortName` is the API's English one).
 */
export function citationLabel(citation: { instrument?: string; shortName: string; provision: string | null }): string {
  const name = citation.instrument
    ? reference.instrumentShortName(citation.instrument, citation.shortName)
    : citation.shortName;
  return citation.provision ? m.citation_with_provision({ name, provision: citation.provision }) : name;
}

const notificationKinds: Record<NotificationKind, { label: () => string; description: () => string }> = {
  application_submitted: {
    label: m.notification_kind_application_submitted,
    description: m.notification_describe_application_submitted,
  },
  application_info_requested: {
    label: m.notification_kind_application_info_requested,
    description: m.notification_describe_application_info_requested,
  },
  application_approved: {
    label: m.notification_kind_application_approved,
    description: m.notification_describe_application_approved,
  },
  application_rejected: {
    label: m.notification_kind_application_rejected,
    description: m.notification_describe_application_rejected,
  },
  role_changed: { label: m.notification_kind_role_changed, description: m.notification_describe_role_changed },
  reply_to_post: { label: m.notification_kind_reply_to_post, description: m.notification_describe_reply_to_post },
  reply_in_followed_thread: {
    label: m.notification_kind_reply_in_followed_thread,
    description: m.notification_describe_reply_in_followed_thread,
  },
  mention: { label: m.notification_kind_mention, description: m.notification_describe_mention },
  thread_in_followed_jurisdiction: {
    label: m.notification_kind_thread_in_followed_jurisdiction,
    description: m.notification_describe_thread_in_followed_jurisdiction,
  },
  thread_in_followed_topic: {
    label: m.notification_kind_thread_in_followed_topic,
    description: m.notification_describe_thread_in_followed_topic,
  },
  content_moderated: {
    label: m.notification_kind_content_moderated,
    description: m.notification_describe_content_moderated,
  },
  moderation_warning: {
    label: m.notification_kind_moderation_warning,
    description: m.notification_describe_moderation_warning,
  },
  report_resolved: {
    label: m.notification_kind_report_resolved,
    description: m.notification_describe_report_resolved,
  },
  answer_accepted: {
    label: m.notification_kind_answer_accepted,
    description: m.notification_describe_answer_accepted,
  },
  bookmark_reminder: {
    label: m.notification_kind_bookmark_reminder,
    description: m.notification_describe_bookmark_reminder,
  },
  question_for_jurisdiction: {
    label: m.notification_kind_question_for_jurisdiction,
    description: m.notification_describe_question_for_jurisdiction,
  },
  direct_message: {
    label: m.notification_kind_direct_message,
    description: m.notification_describe_direct_message,
  },
};
export const notificationKindLabel = (kind: NotificationKind): string => notificationKinds[kind].label();
export const notificationKindDescription = (kind: NotificationKind): string => notificationKinds[kind].description();

const notificationChannels: Record<NotificationChannel, () => string> = {
  app: m.notification_channel_app,
  desktop: m.notification_channel_desktop,
  off: m.notification_channel_off,
};
export const notificationChannelLabel = (channel: NotificationChannel): string => notificationChannels[channel]();

const emailChoices: Record<EmailChoice, () => string> = {
  off: m.email_choice_off,
  immediate: m.email_choice_immediate,
  digest: m.email_choice_digest,
};
export const emailChoiceLabel = (choice: EmailChoice): string => emailChoices[choice]();

const digestFrequencies: Record<DigestFrequency, () => string> = {
  off: m.digest_off,
  daily: m.digest_daily,
  weekly: m.digest_weekly,
};
export const digestFrequencyLabel = (frequency: DigestFrequency): string => digestFrequencies[frequency]();

const mailStatuses: Record<MailStatus, () => string> = {
  pending: m.mail_status_pending,
  sending: m.mail_status_sending,
  sent: m.mail_status_sent,
  failed: m.mail_status_failed,
  dropped: m.mail_status_dropped,
};
export const mailStatusLabel = (status: MailStatus): string => mailStatuses[status]();

/** The contract's own wording for report reasons (the report form uses the same). */
export const reportReasonLabel = (reason: ReportReason): string => REPORT_REASON_LABELS[reason];

const reviewKinds: Record<ReviewKind, () => string> = {
  post: m.mod_kind_post,
  submission: m.mod_kind_submission,
  message: m.mod_kind_message,
};
export const reviewKindLabel = (kind: ReviewKind): string => reviewKinds[kind]();

const reviewResolutions: Record<ReviewResolution, () => string> = {
  dismissed: m.mod_resolution_dismissed,
  hidden: m.mod_resolution_hidden,
  restored: m.mod_resolution_restored,
  edited: m.mod_resolution_edited,
  deleted: m.mod_resolution_deleted,
  moved: m.mod_resolution_moved,
  approved: m.mod_resolution_approved,
  rejected: m.mod_resolution_rejected,
  warned: m.mod_resolution_warned,
};
export const reviewResolutionLabel = (resolution: ReviewResolution): string => reviewResolutions[resolution]();

const postStates: Record<PostState, () => string> = {
  visible: m.mod_state_visible,
  hidden: m.mod_state_hidden,
  deleted: m.mod_state_deleted,
};
export const postStateLabel = (state: PostState): string => postStates[state]();

const reportStatuses: Record<Report['status'], () => string> = {
  open: m.mod_report_status_open,
  upheld: m.mod_report_status_upheld,
  dismissed: m.mod_report_status_dismissed,
};
export const reportStatusLabel = (status: Report['status']): string => reportStatuses[status]();

/** What a moderator's note says: "Reason: …", then who and when (or that it was automatic). */
export function moderationNoteLines(note: ModerationNote | null): string[] {
  if (!note) return [];
  const lines: string[] = [];
  // An automatic hide's reason is the server's own English sentence: the line below says it instead.
  if (note.reason && !note.automatic) lines.push(m.moderation_note_reason({ reason: note.reason }));
  if (note.automatic) lines.push(m.moderation_note_automatic());
  else if (note.by) lines.push(m.moderation_note_by({ name: note.by.displayName, when: formatDateTime(note.at) }));
  return lines;
}
