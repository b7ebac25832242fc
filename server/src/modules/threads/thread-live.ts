/**
 * The live messages of threads, built after the commit from committed rows: a new post, a
 * changed post (with its privileged form for its author and the moderators), a changed thread,
 * and the counters the thread list shows.
 */
import type { Db } from '@lexforum/db';
import type { Post } from '@lexforum/shared';
import { isAnswered } from '../answers/answers.queries.js';
import type { LiveMessage, Outbox } from '../realtime/outbox.js';
import { topics } from '../realtime/hub.js';
import * as q from './read.queries.js';
import type { ThreadReadService } from './reading.service.js';
import { moderationFlags, replyCountOf, type ThreadViews } from './thread-views.js';

export class ThreadLive {
  constructor(
    private readonly db: Db,
    private readonly views: ThreadViews,
    private readonly reads: ThreadReadService,
  ) {}

  queuePostCreated(outbox: Outbox, threadId: string, postId: string): void {
    outbox.addLive(() => {
      const post = this.neutralPost(postId);
      const counts = this.threadCounts(threadId);
      if (!post || !counts) return [];
      return [
        {
          topic: topics.thread(threadId),
          message: {
            kind: 'live',
            threadId,
            event: { type: 'post.created', ...counts, post },
          },
        },
        {
          topic: topics.threadList,
          message: { kind: 'live', threadId, event: { type: 'thread.activity', ...counts } },
        },
      ];
    });
  }

  /**
   * A post changed (edited, hidden, restored, removed). Readers get it as a member other than its
   * author reads it; the gateway hands the author and the moderators in scope `privileged`, the
   * post with its content and the moderator's note.
   */
  queuePostUpdated(outbox: Outbox, threadId: string, postId: string): void {
    outbox.addLive(() => {
      const post = this.neutralPost(postId);
      const thread = q.threadById(this.db, threadId);
      if (!post || !thread) return [];
      const privileged = post.withheld || post.state !== 'visible' ? this.reads.postFor(null, postId, true) : null;
      return [
        {
          topic: topics.thread(threadId),
          message: {
            kind: 'live',
            threadId,
            event: { type: 'post.updated', threadId, post },
            ...(privileged ? { privileged: { type: 'post.updated' as const, threadId, post: privileged } } : {}),
          },
        },
      ];
    });
  }

  threadUpdatedMessage(threadId: string): LiveMessage {
    const t = q.threadById(this.db, threadId)!;
    return {
      topic: topics.thread(threadId),
      message: {
        kind: 'live',
        threadId,
        event: {
          type: 'thread.updated',
          threadId,
          title: t.title,
          language: t.language,
          ...this.views.namedTags(t),
          lawAsOf: t.lawAsOf,
          ...moderationFlags(t),
          answered: t.kind === 'question' && isAnswered(this.db, t.id),
          acceptedAnswers: this.views.acceptedAnswers(t),
          state: t.state,
        },
      },
    };
  }

  /**
   * A post as a member other than its author reads it (`canEdit` false, hidden content withheld);
   * the socket personalizes it, from `full` for its author and the moderators.
   */
  private neutralPost(id: string): Post | null {
    return this.reads.postFor(null, id);
  }

  threadCounts(threadId: string) {
    const row = q.threadForViewer(this.db, threadId, '');
    if (!row) return null;
    const t = row.thread;
    return {
      threadId,
      postCount: t.postCount,
      replyCount: replyCountOf(t),
      participantCount: t.participantCount,
      lastPostAt: t.lastPostAt.toISOString(),
      lastPoster: { id: t.lastPosterId, displayName: row.lastPosterName },
    };
  }
}
