/**
 * The thread services, wired once: reading (ThreadReadService), writing a thread or a reply
 * (ThreadWriteService), editing posts and threads (ThreadEditService), follows and read state
 * (FollowService), drafts (DraftService), the live messages (ThreadLive) and the views they all
 * show (ThreadViews). Routes use the parts; moderation and redaction, which act on threads
 * through several of them, use the few methods delegated here.
 */
import type { Db, PostRow, ThreadRow } from '@lexforum/db';
import type {
  CreateReplyBody,
  CreateThreadBody,
  EditPostBody,
  Post,
  PostRevision,
  ThreadDetail,
  UpdateThreadBody,
} from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import type { AttachmentService } from '../attachments/attachments.service.js';
import type { Guardian } from '../guardian/guardian.js';
import type { LiveMessage, Outbox, Publisher } from '../realtime/outbox.js';
import type { ReferenceRepository } from '../reference/reference.repository.js';
import type { UserViews } from '../users/users.views.js';
import { ContentChecks, type CheckedContent } from './content-checks.js';
import type { CookPool } from './cook-pool.js';
import { DraftService } from './drafts.service.js';
import { ThreadEditService } from './editing.service.js';
import { FollowService } from './follows.service.js';
import { ThreadReadService } from './reading.service.js';
import { ThreadLive } from './thread-live.js';
import type { ThreadPageCache } from './thread-page-cache.js';
import { ThreadViews } from './thread-views.js';
import type { ThreadTags } from './threads.repository.js';
import { ThreadWriteService, type CheckedThread } from './writing.service.js';

export { threadFacts } from './thread-views.js';
export { POSTS_PER_PAGE, PAGE_BUDGET_CHARS } from './reading.service.js';
export { MAX_COOKED_CHARS, type CheckedContent } from './content-checks.js';

export class ThreadService {
  readonly views: ThreadViews;
  readonly reads: ThreadReadService;
  readonly live: ThreadLive;
  readonly writes: ThreadWriteService;
  readonly edits: ThreadEditService;
  readonly follows: FollowService;
  readonly drafts: DraftService;

  constructor(
    db: Db,
    clock: Clock,
    reference: ReferenceRepository,
    userViews: UserViews,
    realtime: Publisher,
    cookPool: CookPool,
    pageCache?: ThreadPageCache,
    /** Without it (services that never write posts), a post naming attachments is refused. */
    attachments?: AttachmentService,
  ) {
    const checks = new ContentChecks(db, clock, reference, cookPool);
    this.views = new ThreadViews(db, reference, userViews);
    this.reads = new ThreadReadService(db, clock, this.views, pageCache);
    this.live = new ThreadLive(db, this.views, this.reads);
    this.writes = new ThreadWriteService(db, clock, realtime, checks, this.views, this.reads, this.live, attachments);
    this.edits = new ThreadEditService(db, clock, realtime, checks, this.reads, this.live, attachments);
    this.follows = new FollowService(db, clock, realtime, reference, this.reads);
    this.drafts = new DraftService(db, clock, cookPool, this.reads);
  }

  // ---- For moderation and redaction ----

  postFor(guardian: Guardian | null, id: string, privileged = false): Post | null {
    return this.reads.postFor(guardian, id, privileged);
  }

  threadFor(guardian: Guardian, id: string): ThreadDetail | null {
    return this.reads.threadFor(guardian, id);
  }

  revisions(id: string, guardian: Guardian): PostRevision[] {
    return this.reads.revisions(id, guardian);
  }

  jurisdictionTags(codes: readonly string[]): { code: string; name: string }[] {
    return this.views.jurisdictionTags(codes);
  }

  checkThread(body: CreateThreadBody): Promise<CheckedThread> {
    return this.writes.checkThread(body);
  }

  writeThread(...args: Parameters<ThreadWriteService['writeThread']>): string {
    return this.writes.writeThread(...args);
  }

  checkReply(body: CreateReplyBody): ReturnType<ThreadWriteService['checkReply']> {
    return this.writes.checkReply(body);
  }

  writeReply(...args: Parameters<ThreadWriteService['writeReply']>): string {
    return this.writes.writeReply(...args);
  }

  checkEdit(post: PostRow, thread: ThreadRow, body: EditPostBody, asModerator = false): Promise<CheckedContent> {
    return this.edits.checkEdit(post, thread, body, asModerator);
  }

  writeEdit(...args: Parameters<ThreadEditService['writeEdit']>): void {
    this.edits.writeEdit(...args);
  }

  checkThreadUpdate(thread: ThreadRow, body: UpdateThreadBody, asModerator = false): ThreadTags {
    return this.edits.checkThreadUpdate(thread, body, asModerator);
  }

  writeThreadUpdate(...args: Parameters<ThreadEditService['writeThreadUpdate']>): void {
    this.edits.writeThreadUpdate(...args);
  }

  queuePostCreated(outbox: Outbox, threadId: string, postId: string): void {
    this.live.queuePostCreated(outbox, threadId, postId);
  }

  queuePostUpdated(outbox: Outbox, threadId: string, postId: string): void {
    this.live.queuePostUpdated(outbox, threadId, postId);
  }

  threadUpdatedMessage(threadId: string): LiveMessage {
    return this.live.threadUpdatedMessage(threadId);
  }

  threadCounts(threadId: string): ReturnType<ThreadLive['threadCounts']> {
    return this.live.threadCounts(threadId);
  }
}
