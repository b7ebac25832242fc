/**
 * The fan-out of a reply to the followers of a busy thread, after the writer's commit.
 *
 * A thread with more than INLINE_FOLLOWERS followers does not get a notification and a numbered
 * event per follower in the writer's transaction: the writer stores one `fanout_jobs` row (what the
 * notification says, and who was already told for another reason) and answers. The worker below
 * then writes the followers' notifications and events a chunk at a time, each chunk its own short
 * transaction that also moves the job's `done_through` (followers are taken in id order), and
 * yields to the event loop between chunks, so other requests are served meanwhile. The row is
 * deleted with the last chunk; a crash loses nothing, since the worker resumes every row at start.
 *
 * What each follower gets is what the writer's transaction would have given them: one
 * notification of kind `reply_in_followed_thread` (unless they turned it off, are no longer
 * active, or were told about this post for another reason), its exact unread count, and a numbered
 * user event replayed like any other. Followers are those who followed before the reply. Per chunk
 * the work is a handful of set-based queries and two prepared inserts per follower; the event's
 * JSON is built once per job and the per-member parts (notification id, seq, unread count, desktop)
 * are put in by string templates, and whether each member may see it now is checked for the whole
 * chunk in one query, so delivery sends a ready frame.
 */
import { notifications, sqliteOf, type Db, type DbOrTx } from '@lexforum/db';
import { inArray } from 'drizzle-orm';
import type { Notification, NotificationKind, UserEvent } from '@lexforum/shared';
import { prepared } from '../../lib/prepared.js';
import { scheduleNotificationEmails } from '../mail/email-choices.js';
import { Outbox, type Publisher } from '../realtime/outbox.js';
import type { StoredUserEvent } from '../realtime/user-events.repository.js';
import { VISIBLE_NOTIFICATION_SQL } from './notification-visibility.js';
import { activeUsers, channelsOf, namesOf, unreadCounts } from './notifier.js';
import { toNotification } from './notifications.repository.js';

/** Threads with more followers than this fan out a reply after the commit. */
export const INLINE_FOLLOWERS = 100;
/** Followers written per transaction. */
export const FANOUT_CHUNK = 500;

const KIND: NotificationKind = 'reply_in_followed_thread';

/** What a follower's notification says, as the writer knew it. */
export interface FanoutFacts {
  threadId: string;
  postId: string;
  subject: string;
  body: string;
  link: string;
  actorId: string;
  /** The author and the members told about this post in the writer's transaction. */
  skip: readonly string[];
}

/** Followers of a thread (one prepared count; the writer decides inline or after the commit). */
export function followerCount(tx: DbOrTx, threadId: string): number {
  const sqlite = sqliteOf(tx);
  return prepared(sqlite, 'fanout.followerCount', () =>
    sqlite.prepare<[string], number>("select count(*) from follows where target = 'thread' and key = ?").pluck(),
  ).get(threadId)!;
}

export function followsThread(tx: DbOrTx, userId: string, threadId: string): boolean {
  const sqlite = sqliteOf(tx);
  return (
    prepared(sqlite, 'fanout.follows', () =>
      sqlite
        .prepare<[string, string], number>("select 1 from follows where user_id = ? and target = 'thread' and key = ?")
        .pluck(),
    ).get(userId, threadId) !== undefined
  );
}

/** Stores the job in the writer's transaction; the worker is woken after the commit. */
export function queueFanout(tx: DbOrTx, outbox: Outbox, facts: FanoutFacts, now: Date): void {
  const sqlite = sqliteOf(tx);
  prepared(sqlite, 'fanout.insertJob', () =>
    sqlite.prepare('insert into fanout_jobs (post_id, facts, created_at) values (?, ?, ?)'),
  ).run(facts.postId, JSON.stringify(facts), now.getTime());
  outbox.fanout = true;
}

