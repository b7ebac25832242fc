/**
 * Moderation of posts: dismissing a post's reports, hiding, restoring and deleting it, and merging
 * it (with the replies under it) into another thread. Warning or suspending its author are acted on
 * from the post too (`postAction`), their steps in author-moderation.service.ts. Each action checks
 * access first (Guardian), then validates, then writes in one transaction: the change, its audit
 * entry, the author's notification, the closing of the review item and its reports; pushes go out
 * after the commit.
 */
import { notifications, posts, reports, reviewItems, threads, type Db, type DbOrTx } from '@lexforum/db';
import type { Post } from '@lexforum/shared';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { fieldError } from '../../lib/errors.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { topics } from '../realtime/hub.js';
import { transact, type Publisher } from '../realtime/outbox.js';
import * as threadRepo from '../threads/threads.repository.js';
import { threadFacts, type ThreadService } from '../threads/threads.service.js';
import { suspendAuthor, warnAuthor } from './author-moderation.service.js';
import { checkReason, invalidState, postAndThread } from './moderation.checks.js';
import { closeOpenItem, recordModeration } from './moderation.effects.js';
import { setPostState } from './post-state.js';
import { ReviewItems } from './review-items.js';

export type PostAction = 'dismiss' | 'hide' | 'restore' | 'delete' | 'warn' | 'suspend-author';

