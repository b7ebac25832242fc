/**
 * Reading the forum: the thread list and its tag counts, a thread with a page of its posts, one
 * post, its source and its history. Access is checked first (a thread or post this reader may not
 * see is a 404), then rows are read and shown through ThreadViews.
 */
import type { Db, PostRow, ThreadRow } from '@lexforum/db';
import type {
  Post,
  PostHistory,
  PostRevision,
  PostSource,
  TagCounts,
  ThreadDetail,
  ThreadPage,
  ThreadQuery,
  ThreadWithPosts,
} from '@lexforum/shared';
import { AppError, notFound } from '../../lib/errors.js';
import type { Guardian } from '../guardian/guardian.js';
import { openReportsBy } from '../moderation/moderation.effects.js';
import { redactionMarks } from '../redaction/redaction.marks.js';
import { readQuotes } from './quotes.js';
import * as repo from './threads.repository.js';
import { markdownOf, peopleOf, sourceSections, threadFacts, type ThreadViews } from './thread-views.js';

const PAGE_SIZE = 30;
/** Posts per thread page; longer threads are read in further pages with `after`. */
export const POSTS_PER_PAGE = 1000;
/** About 2 MB of cooked HTML per thread page, whatever the number of posts. */
export const PAGE_BUDGET_CHARS = 2_000_000;

export class ThreadReadService {
  constructor(
    private readonly db: Db,
    private readonly views: ThreadViews,
  ) {}

  listThreads(guardian: Guardian, query: ThreadQuery): ThreadPage {
    guardian.ensureForumAccess();
    const sort = query.sort ?? 'latest';
    const limit = query.limit ?? PAGE_SIZE;
    const cursor = query.cursor ? repo.decodeCursor(query.cursor) : undefined;
    if (query.cursor && (!cursor || cursor.sort !== sort)) {
      throw new AppError(400, 'VALIDATION_FAILED', 'That page link is not valid. Start again from the first page.', {
        issues: [{ path: '/cursor', code: 'invalid_cursor', message: 'Not a cursor from this list.' }],
      });
    }
    const rows = repo.listThreads(this.db, guardian.user.id, { ...query, sort, limit: limit + 1 }, cursor);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const pinned = query.cursor ? [] : repo.listPinned(this.db, guardian.user.id, query.jurisdiction ?? []);
    return {
      pinned: pinned.map((row) => this.views.summary(row)),
      threads: page.map((row) => this.views.summary(row)),
      nextCursor:
        rows.length > limit && last
          ? repo.encodeCursor({ sort, value: repo.sortValue(last.thread, sort), id: last.thread.id })
          : null,
    };
  }

  getThread(guardian: Guardian, id: string, after = 0): ThreadWithPosts {
    guardian.ensureForumAccess();
    const row = repo.findThreadForViewer(this.db, id, guardian.user.id);
    if (!row || !guardian.canSeeThread(threadFacts(row.thread))) throw notFound('That thread');
    const rows = repo.listPosts(this.db, id, after, POSTS_PER_PAGE + 1);
    // A page also stops at a size budget, so a thread of long posts arrives in several pages.
    let bytes = 0;
    let count = 0;
    while (count < Math.min(rows.length, POSTS_PER_PAGE) && (count === 0 || bytes < PAGE_BUDGET_CHARS)) {
      bytes += rows[count]!.post.cooked.length;
      count += 1;
    }
    const page = rows.slice(0, count);
    const people = this.views.authorsOf(page.flatMap((r) => peopleOf(r.post)));
    const reported = openReportsBy(this.db, guardian.user.id, id);
    const quotes = readQuotes(
      this.db,
      page.map((r) => r.post.cooked),
    );
    return {
      thread: this.views.detail(guardian, row),
      posts: page.map((r) => this.views.post(guardian, r, people, threadFacts(row.thread), reported, false, quotes)),
      hasMore: rows.length > count,
    };
  }

  getPost(guardian: Guardian, id: string): Post {
    guardian.ensureForumAccess();
    const row = repo.postWithParentNumber(this.db, id);
    const thread = row ? repo.findThread(this.db, row.post.threadId) : undefined;
    if (!row || !thread || !guardian.canSeeThread(threadFacts(thread))) throw notFound('That post');
    return this.views.post(
      guardian,
      row,
      this.views.authorsOf(peopleOf(row.post)),
      threadFacts(thread),
      openReportsBy(this.db, guardian.user.id, thread.id),
    );
  }

