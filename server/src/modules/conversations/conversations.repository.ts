/**
 * Direct-message storage: conversations, their participants (kept after they leave, with
 * `left_at`), numbered messages and blocks. Unread counting is a range count on the messages'
 * (conversation, seq) index from the participant's `last_read_seq`, with statements prepared once.
 */
import {
  conversationParticipants,
  conversations,
  directMessages,
  memberBlocks,
  sqliteOf,
  users,
  type ConversationRow,
  type DbOrTx,
  type DirectMessageRow,
  type UserRow,
} from '@lexforum/db';
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { prepared } from '../../lib/prepared.js';

export type ParticipantRow = typeof conversationParticipants.$inferSelect;

export function findConversation(db: DbOrTx, id: string): ConversationRow | undefined {
  return db.select().from(conversations).where(eq(conversations.id, id)).get();
}

export function participantsOf(db: DbOrTx, conversationIds: readonly string[]): ParticipantRow[] {
  if (conversationIds.length === 0) return [];
  return db
    .select()
    .from(conversationParticipants)
    .where(inArray(conversationParticipants.conversationId, [...conversationIds]))
    .orderBy(asc(conversationParticipants.joinedAt), asc(conversationParticipants.userId))
    .all();
}

export function participant(db: DbOrTx, conversationId: string, userId: string): ParticipantRow | undefined {
  const sqlite = sqliteOf(db);
  const row = prepared(sqlite, 'conversations.participant', () =>
    sqlite.prepare<
      [string, string],
      {
        conversationId: string;
        userId: string;
        joinedAt: number;
        leftAt: number | null;
        lastReadSeq: number;
        muted: number;
      }
    >(
      `select conversation_id as conversationId, user_id as userId, joined_at as joinedAt, left_at as leftAt,
         last_read_seq as lastReadSeq, muted from conversation_participants where conversation_id = ? and user_id = ?`,
    ),
  ).get(conversationId, userId);
  return row
    ? {
        ...row,
        joinedAt: new Date(row.joinedAt),
        leftAt: row.leftAt === null ? null : new Date(row.leftAt),
        muted: row.muted === 1,
      }
    : undefined;
}

/** The two-person conversation (not started as a group) both members are still in, if any. */
export function findDirectConversation(db: DbOrTx, a: string, b: string): ConversationRow | undefined {
  const row = db.get<{ id: string }>(
    sql`select c.id from conversations c
        join conversation_participants pa on pa.conversation_id = c.id and pa.user_id = ${a} and pa.left_at is null
        join conversation_participants pb on pb.conversation_id = c.id and pb.user_id = ${b} and pb.left_at is null
        where c.is_group = 0
          and (select count(*) from conversation_participants p where p.conversation_id = c.id and p.left_at is null) = 2
        order by c.last_message_at desc limit 1`,
  );
  return row ? findConversation(db, row.id) : undefined;
}

