/**
 * Who hears about a new thread, a reply or a new mention, and what they are told. Recipients are
 * limited to members who can read the thread (vetted and active) and never include the author;
 * each gets one notification however many reasons apply (the order is the candidates' order,
 * shared's POST_NOTIFICATION_PRIORITY). Called inside the write's transaction, and only for
 * content that is visible (the moderation issue will call it when a held post is approved). The
 * followers of a thread with more than INLINE_FOLLOWERS are told after the commit, in chunks
 * (notifications/fanout.ts); everyone else in the write's transaction.
 */
import { follows, notifications, sqliteOf, type DbOrTx, type ThreadRow } from '@lexforum/db';
import { and, eq, inArray } from 'drizzle-orm';
import {
  activeUsers,
  deliverNotifications,
  type NotificationCandidate,
  type NotificationDraft,
} from '../notifications/notifier.js';
import { blockersOf } from '../conversations/conversations.repository.js';
import { followerCount, followsThread, INLINE_FOLLOWERS, queueFanout } from '../notifications/fanout.js';
import type { Outbox } from '../realtime/outbox.js';

export interface NewPostFacts {
  thread: Pick<ThreadRow, 'id' | 'title'>;
  postId: string;
  number: number;
  author: { id: string; displayName: string };
  /** The author of the post replied to. */
  parentAuthorId: string;
  mentioned: ReadonlySet<string>;
  excerpt: string;
}

export interface NewThreadFacts {
  thread: Pick<ThreadRow, 'id' | 'title' | 'kind'>;
  postId: string;
  author: { id: string; displayName: string };
  jurisdictions: readonly { code: string; name: string }[];
  topics: readonly { code: string; name: string }[];
  /** A comparative question: the jurisdictions asked, whose members and experts are told. */
  asked: readonly string[];
  mentioned: ReadonlySet<string>;
  excerpt: string;
}

type Reasons = Map<string, NotificationCandidate[]>;

/** A reason to tell `userId`, unless they already have one of that kind (the first one stays). */
function addReason(reasons: Reasons, userId: string, reason: NotificationCandidate): void {
  const list = reasons.get(userId);
  if (!list) reasons.set(userId, [reason]);
  else if (!list.some((r) => r.kind === reason.kind)) list.push(reason);
}

export function notifyNewPost(tx: DbOrTx, outbox: Outbox, facts: NewPostFacts, now: Date): void {
  const { thread, author } = facts;
  const reasons: Reasons = new Map();
  for (const id of facts.mentioned) addReason(reasons, id, { kind: 'mention' });
  addReason(reasons, facts.parentAuthorId, { kind: 'reply_to_post' });
  const link = `/threads/${thread.id}#post-${facts.number}`;
  if (followerCount(tx, thread.id) <= INLINE_FOLLOWERS) {
    for (const id of followersOf(tx, 'thread', [thread.id]))
      addReason(reasons, id, { kind: 'reply_in_followed_thread' });
  } else {
    // A busy thread: its followers hear after the commit (notifications/fanout.ts), except those
    // told now for another reason, who keep the followed thread as their fallback kind.
    for (const id of reasons.keys()) {
      if (followsThread(tx, id, thread.id)) addReason(reasons, id, { kind: 'reply_in_followed_thread' });
    }
    queueFanout(
      tx,
      outbox,
      {
        threadId: thread.id,
        postId: facts.postId,
        subject: thread.title,
        body: facts.excerpt,
        link,
        actorId: author.id,
        skip: [author.id, ...reasons.keys()],
      },
      now,
    );
  }
  deliver(
    tx,
    outbox,
    reasons,
    author.id,
    {
      subject: thread.title,
      body: facts.excerpt,
      link,
      actorId: author.id,
      threadId: thread.id,
      postId: facts.postId,
    },
    now,
  );
}

