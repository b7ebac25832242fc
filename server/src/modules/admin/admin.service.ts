/**
 * Running the instance: roles, moderators' jurisdictions, suspension and settings. Admins only,
 * never on themselves, never leaving the instance without an active admin. Each change is one
 * transaction with its audit entry (and, for suspension, the end of every session).
 */
import { applications, moderatorJurisdictions, sessions, users, type Db, type UserRow } from '@lexforum/db';
import {
  checkText,
  TEXT_RULES,
  type RoleBody,
  type Settings,
  type SettingsPatch,
  type StaffUser,
  type StaffUserPage,
  type UserQuery,
} from '@lexforum/shared';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError, assertFields, notFound } from '../../lib/errors.js';
import { containsText } from '../../lib/sql.js';
import { recordAudit } from '../audit/audit.repository.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { notifyUsers } from '../notifications/notifications.repository.js';
import { queueUserEvent } from '../notifications/notifier.js';
import { transact, type Publisher } from '../realtime/outbox.js';
import { needsSecondFactor } from '../second-factor/second-factor-state.js';
import type { ReferenceRepository } from '../reference/reference.repository.js';
import { readSettings, writeSettings } from '../settings/settings.repository.js';
import { findUserById, updateUser } from '../users/users.repository.js';
import type { UserViews } from '../users/users.views.js';
import { activeAdmins } from '../vetting/vetting.repository.js';
import type { MailLinks } from '../mail/links.js';
import { enqueueMail } from '../mail/outbox.js';
import { spendRecoveryLinks } from '../auth/email-tokens.js';

const PAGE_SIZE = 25;
/** A role as it reads in a sentence, with its article. */
const ROLE_NAMES = {
  applicant: 'an applicant',
  member: 'a member',
  moderator: 'a moderator',
  admin: 'an administrator',
};

