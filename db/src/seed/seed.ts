import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import { sqliteOf, type Db } from '../client.js';
import { applicationEvents, applications, auditLog, moderatorJurisdictions, notifications, users } from '../schema.js';
import { DEMO_PASSWORD, DEMO_PEOPLE, DEMO_TOTP_SECRET, decodeDemoBase32, type DemoPerson } from './demo-data.js';
import { insertDemoThreads, type DemoCook } from './demo-threads.js';
import { insertDemoConversations } from './demo-conversations.js';
import { uniqueUsername } from '../usernames.js';
import { INSTRUMENTS, JURISDICTIONS, TOPICS } from './reference-data.js';
import { translationsOf } from './reference-translations/index.js';

/** An upsert that writes only when a value differs, so an unchanged boot writes nothing. */
function upsertStatement(table: string, key: string, columns: readonly string[]): string {
  const all = [key, ...columns];
  return (
    `insert into ${table} (${all.join(', ')}) values (${all.map((c) => '@' + c).join(', ')}) ` +
    `on conflict(${key}) do update set ${columns.map((c) => `${c} = excluded.${c}`).join(', ')} ` +
    `where ${columns.map((c) => `${c} is not excluded.${c}`).join(' or ')}`
  );
}

/**
 * Upserts the reference data (jurisdictions, crime areas, legal instruments) in one transaction.
 * Runs on every boot in every mode: new entries appear, corrected names replace old ones, and
 * nothing that other rows point to is ever deleted. One prepared statement per table (a query
 * built per row cost a tenth of a second on every boot, and on every test's fresh app).
 */
export function seedReferenceData(db: Db): void {
  const sqlite = sqliteOf(db);
  const jurisdiction = sqlite.prepare(
    upsertStatement('jurisdictions', 'code', ['name', 'kind', 'region', 'sort_order', 'translations']),
  );
  const topic = sqlite.prepare(
    upsertStatement('topics', 'slug', ['name', 'description', 'sort_order', 'translations']),
  );
  const instrument = sqlite.prepare(
    upsertStatement('instruments', 'slug', [
      'short_name',
      'title',
      'year',
      'kind',
      'body',
      'sort_order',
      'translations',
    ]),
  );
  sqlite.transaction(() => {
    JURISDICTIONS.forEach((j, sortOrder) => {
      const translations = JSON.stringify(translationsOf('jurisdictions', j.code));
      jurisdiction.run({ ...j, sort_order: sortOrder, translations });
    });
    TOPICS.forEach((t, sortOrder) => {
      topic.run({ ...t, sort_order: sortOrder, translations: JSON.stringify(translationsOf('topics', t.slug)) });
    });
    INSTRUMENTS.forEach((i, sortOrder) => {
      const translations = JSON.stringify(translationsOf('instruments', i.slug));
      instrument.run({
        slug: i.slug,
        short_name: i.shortName,
        title: i.title,
        year: i.year,
        kind: i.kind,
        body: i.body,
        sort_order: sortOrder,
        translations,
      });
    });
  })();
}

export interface DemoSeedResult {
  seeded: boolean;
  password: string;
  /** The demo staff's authenticator key (base32): staff must have a second factor. */
  totpSecret: string;
  accounts: readonly DemoPerson[];
}

export interface DemoSeedOptions {
  /**
   * The server's cooking pipeline (markdown → sanitized HTML). With it the demo threads are
   * seeded too; without it, only the people, applications and their history.
   */
  cook?: DemoCook;
  /** The time the demo dates count back from. */
  now?: Date;
}

/**
 * Fills an empty database with demo people (and, given `cook`, demo threads). Does nothing when
 * any user exists, so it can run on every non-production boot. The caller supplies the password
 * hasher and the cooking pipeline: argon2 and the HTML sanitizer live in the server.
 */
