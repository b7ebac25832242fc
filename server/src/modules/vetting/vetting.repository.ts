import {
  applicationEvents,
  applications,
  moderatorJurisdictions,
  users,
  type ApplicationRow,
  type DbOrTx,
  type NewApplicationRow,
  type UserRow,
} from '@lexforum/db';
import type { ApplicationEventKind, QueueQuery } from '@lexforum/shared';
import { and, asc, count, eq, inArray, isNotNull, isNull, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { foldCase } from '../../lib/sql.js';

export function findApplicationByUser(db: DbOrTx, userId: string): ApplicationRow | undefined {
  return db.select().from(applications).where(eq(applications.userId, userId)).get();
}

/** The status of a user's application, or null when they have none. */
export function applicationStatusOf(db: DbOrTx, userId: string): ApplicationRow['status'] | null {
  return (
    db.select({ status: applications.status }).from(applications).where(eq(applications.userId, userId)).get()
      ?.status ?? null
  );
}

export function findApplication(db: DbOrTx, id: string): ApplicationRow | undefined {
  return db.select().from(applications).where(eq(applications.id, id)).get();
}

export function insertApplication(db: DbOrTx, row: NewApplicationRow): ApplicationRow {
  return db.insert(applications).values(row).returning().get();
}

export function updateApplication(
  db: DbOrTx,
  id: string,
  patch: Partial<Omit<NewApplicationRow, 'id' | 'userId'>>,
): ApplicationRow {
  const row = db.update(applications).set(patch).where(eq(applications.id, id)).returning().get();
  if (!row) throw new Error(`application ${id} vanished during update`);
  return row;
}

export function addApplicationEvent(
  db: DbOrTx,
  event: { applicationId: string; actorId: string | null; kind: ApplicationEventKind; message?: string | null },
  now: Date,
): void {
  db.insert(applicationEvents)
    .values({ ...event, message: event.message ?? null, createdAt: now })
    .run();
}

export function listApplicationEvents(db: DbOrTx, applicationId: string) {
  return db
    .select()
    .from(applicationEvents)
    .where(eq(applicationEvents.applicationId, applicationId))
    .orderBy(asc(applicationEvents.id))
    .all();
}

/**
 * Approvals given since the application last changed hands (a submission, a question or an
 * answer resets them): under four eyes, the first of two.
 */
export function currentApprovals(db: DbOrTx, applicationId: string): { actorId: string; createdAt: Date }[] {
  const events = listApplicationEvents(db, applicationId);
  const out: { actorId: string; createdAt: Date }[] = [];
  for (const e of events) {
    if (e.kind === 'submitted' || e.kind === 'info_requested' || e.kind === 'answered') out.length = 0;
    else if (e.kind === 'approval' && e.actorId) out.push({ actorId: e.actorId, createdAt: e.createdAt });
  }
  return out;
}

/** The SQL twin of `currentApprovals`, for the queue (one query for a page of rows). */
const approvalsCount = sql<number>`(
  select count(*) from ${applicationEvents} e
  where e.application_id = ${applications.id} and e.kind = 'approval'
    and e.id > coalesce((select max(r.id) from ${applicationEvents} r
      where r.application_id = ${applications.id} and r.kind in ('submitted', 'info_requested', 'answered')), 0)
)`;

/** Jurisdictions at least one active moderator covers. */
export function coveredJurisdictionCodes(db: DbOrTx): string[] {
  return db
    .selectDistinct({ code: moderatorJurisdictions.jurisdictionCode })
    .from(moderatorJurisdictions)
    .innerJoin(users, eq(users.id, moderatorJurisdictions.userId))
    .where(and(eq(users.role, 'moderator'), eq(users.status, 'active')))
    .all()
    .map((r) => r.code);
}

/** Active moderators covering a jurisdiction. */
export function moderatorsCovering(db: DbOrTx, code: string): string[] {
  return db
    .select({ id: users.id })
    .from(moderatorJurisdictions)
    .innerJoin(users, eq(users.id, moderatorJurisdictions.userId))
    .where(
      and(eq(moderatorJurisdictions.jurisdictionCode, code), eq(users.role, 'moderator'), eq(users.status, 'active')),
    )
    .all()
    .map((r) => r.id);
}

export function activeAdmins(db: DbOrTx): string[] {
  return db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.status, 'active')))
    .all()
    .map((r) => r.id);
}

