/**
 * A post's state changed by moderation (hidden, deleted, restored; hidden automatically after
 * reports of confidential data): the row, its thread's counters, the notifications that pointed
 * at it, and the live updates. Shared by the post actions and the reports.
 */
import { posts, threads, type DbOrTx, type PostRow, type ThreadRow } from '@lexforum/db';
import { eq } from 'drizzle-orm';
import { readNotificationsAbout } from '../notifications/notifications.repository.js';
import { topics } from '../realtime/hub.js';
import type { Outbox } from '../realtime/outbox.js';
import * as threadRepo from '../threads/threads.repository.js';
import type { ThreadService } from '../threads/threads.service.js';

/**
 * Changes a post's state: the row, the thread's counters (and its own state for an opening
 * post), and the live updates. Others' notifications about a post taken out of view are marked
 * read, so their counts do not point at something they cannot open.
 */
export function setPostState(
  threadService: ThreadService,
  tx: DbOrTx,
  outbox: Outbox,
  post: PostRow,
  thread: ThreadRow,
  state: PostRow['state'],
  actorId: string | null,
  reason: string,
  now: Date,
): void {
  tx.update(posts)
    .set(
      state === 'visible'
        ? { state, moderatedAt: null, moderatedById: null, moderationReason: null }
        : { state, moderatedAt: now, moderatedById: actorId, moderationReason: reason },
    )
    .where(eq(posts.id, post.id))
    .run();
  if (post.number === 1) tx.update(threads).set({ state }).where(eq(threads.id, thread.id)).run();
  threadRepo.refreshThreadCounters(tx, thread.id);
  if (state !== 'visible') {
    readNotificationsAbout(
      tx,
      outbox,
      post.number === 1 ? { threadId: thread.id } : { postId: post.id },
      post.authorId,
      now,
    );
  }
  threadService.queuePostUpdated(outbox, thread.id, post.id);
  outbox.addLive(() => {
    const counts = threadService.threadCounts(thread.id);
    const messages = [threadService.threadUpdatedMessage(thread.id)];
    if (post.number === 1 && state !== 'visible') {
      messages.push({
        topic: topics.threadList,
        message: { kind: 'live', threadId: thread.id, event: { type: 'thread.removed', threadId: thread.id } },
      });
    } else if (counts) {
      messages.push({
        topic: topics.threadList,
        message: { kind: 'live', threadId: thread.id, event: { type: 'thread.activity', ...counts } },
      });
    }
    return messages;
  });
}
