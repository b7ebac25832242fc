/**
 * Vetting, from "I want to join" to "verified member": the applicant's application (drafts,
 * submission, answers, withdrawal) and the staff's queue, claims and decisions. Each method
 * checks access first (Guardian), then writes in one transaction together with its history
 * event, its audit entry and its notifications, so none of them can exist without the others.
 */
import { randomUUID } from 'node:crypto';
import { users, type ApplicationRow, type Db, type DbOrTx } from '@lexforum/db';
import {
  checkEmail,
  checkText,
  TEXT_RULES,
  type Application,
  type ApplicationDraftBody,
  type ApplicationEvent,
  type ApplicationReview,
  type ApproveBody,
  type AuditAction,
  type DueMemberList,
  type QueuePage,
  type QueueQuery,
  type RejectBody,
  type RequestInfoBody,
} from '@lexforum/shared';
import { and, eq, inArray, isNotNull, lte, ne } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError, assertFields, notFound } from '../../lib/errors.js';
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { notifyUsers } from '../notifications/notifications.repository.js';
import { queueUserEvent } from '../notifications/notifier.js';
import { transact, type Publisher } from '../realtime/outbox.js';
import type { ReferenceRepository } from '../reference/reference.repository.js';
import { readSettings } from '../settings/settings.repository.js';
import { findUserById, updateUser } from '../users/users.repository.js';
import { addMonths, type UserViews } from '../users/users.views.js';
import {
  activeAdmins,
  addApplicationEvent,
  currentApprovals,
  findApplication,
  findApplicationByUser,
  findRelatedAccounts,
  insertApplication,
  listApplicationEvents,
  listQueue,
  moderatorsCovering,
  QUEUE_PAGE_SIZE,
  updateApplication,
} from './vetting.repository.js';

const EDITABLE = new Set(['draft', 'info_requested', 'withdrawn']);

const invalidState = (message: string) => new AppError(409, 'INVALID_STATE', message);

/**
 * What a submitted application must have. Checked at submission, again when an answer sends it
 * back to the queue (the applicant may edit while a question is open), and before approval.
 */
function assertComplete(app: ApplicationRow): void {
  assertFields({
    profession: app.profession ? null : 'Choose your profession.',
    position: app.position ? null : `${TEXT_RULES.position.label} is required.`,
    institution: app.institution ? null : `${TEXT_RULES.institution.label} is required.`,
    jurisdictionCode: app.jurisdictionCode ? null : 'Choose the jurisdiction you serve in.',
    languages: app.languages.length > 0 ? null : 'Choose at least one working language.',
    expertise: app.expertise ? null : `${TEXT_RULES.expertise.label} is required.`,
    reason: app.reason ? null : `${TEXT_RULES.reason.label} is required.`,
  });
}

