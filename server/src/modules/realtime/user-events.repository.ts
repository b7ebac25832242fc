/**
 * Each user's events, numbered. `users.event_seq` holds the last number given; appending bumps it
 * in the same transaction as the write that caused the events, so numbers are gap-free and in
 * commit order. Old events are pruned by age and by count; a client that asks for something
 * older is told to resynchronise.
 */
import { sqliteOf, users, userEvents, type DbOrTx } from '@lexforum/db';
import type { UserEvent } from '@lexforum/shared';
import { and, asc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import { prepared } from '../../lib/prepared.js';

export interface StoredUserEvent {
  userId: string;
  seq: number;
  event: UserEvent;
  /** The `event` message as sent, when the writer built it already (the fan-out does). */
  frame?: string;
  /** Whether the member may not see it now, when the writer checked already. */
  withheld?: boolean;
}

/** SQLite's default limit on bound variables is 32766; stay well under it. */
const CHUNK = 500;

/** Numbers and stores events; several for one user keep their given order. */
export function appendUserEvents(
  tx: DbOrTx,
  items: readonly { userId: string; event: UserEvent }[],
  now: Date,
): StoredUserEvent[] {
  if (items.length === 0) return [];
  const perUser = new Map<string, UserEvent[]>();
  for (const { userId, event } of items) {
    const list = perUser.get(userId);
    if (list) list.push(event);
    else perUser.set(userId, [event]);
  }
  // One UPDATE … RETURNING per distinct batch size (nearly always one: one event per recipient).
  const bySize = new Map<number, string[]>();
  for (const [userId, events] of perUser) {
    const ids = bySize.get(events.length);
    if (ids) ids.push(userId);
    else bySize.set(events.length, [userId]);
  }
  const lastSeq = new Map<string, number>();
  for (const [size, ids] of bySize) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = JSON.stringify(ids.slice(i, i + CHUNK));
      const rows = tx.all<{ id: string; seq: number }>(
        sql`update users set event_seq = event_seq + ${size}
            where id in (select value from json_each(${chunk}))
            returning id, event_seq as seq`,
      );
      for (const row of rows) lastSeq.set(row.id, row.seq);
    }
  }
  const stored: StoredUserEvent[] = [];
  for (const [userId, events] of perUser) {
    const last = lastSeq.get(userId);
    if (last === undefined) continue; // the user no longer exists
    events.forEach((event, i) => stored.push({ userId, seq: last - events.length + 1 + i, event }));
  }
  // One prepared statement, row by row: for a fan-out to thousands this is several times faster
  // than drizzle building a multi-row insert per chunk.
  const sqlite = sqliteOf(tx);
  const insert = prepared(sqlite, 'user_events.insert', () =>
    sqlite.prepare('insert into user_events (user_id, seq, payload, created_at) values (?, ?, ?, ?)'),
  );
  const at = now.getTime();
  for (const e of stored) insert.run(e.userId, e.seq, JSON.stringify(e.event), at);
  return stored;
}

export function currentSeq(db: DbOrTx, userId: string): number {
  return db.select({ seq: users.eventSeq }).from(users).where(eq(users.id, userId)).get()?.seq ?? 0;
}

export interface ReplayWindow {
  /** Events before this are not replayed. */
  since: Date;
  /** Nor more than this many. */
  maxEvents: number;
}

export type Replay = { kind: 'replay'; seq: number; events: StoredUserEvent[] } | { kind: 'resync'; seq: number };

/**
 * The events after `lastSeq`, if all of them are still kept; otherwise `resync`. A `lastSeq`
 * ahead of the server's (a reset database, a forged number) is a resync too.
 */
export function eventsSince(db: DbOrTx, userId: string, lastSeq: number, window: ReplayWindow): Replay {
  const seq = currentSeq(db, userId);
  if (lastSeq > seq) return { kind: 'resync', seq };
  if (lastSeq === seq) return { kind: 'replay', seq, events: [] };
  // The window is enforced here too, not only by pruning, so it holds between two prunes.
  if (seq - lastSeq > window.maxEvents) return { kind: 'resync', seq };
  const rows = db
    .select()
    .from(userEvents)
    .where(and(eq(userEvents.userId, userId), gt(userEvents.seq, lastSeq), gte(userEvents.createdAt, window.since)))
    .orderBy(asc(userEvents.seq))
    .all();
  // Complete only if the first kept event is the one right after lastSeq and none is missing.
  if (rows.length !== seq - lastSeq || rows[0]?.seq !== lastSeq + 1) return { kind: 'resync', seq };
  return {
    kind: 'replay',
    seq,
    events: rows.map((r) => ({ userId, seq: r.seq, event: JSON.parse(r.payload) as UserEvent })),
  };
}

/** Drops events older than the window, and all but each user's last `maxEvents`. */
export function pruneUserEvents(db: DbOrTx, window: ReplayWindow): void {
  db.delete(userEvents).where(lt(userEvents.createdAt, window.since)).run();
  db.run(
    sql`delete from user_events where rowid in (
          select e.rowid from user_events e join users u on u.id = e.user_id
          where e.seq <= u.event_seq - ${window.maxEvents})`,
  );
}