/** The member's current conversations, most recently active first, after a (time, id) cursor. */
export function listConversations(
  db: DbOrTx,
  userId: string,
  cursor: { at: number; id: string } | null,
  limit: number,
): ConversationRow[] {
  return db
    .select({ c: conversations })
    .from(conversationParticipants)
    .innerJoin(conversations, eq(conversations.id, conversationParticipants.conversationId))
    .where(
      and(
        eq(conversationParticipants.userId, userId),
        isNull(conversationParticipants.leftAt),
        cursor
          ? or(
              lt(conversations.lastMessageAt, new Date(cursor.at)),
              and(eq(conversations.lastMessageAt, new Date(cursor.at)), lt(conversations.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(limit)
    .all()
    .map((r) => r.c);
}

/** Messages of a conversation after the reader's last read one, from others, still visible. */
export function unreadIn(db: DbOrTx, conversationId: string, userId: string, lastReadSeq: number): number {
  const sqlite = sqliteOf(db);
  return (
    prepared(sqlite, 'conversations.unreadIn', () =>
      sqlite
        .prepare<[string, number, string], number>(
          `select count(*) from direct_messages where conversation_id = ? and seq > ? and author_id != ?
             and state = 'visible'`,
        )
        .pluck(),
    ).get(conversationId, lastReadSeq, userId) ?? 0
  );
}

/** The member's conversations with unread messages, muted ones excluded (the header's count). */
export function unreadTotal(db: DbOrTx, userId: string): number {
  const sqlite = sqliteOf(db);
  return (
    prepared(sqlite, 'conversations.unreadTotal', () =>
      sqlite
        .prepare<[{ user: string }], number>(
          `select count(*) from conversation_participants p
           where p.user_id = @user and p.left_at is null and p.muted = 0
             and exists (select 1 from direct_messages m where m.conversation_id = p.conversation_id
               and m.seq > p.last_read_seq and m.author_id != @user and m.state = 'visible')`,
        )
        .pluck(),
    ).get({ user: userId }) ?? 0
  );
}

export function messagesByIds(db: DbOrTx, ids: readonly string[]): DirectMessageRow[] {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(directMessages)
    .where(inArray(directMessages.id, [...ids]))
    .all();
}

export function findMessage(db: DbOrTx, id: string): DirectMessageRow | undefined {
  return db.select().from(directMessages).where(eq(directMessages.id, id)).get();
}

export function lastMessages(db: DbOrTx, rows: readonly ConversationRow[]): Map<string, DirectMessageRow> {
  const wanted = rows.filter((c) => c.lastSeq > 0);
  if (wanted.length === 0) return new Map();
  const found = db
    .select()
    .from(directMessages)
    .where(or(...wanted.map((c) => and(eq(directMessages.conversationId, c.id), eq(directMessages.seq, c.lastSeq)))))
    .all();
  return new Map(found.map((m) => [m.conversationId, m]));
}

/** A page of messages, newest first, before `beforeSeq` (exclusive). */
export function messagePage(
  db: DbOrTx,
  conversationId: string,
  beforeSeq: number | null,
  limit: number,
): DirectMessageRow[] {
  return db
    .select()
    .from(directMessages)
    .where(
      and(
        eq(directMessages.conversationId, conversationId),
        beforeSeq !== null ? lt(directMessages.seq, beforeSeq) : undefined,
      ),
    )
    .orderBy(desc(directMessages.seq))
    .limit(limit)
    .all();
}

export function usersByIds(db: DbOrTx, ids: readonly string[]): UserRow[] {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]))
    .all();
}

/** Pairs among these members where one blocked the other (either way), as "a b" keys both ways. */
export function blocksAmong(db: DbOrTx, ids: readonly string[]): Set<string> {
  if (ids.length < 2) return new Set();
  const list = JSON.stringify([...new Set(ids)]);
  const rows = db.all<{ a: string; b: string }>(
    sql`select blocker_id as a, blocked_id as b from member_blocks
        where blocker_id in (select value from json_each(${list})) and blocked_id in (select value from json_each(${list}))`,
  );
  const out = new Set<string>();
  for (const r of rows) {
    out.add(`${r.a} ${r.b}`);
    out.add(`${r.b} ${r.a}`);
  }
  return out;
}

/** Whether one of the two blocked the other. */
export function blockedEitherWay(db: DbOrTx, a: string, b: string): boolean {
  const sqlite = sqliteOf(db);
  return (
    prepared(sqlite, 'conversations.blockedEitherWay', () =>
      sqlite
        .prepare<[string, string, string, string], number>(
          `select exists (select 1 from member_blocks where (blocker_id = ? and blocked_id = ?)
             or (blocker_id = ? and blocked_id = ?))`,
        )
        .pluck(),
    ).get(a, b, b, a) === 1
  );
}

/** The members `userId` blocked, earliest first. */
export function blockedBy(db: DbOrTx, userId: string): string[] {
  return db
    .select({ id: memberBlocks.blockedId })
    .from(memberBlocks)
    .where(eq(memberBlocks.blockerId, userId))
    .orderBy(asc(memberBlocks.createdAt))
    .all()
    .map((r) => r.id);
}

/** Of these members, those who blocked `authorId`. */
export function blockersOf(db: DbOrTx, authorId: string, ids: readonly string[]): Set<string> {
  if (ids.length === 0) return new Set();
  return new Set(
    db
      .select({ id: memberBlocks.blockerId })
      .from(memberBlocks)
      .where(and(eq(memberBlocks.blockedId, authorId), inArray(memberBlocks.blockerId, [...ids])))
      .all()
      .map((r) => r.id),
  );
}