export async function seedDemoData(
  db: Db,
  hashPassword: (password: string) => Promise<string>,
  { cook, now = new Date() }: DemoSeedOptions = {},
): Promise<DemoSeedResult> {
  const userCount = () => db.select({ n: count() }).from(users).get()?.n ?? 0;
  if (userCount() > 0) return { seeded: false, password: DEMO_PASSWORD, totpSecret: DEMO_TOTP_SECRET, accounts: [] };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded = db.transaction((tx) => {
    // Checked again inside the write transaction: two processes booting at once seed once.
    if ((tx.select({ n: count() }).from(users).get()?.n ?? 0) > 0) return false;
    const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
    const months = (n: number) => {
      const d = new Date(now);
      d.setUTCMonth(d.getUTCMonth() - n);
      return d;
    };
    const ids = new Map(DEMO_PEOPLE.map((p) => [p.email, randomUUID()]));
    const idOf = (email: string) => ids.get(email)!;
    const adminId = idOf('admin@lexforum.test');
    const demoTotpKey = decodeDemoBase32(DEMO_TOTP_SECRET);
    for (const person of DEMO_PEOPLE) {
      const { languages, otherJurisdictions, verifiedMonthsAgo, email, displayName, role } = person;
      const id = idOf(email);
      const createdAt = person.application
        ? days(person.application.daysAgo + 1)
        : months((verifiedMonthsAgo ?? 0) + 1);
      tx.insert(users)
        .values({
          id,
          email,
          displayName,
          username: uniqueUsername(tx, displayName),
          role,
          profession: person.profession,
          position: person.position,
          institution: person.institution,
          jurisdictionCode: person.jurisdictionCode,
          languages,
          otherJurisdictions,
          verifiedAt: verifiedMonthsAgo === null ? null : months(verifiedMonthsAgo),
          // Moderators and the admin were verified by the admin; members by a moderator.
          verifiedById:
            verifiedMonthsAgo === null || role === 'admin'
              ? null
              : role === 'member'
                ? idOf('daniel@lexforum.test')
                : adminId,
          passwordHash,
          // Staff must have a second factor: the demo's enrols them with the printed key.
          ...(role === 'moderator' || role === 'admin'
            ? { totpKey: demoTotpKey, totpEnabledAt: createdAt, secondFactor: true }
            : {}),
          status: 'active',
          // Demo addresses count as confirmed (nothing is delivered to lexforum.test).
          emailVerifiedAt: createdAt,
          createdAt,
          updatedAt: createdAt,
        })
        .run();
      if (person.moderates.length > 0) {
        tx.insert(moderatorJurisdictions)
          .values(person.moderates.map((jurisdictionCode) => ({ userId: id, jurisdictionCode })))
          .run();
      }
    }
    // Applications in several states, with the history, audit entries and notifications the
    // real actions would have written, so the vetting queue is not empty on first start.
    // Oldest application first, so that ids (the audit log's order) follow the dates.
    const byAge = [...DEMO_PEOPLE].sort((x, y) => (y.application?.daysAgo ?? 0) - (x.application?.daysAgo ?? 0));
    for (const person of byAge) {
      const a = person.application;
      if (!a) continue;
      const userId = idOf(person.email);
      const applicationId = randomUUID();
      const submittedAt = days(a.daysAgo);
      const decidedAt = new Date(submittedAt.getTime() + 86_400_000);
      const submitted = a.status !== 'draft';
      const deciderId = a.decision ? idOf(a.decision.by) : null;
      tx.insert(applications)
        .values({
          id: applicationId,
          userId,
          status: a.status,
          profession: a.profession,
          position: a.position,
          institution: a.institution,
          jurisdictionCode: a.jurisdictionCode,
          otherJurisdictions: a.otherJurisdictions,
          languages: a.languages,
          professionalEmail: a.professionalEmail,
          expertise: a.expertise || null,
          reason: a.reason || null,
          refereeName: a.referee?.name ?? null,
          refereePosition: a.referee?.position ?? null,
          refereeEmail: a.referee?.email ?? null,
          pendingQuestion: a.status === 'info_requested' ? (a.decision?.message ?? null) : null,
          rejectionReason: a.status === 'rejected' ? (a.decision?.message ?? null) : null,
          createdAt: submittedAt,
          updatedAt: a.decision ? decidedAt : submittedAt,
          submittedAt: submitted ? submittedAt : null,
          decidedAt: a.status === 'rejected' ? decidedAt : null,
          decidedById: a.status === 'rejected' ? deciderId : null,
        })
        .run();
      if (!submitted) continue;
      const base = {
        targetType: 'application',
        targetId: applicationId,
        targetUserId: userId,
        jurisdictionCode: a.jurisdictionCode,
      };
      tx.insert(applicationEvents)
        .values({ applicationId, actorId: userId, kind: 'submitted', createdAt: submittedAt })
        .run();
      tx.insert(auditLog)
        .values({
          ...base,
          actorId: userId,
          action: 'application.submit',
          after: { status: 'submitted' },
          createdAt: submittedAt,
        })
        .run();
      const reviewers = DEMO_PEOPLE.filter((p) => p.moderates.includes(a.jurisdictionCode)).map((p) => idOf(p.email));
      for (const reviewer of reviewers.length > 0 ? reviewers : [adminId]) {
        tx.insert(notifications)
          .values({
            userId: reviewer,
            kind: 'application_submitted',
            params: { jurisdiction: a.jurisdictionCode },
            actorId: userId,
            body: `${a.position} · ${a.institution}`,
            link: `/vetting/${applicationId}`,
            createdAt: submittedAt,
          })
          .run();
      }
      if (a.decision && deciderId) {
        const rejected = a.status === 'rejected';
        tx.insert(applicationEvents)
          .values({
            applicationId,
            actorId: deciderId,
            kind: rejected ? 'rejected' : 'info_requested',
            message: a.decision.message,
            createdAt: decidedAt,
          })
          .run();
        tx.insert(auditLog)
          .values({
            ...base,
            actorId: deciderId,
            action: rejected ? 'application.reject' : 'application.request_info',
            reason: a.decision.message,
            before: { status: 'submitted' },
            after: { status: a.status },
            createdAt: decidedAt,
          })
          .run();
        tx.insert(notifications)
          .values({
            userId,
            kind: rejected ? 'application_rejected' : 'application_info_requested',
            body: a.decision.message,
            link: '/apply',
            createdAt: decidedAt,
          })
          .run();
      }
    }
    if (cook) {
      insertDemoThreads(tx, { idOf, cook, now });
      insertDemoConversations(tx, { idOf, cook, now });
    }
    return true;
  });
  return { seeded, password: DEMO_PASSWORD, totpSecret: DEMO_TOTP_SECRET, accounts: seeded ? DEMO_PEOPLE : [] };
}
