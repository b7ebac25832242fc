/**
 * Every access rule in one place, after Discourse's guardian.rb: services ask `can*` before they
 * read or write, and `ensure*` turns a "no" into the stable error the client shows. Pure: a
 * Guardian is built from facts loaded once per request (the user, their application status, the
 * jurisdictions they cover) and answers without touching the database, so the rules are tested
 * as a matrix.
 */
import type { UserRow } from '@lexforum/db';
import type { AccessState, ApplicationStatus, MessagingAllowFrom, MessagingRefusal } from '@lexforum/shared';
import { INTERNATIONAL } from '@lexforum/shared';
import { AppError } from '../../lib/errors.js';
import { needsSecondFactor } from '../second-factor/second-factor-state.js';

export interface GuardianFacts {
  user: UserRow;
  /** The status of the user's application (applicants), or null. */
  applicationStatus: ApplicationStatus | null;
  /** Jurisdictions the user moderates (moderators only). */
  coveredJurisdictions: ReadonlySet<string>;
  /**
   * Jurisdictions some active moderator covers, read only when a moderation rule needs it (content
   * of a jurisdiction nobody covers is every moderator's). Absent: none is covered.
   */
  staffedJurisdictions?: () => ReadonlySet<string>;
}

/** The content a moderation rule is about: a thread's tags, a post's author and state. */
export interface ModeratedThread {
  jurisdictions: readonly string[];
  locked?: boolean;
}
export interface ModeratedPost {
  authorId: string;
  state: 'visible' | 'hidden' | 'deleted';
}

/** What deciding whether one member may message another needs to know about the other. */
export interface MessagingTarget {
  id: string;
  role: string;
  status: string;
  verifiedAt: Date | null;
  jurisdictionCode: string | null;
  otherJurisdictions: readonly string[];
  messagingAllowFrom: MessagingAllowFrom;
  /** A block stands between the two members, either way. */
  blocked: boolean;
}

export function accessState(user: UserRow, applicationStatus: ApplicationStatus | null): AccessState {
  if (user.status === 'suspended') return 'suspended';
  if (user.role !== 'applicant') return needsSecondFactor(user) ? 'second_factor_required' : 'member';
  return applicationStatus === 'rejected' ? 'rejected' : 'not_vetted';
}

/** How long a Guardian trusts the jurisdictions-with-a-moderator set it read. */
const STAFFED_TTL_MS = 2000;

export const forbidden = (message: string) => new AppError(403, 'FORBIDDEN', message);

export class Guardian {
  readonly user: UserRow;
  readonly access: AccessState;
  private readonly covered: ReadonlySet<string>;
  private readonly readStaffed: () => ReadonlySet<string>;
  private staffedCache: { at: number; set: ReadonlySet<string> } | undefined;

  constructor(facts: GuardianFacts) {
    this.user = facts.user;
    this.covered = facts.coveredJurisdictions;
    this.readStaffed = facts.staffedJurisdictions ?? (() => new Set());
    this.access = accessState(facts.user, facts.applicationStatus);
  }

  get isAdmin(): boolean {
    return this.access === 'member' && this.user.role === 'admin';
  }

  get isStaff(): boolean {
    return this.access === 'member' && (this.user.role === 'admin' || this.user.role === 'moderator');
  }

  /** Reading and writing anything in the forum: vetted, active accounts only. */
  canUseForum(): boolean {
    return this.access === 'member';
  }

  /** Reading a thread and hearing of it (pushes, notifications): every member. */
  canReadThread(_thread: { id: string }): boolean {
    return this.canUseForum();
  }

  /**
   * A thread whose opening post is hidden or deleted: its author and the moderators in scope
   * only. Other threads: every member.
   */
  canSeeThread(thread: ModeratedThread & { authorId: string; state: ModeratedPost['state'] }): boolean {
    if (!this.canUseForum()) return false;
    return thread.state === 'visible' || thread.authorId === this.user.id || this.canModerate(thread);
  }

  /** A hidden or deleted post's content: its author and the moderators in scope. */
  canSeePostContent(post: ModeratedPost, thread: ModeratedThread): boolean {
    if (!this.canUseForum()) return false;
    return post.state === 'visible' || post.authorId === this.user.id || this.canModerate(thread);
  }

  /** Replies: every member, unless a moderator locked the thread (moderators in scope still can). */
  canReply(thread: ModeratedThread): boolean {
    if (!this.canUseForum()) return false;
    return !thread.locked || this.canModerate(thread);
  }