  /**
   * A post as this viewer reads it, or null if they cannot see its thread. Guardian null: as a
   * member other than its author reads it, or with `privileged` as its author and moderators do.
   */
  postFor(guardian: Guardian | null, id: string, privileged = false): Post | null {
    const row = repo.postWithParentNumber(this.db, id);
    const thread = row ? repo.findThread(this.db, row.post.threadId) : undefined;
    if (!row || !thread) return null;
    if (guardian && !guardian.canSeeThread(threadFacts(thread))) return null;
    return this.views.post(
      guardian,
      row,
      this.views.authorsOf(peopleOf(row.post)),
      threadFacts(thread),
      new Set(),
      privileged,
    );
  }

  /** A thread's detail as this viewer reads it (moderation answers with it). */
  threadFor(guardian: Guardian, id: string): ThreadDetail | null {
    const row = repo.findThreadForViewer(this.db, id, guardian.user.id);
    return row ? this.views.detail(guardian, row) : null;
  }

  /** The thread, if this viewer may see it: a thread taken out of view is a 404 to the others. */
  seeableThread(guardian: Guardian, id: string): ThreadRow {
    const thread = repo.findThread(this.db, id);
    if (!thread || !guardian.canSeeThread(threadFacts(thread))) throw notFound('That thread');
    return thread;
  }

  /** The post, if this viewer may read its content (its thread and, when hidden, the post itself). */
  private readablePost(guardian: Guardian, id: string): PostRow {
    const post = repo.findPost(this.db, id);
    const thread = post ? repo.findThread(this.db, post.threadId) : undefined;
    if (
      !post ||
      !thread ||
      !guardian.canSeeThread(threadFacts(thread)) ||
      !guardian.canSeePostContent(post, threadFacts(thread))
    ) {
      throw notFound('That post');
    }
    return post;
  }

  getSource(guardian: Guardian, id: string): PostSource {
    guardian.ensureForumAccess();
    const post = this.readablePost(guardian, id);
    const quotes = readQuotes(this.db, [], markdownOf(post));
    return {
      id: post.id,
      threadId: post.threadId,
      version: post.version,
      body: post.body === null ? null : quotes.renderSource(guardian, post.body),
      sections: sourceSections(post.sections, (text) => quotes.renderSource(guardian, text)),
    };
  }

  history(guardian: Guardian, id: string): PostHistory {
    guardian.ensureForumAccess();
    const post = this.readablePost(guardian, id);
    const thread = repo.findThread(this.db, post.threadId)!;
    const canRedact = guardian.canRedactPost(post, threadFacts(thread));
    return {
      post: { id: post.id, threadId: post.threadId, number: post.number, threadTitle: thread.title },
      revisions: this.revisions(id, guardian),
      // The reason of a redaction is for the post's author and the moderators in scope, who may redact.
      redactions: redactionMarks(this.db, post.id, canRedact),
      canRedact,
    };
  }

  /** A post's versions, oldest first, with the quotes `guardian` may not read withheld. */
  revisions(id: string, guardian: Guardian): PostRevision[] {
    const rows = repo.listRevisions(this.db, id);
    const quotes = readQuotes(
      this.db,
      rows.map((r) => r.revision.cooked),
      rows.flatMap((r) => markdownOf(r.revision)),
    );
    return rows.map(({ revision, editorName }) => ({
      version: revision.version,
      byModerator: revision.byModerator,
      editor: { id: revision.editorId, displayName: editorName },
      createdAt: revision.createdAt.toISOString(),
      reason: revision.reason,
      title: revision.title,
      meta: revision.meta ? this.views.namedMeta(revision.meta) : null,
      body: revision.body === null ? null : quotes.renderSource(guardian, revision.body),
      sections: sourceSections(revision.sections, (text) => quotes.renderSource(guardian, text)),
      cooked: quotes.render(guardian, revision.cooked),
    }));
  }

  tagCounts(guardian: Guardian): TagCounts {
    guardian.ensureForumAccess();
    const counts = repo.tagCounts(this.db);
    const record = (rows: { key: string; count: number }[]) => Object.fromEntries(rows.map((r) => [r.key, r.count]));
    return {
      jurisdictions: record(counts.jurisdictions),
      topics: record(counts.topics),
      instruments: record(counts.instruments),
    };
  }
}