/** Jobs not finished about these posts or threads, for a redaction to scrub what they will copy. */
export function pendingFanoutsAbout(
  tx: DbOrTx,
  postIds: readonly string[],
  threadIds: readonly string[],
): { id: number; facts: FanoutFacts }[] {
  const sqlite = sqliteOf(tx);
  return prepared(sqlite, 'fanout.about', () =>
    sqlite.prepare<[string, string], { id: number; facts: string }>(
      `select id, facts from fanout_jobs where post_id in (select value from json_each(?))
       or json_extract(facts, '$.threadId') in (select value from json_each(?))`,
    ),
  )
    .all(JSON.stringify(postIds), JSON.stringify(threadIds))
    .map((r) => ({ id: r.id, facts: JSON.parse(r.facts) as FanoutFacts }));
}

export function updateFanoutFacts(tx: DbOrTx, id: number, facts: FanoutFacts): void {
  const sqlite = sqliteOf(tx);
  prepared(sqlite, 'fanout.updateFacts', () => sqlite.prepare('update fanout_jobs set facts = ? where id = ?')).run(
    JSON.stringify(facts),
    id,
  );
}

interface JobRow {
  id: number;
  facts: string;
  doneThrough: string | null;
  createdAt: number;
}

/** A job as the worker holds it between chunks. */
interface LoadedJob {
  id: number;
  facts: FanoutFacts;
  factsJson: string;
  /** Followers still concerned, sorted (the order `done_through` follows). */
  recipients: string[];
  /** The notification without its id, as it is sent. */
  notification: Omit<Notification, 'id'>;
  /** Its JSON without the opening brace: `"kind":…}`. */
  restJson: string;
  createdAt: number;
}

export class FanoutWorker {
  private scheduled = false;
  private stopped = false;
  private paused = false;
  private loaded: LoadedJob | null = null;

  constructor(
    private readonly db: Db,
    private readonly publisher: Publisher,
    private readonly now: () => Date,
    private readonly onError: (error: unknown) => void,
    private readonly chunkSize = FANOUT_CHUNK,
  ) {}

  /** Work is waiting: drain it, a chunk per turn of the event loop. */
  kick(): void {
    if (this.stopped || this.paused || this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.tick);
  }

  /** Stops for good (the server is closing); what is left stays stored for the next start. */
  stop(): void {
    this.stopped = true;
  }

  /** Holds the worker (tests: a crash before the fan-out); `resume` carries on. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.kick();
  }

  /** Jobs not finished. */
  pending(): number {
    const sqlite = sqliteOf(this.db);
    return prepared(sqlite, 'fanout.pending', () =>
      sqlite.prepare<[], number>('select count(*) from fanout_jobs').pluck(),
    ).get()!;
  }

  /** One chunk in one transaction, then its pushes; false when nothing was left to do. */
  step(): boolean {
    const outbox = new Outbox();
    const more = this.db.transaction((tx) => this.chunk(tx, outbox));
    this.publisher.publish(outbox);
    return more;
  }

  private readonly tick = (): void => {
    this.scheduled = false;
    if (this.stopped || this.paused) return;
    try {
      if (this.step()) this.kick();
    } catch (error) {
      // The job stays stored; try again a little later rather than spin on a failing chunk.
      this.loaded = null;
      this.onError(error);
      setTimeout(() => this.kick(), 1000).unref();
    }
  };

  private chunk(tx: DbOrTx, outbox: Outbox): boolean {
    const sqlite = sqliteOf(tx);
    const row = prepared(sqlite, 'fanout.nextJob', () =>
      sqlite.prepare<[], JobRow>(
        `select id, facts, done_through as doneThrough, created_at as createdAt
         from fanout_jobs order by id limit 1`,
      ),
    ).get();
    if (!row) {
      this.loaded = null;
      return false;
    }
    // Reloaded when its facts were rewritten meanwhile (a redaction scrubs them too).
    const job =
      this.loaded?.id === row.id && this.loaded.factsJson === row.facts
        ? this.loaded
        : (this.loaded = this.load(tx, row));
    const { recipients } = job;
    let start = 0;
    if (row.doneThrough !== null) {
      const done = row.doneThrough;
      start = recipients.findIndex((id) => id > done);
      if (start < 0) start = recipients.length;
    }
    const ids = recipients.slice(start, start + this.chunkSize);
    if (ids.length > 0) this.write(tx, outbox, job, ids);
    if (start + this.chunkSize >= recipients.length) {
      prepared(sqlite, 'fanout.deleteJob', () => sqlite.prepare('delete from fanout_jobs where id = ?')).run(row.id);
      this.loaded = null;
    } else {
      prepared(sqlite, 'fanout.moveJob', () =>
        sqlite.prepare('update fanout_jobs set done_through = ? where id = ?'),
      ).run(ids.at(-1)!, row.id);
    }
    return true;
  }

