/**
 * Words a notification in the reader's language. The server stores notifications as data (kind,
 * actor, the subject's title as its author wrote it, an excerpt, small enumerated params), never
 * as sentences; this picks the message for each kind × params and fills it in. The names and
 * titles it fills in are user content: they come back as separate parts, so the page can isolate
 * each in a `<bdi>` (an Arabic thread title in a French sentence keeps its own direction), and the
 * plain-text form (desktop notifications, the live region) wraps them in Unicode isolates.
 * Notifications made before this carry only their old English sentence (`legacyTitle`).
 */
import type { ModerationNoticeAction, Notification, SubmissionKind, ThreadKind } from '@lexforum/shared';
import { m } from './i18n.js';

/** A stretch of the sentence: interface text, or a value to isolate (a name, a title). */
export interface NotificationPart {
  text: string;
  isolate: boolean;
}

/** How the client names the codes some notifications carry (the reference lists). */
export interface NotificationNames {
  jurisdiction: (code: string) => string;
  topic: (slug: string) => string;
}

type Values = { actor: string; subject: string; place: string };
type Message = (values: Values) => string;

const NEW_IN_JURISDICTION: Record<ThreadKind, Message> = {
  discussion: m.notification_text_new_in_jurisdiction_discussion,
  question: m.notification_text_new_in_jurisdiction_question,
  case_note: m.notification_text_new_in_jurisdiction_case_note,
  legal_analysis: m.notification_text_new_in_jurisdiction_legal_analysis,
};

const NEW_ON_TOPIC: Record<ThreadKind, Message> = {
  discussion: m.notification_text_new_on_topic_discussion,
  question: m.notification_text_new_on_topic_question,
  case_note: m.notification_text_new_on_topic_case_note,
  legal_analysis: m.notification_text_new_on_topic_legal_analysis,
};

const APPROVED: Record<SubmissionKind, Message> = {
  thread: m.notification_text_moderated_approve_thread,
  reply: m.notification_text_moderated_approve_reply,
  edit: m.notification_text_moderated_approve_edit,
  thread_edit: m.notification_text_moderated_approve_thread_edit,
};

const REJECTED: Record<SubmissionKind, Message> = {
  thread: m.notification_text_moderated_reject_thread,
  reply: m.notification_text_moderated_reject_reply,
  edit: m.notification_text_moderated_reject_edit,
  thread_edit: m.notification_text_moderated_reject_thread_edit,
};

/** Moderation actions worded the same whatever else the params say (approve, reject, review differ). */
const MODERATED: Record<Exclude<ModerationNoticeAction, 'approve' | 'reject' | 'review'>, Message> = {
  auto_hide: m.notification_text_moderated_auto_hide,
  hide: m.notification_text_moderated_hide,
  delete: m.notification_text_moderated_delete,
  restore: m.notification_text_moderated_restore,
  reviewed_restore: m.notification_text_moderated_reviewed_restore,
  warn: m.notification_text_moderated_warn,
  move: m.notification_text_moderated_move,
  edit: m.notification_text_moderated_edit,
  retag: m.notification_text_moderated_retag,
  redact: m.notification_text_moderated_redact,
  lock: m.notification_text_moderated_lock,
  unlock: m.notification_text_moderated_unlock,
  pin: m.notification_text_moderated_pin,
  unpin: m.notification_text_moderated_unpin,
  resolve: m.notification_text_moderated_resolve,
  unresolve: m.notification_text_moderated_unresolve,
};

const ROLE_CHANGED = {
  applicant: m.notification_text_role_changed_applicant,
  member: m.notification_text_role_changed_member,
  moderator: m.notification_text_role_changed_moderator,
  admin: m.notification_text_role_changed_admin,
} as const;