  /** A post is edited by its author while it is not deleted (moderators edit through moderation). */
  canEditPost(post: { authorId: string; state?: ModeratedPost['state'] }): boolean {
    return this.canUseForum() && post.authorId === this.user.id && post.state !== 'deleted';
  }

  /** A thread's title and tags: its author. */
  canEditThread(thread: { authorId: string }): boolean {
    return this.canUseForum() && thread.authorId === this.user.id;
  }

  /** A question's accepted answer: its author marks it, or a moderator in scope. */
  canAcceptAnswer(thread: ModeratedThread & { authorId: string }): boolean {
    return this.canUseForum() && (thread.authorId === this.user.id || this.canModerate(thread));
  }

  // ---- Direct messages ----

  /**
   * Why this member may not start a conversation with (or write to) `target`, or null if they
   * may: the target must be another active verified member, no block may stand between them
   * (either way), and the target's choice of who may write to them must admit this member (any
   * verified member; members sharing a jurisdiction, served or of expertise; nobody). Staff have
   * no exception: messaging is between members.
   */
  messagingRefusal(target: MessagingTarget): MessagingRefusal | null {
    if (!this.canUseForum()) return 'unavailable';
    if (target.id === this.user.id) return 'unavailable';
    if (target.role === 'applicant' || target.status !== 'active' || !target.verifiedAt) return 'unavailable';
    if (target.blocked) return 'blocked';
    if (target.messagingAllowFrom === 'nobody') return 'nobody';
    if (target.messagingAllowFrom === 'jurisdictions') {
      const theirs = new Set([target.jurisdictionCode, ...target.otherJurisdictions].filter((c) => c !== null));
      const mine = [this.user.jurisdictionCode, ...this.user.otherJurisdictions].filter((c) => c !== null);
      if (!mine.some((code) => theirs.has(code))) return 'jurisdictions';
    }
    return null;
  }

  /**
   * A conversation's content: its current participants only. Staff have no access of their own
   * (a reported message reaches them through the review queue alone).
   */
  canReadConversation(participant: { leftAt: Date | null } | undefined): boolean {
    return this.canUseForum() && participant !== undefined && participant.leftAt === null;
  }

  /** A message is edited by its author within the window, deleted by its author while visible. */
  canEditMessage(message: { authorId: string; state: string; createdAt: Date }, windowMs: number, now: Date): boolean {
    return (
      this.canUseForum() &&
      message.authorId === this.user.id &&
      message.state === 'visible' &&
      now.getTime() < message.createdAt.getTime() + windowMs
    );
  }

  /** Reporting a direct message: a participant, on someone else's message. */
  canReportMessage(message: { authorId: string }): boolean {
    return this.canUseForum() && message.authorId !== this.user.id;
  }

  // ---- Moderation ----

  /**
   * Content tagged with these jurisdictions is in this user's moderation scope: admins always;
   * moderators when one of the jurisdictions is theirs, is `INT`, or is covered by no moderator.
   */
  canModerate(thread: ModeratedThread): boolean {
    if (this.isAdmin) return true;
    if (!this.isStaff || this.user.role !== 'moderator') return false;
    if (thread.jurisdictions.length === 0) return true;
    if (thread.jurisdictions.some((code) => code === INTERNATIONAL || this.covered.has(code))) return true;
    // A socket's Guardian lives for hours: the set is read again after a few seconds, so a
    // jurisdiction that gains a moderator stops being every moderator's.
    const now = Date.now();
    if (!this.staffedCache || now - this.staffedCache.at > STAFFED_TTL_MS) {
      this.staffedCache = { at: now, set: this.readStaffed() };
    }
    const staffed = this.staffedCache.set;
    return thread.jurisdictions.some((code) => !staffed.has(code));
  }

  /** Acting on a post: a moderator in scope, never on their own post. */
  canModeratePost(post: { authorId: string }, thread: ModeratedThread): boolean {
    return post.authorId !== this.user.id && this.canModerate(thread);
  }

  /**
   * Redacting text out of a post for good: its author (a name pasted by mistake), or a moderator
   * in scope, on the record. Unlike other moderation, a moderator may redact their own post.
   */
  canRedactPost(post: { authorId: string }, thread: ModeratedThread): boolean {
    return this.canUseForum() && (post.authorId === this.user.id || this.canModerate(thread));
  }