  private load(tx: DbOrTx, row: JobRow): LoadedJob {
    const facts = JSON.parse(row.facts) as FanoutFacts;
    const sqlite = sqliteOf(tx);
    const followers = prepared(sqlite, 'fanout.followers', () =>
      sqlite
        .prepare<[string, number], string>(
          "select user_id from follows where target = 'thread' and key = ? and created_at <= ?",
        )
        .pluck(),
    ).all(facts.threadId, row.createdAt);
    const skip = new Set(facts.skip);
    const recipients = followers.filter((id) => !skip.has(id)).sort();
    const { id: _id, ...notification } = toNotification(
      {
        id: 0,
        userId: '',
        kind: KIND,
        title: null,
        subject: facts.subject,
        params: {},
        body: facts.body,
        link: facts.link,
        actorId: facts.actorId,
        threadId: facts.threadId,
        postId: facts.postId,
        messageId: null,
        readAt: null,
        createdAt: new Date(row.createdAt),
      },
      namesOf(tx, [facts.actorId]),
    );
    return {
      id: row.id,
      facts,
      factsJson: row.facts,
      recipients,
      notification,
      restJson: JSON.stringify(notification).slice(1),
      createdAt: row.createdAt,
    };
  }

  private write(tx: DbOrTx, outbox: Outbox, job: LoadedJob, ids: readonly string[]): void {
    const sqlite = sqliteOf(tx);
    const { facts } = job;
    // The post as it is now: moderation may have hidden it or its thread, or moved it, since the
    // reply. Out of view, nobody more is told (the writer's own path tells nobody about a reply in
    // a hidden thread, and a hide marks what was already told as read).
    const now = prepared(sqlite, 'fanout.postNow', () =>
      sqlite.prepare<[string], { postState: string; threadId: string; threadState: string }>(
        `select p.state as postState, p.thread_id as threadId, t.state as threadState
         from posts p join threads t on t.id = p.thread_id where p.id = ?`,
      ),
    ).get(facts.postId);
    if (!now || now.postState !== 'visible' || now.threadState !== 'visible') return;
    // Members told about this post meanwhile (an edit that mentions them) are not told twice.
    const told = new Set(
      prepared(sqlite, 'fanout.alreadyTold', () =>
        sqlite
          .prepare<[string, string], string>(
            'select user_id from notifications where post_id = ? and user_id in (select value from json_each(?))',
          )
          .pluck(),
      ).all(facts.postId, JSON.stringify(ids)),
    );
    const readers = activeUsers(
      tx,
      ids.filter((id) => !told.has(id)),
      { forumOnly: true },
    );
    const channelOf = channelsOf(tx, [...readers]);
    const chosen: { userId: string; desktop: boolean; id: number }[] = [];
    const insert = prepared(sqlite, 'fanout.insertNotification', () =>
      sqlite
        .prepare<unknown[], number>(
          `insert into notifications (user_id, kind, subject, params, body, link, actor_id, thread_id, post_id, created_at)
           values (?, ?, ?, '{}', ?, ?, ?, ?, ?, ?) returning id`,
        )
        .pluck(),
    );
    for (const userId of ids) {
      if (!readers.has(userId)) continue;
      const channel = channelOf(userId, KIND);
      if (channel === 'off') continue;
      const id = insert.get(
        userId,
        KIND,
        facts.subject,
        facts.body,
        facts.link,
        facts.actorId,
        now.threadId,
        facts.postId,
        job.createdAt,
      )!;
      chosen.push({ userId, desktop: channel === 'desktop', id });
    }
    if (chosen.length === 0) return;
    scheduleNotificationEmails(
      tx,
      chosen.map((c) => ({ id: c.id, userId: c.userId, kind: KIND })),
      new Date(job.createdAt),
    );
    const userIds = chosen.map((c) => c.userId);
    const counts = unreadCounts(tx, userIds);
    const idsJson = JSON.stringify(userIds);
    const seqs = new Map(
      prepared(sqlite, 'fanout.bumpSeq', () =>
        sqlite.prepare<[string], { id: string; seq: number }>(
          `update users set event_seq = event_seq + 1 where id in (select value from json_each(?))
           returning id, event_seq as seq`,
        ),
      )
        .all(idsJson)
        .map((r) => [r.id, r.seq]),
    );
    const visible = new Set(
      prepared(sqlite, 'fanout.visible', () =>
        sqlite
          .prepare<[string], number>(
            `select n.id from notifications n where n.id in (select value from json_each(?))
             and ${VISIBLE_NOTIFICATION_SQL}`,
          )
          .pluck(),
      ).all(JSON.stringify(chosen.map((c) => c.id))),
    );
    const insertEvent = prepared(sqlite, 'fanout.insertEvent', () =>
      sqlite.prepare('insert into user_events (user_id, seq, payload, created_at) values (?, ?, ?, ?)'),
    );
    const at = this.now().getTime();
    const stored: StoredUserEvent[] = [];
    for (const c of chosen) {
      const seq = seqs.get(c.userId);
      if (seq === undefined) continue; // the account is gone
      const unreadCount = counts.get(c.userId) ?? 0;
      // The same JSON as JSON.stringify of the event below, built without serializing it.
      const payload = `{"type":"notification.created","notification":{"id":${c.id},${job.restJson},"unreadCount":${unreadCount},"desktop":${c.desktop}}`;
      // Stored as a reference to the notification row, not a copy: the replay rebuilds it.
      insertEvent.run(
        c.userId,
        seq,
        `{"type":"notification.created","ref":${c.id},"unreadCount":${unreadCount},"desktop":${c.desktop}}`,
        at,
      );
      const event: UserEvent = {
        type: 'notification.created',
        notification: { id: c.id, ...job.notification },
        unreadCount,
        desktop: c.desktop,
      };
      stored.push({
        userId: c.userId,
        seq,
        event,
        frame: `{"type":"event","seq":${seq},"event":${payload}}`,
        withheld: !visible.has(c.id),
      });
    }
    outbox.addUserEvents(stored);
  }
}

