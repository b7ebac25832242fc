/**
 * The Guardian of any account, from its row: what a request's `guardian()` builds for the signed-in
 * member, for work done on a member's behalf outside a request (a bookmark's reminder).
 */
import { moderatorJurisdictions, users, type Db, type UserRow } from '@lexforum/db';
import { eq, sql } from 'drizzle-orm';
import { applicationStatusOf } from '../vetting/vetting.repository.js';
import { Guardian } from './guardian.js';

/** Jurisdictions some active moderator covers (content of the others is every moderator's). */
export function staffedJurisdictions(db: Db): ReadonlySet<string> {
  const rows = db.all<{ code: string }>(
    sql`select distinct mj.jurisdiction_code as code from ${moderatorJurisdictions} mj
        join ${users} u on u.id = mj.user_id
        where u.role = 'moderator' and u.status = 'active' and u.second_factor = 1`,
  );
  return new Set(rows.map((r) => r.code));
}

export function guardianFor(db: Db, user: UserRow): Guardian {
  const applicationStatus = user.role === 'applicant' ? applicationStatusOf(db, user.id) : null;
  const covered =
    user.role === 'moderator'
      ? db
          .select({ code: moderatorJurisdictions.jurisdictionCode })
          .from(moderatorJurisdictions)
          .where(eq(moderatorJurisdictions.userId, user.id))
          .all()
          .map((r) => r.code)
      : [];
  return new Guardian({
    user,
    applicationStatus,
    coveredJurisdictions: new Set(covered),
    staffedJurisdictions: () => staffedJurisdictions(db),
  });
}
