/**
 * The English text of moderation in the thread pages and the submissions page. Kept here rather
 * than in messages/en.json while issue 6 is built by several hands at once (that file is shared);
 * each entry moves there as one message of the same name when the work settles.
 */
import type { ModerationNote, PostState } from '@lexforum/shared';
import { formatDateTime } from '../../lib/i18n.js';

export const t = {
  // Post states
  withheldHidden: 'This post is hidden while moderators review it.',
  withheldDeleted: 'This post was removed by a moderator.',
  bannerHidden: 'Hidden — only you and the moderators can see this',
  bannerDeleted: 'Removed — only you and the moderators can see this',
  editedByModerator: 'edited by a moderator',
  noteAutomatic: 'Hidden automatically after reports of confidential data, before a moderator looked.',
  noteBy: (name: string, iso: string) => `By ${name}, ${formatDateTime(iso)}.`,
  noteReason: (reason: string) => `Reason: ${reason}`,
  historyByModerator: 'by a moderator',

  // Report
  report: 'Report',
  reportTo: (name: string) => `post by ${name}`,
  reportTitle: 'Report this post',
  reportIntro: 'Moderators will look at it. The author is not told who reported it.',
  reportReason: 'What is wrong with it?',
  reportConfidentialHint:
    'Names, case numbers or details that identify a person or a live case. Two such reports hide the post at once.',
  reportNote: 'Note for the moderators',
  reportNoteOptional: 'Optional. What should they look at?',
  reportNoteRequired: 'Required for “Something else”: say what is wrong.',
  reportChooseReason: 'Choose a reason.',
  reportSubmit: 'Send report',
  reportSending: 'Sending…',
  reportSent: 'Report sent',
  reportThanks: 'Thank you. The moderators have it and will review the post.',
  reportAlready: 'You have already reported this post; the moderators have it.',
  close: 'Close',

  // Post moderation
  moderate: 'Moderate',
  moderateLabel: (number: number) => `Moderate post #${number}`,
  hide: 'Hide',
  restore: 'Restore',
  remove: 'Delete',
  editAsModerator: 'Edit',
  move: 'Move to another thread',
  warn: 'Warn author',
  suspend: 'Suspend author',
  reasonLabel: 'Reason',
  reasonHint: 'Between 3 and 500 characters. The author sees it; it goes in the audit log.',
  hideTitle: (number: number) => `Hide post #${number}`,
  hideBody: 'Members will see a notice in its place until it is restored.',
  restoreTitle: (number: number) => `Restore post #${number}`,
  restoreBody: 'Everyone who can read the thread will see it again.',
  deleteTitle: (number: number) => `Delete post #${number}`,
  deleteBody: 'Members will see “removed by a moderator” in its place. It is kept for the audit log.',
  moveTitle: (number: number) => `Move post #${number}`,
  moveBody: 'The post and every reply under it move to the end of the other thread, as replies to its opening post.',
  moveTarget: 'Target thread',
  moveTargetHint: 'Paste the thread’s link or its id.',
  moveTargetInvalid: 'Paste a thread link (…/threads/…) or a thread id.',
  moveTargetSame: 'That is this thread.',
  moveLooking: 'Looking up the thread…',
  moveFound: (title: string) => `Moves to: ${title}`,
  moveNotFound: 'No thread found there.',
  warnTitle: (name: string) => `Warn ${name}`,
  warnBody: 'A private notice to the author. The post is not changed.',
  suspendTitle: (name: string) => `Suspend ${name}`,
  suspendBody: 'The author can no longer sign in until an administrator lifts the suspension.',
  done: {
    hide: 'The post is hidden.',
    restore: 'The post is visible again.',
    delete: 'The post is deleted.',
    move: 'The post was moved.',
    warn: 'The author was warned.',
    suspend: 'The author is suspended.',
  },
  editReasonRequired: 'Reason for the edit (required: you are editing as a moderator)',
  editReasonHint: 'Between 3 and 300 characters. The author sees it; it goes in the audit log.',

  // Thread moderation
  lock: 'Lock',
  unlock: 'Unlock',
  pin: 'Pin',
  unpin: 'Unpin',
  resolve: 'Mark resolved',
  reopen: 'Reopen',
  retag: 'Retag',
  moderateThread: 'Moderate thread',
  lockTitle: 'Lock this thread',
  lockBody: 'Members can no longer reply. Moderators still can.',
  unlockTitle: 'Unlock this thread',
  unlockBody: 'Members can reply again.',
  pinTitle: 'Pin this thread',
  pinBody: 'It shows above the thread list.',
  pinWhere: 'Pin where',
  pinGlobal: 'Everywhere',
  pinGlobalAdmins: 'Everywhere (administrators only)',
  pinWithin: (name: string) => `Within ${name}`,
  unpinTitle: 'Unpin this thread',
  unpinBody: 'It goes back to its place in the list.',
  resolveTitle: 'Mark this question resolved',
  resolveBody: 'The question is marked as answered; replies stay open.',
  reopenTitle: 'Reopen this question',
  reopenBody: 'The question is no longer marked resolved.',
  threadDone: {
    lock: 'The thread is locked.',
    unlock: 'The thread is unlocked.',
    pin: 'The thread is pinned.',
    unpin: 'The thread is unpinned.',
    resolve: 'The question is marked resolved.',
    unresolve: 'The question is reopened.',
  },
  lockedBanner: 'This thread is locked: no new replies.',
  lockedComposer: 'This thread is locked. Replies are closed.',
  lockedComposerStaff: 'This thread is locked. As a moderator you can still reply.',
  resolvedBy: (name: string) => `Resolved by ${name}`,

  // Pre-moderation
  awaitingReview: 'Awaiting review',
  pendingHeading: 'Your replies awaiting review',
  pendingHint: 'Only you can see these until a moderator approves them.',
  replyPending: 'Your reply was sent for review. It appears here once a moderator approves it.',
  threadPending: 'Your thread was sent for review. It is published once a moderator approves it.',
  inReplyTo: (number: number) => `in reply to #${number}`,

  // Moved
  moved: (count: number, title: string) =>
    count === 1 ? `1 post was moved to “${title}”.` : `${count} posts were moved to “${title}”.`,
  movedOpen: 'Open that thread',
  dismiss: 'Dismiss',

  // Submissions page
  submissionsTitle: 'Your submissions',
  submissionsIntro:
    'While you are new to the forum, your first posts are read by a moderator before they appear. Decisions from the last 30 days are kept here.',
  submissionsEmpty: 'Nothing waiting',
  submissionsEmptyBody: 'Threads and replies you send for review will be listed here.',
  submissionsFailed: 'Your submissions could not be loaded.',
  statusPending: 'Awaiting review',
  statusApproved: 'Approved',
  statusRejected: 'Not approved',
  kindThread: 'New thread',
  kindReply: (title: string) => `Reply in “${title}”`,
  sentAt: 'Sent',
  decidedAt: 'Decided',
  viewPost: 'View it in the thread',
  rejectedReason: (reason: string) => `Moderator’s reason: ${reason}`,
  showText: 'Show the text',
} as const;

/** The banner over a post its author or a moderator still sees. */
export function stateBanner(state: PostState): string {
  return state === 'deleted' ? t.bannerDeleted : t.bannerHidden;
}

/** "Reason: … · By Daniel, 3 May 2026, 10:00." or the automatic line. */
export function noteLines(note: ModerationNote | null): string[] {
  if (!note) return [];
  const lines: string[] = [];
  if (note.reason) lines.push(t.noteReason(note.reason));
  if (note.automatic) lines.push(t.noteAutomatic);
  else if (note.by) lines.push(t.noteBy(note.by.displayName, note.at));
  return lines;
}