/**
 * Stored events written by the fan-out name their notification (`ref`) instead of copying it; a
 * replay rebuilds them from the notifications table as they were sent (unread then), one query for
 * the whole replay. A notification that is gone (its post deleted) leaves only its id, which the
 * visibility check withholds.
 */
export function expandNotificationRefs(db: DbOrTx, events: readonly StoredUserEvent[]): StoredUserEvent[] {
  const refs = new Map<number, number>();
  for (const e of events) {
    const ref = (e.event as { ref?: unknown }).ref;
    if (typeof ref === 'number') refs.set(e.seq, ref);
  }
  if (refs.size === 0) return [...events];
  const rows = db
    .select()
    .from(notifications)
    .where(inArray(notifications.id, [...new Set(refs.values())]))
    .all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const names = namesOf(db, [...new Set(rows.flatMap((r) => (r.actorId ? [r.actorId] : [])))]);
  return events.map((e) => {
    const ref = refs.get(e.seq);
    if (ref === undefined) return e;
    const stored = e.event as unknown as { unreadCount: number; desktop: boolean };
    const row = byId.get(ref);
    const notification = row ? toNotification({ ...row, readAt: null }, names) : ({ id: ref } as Notification);
    return {
      ...e,
      event: { type: 'notification.created', notification, unreadCount: stored.unreadCount, desktop: stored.desktop },
    };
  });
}
