/**
 * A member's messaging settings: who may start a conversation with them, and the members they
 * blocked (no conversations with them, no mention notifications from them; the client collapses
 * their posts). Also what the Guardian needs to decide whether one member may message others.
 */
import { memberBlocks, users, type Db, type DbOrTx, type UserRow } from '@lexforum/db';
import type { MessagingAllowFrom, MessagingSettings } from '@lexforum/shared';
import { and, eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError, notFound } from '../../lib/errors.js';
import type { Guardian, MessagingTarget } from '../guardian/guardian.js';
import type { ConversationViews } from './conversation-views.js';
import * as repo from './conversations.repository.js';

/** What the Guardian needs about each of these members, as seen from `senderId` (blocks either way). */
export function messagingTargets(db: DbOrTx, senderId: string, ids: readonly string[]): Map<string, MessagingTarget> {
  const rows = repo.usersByIds(db, ids);
  const blocks = repo.blocksAmong(db, [senderId, ...ids]);
  return new Map(rows.map((row) => [row.id, targetOf(row, blocks.has(`${senderId} ${row.id}`))]));
}

function targetOf(row: UserRow, blocked: boolean): MessagingTarget {
  return {
    id: row.id,
    role: row.role,
    status: row.status,
    verifiedAt: row.verifiedAt,
    jurisdictionCode: row.jurisdictionCode,
    otherJurisdictions: row.otherJurisdictions,
    messagingAllowFrom: row.messagingAllowFrom as MessagingAllowFrom,
    blocked,
  };
}

/** Whether the viewer may start a conversation with each of these members (profile, directory). */
export function canMessageEach(db: DbOrTx, guardian: Guardian, rows: readonly UserRow[]): Map<string, boolean> {
  if (!guardian.canUseForum() || rows.length === 0) return new Map(rows.map((r) => [r.id, false]));
  const blocks = repo.blocksAmong(db, [guardian.user.id, ...rows.map((r) => r.id)]);
  return new Map(
    rows.map((r) => [r.id, guardian.messagingRefusal(targetOf(r, blocks.has(`${guardian.user.id} ${r.id}`))) === null]),
  );
}

export class MessagingSettingsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly views: ConversationViews,
  ) {}

  get(guardian: Guardian): MessagingSettings {
    guardian.ensureForumAccess();
    const row = this.db
      .select({ allowFrom: users.messagingAllowFrom })
      .from(users)
      .where(eq(users.id, guardian.user.id))
      .get();
    const blocked = repo.blockedBy(this.db, guardian.user.id);
    const people = this.views.authors(this.db, blocked);
    return {
      allowFrom: (row?.allowFrom ?? 'verified') as MessagingAllowFrom,
      blocked: blocked.flatMap((id) => {
        const person = people.get(id);
        return person ? [person] : [];
      }),
    };
  }

  setAllowFrom(guardian: Guardian, allowFrom: MessagingAllowFrom): MessagingSettings {
    guardian.ensureForumAccess();
    this.db
      .update(users)
      .set({ messagingAllowFrom: allowFrom, updatedAt: this.clock.now() })
      .where(eq(users.id, guardian.user.id))
      .run();
    return this.get(guardian);
  }

  block(guardian: Guardian, userId: string): MessagingSettings {
    guardian.ensureForumAccess();
    if (userId === guardian.user.id) throw new AppError(400, 'VALIDATION_FAILED', 'You cannot block yourself.');
    const target = this.db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, userId)).get();
    if (!target || target.role === 'applicant') throw notFound('That member');
    this.db
      .insert(memberBlocks)
      .values({ blockerId: guardian.user.id, blockedId: userId, createdAt: this.clock.now() })
      .onConflictDoNothing()
      .run();
    return this.get(guardian);
  }

  unblock(guardian: Guardian, userId: string): MessagingSettings {
    guardian.ensureForumAccess();
    this.db
      .delete(memberBlocks)
      .where(and(eq(memberBlocks.blockerId, guardian.user.id), eq(memberBlocks.blockedId, userId)))
      .run();
    return this.get(guardian);
  }
}
