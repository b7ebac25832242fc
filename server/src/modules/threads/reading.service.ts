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
import type { Clock } from '../../lib/clock.js';
import { AppError, notFound } from '../../lib/errors.js';
import type { Guardian } from '../guardian/guardian.js';
import { openReportsBy, pendingSubmissionsIn } from '../moderation/moderation.effects.js';
import { redactionMarks } from '../redaction/redaction.marks.js';
import { readQuotes } from './quotes.js';
import * as q from './read.queries.js';
import type { PageStamp, SharedPage, ThreadPageCache } from './thread-page-cache.js';
import * as repo from './threads.repository.js';
import { markdownOf, peopleOf, postAuthor, sourceSections, threadFacts, type ThreadViews } from './thread-views.js';

const PAGE_SIZE = 30;
/** Posts per thread page; longer threads are read in further pages with `after`. */
export const POSTS_PER_PAGE = 1000;
/** About 2 MB of cooked HTML per thread page, whatever the number of posts. */
export const PAGE_BUDGET_CHARS = 2_000_000;

/** Serializers of the response schema's parts, so the cached JSON says only what the schema allows. */
export interface PageSerializers {
  post: (post: Post) => string;
  thread: (thread: ThreadDetail) => string;
}

export class ThreadReadService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly views: ThreadViews,
    private readonly cache?: ThreadPageCache,
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
    const rows = q.listThreadPage(this.db, guardian.user.id, { ...query, sort, limit: limit + 1 }, cursor);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const pinned = query.cursor ? [] : q.pinnedThreads(this.db, guardian.user.id, query.jurisdiction ?? []);
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
    const row = q.threadForViewer(this.db, id, guardian.user.id);
    if (!row || !guardian.canSeeThread(threadFacts(row.thread))) throw notFound('That thread');
    const { page, hasMore } = this.postsPage(id, after);
    const people = this.views.authorsOf(page.flatMap((r) => peopleOf(r.post)));
    const reported = openReportsBy(this.db, guardian.user.id, id);
    const quotes = readQuotes(
      this.db,
      page.map((r) => r.post.cooked),
    );
    return {
      thread: this.views.detail(guardian, row),
      posts: page.map((r) => this.views.post(guardian, r, people, threadFacts(row.thread), reported, false, quotes)),
      hasMore,
    };
  }

  /**
   * The thread page as JSON bytes, from the cache when this reader sees what every plain member sees,
   * with their own part added (read state, follow, rights, held submissions, their posts' and
   * reports' flags). Staff, readers of a thread out of the list and members who may read more
   * of the page (hidden posts or quoted sources of their own) get `getThread`, as without a cache.
   */
  threadPage(guardian: Guardian, id: string, after: number, json: PageSerializers): Buffer | ThreadWithPosts {
    // Only first pages are cached: later ones (threads past a page) are rare, and caching any
    // `after` would let one reader churn the cache with empty pages.
    if (!this.cache?.enabled || after !== 0 || !guardian.canUseForum() || guardian.isStaff) {
      return this.getThread(guardian, id, after);
    }
    const me = guardian.user.id;
    const head = q.threadHead(this.db, id, me);
    if (!head || head.state !== 'visible') return this.getThread(guardian, id, after);
    const key = `${id}:${after}`;
    const stamp = {
      version: head.version,
      generation: head.generation,
      reference: this.views.referenceLists(),
    };
    const now = this.clock.now().getTime();
    let entry = this.cache.get(key, stamp, now);
    if (!entry) {
      entry = this.sharedPage(id, after, stamp, json);
      if (!entry) return this.getThread(guardian, id, after);
      this.cache.set(key, entry);
    }
    if (entry.privileged.has(me)) return this.getThread(guardian, id, after);

    const reported = openReportsBy(this.db, me, id);
    const thread = this.views.readerDetail(entry.thread, {
      lastReadNumber: head.lastReadNumber,
      following: head.following,
      canEdit: head.authorId === me,
      canReply: !head.locked,
      canModerate: false,
      // Staff never read from the cache: a member marks the answer of their own question only.
      canAccept: entry.thread.kind === 'question' && head.authorId === me,
      pending: pendingSubmissionsIn(this.db, me, id, entry.thread.title),
    });
    const opening = Buffer.from(`{"thread":${json.thread(thread)},"posts":[`);
    const closing = Buffer.from(`],"hasMore":${entry.hasMore}}`);
    if (reported.size === 0 && !entry.posts.some((p) => p.authorId === me)) {
      // Most readers: the posts' JSON as stored, already encoded.
      return Buffer.concat([opening, entry.joined, closing]);
    }
    // Their own posts they may edit and not report; those they reported they cannot report again.
    const posts = entry.posts
      .map((p) =>
        p.authorId === me
          ? p.json.replace('"canEdit":false', '"canEdit":true').replace('"canReport":true', '"canReport":false')
          : reported.has(p.id)
            ? p.json.replace('"canReport":true', '"canReport":false')
            : p.json,
      )
      .join(',');
    return Buffer.concat([opening, Buffer.from(posts), closing]);
  }

  /**
   * What every plain member sees of a page: the posts as a member other than their authors reads
   * them (hidden content and quotes of sources out of view withheld), reportable when visible.
   * Undefined if the thread is gone.
   */
  private sharedPage(id: string, after: number, stamp: PageStamp, json: PageSerializers): SharedPage | undefined {
    const row = q.threadForViewer(this.db, id, '');
    if (!row) return undefined;
    const { page, hasMore } = this.postsPage(id, after);
    const people = this.views.authorsOf(page.flatMap((r) => peopleOf(r.post)));
    const quotes = readQuotes(
      this.db,
      page.map((r) => r.post.cooked),
    );
    const facts = threadFacts(row.thread);
    const privileged = quotes.privilegedReaders();
    const posts = page.map((r) => {
      if (r.post.state !== 'visible') privileged.add(r.post.authorId);
      const post = this.views.post(null, r, people, facts, new Set(), false, quotes);
      const view = { ...post, canReport: post.state === 'visible' };
      return { id: post.id, authorId: r.post.authorId, state: post.state, json: json.post(view) };
    });
    const thread = this.views.sharedDetail(row);
    // The page changes when a badge it shows falls due for re-verification: the posts' authors',
    // and the accepted answers' (whose replies may be past this page).
    let expiresAt = Number.POSITIVE_INFINITY;
    const badges = [...[...people.values()].map((p) => p.badge), ...thread.acceptedAnswers.map((a) => a.author.badge)];
    for (const badge of badges) {
      if (badge && !badge.reverificationDue) expiresAt = Math.min(expiresAt, Date.parse(badge.reverificationDueAt));
    }
    const joined = Buffer.from(posts.map((p) => p.json).join(','));
    return {
      ...stamp,
      expiresAt,
      thread,
      posts,
      joined,
      hasMore,
      privileged,
      // Each post's JSON (two bytes a character at most), the joined bytes, and the rest.
      bytes: posts.reduce((sum, p) => sum + p.json.length * 2, 0) + joined.length + 2048,
    };
  }

  /** Posts after `after`, up to a page: it also stops at a size budget, so long posts come in several pages. */
  private postsPage(id: string, after: number): { page: q.PostViewListRow[]; hasMore: boolean } {
    const rows = q.postPage(this.db, id, after, POSTS_PER_PAGE + 1);
    let bytes = 0;
    let count = 0;
    while (count < Math.min(rows.length, POSTS_PER_PAGE) && (count === 0 || bytes < PAGE_BUDGET_CHARS)) {
      bytes += rows[count]!.post.cooked.length;
      count += 1;
    }
    return { page: rows.slice(0, count), hasMore: rows.length > count };
  }

  getPost(guardian: Guardian, id: string): Post {
    guardian.ensureForumAccess();
    const row = q.postView(this.db, id);
    const thread = row ? q.threadById(this.db, row.post.threadId) : undefined;
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
    const row = q.postView(this.db, id);
    const thread = row ? q.threadById(this.db, row.post.threadId) : undefined;
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
    const row = q.threadForViewer(this.db, id, guardian.user.id);
    return row ? this.views.detail(guardian, row) : null;
  }

  /** The thread, if this viewer may see it: a thread taken out of view is a 404 to the others. */
  seeableThread(guardian: Guardian, id: string): ThreadRow {
    const thread = q.threadById(this.db, id);
    if (!thread || !guardian.canSeeThread(threadFacts(thread))) throw notFound('That thread');
    return thread;
  }

  /** The post, if this viewer may read its content (its thread and, when hidden, the post itself). */
  private readablePost(guardian: Guardian, id: string): PostRow {
    const post = repo.findPost(this.db, id);
    const thread = post ? q.threadById(this.db, post.threadId) : undefined;
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

  /**
   * A post's versions: every version's address stays citable. A post moderators took out of view
   * answers those who may not read it with a notice and no text, as the thread page does; a post
   * in a thread they cannot see does not exist for them (404).
   */
  history(guardian: Guardian, id: string): PostHistory {
    guardian.ensureForumAccess();
    const post = repo.findPost(this.db, id);
    const thread = post ? q.threadById(this.db, post.threadId) : undefined;
    if (!post || !thread || !guardian.canSeeThread(threadFacts(thread))) throw notFound('That post');
    const withheld = !guardian.canSeePostContent(post, threadFacts(thread));
    const canRedact = !withheld && guardian.canRedactPost(post, threadFacts(thread));
    return {
      post: {
        id: post.id,
        threadId: post.threadId,
        number: post.number,
        threadTitle: thread.title,
        threadKind: thread.kind,
        language: thread.language,
        author: postAuthor(post.authorId, this.views.authorsOf([post.authorId]).get(post.authorId)),
      },
      revisions: withheld ? [] : this.revisions(id, guardian),
      // The reason of a redaction is for the post's author and the moderators in scope, who may redact.
      redactions: withheld ? [] : redactionMarks(this.db, post.id, canRedact),
      canRedact,
      withheld: withheld ? { state: post.state } : null,
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
      answer: revision.answer ? this.views.answerFacts(revision.answer.jurisdiction, revision.answer) : null,
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
