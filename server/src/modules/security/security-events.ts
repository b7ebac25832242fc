/**
 * The member's record of what happened to their account's security (sign-ins, factor changes,
 * resets). Each event is written in the transaction of what it records, and to the audit log as
 * `security.<kind>` so administrators see the same history.
 */
import { securityEvents, type DbOrTx, type SecurityEventRow } from '@lexforum/db';
import type { SecurityEvent, SecurityEventKind, SecurityEventPage, SecurityEventQuery } from '@lexforum/shared';
import { and, desc, eq, lt } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.repository.js';
import type { SessionMeta } from '../auth/session.js';
import { describeNetwork } from './network.js';

export interface SecurityEventRecord {
  userId: string;
  kind: SecurityEventKind;
  /** Where the request came from (null for a CLI command). */
  meta: SessionMeta | null;
  /** Who did it when not the member themself (an administrator). */
  actorId?: string | null;
  detail?: Record<string, string>;
}

export function recordSecurityEvent(tx: DbOrTx, record: SecurityEventRecord, now: Date): void {
  const network = describeNetwork(record.meta?.ip);
  tx.insert(securityEvents)
    .values({
      userId: record.userId,
      kind: record.kind,
      ip: record.meta?.ip ?? null,
      userAgent: record.meta?.userAgent?.slice(0, 512) ?? null,
      network: network.prefix,
      actorId: record.actorId ?? null,
      detail: record.detail ?? null,
      createdAt: now,
    })
    .run();
  recordAudit(
    tx,
    {
      actorId: record.actorId ?? record.userId,
      action: `security.${record.kind}`,
      targetType: 'user',
      targetId: record.userId,
      targetUserId: record.userId,
      after: { ...(record.detail ?? {}), ...(network.prefix ? { network: network.prefix } : {}) },
    },
    now,
  );
}

function present(row: SecurityEventRow): SecurityEvent {
  return {
    id: row.id,
    kind: row.kind,
    createdAt: row.createdAt.toISOString(),
    userAgent: row.userAgent,
    ip: row.ip,
    network: describeNetwork(row.ip),
    byAdmin: row.actorId !== null && row.actorId !== row.userId,
    detail: row.detail ?? {},
  };
}

/** Newest first, paged by id. */
export function listSecurityEvents(db: DbOrTx, userId: string, query: SecurityEventQuery): SecurityEventPage {
  const limit = query.limit ?? 20;
  const rows = db
    .select()
    .from(securityEvents)
    .where(and(eq(securityEvents.userId, userId), query.before ? lt(securityEvents.id, query.before) : undefined))
    .orderBy(desc(securityEvents.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  return {
    events: page.map(present),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}