export class PostModerationService {
  private readonly items: ReviewItems;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
    private readonly threads: ThreadService,
  ) {
    this.items = new ReviewItems(db, clock, threads);
  }

  /**
   * `confirmRecent` throws unless the session confirmed who it is in the last minutes: asked only
   * of a suspension (every suspension needs it), once the action is otherwise allowed.
   */
  postAction(
    guardian: Guardian,
    postId: string,
    action: PostAction,
    reason: string,
    confirmRecent: () => void = () => undefined,
  ): Post {
    guardian.ensureStaff();
    const { post, thread } = postAndThread(this.db, postId, guardian);
    const facts = threadFacts(thread);
    if (!guardian.canModerate(facts)) throw forbidden('This post is outside the jurisdictions you moderate.');
    if (!guardian.canModeratePost(post, facts)) throw forbidden('You cannot moderate your own post.');
    const note = checkReason(reason);
    const open = this.items.openFor(postId);
    if (open) this.items.ensureActionable(guardian, open);
    const now = this.clock.now();
    const actor = guardian.user;
    transact(this.db, this.realtime, (tx, outbox) => {
      switch (action) {
        case 'dismiss': {
          if (!open) throw invalidState('This post has no open reports to dismiss.');
          closeOpenItem(tx, outbox, { postId, resolution: 'dismissed', actor, reason: note, now });
          const restore = post.state === 'hidden' && post.moderatedById === null;
          if (restore) setPostState(this.threads, tx, outbox, post, thread, 'visible', actor.id, note, now);
          recordModeration(tx, outbox, {
            actor,
            action: 'report.dismiss',
            post,
            thread,
            reason: note,
            before: { state: post.state, reports: this.reportCount(tx, open.id) },
            after: { state: restore ? 'visible' : post.state },
            notice: restore ? { action: 'reviewed_restore' } : null,
            now,
          });
          return;
        }
        case 'hide':
        case 'delete': {
          const state = action === 'hide' ? 'hidden' : 'deleted';
          if (post.state === state) throw invalidState(`This post is already ${state}.`);
          if (action === 'hide' && post.state === 'deleted')
            throw invalidState('This post is deleted; restore it first.');
          setPostState(this.threads, tx, outbox, post, thread, state, actor.id, note, now);
          recordModeration(tx, outbox, {
            actor,
            action: action === 'hide' ? 'post.hide' : 'post.delete',
            post,
            thread,
            reason: note,
            before: { state: post.state },
            after: { state },
            notice: { action: action === 'hide' ? 'hide' : 'delete' },
            now,
          });
          closeOpenItem(tx, outbox, { postId, resolution: state, actor, reason: note, now });
          return;
        }
        case 'restore': {
          if (post.state === 'visible') throw invalidState('This post is not hidden or deleted.');
          setPostState(this.threads, tx, outbox, post, thread, 'visible', actor.id, note, now);
          recordModeration(tx, outbox, {
            actor,
            action: 'post.restore',
            post,
            thread,
            reason: note,
            before: { state: post.state },
            after: { state: 'visible' },
            notice: { action: 'restore' },
            now,
          });
          closeOpenItem(tx, outbox, { postId, resolution: 'restored', actor, reason: note, now });
          return;
        }
        case 'warn': {
          warnAuthor(tx, outbox, { actor, post, thread, reason: note, now });
          return;
        }
        case 'suspend-author': {
          suspendAuthor(tx, guardian, { post, thread, reason: note, now }, confirmRecent);
          return;
        }
      }
    });
    return this.threads.postFor(guardian, postId)!;
  }

  /**
   * Merges a post, with the replies under it, into another thread: they keep their order and
   * take the next numbers there, the post becoming a reply to its opening post.
   */
  movePost(guardian: Guardian, postId: string, toThreadId: string, reason: string): Post {
    guardian.ensureStaff();
    const { post, thread } = postAndThread(this.db, postId, guardian);
    if (!guardian.canModerate(threadFacts(thread)))
      throw forbidden('This post is outside the jurisdictions you moderate.');
    if (!guardian.canModeratePost(post, threadFacts(thread))) throw forbidden('You cannot moderate your own post.');
    const target = threadRepo.findThread(this.db, toThreadId);
    if (!target || !guardian.canSeeThread(threadFacts(target))) {
      throw fieldError('/toThreadId', 'That thread does not exist.');
    }
    if (!guardian.canModerate(threadFacts(target))) {
      throw forbidden('The other thread is outside the jurisdictions you moderate.');
    }
    if (target.state !== 'visible') {
      throw fieldError('/toThreadId', 'That thread is hidden or removed: posts cannot be moved into it.');
    }
    if (post.number === 1) {
      throw fieldError('/toThreadId', 'An opening post cannot be moved: retag or lock its thread instead.');
    }
    if (target.id === thread.id) throw fieldError('/toThreadId', 'The post is already in that thread.');
    const note = checkReason(reason);
    const open = this.items.openFor(postId);
    if (open) this.items.ensureActionable(guardian, open);
    const now = this.clock.now();
    transact(this.db, this.realtime, (tx, outbox) => {
      const all = tx.select().from(posts).where(eq(posts.threadId, thread.id)).orderBy(asc(posts.number)).all();
      const subtree = new Set([post.id]);
      for (const p of all) if (p.parentId && subtree.has(p.parentId)) subtree.add(p.id);
      const moving = all.filter((p) => subtree.has(p.id));
      const opener = tx
        .select()
        .from(posts)
        .where(and(eq(posts.threadId, target.id), eq(posts.number, 1)))
        .get()!;
      const current = threadRepo.findThread(tx, target.id)!;
      const depth = new Map<string, number>();
      let number = current.postCount;
      for (const p of moving) {
        number += 1;
        const parentId = p.id === post.id ? opener.id : p.parentId!;
        const d = p.id === post.id ? 1 : depth.get(parentId)! + 1;
        depth.set(p.id, d);
        tx.update(posts).set({ threadId: target.id, number, parentId, depth: d }).where(eq(posts.id, p.id)).run();
      }
      tx.update(posts)
        .set({ replyCount: sql`${posts.replyCount} - 1` })
        .where(eq(posts.id, post.parentId!))
        .run();
      tx.update(posts)
        .set({ replyCount: sql`${posts.replyCount} + 1` })
        .where(eq(posts.id, opener.id))
        .run();
      tx.update(threads).set({ postCount: number, updatedAt: now }).where(eq(threads.id, target.id)).run();
      const ids = moving.map((p) => p.id);
      tx.update(notifications).set({ threadId: target.id }).where(inArray(notifications.postId, ids)).run();
      tx.update(reviewItems).set({ threadId: target.id }).where(inArray(reviewItems.postId, ids)).run();
      threadRepo.refreshThreadCounters(tx, thread.id);
      threadRepo.refreshThreadCounters(tx, target.id);
      recordModeration(tx, outbox, {
        actor: guardian.user,
        action: 'post.move',
        post,
        thread,
        reason: note,
        before: { threadId: thread.id, number: post.number, posts: ids.length },
        after: { threadId: target.id, number: current.postCount + 1 },
        notice: { action: 'move' },
        now,
      });
      closeOpenItem(tx, outbox, { postId, resolution: 'moved', actor: guardian.user, reason: note, now });
      outbox.addLive(() => {
        const counts = this.threads.threadCounts(thread.id);
        if (!counts) return [];
        return [
          {
            topic: topics.thread(thread.id),
            message: {
              kind: 'live',
              threadId: thread.id,
              event: {
                type: 'posts.moved',
                ...counts,
                postIds: ids,
                toThreadId: target.id,
                toThreadTitle: target.title,
              },
            },
          },
          {
            topic: topics.threadList,
            message: { kind: 'live', threadId: thread.id, event: { type: 'thread.activity', ...counts } },
          },
        ];
      });
      for (const id of ids) this.threads.queuePostCreated(outbox, target.id, id);
    });
    return this.threads.postFor(guardian, postId)!;
  }

  private reportCount(tx: DbOrTx, itemId: number): number {
    return tx.get<{ n: number }>(sql`select count(*) as n from ${reports} where item_id = ${itemId}`)?.n ?? 0;
  }
}
