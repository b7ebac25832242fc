import { auditLog, users, type DbOrTx, type NewAuditLogRow } from '@lexforum/db';
import type { AuditAction, AuditEntry, AuditQuery, AuditTargetType } from '@lexforum/shared';
import { and, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';

export interface AuditRecord {
  actorId: string | null;
  action: AuditAction;
  targetType: AuditTargetType;
  targetId?: string | null;
  targetUserId?: string | null;
  jurisdictionCode?: string | null;
  reason?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Appends one entry. Call it inside the transaction of the action it records. */
export function recordAudit(tx: DbOrTx, record: AuditRecord, now: Date): void {
  const row: NewAuditLogRow = {
    actorId: record.actorId,
    action: record.action,
    targetType: record.targetType,
    targetId: record.targetId ?? null,
    targetUserId: record.targetUserId ?? null,
    jurisdictionCode: record.jurisdictionCode ?? null,
    reason: record.reason ?? null,
    before: record.before ?? null,
    after: record.after ?? null,
    createdAt: now,
  };
  tx.insert(auditLog).values(row).run();
}

const actor = alias(users, 'actor');
const target = alias(users, 'target');

/** Newest first; `scope` null means every jurisdiction (admins), a set limits to those codes. */
export function listAudit(
  db: DbOrTx,
  query: AuditQuery,
  scope: ReadonlySet<string> | null,
): { entries: AuditEntry[]; nextCursor: number | null } {
  const limit = query.limit ?? 50;
  const where: (SQL | undefined)[] = [
    query.actor ? eq(auditLog.actorId, query.actor) : undefined,
    query.action ? eq(auditLog.action, query.action) : undefined,
    query.target ? eq(auditLog.targetUserId, query.target) : undefined,
    query.from ? gte(auditLog.createdAt, new Date(`${query.from}T00:00:00.000Z`)) : undefined,
    query.to ? lte(auditLog.createdAt, new Date(`${query.to}T23:59:59.999Z`)) : undefined,
    query.before ? lt(auditLog.id, query.before) : undefined,
  ];
  if (scope) where.push(scope.size > 0 ? inArray(auditLog.jurisdictionCode, [...scope]) : sql`0`);
  const rows = db
    .select({
      entry: auditLog,
      actorName: actor.displayName,
      targetName: target.displayName,
    })
    .from(auditLog)
    .leftJoin(actor, eq(actor.id, auditLog.actorId))
    .leftJoin(target, eq(target.id, auditLog.targetUserId))
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  return {
    entries: page.map(({ entry, actorName, targetName }) => ({
      id: entry.id,
      action: entry.action as AuditAction,
      actor: entry.actorId ? { id: entry.actorId, displayName: actorName ?? 'Deleted account' } : null,
      targetType: entry.targetType as AuditTargetType,
      targetId: entry.targetId,
      targetUser: entry.targetUserId ? { id: entry.targetUserId, displayName: targetName ?? 'Deleted account' } : null,
      jurisdictionCode: entry.jurisdictionCode,
      reason: entry.reason,
      before: entry.before,
      after: entry.after,
      createdAt: entry.createdAt.toISOString(),
    })),
    nextCursor: rows.length > limit ? (page.at(-1)?.entry.id ?? null) : null,
  };
}
