/**
 * Every access rule in one place, after Discourse's guardian.rb: services ask `can*` before they
 * read or write, and `ensure*` turns a "no" into the stable error the client shows. Pure: a
 * Guardian is built from facts loaded once per request (the user, their application status, the
 * jurisdictions they cover) and answers without touching the database, so the rules are tested
 * as a matrix.
 */
import type { UserRow } from '@lexforum/db';
import type { AccessState, ApplicationStatus } from '@lexforum/shared';
import { AppError } from '../../lib/errors.js';

export interface GuardianFacts {
  user: UserRow;
  /** The status of the user's application (applicants), or null. */
  applicationStatus: ApplicationStatus | null;
  /** Jurisdictions the user moderates (moderators only). */
  coveredJurisdictions: ReadonlySet<string>;
}

export function accessState(user: UserRow, applicationStatus: ApplicationStatus | null): AccessState {
  if (user.status === 'suspended') return 'suspended';
  if (user.role !== 'applicant') return 'member';
  return applicationStatus === 'rejected' ? 'rejected' : 'not_vetted';
}

export const forbidden = (message: string) => new AppError(403, 'FORBIDDEN', message);

export class Guardian {
  readonly user: UserRow;
  readonly access: AccessState;
  private readonly covered: ReadonlySet<string>;

  constructor(facts: GuardianFacts) {
    this.user = facts.user;
    this.covered = facts.coveredJurisdictions;
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

  /** Threads and posts: every member reads, starts threads and replies (locks come with moderation). */
  /** Reading a thread and hearing of it (pushes, notifications). */
  canReadThread(_thread: { id: string }): boolean {
    return this.canUseForum();
  }

  canReply(_thread: { id: string }): boolean {
    return this.canUseForum();
  }

  /** A post is edited by its author only (moderators' edits come with moderation). */
  canEditPost(post: { authorId: string }): boolean {
    return this.canUseForum() && post.authorId === this.user.id;
  }

  /** A thread's title and tags: its author. */
  canEditThread(thread: { authorId: string }): boolean {
    return this.canUseForum() && thread.authorId === this.user.id;
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