/** The message for this notification's kind and params (never undefined: each kind has a default). */
function messageFor(n: Notification): Message {
  const p = n.params;
  switch (n.kind) {
    case 'application_submitted':
      return p.answered ? m.notification_text_application_answered : m.notification_text_application_submitted;
    case 'application_info_requested':
      return m.notification_text_application_info_requested;
    case 'application_approved':
      return m.notification_text_application_approved;
    case 'application_rejected':
      return m.notification_text_application_rejected;
    case 'role_changed':
      return ROLE_CHANGED[p.role ?? 'member'];
    case 'reply_to_post':
      return m.notification_text_reply_to_post;
    case 'reply_in_followed_thread':
      return m.notification_text_reply_in_followed_thread;
    case 'mention':
      return m.notification_text_mention;
    case 'thread_in_followed_jurisdiction':
      return NEW_IN_JURISDICTION[p.threadKind ?? 'discussion'];
    case 'thread_in_followed_topic':
      return NEW_ON_TOPIC[p.threadKind ?? 'discussion'];
    case 'moderation_warning':
      return m.notification_text_moderated_warn;
    case 'bookmark_reminder':
      return m.notification_text_bookmark_reminder;
    case 'answer_accepted':
      return p.jurisdiction ? m.notification_text_answer_accepted_for : m.notification_text_answer_accepted;
    case 'question_for_jurisdiction':
      return m.notification_text_question_for_jurisdiction;
    case 'direct_message':
      return m.notification_text_direct_message;
    case 'report_resolved':
      return p.outcome === 'dismissed'
        ? m.notification_text_report_resolved_dismissed
        : m.notification_text_report_resolved_upheld;
    case 'content_moderated':
      switch (p.action) {
        case undefined:
          return m.notification_text_moderated;
        case 'approve':
          return APPROVED[p.submission ?? 'reply'];
        case 'reject':
          return REJECTED[p.submission ?? 'reply'];
        case 'review':
          return p.underReview ? m.notification_text_moderated_review_on : m.notification_text_moderated_review_off;
        default:
          return MODERATED[p.action];
      }
  }
}

// Private-use characters mark where each value lands in the worded sentence.
const MARK = { actor: '\uE000a\uE001', subject: '\uE000s\uE001', place: '\uE000p\uE001' } as const;
const MARKS = /(\uE000[asp]\uE001)/;

/** The notification as a sentence in parts: interface text and the isolated values in it. */
export function notificationParts(n: Notification, names: NotificationNames): NotificationPart[] {
  if (n.legacyTitle !== null) return [{ text: n.legacyTitle, isolate: true }];
  const values: Record<string, string> = {
    [MARK.actor]: n.actor?.displayName ?? m.notification_actor_unknown(),
    [MARK.subject]: n.subject ?? m.notification_subject_unknown(),
    [MARK.place]: n.params.jurisdiction
      ? names.jurisdiction(n.params.jurisdiction)
      : n.params.topic
        ? names.topic(n.params.topic)
        : '',
  };
  const worded = messageFor(n)(MARK);
  const parts: NotificationPart[] = [];
  for (const piece of worded.split(MARKS)) {
    if (piece === '') continue;
    const value = values[piece];
    // The unknown-actor and unknown-subject fallbacks are interface text, but isolating them is harmless.
    parts.push(value === undefined ? { text: piece, isolate: false } : { text: value, isolate: true });
  }
  return parts;
}

/** First strong isolate / pop directional isolate: `<bdi>` for plain text. */
const FSI = '\u2068';
const PDI = '\u2069';

/** A name or title isolated for plain text: the `<bdi>` of strings. */
export const isolated = (text: string): string => `${FSI}${text}${PDI}`;

/** The sentence as plain text, each value wrapped in Unicode isolates (desktop notifications, live regions). */
export function notificationText(n: Notification, names: NotificationNames): string {
  return notificationParts(n, names)
    .map((part) => (part.isolate ? isolated(part.text) : part.text))
    .join('');
}

/** A line the client adds under some kinds (interface text, not stored), or null. */
export function notificationDetail(n: Notification): string | null {
  return n.kind === 'application_approved' && n.legacyTitle === null
    ? m.notification_detail_application_approved()
    : null;
}
