/**
 * The ways a user row becomes API output: the signed-in user's own view, the verified badge shown
 * beside names, and the staff view. Private fields (password hash, and email outside staff and
 * self views) have no way out through here.
 */
import { moderatorJurisdictions, sqliteOf, type DbOrTx, type UserRow } from '@lexforum/db';
import { isLocale, type CurrentUser, type Person, type StaffUser, type VerifiedBadge } from '@lexforum/shared';
import { inArray } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { prepared } from '../../lib/prepared.js';
import { accessState } from '../guardian/guardian.js';
import type { ReferenceRepository } from '../reference/reference.repository.js';
import { readSettings } from '../settings/settings.repository.js';
import { applicationStatusOf } from '../vetting/vetting.repository.js';

export function addMonths(date: Date, months: number): Date {
  const out = new Date(date);
  out.setUTCMonth(out.getUTCMonth() + months);
  return out;
}

export class UserViews {
  constructor(
    private readonly db: DbOrTx,
    private readonly reference: ReferenceRepository,
    private readonly clock: Clock,
  ) {}

  /** Display names of many users in one query. */
  people(ids: readonly (string | null)[]): Map<string, Person> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return new Map();
    // Prepared once (ids travel as JSON): badges ask for their verifiers' names on every page.
    const sqlite = sqliteOf(this.db);
    const rows = prepared(sqlite, 'users.people', () =>
      sqlite.prepare<[string], Person>(
        'select id, display_name as displayName from users where id in (select value from json_each(?))',
      ),
    ).all(JSON.stringify(wanted));
    return new Map(rows.map((r) => [r.id, { id: r.id, displayName: r.displayName }]));
  }

  /** Badges for many users with one lookup of verifiers and one of settings. */
  badges(rows: readonly UserRow[]): Map<string, VerifiedBadge> {
    const months = readSettings(this.db).reverificationMonths;
    const verifiers = this.people(rows.map((r) => r.verifiedById));
    const now = this.clock.now();
    const out = new Map<string, VerifiedBadge>();
    for (const u of rows) {
      // A suspended member's badge is not shown: the forum no longer vouches for them.
      if (u.role === 'applicant' || u.status === 'suspended' || !u.verifiedAt || !u.profession || !u.jurisdictionCode) {
        continue;
      }
      const due = addMonths(u.verifiedAt, months);
      out.set(u.id, {
        profession: u.profession,
        position: u.position ?? '',
        institution: u.institution ?? '',
        jurisdictionCode: u.jurisdictionCode,
        jurisdictionName: this.reference.jurisdictionName(u.jurisdictionCode) ?? u.jurisdictionCode,
        verifiedAt: u.verifiedAt.toISOString(),
        verifiedBy: u.verifiedById ? (verifiers.get(u.verifiedById) ?? null) : null,
        reverificationDueAt: due.toISOString(),
        reverificationDue: due.getTime() <= now.getTime(),
      });
    }
    return out;
  }

  badge(user: UserRow): VerifiedBadge | null {
    return this.badges([user]).get(user.id) ?? null;
  }

  coveredJurisdictions(userIds: readonly string[]): Map<string, string[]> {
    const out = new Map<string, string[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return out;
    const rows = this.db
      .select()
      .from(moderatorJurisdictions)
      .where(inArray(moderatorJurisdictions.userId, [...userIds]))
      .orderBy(moderatorJurisdictions.jurisdictionCode)
      .all();
    for (const r of rows) out.get(r.userId)?.push(r.jurisdictionCode);
    return out;
  }

  current(user: UserRow): CurrentUser {
    const applicationStatus = user.role === 'applicant' ? applicationStatusOf(this.db, user.id) : null;
    return {
      id: user.id,
      email: user.email,
      emailVerified: user.emailVerifiedAt !== null,
      displayName: user.displayName,
      username: user.username ?? '',
      role: user.role,
      status: user.status,
      access: accessState(user, applicationStatus),
      applicationStatus,
      badge: this.badge(user),
      languages: user.languages,
      locale: isLocale(user.locale) ? user.locale : null,
      moderatorJurisdictions:
        user.role === 'moderator' ? (this.coveredJurisdictions([user.id]).get(user.id) ?? []) : [],
      suspendedReason: user.suspendedReason,
      createdAt: user.createdAt.toISOString(),
    };
  }

  staff(rows: readonly UserRow[]): StaffUser[] {
    const badges = this.badges(rows);
    const covered = this.coveredJurisdictions(rows.filter((r) => r.role === 'moderator').map((r) => r.id));
    return rows.map((u) => ({
      id: u.id,
      email: u.email,
      displayName: u.displayName,
      role: u.role,
      status: u.status,
      badge: badges.get(u.id) ?? null,
      moderatorJurisdictions: covered.get(u.id) ?? [],
      suspendedReason: u.suspendedReason,
      hasSecondFactor: u.secondFactor,
      createdAt: u.createdAt.toISOString(),
    }));
  }
}