function scopeCondition(scope: ReadonlySet<string> | null): SQL | undefined {
  if (scope === null) return undefined;
  return scope.size > 0 ? inArray(applications.jurisdictionCode, [...scope]) : sql`0`;
}

const applicant = alias(users, 'applicant');
const claimer = alias(users, 'claimer');
export const QUEUE_PAGE_SIZE = 25;

export function listQueue(db: DbOrTx, query: QueueQuery, scope: ReadonlySet<string> | null) {
  const conditions: (SQL | undefined)[] = [
    eq(applications.status, query.status ?? 'submitted'),
    isNotNull(applications.submittedAt), // never submitted: the applicant's own
    scopeCondition(scope),
    query.jurisdiction ? eq(applications.jurisdictionCode, query.jurisdiction) : undefined,
    query.profession ? eq(applications.profession, query.profession) : undefined,
  ];
  if (query.uncovered) {
    const covered = coveredJurisdictionCodes(db);
    conditions.push(or(isNull(applications.jurisdictionCode), notInArray(applications.jurisdictionCode, covered)));
  }
  const where = and(...conditions);
  const page = query.page ?? 1;
  const rows = db
    .select({
      application: applications,
      applicantName: applicant.displayName,
      claimerName: claimer.displayName,
      approvals: approvalsCount,
    })
    .from(applications)
    .innerJoin(applicant, eq(applicant.id, applications.userId))
    .leftJoin(claimer, eq(claimer.id, applications.claimedById))
    .where(where)
    .orderBy(asc(applications.submittedAt), asc(applications.id))
    .limit(QUEUE_PAGE_SIZE)
    .offset((page - 1) * QUEUE_PAGE_SIZE)
    .all();
  const total = db.select({ n: count() }).from(applications).where(where).get()?.n ?? 0;
  const waiting =
    db
      .select({ n: count() })
      .from(applications)
      .where(and(eq(applications.status, 'submitted'), scopeCondition(scope)))
      .get()?.n ?? 0;
  return { rows, total, waiting, page };
}

const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'icloud.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'gmx.net',
  'mail.ru',
  'yandex.ru',
  'aol.com',
  'qq.com',
  '163.com',
]);

export function emailDomain(email: string | null): string | null {
  const at = email?.lastIndexOf('@') ?? -1;
  if (!email || at < 0) return null;
  const domain = email.slice(at + 1).toLowerCase();
  // Free-mail providers say nothing about an institution, nor do the reserved test domains
  // (RFC 2606) that demo and test accounts use.
  if (FREE_MAIL.has(domain) || /\.(test|example|invalid|localhost)$/.test(domain)) return null;
  return domain;
}

/** Other accounts sharing an email domain (not free-mail) or the institution with an application. */
export function findRelatedAccounts(
  db: DbOrTx,
  application: ApplicationRow,
  applicantEmail: string,
): { user: UserRow; matches: ('email_domain' | 'institution')[] }[] {
  const domains = [emailDomain(applicantEmail), emailDomain(application.professionalEmail)].filter(
    (d): d is string => d !== null,
  );
  const institution = application.institution ? foldCase(application.institution) : null;
  const other = alias(applications, 'other');
  const byDomain = domains.map(
    (d) => sql`lower(${users.email}) like ${'%@' + d.replace(/[%_\\]/g, '\\$&')} escape '\\'`,
  );
  const byInstitution = institution
    ? [sql`lexforum_fold(coalesce(${users.institution}, ${other.institution})) = ${institution}`]
    : [];
  if (byDomain.length + byInstitution.length === 0) return [];
  const rows = db
    .select({ user: users, otherInstitution: other.institution })
    .from(users)
    // Another applicant's institution counts once submitted; a draft is theirs alone.
    .leftJoin(other, and(eq(other.userId, users.id), ne(other.status, 'draft')))
    .where(and(sql`${users.id} <> ${application.userId}`, or(...byDomain, ...byInstitution)))
    .orderBy(asc(users.displayName))
    .limit(20)
    .all();
  return rows.map(({ user, otherInstitution }) => {
    const matches: ('email_domain' | 'institution')[] = [];
    const d = emailDomain(user.email);
    if (d && domains.includes(d)) matches.push('email_domain');
    const inst = user.institution ?? otherInstitution;
    if (institution && inst && foldCase(inst) === institution) matches.push('institution');
    return { user, matches };
  });
}