export function notifyNewThread(tx: DbOrTx, outbox: Outbox, facts: NewThreadFacts, now: Date): void {
  const { thread, author } = facts;
  const threadKind = thread.kind;
  const reasons: Reasons = new Map();
  for (const id of facts.mentioned) addReason(reasons, id, { kind: 'mention' });
  for (const { userId, jurisdiction } of membersOf(tx, facts.asked)) {
    addReason(reasons, userId, { kind: 'question_for_jurisdiction', params: { jurisdiction } });
  }
  for (const j of facts.jurisdictions) {
    for (const id of followersOf(tx, 'jurisdiction', [j.code])) {
      addReason(reasons, id, {
        kind: 'thread_in_followed_jurisdiction',
        params: { threadKind, jurisdiction: j.code },
      });
    }
  }
  for (const t of facts.topics) {
    for (const id of followersOf(tx, 'topic', [t.code])) {
      addReason(reasons, id, { kind: 'thread_in_followed_topic', params: { threadKind, topic: t.code } });
    }
  }
  deliver(
    tx,
    outbox,
    reasons,
    author.id,
    {
      subject: thread.title,
      body: facts.excerpt,
      link: `/threads/${thread.id}`,
      actorId: author.id,
      threadId: thread.id,
      postId: facts.postId,
    },
    now,
  );
}

/**
 * Members mentioned by an edit who have not already been told about this post (for a mention or
 * anything else), so removing and re-adding a name does not notify again.
 */
export function notifyNewMentions(
  tx: DbOrTx,
  outbox: Outbox,
  facts: Omit<NewPostFacts, 'parentAuthorId'>,
  now: Date,
): void {
  if (facts.mentioned.size === 0) return;
  const told = new Set(
    tx
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(eq(notifications.postId, facts.postId))
      .all()
      .map((r) => r.userId),
  );
  const reasons: Reasons = new Map();
  for (const id of facts.mentioned) {
    if (told.has(id)) continue;
    addReason(reasons, id, { kind: 'mention' });
  }
  deliver(
    tx,
    outbox,
    reasons,
    facts.author.id,
    {
      subject: facts.thread.title,
      body: facts.excerpt,
      link: `/threads/${facts.thread.id}#post-${facts.number}`,
      actorId: facts.author.id,
      threadId: facts.thread.id,
      postId: facts.postId,
    },
    now,
  );
}

function deliver(
  tx: DbOrTx,
  outbox: Outbox,
  reasons: Reasons,
  authorId: string,
  common: Omit<NotificationDraft, 'userId' | 'candidates'>,
  now: Date,
): void {
  reasons.delete(authorId);
  // A member who blocked the author hears of no mention by them (other reasons stay).
  for (const id of blockersOf(tx, authorId, [...reasons.keys()])) {
    const kept = reasons.get(id)!.filter((r) => r.kind !== 'mention');
    if (kept.length > 0) reasons.set(id, kept);
    else reasons.delete(id);
  }
  const readers = activeUsers(tx, [...reasons.keys()], { forumOnly: true });
  const drafts: NotificationDraft[] = [];
  for (const [userId, candidates] of reasons) {
    if (readers.has(userId)) drafts.push({ ...common, userId, candidates });
  }
  deliverNotifications(tx, outbox, drafts, now);
}

/**
 * The members who serve in or are experts of these jurisdictions, each with the one that concerns
 * them (where they serve first, else the first asked). Who may read is checked when delivering.
 */
function membersOf(tx: DbOrTx, codes: readonly string[]): { userId: string; jurisdiction: string }[] {
  if (codes.length === 0) return [];
  const rows = sqliteOf(tx)
    .prepare<[{ codes: string }], { userId: string; jurisdiction: string | null }>(
      `select u.id as userId, coalesce(
         (select a.value from json_each(@codes) a where a.value = u.jurisdiction_code),
         (select a.value from json_each(@codes) a join json_each(u.other_jurisdictions) o on o.value = a.value
          order by a.key limit 1)) as jurisdiction
       from users u
       where u.jurisdiction_code in (select value from json_each(@codes))
          or exists (select 1 from json_each(u.other_jurisdictions) o where o.value in (select value from json_each(@codes)))`,
    )
    .all({ codes: JSON.stringify(codes) });
  return rows.flatMap((r) => (r.jurisdiction === null ? [] : [{ userId: r.userId, jurisdiction: r.jurisdiction }]));
}

function followersOf(tx: DbOrTx, target: 'thread' | 'jurisdiction' | 'topic', keys: string[]): string[] {
  return tx
    .select({ userId: follows.userId })
    .from(follows)
    .where(and(eq(follows.target, target), inArray(follows.key, keys)))
    .all()
    .map((r) => r.userId);
}