export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly reference: ReferenceRepository,
    private readonly views: UserViews,
    private readonly realtime: Publisher,
    private readonly links: MailLinks,
  ) {}

  listUsers(guardian: Guardian, query: UserQuery): StaffUserPage {
    guardian.ensureAdmin();
    const where = and(
      query.role ? eq(users.role, query.role) : undefined,
      query.status ? eq(users.status, query.status) : undefined,
      containsText(query.q, [users.displayName, users.email, users.institution]),
    );
    const page = query.page ?? 1;
    const rows = this.db
      .select()
      .from(users)
      .where(where)
      .orderBy(asc(sql`lower(${users.displayName})`), asc(users.id))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .all();
    const total = this.db.select({ n: count() }).from(users).where(where).get()?.n ?? 0;
    return { users: this.views.staff(rows), total, page, pageSize: PAGE_SIZE };
  }

  getUser(guardian: Guardian, id: string): StaffUser {
    guardian.ensureAdmin();
    return this.views.staff([this.target(id)])[0]!;
  }

  changeRole(guardian: Guardian, id: string, input: RoleBody): StaffUser {
    guardian.ensureAdmin();
    const target = this.target(id);
    if (!guardian.canChangeRoleOf(target)) throw forbidden('You cannot change your own role.');
    assertFields({ reason: checkText(input.reason, TEXT_RULES.staffReason) });
    if (target.role === 'applicant') {
      throw new AppError(409, 'INVALID_STATE', 'Applicants become members through vetting, not by a role change.');
    }
    if (target.role === input.role) {
      throw new AppError(409, 'INVALID_STATE', `${target.displayName} is already ${ROLE_NAMES[input.role]}.`);
    }
    const now = this.clock.now();
    const updated = transact(this.db, this.realtime, (tx, outbox) => {
      if (target.role === 'admin' && !activeAdmins(tx).some((a) => a !== target.id)) throw this.lastAdmin();
      const before = this.views.coveredJurisdictions([target.id]).get(target.id) ?? [];
      if (input.role !== 'moderator') {
        tx.delete(moderatorJurisdictions).where(eq(moderatorJurisdictions.userId, target.id)).run();
      }
      if (input.role === 'member') {
        // A member no longer vets: their claims are released so that nobody waits for them to lapse.
        tx.update(applications)
          .set({ claimedById: null, claimedUntil: null })
          .where(eq(applications.claimedById, target.id))
          .run();
      }
      const updated = updateUser(tx, target.id, { role: input.role, updatedAt: now });
      recordAudit(
        tx,
        {
          actorId: guardian.user.id,
          action: 'user.role_change',
          targetType: 'user',
          targetId: target.id,
          targetUserId: target.id,
          jurisdictionCode: target.jurisdictionCode,
          reason: input.reason,
          before: { role: target.role, ...(before.length > 0 && { jurisdictions: before }) },
          after: { role: input.role },
        },
        now,
      );
      // Staff must have a second factor: a member promoted without one is led to set it up, by
      // the notification's text and by email.
      const mustEnrol = needsSecondFactor({ role: input.role, secondFactor: target.secondFactor });
      if (mustEnrol && (input.role === 'moderator' || input.role === 'admin')) {
        enqueueMail(
          tx,
          {
            to: target.email,
            locale: target.locale,
            template: 'staff_second_factor_required',
            params: { name: target.displayName, role: input.role, link: this.links.accountSecurity() },
          },
          now,
        );
      }
      notifyUsers(
        tx,
        outbox,
        [target.id],
        {
          kind: 'role_changed',
          params: { role: input.role },
          body: input.reason,
          link: mustEnrol ? '/account/security' : '/',
        },
        now,
      );
      queueUserEvent(tx, outbox, target.id, { type: 'account.changed' }, now);
      return updated;
    });
    return this.views.staff([updated])[0]!;
  }

  setJurisdictions(guardian: Guardian, id: string, codes: string[]): StaffUser {
    guardian.ensureAdmin();
    const target = this.target(id);
    if (target.role !== 'moderator') {
      throw new AppError(409, 'INVALID_STATE', 'Only moderators are assigned jurisdictions.');
    }
    assertFields({
      jurisdictions: codes.some((c) => this.reference.jurisdictionName(c) === null)
        ? 'Choose jurisdictions from the list.'
        : new Set(codes).size !== codes.length
          ? 'A jurisdiction is listed twice.'
          : null,
    });
    const before = this.views.coveredJurisdictions([target.id]).get(target.id) ?? [];
    const after = [...codes].sort();
    const now = this.clock.now();
    this.db.transaction((tx) => {
      tx.delete(moderatorJurisdictions).where(eq(moderatorJurisdictions.userId, target.id)).run();
      if (after.length > 0) {
        tx.insert(moderatorJurisdictions)
          .values(after.map((jurisdictionCode) => ({ userId: target.id, jurisdictionCode })))
          .run();
      }
      recordAudit(
        tx,
        {
          actorId: guardian.user.id,
          action: 'user.jurisdictions_change',
          targetType: 'user',
          targetId: target.id,
          targetUserId: target.id,
          jurisdictionCode: target.jurisdictionCode,
          before: { jurisdictions: before },
          after: { jurisdictions: after },
        },
        now,
      );
    });
    return this.views.staff([findUserById(this.db, target.id)!])[0]!;
  }

  /** Suspension ends every session of the user in the same transaction: they are out at once. */
  suspend(guardian: Guardian, id: string, reason: string): StaffUser {
    guardian.ensureAdmin();
    const target = this.target(id);
    if (!guardian.canSuspend(target)) throw forbidden('You cannot suspend yourself.');
    assertFields({ reason: checkText(reason, TEXT_RULES.staffReason) });
    if (target.status === 'suspended') throw new AppError(409, 'INVALID_STATE', 'This account is already suspended.');
    const now = this.clock.now();
    const updated = this.db.transaction((tx) => {
      if (target.role === 'admin' && !activeAdmins(tx).some((a) => a !== target.id)) throw this.lastAdmin();
      const updated = updateUser(tx, target.id, {
        status: 'suspended',
        suspendedAt: now,
        suspendedReason: reason,
        updatedAt: now,
      });
      const ended = tx.delete(sessions).where(eq(sessions.userId, target.id)).run().changes;
      spendRecoveryLinks(tx, target.id, now);
      tx.update(applications)
        .set({ claimedById: null, claimedUntil: null })
        .where(eq(applications.claimedById, target.id))
        .run();
      recordAudit(
        tx,
        {
          actorId: guardian.user.id,
          action: 'user.suspend',
          targetType: 'user',
          targetId: target.id,
          targetUserId: target.id,
          jurisdictionCode: target.jurisdictionCode,
          reason,
          before: { status: 'active' },
          after: { status: 'suspended', sessionsEnded: ended },
        },
        now,
      );
      return updated;
    });
    return this.views.staff([updated])[0]!;
  }

  reinstate(guardian: Guardian, id: string, reason: string): StaffUser {
    guardian.ensureAdmin();
    const target = this.target(id);
    if (!guardian.canSuspend(target)) throw forbidden('You cannot reinstate yourself.');
    assertFields({ reason: checkText(reason, TEXT_RULES.staffReason) });
    if (target.status !== 'suspended') throw new AppError(409, 'INVALID_STATE', 'This account is not suspended.');
    const now = this.clock.now();
    const updated = this.db.transaction((tx) => {
      const updated = updateUser(tx, target.id, {
        status: 'active',
        suspendedAt: null,
        suspendedReason: null,
        updatedAt: now,
      });
      recordAudit(
        tx,
        {
          actorId: guardian.user.id,
          action: 'user.reinstate',
          targetType: 'user',
          targetId: target.id,
          targetUserId: target.id,
          jurisdictionCode: target.jurisdictionCode,
          reason,
          before: { status: 'suspended', reason: target.suspendedReason },
          after: { status: 'active' },
        },
        now,
      );
      return updated;
    });
    return this.views.staff([updated])[0]!;
  }

  getSettings(guardian: Guardian): Settings {
    guardian.ensureAdmin();
    return readSettings(this.db);
  }

  updateSettings(guardian: Guardian, patch: SettingsPatch): Settings {
    guardian.ensureAdmin();
    const now = this.clock.now();
    return this.db.transaction((tx) => {
      const before = readSettings(tx);
      const changed = Object.fromEntries(
        Object.entries(patch).filter(([k, v]) => v !== undefined && before[k as keyof Settings] !== v),
      ) as Partial<Settings>;
      if (Object.keys(changed).length === 0) return before;
      writeSettings(tx, changed, guardian.user.id, now);
      recordAudit(
        tx,
        {
          actorId: guardian.user.id,
          action: 'settings.change',
          targetType: 'settings',
          before: Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof Settings]])),
          after: changed,
        },
        now,
      );
      return readSettings(tx);
    });
  }

  private target(id: string): UserRow {
    const user = findUserById(this.db, id);
    if (!user) throw notFound('That account');
    return user;
  }

  private lastAdmin(): AppError {
    return new AppError(409, 'LAST_ADMIN', 'LexForum needs at least one active administrator.');
  }
}