  /**
   * A review item in the queue: the staff in scope, except the author of what it is about. A
   * moderator never sees, claims or decides the reports on their own post (nor who made them);
   * the other moderators in scope and the admins do.
   */
  canReviewItem(item: { authorId: string }, scope: ModeratedThread): boolean {
    return item.authorId !== this.user.id && this.canModerate(scope);
  }

  /** Reporting: any member, on someone else's post. */
  canReport(post: { authorId: string }): boolean {
    return this.canUseForum() && post.authorId !== this.user.id;
  }

  /** Pinning for everyone (not within a jurisdiction): admins. */
  canPinGlobally(): boolean {
    return this.isAdmin;
  }

  /**
   * Suspending a post's author: admins, or moderators in scope when the instance allows it;
   * never oneself or another moderator or admin (that is an admin's role change).
   */
  canSuspendAuthor(
    author: { id: string; role: string },
    thread: ModeratedThread,
    moderatorsCanSuspend: boolean,
  ): boolean {
    if (author.id === this.user.id || author.role === 'moderator' || author.role === 'admin') return false;
    if (this.isAdmin) return true;
    return moderatorsCanSuspend && this.canModerate(thread);
  }

  /** Members placed under review and out of it: the moderators of their jurisdiction (same rule). */
  canReviewMember(member: { id: string; role: string; jurisdictionCode: string | null }): boolean {
    if (member.id === this.user.id || member.role === 'moderator' || member.role === 'admin') return false;
    return this.canModerate({ jurisdictions: member.jurisdictionCode ? [member.jurisdictionCode] : [] });
  }

  /** Only applicants (not rejected, not suspended) fill in and change an application. */
  canApply(): boolean {
    return this.access === 'not_vetted';
  }

  /** The application of a jurisdiction: its moderators and every admin. No jurisdiction: admins. */
  coversJurisdiction(code: string | null): boolean {
    if (this.isAdmin) return true;
    return this.isStaff && code !== null && this.covered.has(code);
  }

  canReviewApplication(application: { jurisdictionCode: string | null; userId: string }): boolean {
    return application.userId !== this.user.id && this.coversJurisdiction(application.jurisdictionCode);
  }

  canReverify(member: { id: string; jurisdictionCode: string | null }): boolean {
    return member.id !== this.user.id && this.coversJurisdiction(member.jurisdictionCode);
  }

  canManageUsers(): boolean {
    return this.isAdmin;
  }

  /** Roles and suspension: admins, never on themselves (a slip could lock the instance). */
  canChangeRoleOf(target: { id: string }): boolean {
    return this.isAdmin && target.id !== this.user.id;
  }

  canSuspend(target: { id: string }): boolean {
    return this.isAdmin && target.id !== this.user.id;
  }

  canViewAudit(): boolean {
    return this.isStaff;
  }

  canViewAuditEntry(entry: { jurisdictionCode: string | null }): boolean {
    return (
      this.isAdmin || (this.isStaff && entry.jurisdictionCode !== null && this.covered.has(entry.jurisdictionCode))
    );
  }

  /** The jurisdictions whose applications, members and audit entries this user sees; null = all. */
  scope(): ReadonlySet<string> | null {
    if (this.isAdmin) return null;
    return this.isStaff ? this.covered : new Set();
  }

  // ---- ensure*: the same answers as errors ----

  ensureForumAccess(): void {
    switch (this.access) {
      case 'member':
        return;
      case 'suspended':
        throw new AppError(403, 'SUSPENDED', 'This account is suspended. Contact the forum administrators.');
      case 'rejected':
        throw new AppError(403, 'REJECTED', 'Your application to LexForum was not approved.');
      case 'not_vetted':
        throw new AppError(
          403,
          'NOT_VETTED',
          'LexForum opens once your application is approved. You can follow it on your application page.',
        );
      case 'second_factor_required':
        throw new AppError(
          403,
          'SECOND_FACTOR_REQUIRED',
          'Moderators and administrators must set up a second factor (an authenticator app or a passkey) before using LexForum. Set one up on your Security page.',
        );
    }
  }

  ensureStaff(): void {
    this.ensureForumAccess();
    if (!this.isStaff) throw forbidden('Only moderators and administrators can do this.');
  }

  ensureAdmin(): void {
    this.ensureForumAccess();
    if (!this.isAdmin) throw forbidden('Only administrators can do this.');
  }
}