export class VettingService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly reference: ReferenceRepository,
    private readonly views: UserViews,
    private readonly realtime: Publisher,
  ) {}

  // ---- The applicant ---------------------------------------------------------------------------

  getOwnApplication(guardian: Guardian): Application | null {
    const row = findApplicationByUser(this.db, guardian.user.id);
    return row ? this.present(row, false) : null;
  }

  saveDraft(guardian: Guardian, input: ApplicationDraftBody): Application {
    this.ensureApplicant(guardian);
    const existing = findApplicationByUser(this.db, guardian.user.id);
    if (existing && !EDITABLE.has(existing.status)) throw this.notEditable(existing);
    this.validateDraft(input, existing);
    const now = this.clock.now();
    const patch = {
      ...(input.profession !== undefined && { profession: input.profession }),
      ...(input.position !== undefined && { position: input.position }),
      ...(input.institution !== undefined && { institution: input.institution }),
      ...(input.jurisdictionCode !== undefined && { jurisdictionCode: input.jurisdictionCode }),
      ...(input.otherJurisdictions !== undefined && { otherJurisdictions: input.otherJurisdictions }),
      ...(input.languages !== undefined && { languages: input.languages }),
      ...(input.professionalEmail !== undefined && { professionalEmail: input.professionalEmail }),
      ...(input.expertise !== undefined && { expertise: input.expertise }),
      ...(input.reason !== undefined && { reason: input.reason }),
      ...(input.referee !== undefined && {
        refereeName: input.referee?.name ?? null,
        refereePosition: input.referee?.position ?? null,
        refereeEmail: input.referee?.email ?? null,
      }),
      updatedAt: now,
    };
    const row = existing
      ? updateApplication(this.db, existing.id, {
          ...patch,
          ...(existing.status === 'withdrawn' && { status: 'draft' as const }),
        })
      : insertApplication(this.db, {
          id: randomUUID(),
          userId: guardian.user.id,
          status: 'draft',
          createdAt: now,
          ...patch,
        });
    return this.present(row, false);
  }

  submit(guardian: Guardian): Application {
    this.ensureApplicant(guardian);
    const app = findApplicationByUser(this.db, guardian.user.id);
    if (!app) throw invalidState('Fill in your application before you submit it.');
    if (app.status !== 'draft') throw this.notEditable(app);
    assertComplete(app);
    if (!guardian.user.emailVerifiedAt) {
      throw new AppError(
        403,
        'EMAIL_UNVERIFIED',
        'Confirm your email address before you submit your application: open the link we sent you.',
      );
    }
    const now = this.clock.now();
    const user = guardian.user;
    const row = transact(this.db, this.realtime, (tx, outbox) => {
      const row = updateApplication(tx, app.id, {
        status: 'submitted',
        submittedAt: now,
        updatedAt: now,
        claimedById: null,
        claimedUntil: null,
      });
      addApplicationEvent(tx, { applicationId: app.id, actorId: user.id, kind: 'submitted' }, now);
      this.audit(tx, app, user.id, 'application.submit', { after: { status: 'submitted' } }, now);
      notifyUsers(
        tx,
        outbox,
        this.reviewersOf(tx, app.jurisdictionCode),
        {
          kind: 'application_submitted',
          params: app.jurisdictionCode ? { jurisdiction: app.jurisdictionCode } : {},
          actorId: user.id,
          // The applicant's own words; the client names the jurisdiction from params.
          body: [app.position, app.institution].join(' · '),
          link: `/vetting/${app.id}`,
        },
        now,
      );
      queueUserEvent(
        tx,
        outbox,
        user.id,
        { type: 'application.updated', applicationId: app.id, status: 'submitted' },
        now,
      );
      return row;
    });
    return this.present(row, false);
  }

  answer(guardian: Guardian, answer: string): Application {
    this.ensureApplicant(guardian);
    const app = findApplicationByUser(this.db, guardian.user.id);
    if (!app || app.status !== 'info_requested') {
      throw invalidState('There is no open question on your application to answer.');
    }
    assertFields({ answer: checkText(answer, TEXT_RULES.answer) });
    assertComplete(app);
    const now = this.clock.now();
    const user = guardian.user;
    const asker = listApplicationEvents(this.db, app.id).findLast((e) => e.kind === 'info_requested')?.actorId;
    const row = transact(this.db, this.realtime, (tx, outbox) => {
      const row = updateApplication(tx, app.id, { status: 'submitted', pendingQuestion: null, updatedAt: now });
      addApplicationEvent(tx, { applicationId: app.id, actorId: user.id, kind: 'answered', message: answer }, now);
      this.audit(
        tx,
        app,
        user.id,
        'application.answer',
        { before: { status: 'info_requested' }, after: { status: 'submitted' } },
        now,
      );
      notifyUsers(
        tx,
        outbox,
        // The moderator who asked, if they still cover this application; otherwise whoever does.
        this.stillReviewing(tx, asker, app.jurisdictionCode),
        {
          kind: 'application_submitted',
          params: { answered: true },
          actorId: user.id,
          body: answer.slice(0, 200),
          link: `/vetting/${app.id}`,
        },
        now,
      );
      queueUserEvent(
        tx,
        outbox,
        user.id,
        { type: 'application.updated', applicationId: app.id, status: 'submitted' },
        now,
      );
      return row;
    });
    return this.present(row, false);
  }

  withdraw(guardian: Guardian): Application {
    this.ensureApplicant(guardian);
    const app = findApplicationByUser(this.db, guardian.user.id);
    // A draft was never submitted: there is nothing to withdraw, and withdrawing it would show
    // unsubmitted text to the moderators.
    if (!app || !['submitted', 'info_requested'].includes(app.status)) {
      throw invalidState('There is no submitted application to withdraw.');
    }
    const now = this.clock.now();
    const user = guardian.user;
    const row = transact(this.db, this.realtime, (tx, outbox) => {
      const row = updateApplication(tx, app.id, {
        status: 'withdrawn',
        pendingQuestion: null,
        claimedById: null,
        claimedUntil: null,
        updatedAt: now,
      });
      addApplicationEvent(tx, { applicationId: app.id, actorId: user.id, kind: 'withdrawn' }, now);
      this.audit(
        tx,
        app,
        user.id,
        'application.withdraw',
        { before: { status: app.status }, after: { status: 'withdrawn' } },
        now,
      );
      // The applicant's other tabs show the application as it now is.
      queueUserEvent(
        tx,
        outbox,
        user.id,
        { type: 'application.updated', applicationId: app.id, status: 'withdrawn' },
        now,
      );
      return row;
    });
    return this.present(row, false);
  }

  // ---- Staff -----------------------------------------------------------------------------------

  queue(guardian: Guardian, query: QueueQuery): QueuePage {
    guardian.ensureStaff();
    const { rows, total, waiting, page } = listQueue(this.db, query, guardian.scope());
    const now = this.clock.now();
    return {
      items: rows.map(({ application: a, applicantName, claimerName, approvals }) => ({
        id: a.id,
        applicant: { id: a.userId, displayName: applicantName },
        status: a.status,
        profession: a.profession,
        position: a.position,
        institution: a.institution,
        jurisdictionCode: a.jurisdictionCode,
        jurisdictionName: a.jurisdictionCode ? this.reference.jurisdictionName(a.jurisdictionCode) : null,
        submittedAt: a.submittedAt?.toISOString() ?? null,
        claim:
          a.claimedById && a.claimedUntil && a.claimedUntil > now
            ? {
                by: { id: a.claimedById, displayName: claimerName ?? '' },
                until: a.claimedUntil.toISOString(),
                mine: a.claimedById === guardian.user.id,
              }
            : null,
        approvals: Number(approvals),
      })),
      total,
      waiting,
      page,
      pageSize: QUEUE_PAGE_SIZE,
    };
  }

  review(guardian: Guardian, id: string): ApplicationReview {
    const app = this.reviewable(guardian, id);
    return this.presentReview(guardian, app);
  }

  claim(guardian: Guardian, id: string): ApplicationReview {
    const app = this.reviewable(guardian, id);
    if (app.status !== 'submitted' && app.status !== 'info_requested') {
      throw invalidState('Only applications waiting for a decision can be claimed.');
    }
    this.ensureNotClaimedByOther(guardian, app);
    const now = this.clock.now();
    const until = new Date(now.getTime() + readSettings(this.db).claimMinutes * 60_000);
    const row = this.db.transaction((tx) => {
      const row = updateApplication(tx, app.id, { claimedById: guardian.user.id, claimedUntil: until });
      this.audit(tx, app, guardian.user.id, 'application.claim', { after: { claimedUntil: until.toISOString() } }, now);
      return row;
    });
    return this.presentReview(guardian, row);
  }

  release(guardian: Guardian, id: string): ApplicationReview {
    const app = this.reviewable(guardian, id);
    if (!this.activeClaimer(app) || (app.claimedById !== guardian.user.id && !guardian.isAdmin)) {
      throw invalidState('You do not hold a claim on this application.');
    }
    const now = this.clock.now();
    const row = this.db.transaction((tx) => {
      const row = updateApplication(tx, app.id, { claimedById: null, claimedUntil: null });
      this.audit(tx, app, guardian.user.id, 'application.release', { before: { claimedById: app.claimedById } }, now);
      return row;
    });
    return this.presentReview(guardian, row);
  }

  approve(guardian: Guardian, id: string, input: ApproveBody): ApplicationReview {
    const app = this.decidable(guardian, id, ['submitted']);
    assertComplete(app);
    if (input.note !== undefined) assertFields({ note: checkText(input.note, TEXT_RULES.note) });
    const required = readSettings(this.db).fourEyesApproval ? 2 : 1;
    const approvals = currentApprovals(this.db, app.id);
    if (approvals.some((a) => a.actorId === guardian.user.id)) {
      throw new AppError(
        409,
        'ALREADY_APPROVED',
        'You have already approved this application. A second moderator must approve it too.',
      );
    }
    const actorId = guardian.user.id;
    const now = this.clock.now();
    const reason = input.note ?? null;

    if (approvals.length + 1 < required) {
      const row = this.db.transaction((tx) => {
        addApplicationEvent(tx, { applicationId: app.id, actorId, kind: 'approval', message: input.note ?? null }, now);
        this.audit(tx, app, actorId, 'application.approval', { reason, after: { approvals: 1, required } }, now);
        // The first approver steps aside so that a second moderator can take it.
        return updateApplication(tx, app.id, { claimedById: null, claimedUntil: null, updatedAt: now });
      });
      return this.presentReview(guardian, row);
    }

    const applicant = findUserById(this.db, app.userId);
    if (!applicant) throw notFound('The applicant');
    const row = transact(this.db, this.realtime, (tx, outbox) => {
      const row = updateApplication(tx, app.id, {
        status: 'approved',
        decidedAt: now,
        decidedById: actorId,
        pendingQuestion: null,
        claimedById: null,
        claimedUntil: null,
        updatedAt: now,
      });
      const member = updateUser(tx, applicant.id, {
        role: 'member',
        profession: app.profession,
        position: app.position,
        institution: app.institution,
        jurisdictionCode: app.jurisdictionCode,
        otherJurisdictions: app.otherJurisdictions,
        languages: app.languages,
        verifiedAt: now,
        verifiedById: actorId,
        updatedAt: now,
      });
      addApplicationEvent(tx, { applicationId: app.id, actorId, kind: 'approved', message: input.note ?? null }, now);
      this.audit(
        tx,
        app,
        actorId,
        'application.approve',
        {
          reason,
          before: { status: app.status, role: applicant.role },
          after: { status: 'approved', role: member.role, approvedBy: [...approvals.map((a) => a.actorId), actorId] },
        },
        now,
      );
      notifyUsers(
        tx,
        outbox,
        [applicant.id],
        {
          kind: 'application_approved',
          link: '/',
        },
        now,
      );
      queueUserEvent(
        tx,
        outbox,
        applicant.id,
        { type: 'application.updated', applicationId: app.id, status: 'approved' },
        now,
      );
      queueUserEvent(tx, outbox, applicant.id, { type: 'account.changed' }, now);
      return row;
    });
    return this.presentReview(guardian, row);
  }

  reject(guardian: Guardian, id: string, input: RejectBody): ApplicationReview {
    const app = this.decidable(guardian, id, ['submitted', 'info_requested']);
    assertFields({ reason: checkText(input.reason, TEXT_RULES.rejectionReason) });
    const now = this.clock.now();
    const actorId = guardian.user.id;
    const row = transact(this.db, this.realtime, (tx, outbox) => {
      const row = updateApplication(tx, app.id, {
        status: 'rejected',
        rejectionReason: input.reason,
        pendingQuestion: null,
        decidedAt: now,
        decidedById: actorId,
        claimedById: null,
        claimedUntil: null,
        updatedAt: now,
      });
      addApplicationEvent(tx, { applicationId: app.id, actorId, kind: 'rejected', message: input.reason }, now);
      const change = { reason: input.reason, before: { status: app.status }, after: { status: 'rejected' } };
      this.audit(tx, app, actorId, 'application.reject', change, now);
      notifyUsers(
        tx,
        outbox,
        [app.userId],
        {
          kind: 'application_rejected',
          body: input.reason,
          link: '/apply',
        },
        now,
      );
      queueUserEvent(
        tx,
        outbox,
        app.userId,
        { type: 'application.updated', applicationId: app.id, status: 'rejected' },
        now,
      );
      return row;
    });
    return this.presentReview(guardian, row);
  }

  requestInfo(guardian: Guardian, id: string, input: RequestInfoBody): ApplicationReview {
    const app = this.decidable(guardian, id, ['submitted']);
    assertFields({ question: checkText(input.question, TEXT_RULES.question) });
    const now = this.clock.now();
    const actorId = guardian.user.id;
    const row = transact(this.db, this.realtime, (tx, outbox) => {
      const row = updateApplication(tx, app.id, {
        status: 'info_requested',
        pendingQuestion: input.question,
        updatedAt: now,
      });
      addApplicationEvent(tx, { applicationId: app.id, actorId, kind: 'info_requested', message: input.question }, now);
      const change = { reason: input.question, before: { status: app.status }, after: { status: 'info_requested' } };
      this.audit(tx, app, actorId, 'application.request_info', change, now);
      notifyUsers(
        tx,
        outbox,
        [app.userId],
        {
          kind: 'application_info_requested',
          body: input.question,
          link: '/apply',
        },
        now,
      );
      queueUserEvent(
        tx,
        outbox,
        app.userId,
        { type: 'application.updated', applicationId: app.id, status: 'info_requested' },
        now,
      );
      return row;
    });
    return this.presentReview(guardian, row);
  }

  // ---- Re-verification -------------------------------------------------------------------------

  dueForReverification(guardian: Guardian): DueMemberList {
    guardian.ensureStaff();
    const months = readSettings(this.db).reverificationMonths;
    const cutoff = addMonths(this.clock.now(), -months);
    const scope = guardian.scope();
    if (scope && scope.size === 0) return { members: [] };
    const rows = this.db
      .select()
      .from(users)
      .where(
        and(
          ne(users.role, 'applicant'),
          eq(users.status, 'active'),
          isNotNull(users.verifiedAt),
          lte(users.verifiedAt, cutoff),
          ne(users.id, guardian.user.id),
          scope ? inArray(users.jurisdictionCode, [...scope]) : undefined,
        ),
      )
      .orderBy(users.verifiedAt)
      .limit(200)
      .all();
    const badges = this.views.badges(rows);
    return {
      members: rows.flatMap((u) => {
        const badge = badges.get(u.id);
        return badge ? [{ member: { id: u.id, displayName: u.displayName }, email: u.email, badge }] : [];
      }),
    };
  }

  reverify(guardian: Guardian, memberId: string): void {
    guardian.ensureStaff();
    const member = findUserById(this.db, memberId);
    if (!member || member.role === 'applicant' || !member.verifiedAt) throw notFound('That member');
    if (!guardian.canReverify(member)) throw forbidden('This member is outside your jurisdictions.');
    const now = this.clock.now();
    this.db.transaction((tx) => {
      updateUser(tx, member.id, { verifiedAt: now, verifiedById: guardian.user.id, updatedAt: now });
      recordAudit(
        tx,
        {
          actorId: guardian.user.id,
          action: 'member.reverify',
          targetType: 'user',
          targetId: member.id,
          targetUserId: member.id,
          jurisdictionCode: member.jurisdictionCode,
          before: { verifiedAt: member.verifiedAt?.toISOString() ?? null },
          after: { verifiedAt: now.toISOString() },
        },
        now,
      );
    });
  }

  // ---- Helpers ---------------------------------------------------------------------------------

  /** The audit entry of an action on an application, written in the action's transaction. */
  private audit(
    tx: DbOrTx,
    app: ApplicationRow,
    actorId: string,
    action: AuditAction,
    extra: Pick<AuditRecord, 'reason' | 'before' | 'after'>,
    now: Date,
  ): void {
    recordAudit(
      tx,
      {
        actorId,
        action,
        targetType: 'application',
        targetId: app.id,
        targetUserId: app.userId,
        jurisdictionCode: app.jurisdictionCode,
        ...extra,
      },
      now,
    );
  }

  private ensureApplicant(guardian: Guardian): void {
    if (guardian.canApply()) return;
    if (guardian.access === 'member') throw forbidden('You are already a verified member.');
    guardian.ensureForumAccess(); // throws the SUSPENDED / REJECTED answer
  }

  private notEditable(app: ApplicationRow): AppError {
    switch (app.status) {
      case 'submitted':
        return invalidState(
          'Your application is with the moderators. You can change it if they ask for more information, or withdraw it.',
        );
      case 'approved':
        return invalidState('Your application has been approved.');
      case 'rejected':
        return invalidState('Your application was not approved and cannot be changed.');
      default:
        return invalidState('Answer the moderator’s question below; your application is already submitted.');
    }
  }

  private validateDraft(input: ApplicationDraftBody, existing: ApplicationRow | undefined): void {
    const text = (value: string | null | undefined, rule: (typeof TEXT_RULES)[keyof typeof TEXT_RULES]) =>
      value === undefined || value === null ? null : checkText(value, rule);
    const known = (code: string) => this.reference.jurisdictionName(code) !== null;
    const primary =
      input.jurisdictionCode !== undefined ? input.jurisdictionCode : (existing?.jurisdictionCode ?? null);
    const others = input.otherJurisdictions ?? [];
    const referee = input.referee;
    assertFields({
      position: text(input.position, TEXT_RULES.position),
      institution: text(input.institution, TEXT_RULES.institution),
      jurisdictionCode:
        input.jurisdictionCode && !known(input.jurisdictionCode) ? 'Choose a jurisdiction from the list.' : null,
      otherJurisdictions: others.some((c) => !known(c))
        ? 'Choose jurisdictions from the list.'
        : new Set(others).size !== others.length
          ? 'A jurisdiction is listed twice.'
          : primary && others.includes(primary)
            ? 'Your own jurisdiction is already listed above.'
            : null,
      languages:
        input.languages && new Set(input.languages).size !== input.languages.length
          ? 'A language is listed twice.'
          : null,
      professionalEmail: input.professionalEmail != null ? checkEmail(input.professionalEmail) : null,
      expertise: text(input.expertise, TEXT_RULES.expertise),
      reason: text(input.reason, TEXT_RULES.reason),
      'referee/name': referee ? checkText(referee.name, TEXT_RULES.refereeName) : null,
      'referee/position': referee ? checkText(referee.position, TEXT_RULES.refereePosition) : null,
      'referee/email': referee ? checkEmail(referee.email) : null,
    });
  }

  private reviewable(guardian: Guardian, id: string): ApplicationRow {
    guardian.ensureStaff();
    const app = findApplication(this.db, id);
    // Drafts are the applicant's own until submitted.
    if (!app || app.status === 'draft' || !app.submittedAt) throw notFound('That application');
    if (!guardian.canReviewApplication(app)) throw forbidden('This application is outside your jurisdictions.');
    return app;
  }

  private decidable(guardian: Guardian, id: string, statuses: ApplicationRow['status'][]): ApplicationRow {
    const app = this.reviewable(guardian, id);
    if (!statuses.includes(app.status)) {
      throw invalidState(`This application is ${app.status.replace('_', ' ')}; that decision does not apply.`);
    }
    this.ensureNotClaimedByOther(guardian, app);
    return app;
  }

  private activeClaimer(app: ApplicationRow): string | null {
    return app.claimedById && app.claimedUntil && app.claimedUntil > this.clock.now() ? app.claimedById : null;
  }

  private ensureNotClaimedByOther(guardian: Guardian, app: ApplicationRow): void {
    const holder = this.activeClaimer(app);
    if (holder && holder !== guardian.user.id) {
      const name = findUserById(this.db, holder)?.displayName ?? 'another moderator';
      throw new AppError(409, 'CLAIMED_BY_OTHER', `${name} is working on this application.`);
    }
  }

  /** Who is told of a new submission: the jurisdiction's moderators, or the admins if it has none. */
  private reviewersOf(tx: DbOrTx, code: string | null): string[] {
    const moderators = code ? moderatorsCovering(tx, code) : [];
    return moderators.length > 0 ? moderators : activeAdmins(tx);
  }

  private stillReviewing(tx: DbOrTx, asker: string | null | undefined, code: string | null): string[] {
    const reviewers = this.reviewersOf(tx, code);
    if (!asker) return reviewers;
    const covers = reviewers.includes(asker) || activeAdmins(tx).includes(asker);
    return covers ? [asker] : reviewers;
  }

  private present(row: ApplicationRow, staffView: boolean): Application {
    const events = listApplicationEvents(this.db, row.id);
    const people = this.views.people(events.map((e) => e.actorId));
    return {
      id: row.id,
      status: row.status,
      profession: row.profession,
      position: row.position,
      institution: row.institution,
      jurisdictionCode: row.jurisdictionCode,
      jurisdictionName: row.jurisdictionCode ? this.reference.jurisdictionName(row.jurisdictionCode) : null,
      otherJurisdictions: row.otherJurisdictions,
      languages: row.languages as Application['languages'],
      professionalEmail: row.professionalEmail,
      expertise: row.expertise,
      reason: row.reason,
      referee:
        row.refereeName && row.refereePosition && row.refereeEmail
          ? { name: row.refereeName, position: row.refereePosition, email: row.refereeEmail }
          : null,
      pendingQuestion: row.pendingQuestion,
      rejectionReason: row.rejectionReason,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      submittedAt: row.submittedAt?.toISOString() ?? null,
      decidedAt: row.decidedAt?.toISOString() ?? null,
      events: events.map((e): ApplicationEvent => ({
        id: e.id,
        kind: e.kind,
        // The applicant sees what moderators did, not which moderator did it.
        actor: e.actorId && (staffView || e.actorId === row.userId) ? (people.get(e.actorId) ?? null) : null,
        // A first approval's internal note is for staff only.
        message: !staffView && (e.kind === 'approval' || e.kind === 'approved') ? null : e.message,
        createdAt: e.createdAt.toISOString(),
      })),
    };
  }

  private presentReview(guardian: Guardian, row: ApplicationRow): ApplicationReview {
    const applicant = findUserById(this.db, row.userId);
    if (!applicant) throw notFound('The applicant');
    const approvals = currentApprovals(this.db, row.id);
    const people = this.views.people([...approvals.map((a) => a.actorId), this.activeClaimer(row)]);
    const holder = this.activeClaimer(row);
    const open = row.status === 'submitted' || row.status === 'info_requested';
    const free = !holder || holder === guardian.user.id;
    return {
      application: this.present(row, true),
      applicant: {
        id: applicant.id,
        displayName: applicant.displayName,
        email: applicant.email,
        createdAt: applicant.createdAt.toISOString(),
      },
      claim:
        holder && row.claimedUntil
          ? {
              by: people.get(holder) ?? { id: holder, displayName: '' },
              until: row.claimedUntil.toISOString(),
              mine: holder === guardian.user.id,
            }
          : null,
      approvals: approvals.map((a) => ({
        by: people.get(a.actorId) ?? { id: a.actorId, displayName: '' },
        at: a.createdAt.toISOString(),
      })),
      requiredApprovals: readSettings(this.db).fourEyesApproval ? 2 : 1,
      related: findRelatedAccounts(this.db, row, applicant.email).map(({ user, matches }) => ({
        id: user.id,
        displayName: user.displayName,
        email: user.email,
        role: user.role,
        status: user.status,
        institution: user.institution,
        matches,
      })),
      can: {
        claim: open && free,
        decide: open && free && !approvals.some((a) => a.actorId === guardian.user.id),
      },
    };
  }
}
