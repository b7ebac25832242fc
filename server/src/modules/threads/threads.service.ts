/**
 * Threads, replies, revisions, following, read state and drafts. Each method checks access
 * first (Guardian), validates what the schema cannot (known tags, text rules, which fields a kind
 * needs), then writes in one transaction: a post, its first revision, the thread's counters, the
 * author's follow and read state, and the deletion of the draft it came from.
 */
import { randomUUID } from 'node:crypto';
import {
  posts,
  postRevisions,
  threads,
  type Db,
  type DbOrTx,
  type PostRow,
  type ThreadRow,
  type UserRow,
} from '@lexforum/db';
import {
  ANALYSIS_SECTIONS,
  ANALYSIS_SECTION_TITLES,
  checkPostText,
  DEFAULT_LOCALE,
  EARLIEST_LAW_AS_OF,
  LANGUAGE_CODES,
  type LanguageCode,
  hasVisibleText,
  MODERATION_RULES,
  POST_RULES,
  type AnalysisMeta,
  type AnalysisSectionKey,
  type AnalysisSectionsInput,
  type CitationInput,
  type CreateReplyBody,
  type CreateThreadBody,
  type DraftList,
  type EditPostBody,
  type FieldIssue,
  type Issue,
  type FollowList,
  type FollowState,
  type FollowTarget,
  type Post,
  type PostHistory,
  type PostRevision,
  type PendingSubmission,
  type PostSource,
  type ReadState,
  type ReplyDraft,
  type ReplyDraftEnvelope,
  type TagCounts,
  type ThreadDetail,
  type ThreadDraft,
  type ThreadDraftEnvelope,
  type ThreadPage,
  type ThreadQuery,
  type ThreadSummary,
  type ThreadWithPosts,
  type UpdateThreadBody,
} from '@lexforum/shared';
import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError, notFound } from '../../lib/errors.js';
import { forbidden, type Guardian, type ModeratedThread } from '../guardian/guardian.js';
import { readSettings } from '../settings/settings.repository.js';
import {
  closeOpenItem,
  ensureNotClaimedByOther,
  insertSubmission,
  openReportsBy,
  pendingSubmissionsIn,
  recordModeration,
  submissionView,
} from '../moderation/moderation.effects.js';
import type { ReferenceRepository } from '../reference/reference.repository.js';
import type { UserViews } from '../users/users.views.js';
import { mentionCandidates } from '@lexforum/shared/markdown';
import { holdPostEdit, holdThreadEdit } from '../moderation/held-edits.js';
import { transact, type LiveMessage, type Outbox, type Publisher } from '../realtime/outbox.js';
import { topics } from '../realtime/hub.js';
import { markThreadNotificationsRead } from '../notifications/notifications.repository.js';
import { readQuotes, type QuoteSources } from './quotes.js';
import { excerptOf, mentionedIn, type CookedSection } from './cook.js';
import type { CookPool } from './cook-pool.js';
import { isDraftTokenSpent, spendDraftToken } from './spent-drafts.js';
import { notifyNewMentions, notifyNewPost, notifyNewThread } from './thread-notifications.js';
import * as repo from './threads.repository.js';
import { redactionMarks } from '../redaction/redaction.marks.js';

const PAGE_SIZE = 30;
/** Posts per thread page; longer threads are read in further pages with `after`. */
export const POSTS_PER_PAGE = 1000;
/** About 2 MB of cooked HTML per thread page, whatever the number of posts. */
export const PAGE_BUDGET_CHARS = 2_000_000;
/** Cooked HTML per body or section: linkified text can grow a lot; past this it is refused. */
export const MAX_COOKED_CHARS = 200_000;
const THREAD_DRAFT_KEY = 'thread';
const replyDraftKey = (threadId: string) => `reply:${threadId}`;

type ContentText = { body: string; sections: null } | { body: null; sections: Record<AnalysisSectionKey, string> };
/** An edit's or post's text, checked and cooked. */
export type CheckedContent = ContentText & { cooked: string; mentioned: Set<string>; excerpt: string };

/** What a draft's excerpt is made of: the title if any, else the body or the first section. */
function draftExcerptSource(data: ThreadDraft | ReplyDraft): string {
  return 'title' in data && data.title
    ? data.title
    : (data.body ?? Object.values((data as ThreadDraft).sections ?? {})[0] ?? '');
}

class Issues {
  readonly list: FieldIssue[] = [];
  add(path: string, problem: Issue | string | null): void {
    if (problem) this.list.push(typeof problem === 'string' ? { path, message: problem } : { path, ...problem });
  }
  throwIfAny(): void {
    if (this.list.length === 0) return;
    throw new AppError(
      400,
      'VALIDATION_FAILED',
      this.list.length === 1 ? this.list[0]!.message : 'Some fields need attention.',
      { issues: this.list },
    );
  }
}

function parseCalendarDate(value: string): Date | null {
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : date;
}

export class ThreadService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly reference: ReferenceRepository,
    private readonly userViews: UserViews,
    private readonly realtime: Publisher,
    private readonly cookPool: CookPool,
  ) {}

  // ---- Reading ----

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
      pinned: pinned.map((row) => this.summary(row)),
      threads: page.map((row) => this.summary(row)),
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
    const people = this.authorsOf(page.flatMap((r) => peopleOf(r.post)));
    const reported = openReportsBy(this.db, guardian.user.id, id);
    const quotes = readQuotes(
      this.db,
      page.map((r) => r.post.cooked),
    );
    return {
      thread: this.detail(guardian, row),
      posts: page.map((r) => this.post(guardian, r, people, threadFacts(row.thread), reported, false, quotes)),
      hasMore: rows.length > count,
    };
  }

  getPost(guardian: Guardian, id: string): Post {
    guardian.ensureForumAccess();
    const row = repo.postWithParentNumber(this.db, id);
    const thread = row ? repo.findThread(this.db, row.post.threadId) : undefined;
    if (!row || !thread || !guardian.canSeeThread(threadFacts(thread))) throw notFound('That post');
    return this.post(
      guardian,
      row,
      this.authorsOf(peopleOf(row.post)),
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
    return this.post(guardian, row, this.authorsOf(peopleOf(row.post)), threadFacts(thread), new Set(), privileged);
  }

  /** A thread's detail as this viewer reads it (moderation answers with it). */
  threadFor(guardian: Guardian, id: string): ThreadDetail | null {
    const row = repo.findThreadForViewer(this.db, id, guardian.user.id);
    return row ? this.detail(guardian, row) : null;
  }

  /** The thread, if this viewer may see it: a thread taken out of view is a 404 to the others. */
  private seeableThread(guardian: Guardian, id: string): ThreadRow {
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
      meta: revision.meta ? this.namedMeta(revision.meta) : null,
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

  // ---- Writing ----

  async createThread(
    guardian: Guardian,
    { draftToken, ...body }: CreateThreadBody,
  ): Promise<{ thread: ThreadWithPosts; pending?: never } | { pending: PendingSubmission; thread?: never }> {
    guardian.ensureForumAccess();
    const checked = await this.checkThread(body);
    const now = this.clock.now();
    const author = { id: guardian.user.id, displayName: guardian.user.displayName };
    // Resolved now, so a held thread is approved in the language it was submitted in.
    body = { ...body, language: body.language ?? defaultThreadLanguage(guardian.user.locale) };
    if (this.mustPremoderate(guardian)) {
      const item = transact(this.db, this.realtime, (tx) => {
        repo.deleteDraft(tx, author.id, THREAD_DRAFT_KEY);
        if (draftToken) spendDraftToken(tx, author.id, THREAD_DRAFT_KEY, draftToken, now);
        return insertSubmission(tx, {
          authorId: author.id,
          threadId: null,
          submission: { type: 'thread', body },
          cooked: checked.content.cooked,
          jurisdictions: body.jurisdictions,
          now,
        });
      });
      return { pending: submissionView(item, body.title) };
    }
    const threadId = transact(this.db, this.realtime, (tx, outbox) => {
      if (draftToken) spendDraftToken(tx, author.id, THREAD_DRAFT_KEY, draftToken, now);
      return this.writeThread(tx, outbox, author, body, checked, now);
    });
    return { thread: this.getThread(guardian, threadId) };
  }

  /** Checks a new thread's fields and cooks its content (at submission, and again at approval). */
  async checkThread(body: CreateThreadBody) {
    const issues = new Issues();
    issues.add('/title', checkPostText(body.title, POST_RULES.title));
    this.checkTags(issues, body);
    const text = this.checkContentText(issues, body.kind, body, true);
    let analysis: AnalysisMeta | null = null;
    if (body.kind === 'legal_analysis') {
      if (!body.analysis) {
        issues.add(
          '/analysis',
          'A legal analysis states the date of the law and that you write in a personal capacity.',
        );
      } else {
        this.checkAnalysisMeta(issues, body.analysis);
        analysis = body.analysis;
      }
    } else if (body.analysis) {
      issues.add('/analysis', 'Only a legal analysis has a "law as stated on" date.');
    }
    issues.throwIfAny();
    const content = await this.cookContent(issues, text!);
    issues.throwIfAny();
    return { content, analysis };
  }

  /**
   * Writes a thread and its opening post, notifies and pushes: for a member's new thread, and for
   * a held one when a moderator approves it. Returns the thread's id.
   */
  writeThread(
    tx: DbOrTx,
    outbox: Outbox,
    author: { id: string; displayName: string },
    body: CreateThreadBody,
    { content, analysis }: Awaited<ReturnType<ThreadService['checkThread']>>,
    now: Date,
    { approval = false }: { approval?: boolean } = {},
  ): string {
    const threadId = randomUUID();
    const userId = author.id;
    const postId = randomUUID();
    tx.insert(threads)
      .values({
        id: threadId,
        kind: body.kind,
        title: body.title,
        language: body.language ?? DEFAULT_LOCALE,
        authorId: userId,
        jurisdictions: [],
        topics: [],
        citations: [],
        lawAsOf: analysis?.lawAsOf ?? null,
        personalCapacity: analysis?.personalCapacity ?? false,
        postCount: 1,
        participantCount: 1,
        lastPostAt: now,
        lastPosterId: userId,
        createdAt: now,
        updatedAt: now,
      })
      .run();
    repo.writeTags(tx, threadId, body);
    repo.insertPost(
      tx,
      {
        id: postId,
        threadId,
        number: 1,
        parentId: null,
        depth: 0,
        authorId: userId,
        body: content.body,
        sections: content.sections,
        cooked: content.cooked,
        createdAt: now,
      },
      {
        title: body.title,
        meta: {
          jurisdictions: body.jurisdictions,
          topics: body.topics,
          citations: body.citations,
          lawAsOf: analysis?.lawAsOf ?? null,
          language: body.language ?? DEFAULT_LOCALE,
        },
      },
    );
    repo.follow(tx, userId, 'thread', threadId, now);
    repo.markRead(tx, userId, threadId, 1, now);
    // On approval the draft was deleted at submission; what is there now is a newer one.
    if (!approval) repo.deleteDraft(tx, userId, THREAD_DRAFT_KEY);
    const named = this.namedTags(body);
    notifyNewThread(
      tx,
      outbox,
      {
        thread: { id: threadId, title: body.title, kind: body.kind },
        postId,
        author,
        jurisdictions: named.jurisdictions,
        topics: named.topics,
        mentioned: content.mentioned,
        excerpt: content.excerpt,
      },
      now,
    );
    outbox.addLive(() => [
      {
        topic: topics.threadList,
        message: {
          kind: 'live',
          threadId,
          event: {
            type: 'thread.created',
            threadId,
            kind: body.kind,
            title: body.title,
            language: body.language ?? DEFAULT_LOCALE,
            authorId: userId,
            jurisdictions: body.jurisdictions,
            topics: body.topics,
            instruments: [...new Set(body.citations.map((c) => c.instrument))],
            createdAt: now.toISOString(),
          },
        },
      },
    ]);
    return threadId;
  }

  async reply(
    guardian: Guardian,
    threadId: string,
    { draftToken, ...body }: CreateReplyBody,
  ): Promise<{ post: Post; pending?: never } | { pending: PendingSubmission; post?: never }> {
    guardian.ensureForumAccess();
    const thread = repo.findThread(this.db, threadId);
    if (!thread || !guardian.canSeeThread(threadFacts(thread))) throw notFound('That thread');
    if (!guardian.canReply(threadFacts(thread))) throw threadLocked();
    const { cooked, mentioned, excerpt } = await this.checkReply(body);

    const now = this.clock.now();
    const author = { id: guardian.user.id, displayName: guardian.user.displayName };
    if (this.mustPremoderate(guardian)) {
      const item = transact(this.db, this.realtime, (tx) => {
        this.parentFor(tx, guardian, threadId, body.parentId ?? null);
        repo.deleteDraft(tx, author.id, replyDraftKey(threadId));
        if (draftToken) spendDraftToken(tx, author.id, replyDraftKey(threadId), draftToken, now);
        return insertSubmission(tx, {
          authorId: author.id,
          threadId,
          submission: { type: 'reply', body },
          cooked,
          jurisdictions: thread.jurisdictions,
          now,
        });
      });
      return { pending: submissionView(item, thread.title) };
    }
    const id = transact(this.db, this.realtime, (tx, outbox) => {
      if (draftToken) spendDraftToken(tx, author.id, replyDraftKey(threadId), draftToken, now);
      return this.writeReply(tx, outbox, guardian, author, threadId, body, { cooked, mentioned, excerpt }, now);
    });
    return { post: this.getPost(guardian, id) };
  }

  /** The post replied to: in this thread, and readable by whoever replies (404-free: a 400). */
  private parentFor(tx: DbOrTx, guardian: Guardian | null, threadId: string, parentId: string | null): PostRow {
    const parent = parentId
      ? repo.findPost(tx, parentId)
      : tx
          .select()
          .from(posts)
          .where(sql`${posts.threadId} = ${threadId} and ${posts.number} = 1`)
          .get();
    const thread = repo.findThread(tx, threadId);
    if (
      !parent ||
      !thread ||
      parent.threadId !== threadId ||
      (guardian !== null && !guardian.canSeePostContent(parent, threadFacts(thread)))
    ) {
      throw new AppError(400, 'VALIDATION_FAILED', 'The post you are replying to is not in this thread.', {
        issues: [{ path: '/parentId', code: 'parent_not_in_thread', message: 'Not a post of this thread.' }],
      });
    }
    return parent;
  }

  /**
   * Writes a reply, updates the counters, notifies and pushes: for a member's reply, and for a
   * held one when a moderator approves it (`guardian` null: the author's view was checked then).
   */
  writeReply(
    tx: DbOrTx,
    outbox: Outbox,
    guardian: Guardian | null,
    author: { id: string; displayName: string },
    threadId: string,
    body: CreateReplyBody,
    { cooked, mentioned, excerpt }: { cooked: string; mentioned: ReadonlySet<string>; excerpt?: string },
    now: Date,
  ): string {
    const userId = author.id;
    const id = randomUUID();
    const current = repo.findThread(tx, threadId)!;
    const parent = this.parentFor(tx, guardian, threadId, body.parentId ?? null);
    const newcomer = !repo.hasPostedIn(tx, threadId, userId);
    const number = current.postCount + 1;
    repo.insertPost(
      tx,
      {
        id,
        threadId,
        number,
        parentId: parent.id,
        depth: parent.depth + 1,
        authorId: userId,
        body: body.body,
        sections: null,
        cooked,
        createdAt: now,
      },
      null,
    );
    tx.update(posts)
      .set({ replyCount: sql`${posts.replyCount} + 1` })
      .where(eq(posts.id, parent.id))
      .run();
    tx.update(threads)
      .set({
        postCount: number,
        participantCount: newcomer ? current.participantCount + 1 : current.participantCount,
        lastPostAt: now,
        lastPosterId: userId,
        updatedAt: now,
      })
      .where(eq(threads.id, threadId))
      .run();
    repo.follow(tx, userId, 'thread', threadId, now);
    repo.markOwnPostRead(tx, userId, threadId, number, now);
    // On approval the draft was deleted at submission; what is there now is a newer one.
    if (guardian !== null) repo.deleteDraft(tx, userId, replyDraftKey(threadId));
    // A thread moderation took out of view tells nobody about its new posts.
    if (current.state === 'visible') {
      notifyNewPost(
        tx,
        outbox,
        {
          thread: current,
          postId: id,
          number,
          author,
          parentAuthorId: parent.authorId,
          mentioned,
          excerpt: excerpt ?? excerptOf(body.body),
        },
        now,
      );
    }
    this.queuePostCreated(outbox, threadId, id);
    return id;
  }

  /**
   * Checks and cooks a reply: when it is posted, and again at approval of a held one (mentions
   * resolve against members as they are now).
   */
  async checkReply(body: CreateReplyBody): Promise<{ cooked: string; mentioned: Set<string>; excerpt: string }> {
    const issues = new Issues();
    const text = this.checkContentText(issues, 'discussion', { body: body.body }, false);
    issues.throwIfAny();
    const { cooked, mentioned, excerpt } = await this.cookContent(issues, text!);
    issues.throwIfAny();
    return { cooked, mentioned, excerpt };
  }

  /**
   * Pre-moderation: a member's first few posts (the `premoderatedPosts` setting) and every post
   * of a member placed under review wait for a moderator. Staff are never held.
   */
  private mustPremoderate(guardian: Guardian): boolean {
    if (guardian.isStaff) return false;
    if (guardian.user.underReview) return true;
    const first = readSettings(this.db).premoderatedPosts;
    return first > 0 && repo.postCountUpTo(this.db, guardian.user.id, first) < first;
  }

  async editPost(
    guardian: Guardian,
    id: string,
    body: EditPostBody,
  ): Promise<{ post: Post; pending?: never } | { pending: PendingSubmission; post?: never }> {
    guardian.ensureForumAccess();
    const post = repo.findPost(this.db, id);
    const thread = post ? repo.findThread(this.db, post.threadId) : undefined;
    if (!post || !thread || !guardian.canSeeThread(threadFacts(thread))) throw notFound('That post');
    // A moderator in scope edits someone else's post as a moderator: with a reason, on the record.
    const asModerator = !guardian.canEditPost(post) && guardian.canModeratePost(post, threadFacts(thread));
    if (!guardian.canEditPost(post) && !asModerator) {
      if (!guardian.canSeePostContent(post, threadFacts(thread))) throw notFound('That post');
      throw forbidden('Only its author can edit a post.');
    }
    const text = this.checkEditText(post, thread, body, asModerator);
    if (post.version !== body.version) throw staleVersion(post.version);
    // Cooked only once the cheap checks passed; the version is checked again in the transaction.
    const content = await this.cookEdit(text);
    if (content.cooked === post.cooked && content.body === post.body && sameSections(content.sections, post)) {
      return { post: this.getPost(guardian, id) };
    }
    const now = this.clock.now();
    // A member whose posts wait for review has their edits wait too: the post stays as it is.
    if (!asModerator && this.mustPremoderate(guardian)) {
      return { pending: holdPostEdit(this.db, this.realtime, { post, thread, body, cooked: content.cooked, now }) };
    }
    transact(this.db, this.realtime, (tx, outbox) =>
      this.writeEdit(
        tx,
        outbox,
        {
          editor: guardian.user,
          moderator: asModerator ? guardian : null,
          postId: id,
          thread,
          version: body.version,
          reason: body.reason ?? null,
          content,
        },
        now,
      ),
    );
    return { post: this.getPost(guardian, id) };
  }

  /** Checks an edit and cooks it: when it is made, and again when a held edit is approved. */
  async checkEdit(post: PostRow, thread: ThreadRow, body: EditPostBody, asModerator = false): Promise<CheckedContent> {
    return this.cookEdit(this.checkEditText(post, thread, body, asModerator));
  }

  /** The cheap part of checking an edit: its text and reason, before anything is cooked. */
  private checkEditText(post: PostRow, thread: ThreadRow, body: EditPostBody, asModerator: boolean): ContentText {
    const kind = post.number === 1 ? thread.kind : 'discussion';
    const issues = new Issues();
    const text = this.checkContentText(issues, kind, body, post.number === 1);
    if (body.reason !== undefined) issues.add('/reason', checkPostText(body.reason, reasonRule(asModerator)));
    else if (asModerator) issues.add('/reason', 'Say why you edit this post: its author and the audit log see it.');
    issues.throwIfAny();
    return text!;
  }

  private async cookEdit(text: ContentText): Promise<CheckedContent> {
    const issues = new Issues();
    const content = await this.cookContent(issues, text);
    issues.throwIfAny();
    return content;
  }

  /**
   * Writes an edit made from `version`: the new version and its revision, the mentions it adds,
   * the push. `moderator` is set when a moderator edits someone else's post (audited, the author
   * told); a held edit approved is written as its author's own.
   */
  writeEdit(
    tx: DbOrTx,
    outbox: Outbox,
    edit: {
      editor: Pick<UserRow, 'id' | 'displayName'>;
      moderator: Guardian | null;
      postId: string;
      thread: ThreadRow;
      version: number;
      reason: string | null;
      content: CheckedContent;
    },
    now: Date,
  ): void {
    const { postId: id, thread, content } = edit;
    const asModerator = edit.moderator !== null;
    const current = repo.findPost(tx, id)!;
    if (current.version !== edit.version) throw staleVersion(current.version);
    const version = current.version + 1;
    tx.update(posts)
      .set({
        body: content.body,
        sections: content.sections,
        cooked: content.cooked,
        version,
        editedAt: now,
        editedByModerator: asModerator,
      })
      .where(eq(posts.id, id))
      .run();
    if (edit.moderator) {
      ensureNotClaimedByOther(tx, edit.moderator, id, readSettings(tx).claimMinutes, now);
      recordModeration(tx, outbox, {
        actor: edit.editor,
        action: 'post.edit',
        post: current,
        thread,
        reason: edit.reason!,
        before: { version: current.version, body: current.body, sections: current.sections },
        after: { version, body: content.body, sections: content.sections },
        notice: { action: 'edit' },
        now,
      });
      closeOpenItem(tx, outbox, {
        postId: id,
        resolution: 'edited',
        actor: edit.editor,
        reason: edit.reason!,
        now,
      });
    }
    tx.insert(postRevisions)
      .values({
        postId: id,
        version,
        editorId: edit.editor.id,
        byModerator: asModerator,
        reason: edit.reason,
        title: current.number === 1 ? thread.title : null,
        meta: current.number === 1 ? revisionMeta(thread) : null,
        body: content.body,
        sections: content.sections,
        cooked: content.cooked,
        createdAt: now,
      })
      .run();
    const before = mentionedIn(current.cooked);
    // Nobody hears of a mention in a post or thread moderation took out of view.
    if (current.state === 'visible' && thread.state === 'visible')
      notifyNewMentions(
        tx,
        outbox,
        {
          thread,
          postId: id,
          number: current.number,
          author: { id: current.authorId, displayName: edit.editor.displayName },
          mentioned: new Set([...content.mentioned].filter((m) => !before.has(m))),
          excerpt: content.excerpt,
        },
        now,
      );
    this.queuePostUpdated(outbox, thread.id, id);
  }

  /** Title, tags, language and the analysis's date, by the thread's author. A change is a new revision. */
  updateThread(
    guardian: Guardian,
    id: string,
    body: UpdateThreadBody,
  ): { thread: ThreadDetail; pending?: never } | { pending: PendingSubmission; thread?: never } {
    guardian.ensureForumAccess();
    const thread = repo.findThread(this.db, id);
    if (!thread || !guardian.canSeeThread(threadFacts(thread))) throw notFound('That thread');
    // A moderator in scope moves and retags others' threads, with a reason, on the record.
    const asModerator = !guardian.canEditThread(thread) && guardian.canModerate(threadFacts(thread));
    if (!guardian.canEditThread(thread) && !asModerator) throw forbidden('Only its author can change a thread.');
    const tags = this.checkThreadUpdate(thread, body, asModerator);

    const now = this.clock.now();
    // A member whose posts wait for review has their title and tag changes wait too.
    if (!asModerator && this.mustPremoderate(guardian)) {
      const pending = holdThreadEdit(this.db, this.realtime, { thread, body, tags, now });
      if (pending) return { pending };
      return { thread: this.getThread(guardian, id).thread };
    }
    transact(this.db, this.realtime, (tx, outbox) =>
      this.writeThreadUpdate(
        tx,
        outbox,
        { editor: guardian.user, moderator: asModerator ? guardian : null, thread, body, tags },
        now,
      ),
    );
    return { thread: this.getThread(guardian, id).thread };
  }

  /** Checks a change of title and tags; returns the tags as they would be. Also at a held change's approval. */
  checkThreadUpdate(thread: ThreadRow, body: UpdateThreadBody, asModerator = false): repo.ThreadTags {
    const issues = new Issues();
    if (body.title !== undefined) issues.add('/title', checkPostText(body.title, POST_RULES.title));
    if (body.reason !== undefined) issues.add('/reason', checkPostText(body.reason, reasonRule(asModerator)));
    else if (asModerator) issues.add('/reason', 'Say why you change this thread: its author and the audit log see it.');
    const tags = {
      jurisdictions: body.jurisdictions ?? thread.jurisdictions,
      topics: body.topics ?? thread.topics,
      citations: body.citations ?? thread.citations,
    };
    this.checkTags(issues, tags);
    if (body.analysis) {
      if (thread.kind !== 'legal_analysis')
        issues.add('/analysis', 'Only a legal analysis has a "law as stated on" date.');
      else this.checkAnalysisMeta(issues, body.analysis);
    }
    issues.throwIfAny();
    return tags;
  }

  /** Writes a change of title and tags (a new revision of the opening post when it changes them). */
  writeThreadUpdate(
    tx: DbOrTx,
    outbox: Outbox,
    update: {
      editor: Pick<UserRow, 'id'>;
      moderator: Guardian | null;
      thread: ThreadRow;
      body: UpdateThreadBody;
      tags: repo.ThreadTags;
    },
    now: Date,
  ): void {
    const { thread, body, tags } = update;
    const id = thread.id;
    const asModerator = update.moderator !== null;
    outbox.addLive(() => [this.threadUpdatedMessage(id)]);
    if (asModerator) {
      const opener = tx
        .select()
        .from(posts)
        .where(sql`${posts.threadId} = ${id} and ${posts.number} = 1`)
        .get()!;
      recordModeration(tx, outbox, {
        actor: update.editor,
        action: 'thread.retag',
        post: opener,
        thread,
        reason: body.reason!,
        before: { title: thread.title, ...revisionMeta(thread) },
        after: {
          title: body.title ?? thread.title,
          ...revisionMeta(updatedMeta(thread, body, tags)),
        },
        notice: { action: 'retag' },
        target: 'thread',
        now,
      });
    }
    tx.update(threads)
      .set({
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.language !== undefined ? { language: body.language } : {}),
        ...(body.analysis ? { lawAsOf: body.analysis.lawAsOf } : {}),
        updatedAt: now,
      })
      .where(eq(threads.id, id))
      .run();
    if (body.jurisdictions || body.topics || body.citations) repo.writeTags(tx, id, tags);
    // Every change of the title, tags, language or the analysis's date is a new version of the
    // opening post, so a quote of an earlier version keeps the context it was made in.
    const meta = revisionMeta(updatedMeta(thread, body, tags));
    const title = body.title ?? thread.title;
    if (title === thread.title && JSON.stringify(meta) === JSON.stringify(revisionMeta(thread))) return;
    const opener = tx
      .select()
      .from(posts)
      .where(sql`${posts.threadId} = ${id} and ${posts.number} = 1`)
      .get()!;
    const version = opener.version + 1;
    this.queuePostUpdated(outbox, id, opener.id);
    tx.update(posts).set({ version, editedAt: now }).where(eq(posts.id, opener.id)).run();
    tx.insert(postRevisions)
      .values({
        postId: opener.id,
        version,
        editorId: update.editor.id,
        byModerator: asModerator,
        reason: body.reason ?? null,
        title,
        meta,
        body: opener.body,
        sections: opener.sections,
        cooked: opener.cooked,
        createdAt: now,
      })
      .run();
  }

  markRead(guardian: Guardian, threadId: string, lastReadNumber: number): ReadState {
    guardian.ensureForumAccess();
    const thread = this.seeableThread(guardian, threadId);
    const number = Math.min(lastReadNumber, thread.postCount);
    const now = this.clock.now();
    transact(this.db, this.realtime, (tx, outbox) => {
      repo.markRead(tx, guardian.user.id, threadId, number, now);
      markThreadNotificationsRead(tx, outbox, guardian.user.id, threadId, number, now);
    });
    return { threadId, lastReadNumber: repo.readNumber(this.db, guardian.user.id, threadId) };
  }

  // ---- Following ----

  listFollows(guardian: Guardian): FollowList {
    guardian.ensureForumAccess();
    const rows = repo.listFollows(this.db, guardian.user.id);
    const topicNames = new Map(this.reference.listTopics().map((t) => [t.slug, t.name]));
    return {
      threads: rows
        .filter((r) => r.target === 'thread' && r.title !== null)
        .map((r) => ({ id: r.key, title: r.title! })),
      jurisdictions: rows
        .filter((r) => r.target === 'jurisdiction')
        .map((r) => ({ code: r.key, name: this.reference.jurisdictionName(r.key) ?? r.key })),
      topics: rows
        .filter((r) => r.target === 'topic')
        .map((r) => ({ code: r.key, name: topicNames.get(r.key) ?? r.key })),
    };
  }

  setFollow(guardian: Guardian, target: FollowTarget, key: string, following: boolean): FollowState {
    guardian.ensureForumAccess();
    const thread = target === 'thread' ? repo.findThread(this.db, key) : undefined;
    const known =
      target === 'thread'
        ? thread !== undefined && guardian.canSeeThread(threadFacts(thread))
        : target === 'jurisdiction'
          ? this.reference.jurisdictionName(key) !== null
          : this.reference.listTopics().some((t) => t.slug === key);
    if (!known)
      throw notFound(target === 'thread' ? 'That thread' : target === 'topic' ? 'That topic' : 'That jurisdiction');
    if (following) repo.follow(this.db, guardian.user.id, target, key, this.clock.now());
    else repo.unfollow(this.db, guardian.user.id, target, key);
    return { target, key, following };
  }

  // ---- Drafts ----

  /** Lists drafts with the excerpts stored when they were saved (made now, once, for older rows). */
  async listDrafts(guardian: Guardian): Promise<DraftList> {
    guardian.ensureForumAccess();
    const rows = repo.listDrafts(this.db, guardian.user.id);
    const excerpts = await Promise.all(
      rows.map(async ({ draft }) => {
        if (draft.excerpt !== null) return draft.excerpt;
        const excerpt = await this.cookPool.excerpt(draftExcerptSource(draft.data as ThreadDraft | ReplyDraft));
        repo.storeDraftExcerpt(this.db, draft.userId, draft.key, draft.updatedAt, excerpt);
        return excerpt;
      }),
    );
    return {
      drafts: rows.map(({ draft, threadId, threadTitle }, i) => ({
        key: draft.key,
        threadId: threadId ?? null,
        threadTitle: threadTitle ?? null,
        excerpt: excerpts[i]!,
        updatedAt: draft.updatedAt.toISOString(),
      })),
    };
  }

  getThreadDraft(guardian: Guardian): ThreadDraftEnvelope {
    guardian.ensureForumAccess();
    const row = repo.findDraft(this.db, guardian.user.id, THREAD_DRAFT_KEY);
    return {
      draft: row
        ? { updatedAt: row.updatedAt.toISOString(), data: this.readableDraft(guardian, row.data as ThreadDraft) }
        : null,
    };
  }

  /**
   * A draft as its owner may read it now: a quote of a post they can no longer read (hidden since
   * they quoted it) is withheld, as in their posts' sources, so a draft is no back door to it.
   */
  private readableDraft<T extends ThreadDraft | ReplyDraft>(guardian: Guardian, data: T): T {
    const sections = 'sections' in data ? data.sections : undefined;
    const texts = [...(data.body !== undefined ? [data.body] : []), ...Object.values(sections ?? {})];
    const quotes = readQuotes(this.db, [], texts);
    const render = (text: string) => quotes.renderSource(guardian, text);
    return {
      ...data,
      ...(data.body !== undefined ? { body: render(data.body) } : {}),
      ...(sections ? { sections: Object.fromEntries(Object.entries(sections).map(([k, v]) => [k, render(v)])) } : {}),
    };
  }

  async saveThreadDraft(guardian: Guardian, data: ThreadDraft, token?: string): Promise<ThreadDraftEnvelope> {
    guardian.ensureForumAccess();
    const excerpt = await this.cookPool.excerpt(draftExcerptSource(data));
    // Checked after the await, with the write: a post created meanwhile spent the token.
    if (token && isDraftTokenSpent(this.db, guardian.user.id, THREAD_DRAFT_KEY, token)) {
      return { draft: null, discarded: true };
    }
    repo.saveDraft(this.db, guardian.user.id, THREAD_DRAFT_KEY, data, this.clock.now(), excerpt, token);
    return this.getThreadDraft(guardian);
  }

  getReplyDraft(guardian: Guardian, threadId: string): ReplyDraftEnvelope {
    guardian.ensureForumAccess();
    this.seeableThread(guardian, threadId);
    const row = repo.findDraft(this.db, guardian.user.id, replyDraftKey(threadId));
    return {
      draft: row
        ? { updatedAt: row.updatedAt.toISOString(), data: this.readableDraft(guardian, row.data as ReplyDraft) }
        : null,
    };
  }

  async saveReplyDraft(
    guardian: Guardian,
    threadId: string,
    data: ReplyDraft,
    token?: string,
  ): Promise<ReplyDraftEnvelope> {
    guardian.ensureForumAccess();
    this.seeableThread(guardian, threadId);
    const excerpt = await this.cookPool.excerpt(draftExcerptSource(data));
    // Checked after the await, with the write: a reply posted meanwhile spent the token.
    if (token && isDraftTokenSpent(this.db, guardian.user.id, replyDraftKey(threadId), token)) {
      return { draft: null, discarded: true };
    }
    repo.saveDraft(this.db, guardian.user.id, replyDraftKey(threadId), data, this.clock.now(), excerpt, token);
    return this.getReplyDraft(guardian, threadId);
  }

  deleteDraft(guardian: Guardian, threadId: string | null): void {
    guardian.ensureForumAccess();
    repo.deleteDraft(this.db, guardian.user.id, threadId === null ? THREAD_DRAFT_KEY : replyDraftKey(threadId));
  }

  // ---- Validation ----

  private checkTags(issues: Issues, tags: repo.ThreadTags): void {
    const topics = new Set(this.reference.listTopics().map((t) => t.slug));
    const instruments = new Set(this.reference.listInstruments().map((i) => i.slug));
    const unique = (path: string, values: string[], what: string) => {
      if (new Set(values).size !== values.length) issues.add(path, `Each ${what} can be chosen once.`);
    };
    tags.jurisdictions.forEach((code, i) => {
      if (this.reference.jurisdictionName(code) === null)
        issues.add(`/jurisdictions/${i}`, `Unknown jurisdiction: ${code}.`);
    });
    unique('/jurisdictions', tags.jurisdictions, 'jurisdiction');
    tags.topics.forEach((slug, i) => {
      if (!topics.has(slug)) issues.add(`/topics/${i}`, `Unknown topic: ${slug}.`);
    });
    unique('/topics', tags.topics, 'topic');
    tags.citations.forEach((c: CitationInput, i) => {
      if (!instruments.has(c.instrument))
        issues.add(`/citations/${i}/instrument`, `Unknown instrument: ${c.instrument}.`);
      if (c.provision !== null)
        issues.add(`/citations/${i}/provision`, checkPostText(c.provision, POST_RULES.provision));
    });
    unique(
      '/citations',
      tags.citations.map((c) => `${c.instrument}\u0000${c.provision ?? ''}`),
      'citation',
    );
  }

  private checkAnalysisMeta(issues: Issues, meta: AnalysisMeta): void {
    const date = parseCalendarDate(meta.lawAsOf);
    if (!date || meta.lawAsOf < EARLIEST_LAW_AS_OF) {
      issues.add('/analysis/lawAsOf', 'Give the date the law is stated as at (YYYY-MM-DD, from 1900).');
    } else if (date.getTime() > this.clock.now().getTime()) {
      issues.add('/analysis/lawAsOf', 'The law cannot be stated as at a future date.');
    }
  }

  /**
   * The body (or, for a legal analysis's opening post, the sections), checked against the text
   * rules and sizes: cheap, so a refusal costs no cooking. Null when there is nothing to cook.
   */
  private checkContentText(
    issues: Issues,
    kind: ThreadRow['kind'],
    input: { body?: string; sections?: AnalysisSectionsInput },
    opening: boolean,
  ): ContentText | null {
    if (kind === 'legal_analysis' && opening) {
      if (input.body !== undefined) issues.add('/body', 'A legal analysis is written in its sections, not one body.');
      if (!input.sections) {
        issues.add('/sections', 'A legal analysis needs its five sections.');
        return null;
      }
      for (const key of ANALYSIS_SECTIONS) {
        issues.add(
          `/sections/${key}`,
          checkPostText(input.sections[key], POST_RULES.section, ANALYSIS_SECTION_TITLES[key]),
        );
      }
      return { body: null, sections: { ...input.sections } };
    }
    if (input.sections !== undefined) issues.add('/sections', 'Only a legal analysis has sections.');
    if (input.body === undefined) {
      issues.add('/body', 'Write the post.');
      return null;
    }
    issues.add('/body', checkPostText(input.body, opening ? POST_RULES.openingBody : POST_RULES.body));
    return { body: input.body, sections: null };
  }

  /**
   * Cooks checked content (in the worker pool when long) with the excerpt its notifications
   * carry, and checks the HTML it makes. Call it only once `checkContentText` found no issue.
   */
  private async cookContent(issues: Issues, text: ContentText): Promise<CheckedContent> {
    const texts = text.sections ? Object.values(text.sections) : [text.body];
    const names = [...new Set(texts.flatMap((t) => mentionCandidates(t)))];
    const result = await this.cookPool.cook({
      ...(text.sections ? { sections: text.sections } : { markdown: text.body }),
      mentionable: repo.mentionableUsers(this.db, names),
      withExcerpt: true,
    });
    if (result.sections) {
      for (const section of result.sections) checkCooked(issues, `/sections/${section.key}`, section.cooked);
    } else {
      checkCooked(issues, '/body', result.cooked);
    }
    return { ...text, cooked: result.cooked, mentioned: new Set(result.mentioned), excerpt: result.excerpt ?? '' };
  }

  // ---- Live events (built after the commit, from committed rows) ----

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
      const thread = repo.findThread(this.db, threadId);
      if (!post || !thread) return [];
      const privileged = post.withheld || post.state !== 'visible' ? this.postFor(null, postId, true) : null;
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
    const t = repo.findThread(this.db, threadId)!;
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
          ...this.namedTags(t),
          lawAsOf: t.lawAsOf,
          ...moderationFlags(t),
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
    return this.postFor(null, id);
  }

  threadCounts(threadId: string) {
    const row = repo.findThreadForViewer(this.db, threadId, '');
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

  // ---- Views ----

  private authorsOf(ids: readonly string[]): Map<string, { row: UserRow; badge: Post['author']['badge'] }> {
    const rows = repo.usersByIds(this.db, ids);
    const badges = this.userViews.badges(rows);
    return new Map(rows.map((row) => [row.id, { row, badge: badges.get(row.id) ?? null }]));
  }

  private tagNames() {
    const topics = this.reference.listTopics();
    const instruments = this.reference.listInstruments();
    if (this.names?.topics !== topics || this.names.instrumentsSource !== instruments) {
      this.names = {
        topics,
        instrumentsSource: instruments,
        topicNames: new Map(topics.map((t) => [t.slug, t.name])),
        instruments: new Map(instruments.map((i) => [i.slug, i.shortName])),
      };
    }
    return this.names;
  }

  private names:
    | {
        topics: unknown;
        instrumentsSource: unknown;
        topicNames: Map<string, string>;
        instruments: Map<string, string>;
      }
    | undefined;

  private namedMeta(meta: repo.RevisionMeta): NonNullable<PostRevision['meta']> {
    return { ...this.namedTags(meta), lawAsOf: meta.lawAsOf, language: meta.language ?? null };
  }

  /** Jurisdiction codes with their names. */
  jurisdictionTags(codes: readonly string[]): { code: string; name: string }[] {
    return codes.map((code) => ({ code, name: this.reference.jurisdictionName(code) ?? code }));
  }

  /** Codes and slugs with the names the reader sees. */
  private namedTags(tags: Pick<repo.RevisionMeta, 'jurisdictions' | 'topics' | 'citations'>) {
    const names = this.tagNames();
    return {
      jurisdictions: tags.jurisdictions.map((code) => ({ code, name: this.reference.jurisdictionName(code) ?? code })),
      topics: tags.topics.map((code) => ({ code, name: names.topicNames.get(code) ?? code })),
      citations: tags.citations.map((c) => ({
        instrument: c.instrument,
        shortName: names.instruments.get(c.instrument) ?? c.instrument,
        provision: c.provision,
      })),
    };
  }

  private summary(row: repo.ThreadListRow): ThreadSummary {
    const t = row.thread;
    return {
      id: t.id,
      kind: t.kind,
      title: t.title,
      language: t.language,
      ...this.namedTags(t),
      author: { id: t.authorId, displayName: row.authorName },
      createdAt: t.createdAt.toISOString(),
      lastPostAt: t.lastPostAt.toISOString(),
      lastPoster: { id: t.lastPosterId, displayName: row.lastPosterName },
      replyCount: replyCountOf(t),
      participantCount: t.participantCount,
      postCount: t.postCount,
      lastReadNumber: row.lastReadNumber,
      unreadCount: Math.max(0, t.postCount - (row.lastReadNumber ?? 0)),
      lawAsOf: t.lawAsOf,
      ...moderationFlags(t),
    };
  }

  private detail(guardian: Guardian, row: repo.ThreadListRow & { following: number }): ThreadDetail {
    const t = row.thread;
    return {
      ...this.summary(row),
      analysis: t.kind === 'legal_analysis' && t.lawAsOf ? { lawAsOf: t.lawAsOf, personalCapacity: true } : null,
      following: row.following === 1,
      canEdit: guardian.canEditThread(t),
      canReply: guardian.canReply(threadFacts(t)),
      state: t.state,
      lock: t.lockedAt ? this.note(t.lockedAt, t.lockedById, t.lockReason) : null,
      resolution: t.resolvedAt ? this.note(t.resolvedAt, t.resolvedById, t.resolveReason) : null,
      canModerate: guardian.canModerate(threadFacts(t)),
      pending: pendingSubmissionsIn(this.db, guardian.user.id, t.id, t.title),
    };
  }

  /**
   * A moderator's note. A lock's or resolution's reason is public (readers need to know why); who
   * did it is named to everyone, as the forum's moderators act in the open.
   */
  private note(at: Date, byId: string | null, reason: string | null) {
    const by = byId ? this.authorsOf([byId]).get(byId) : undefined;
    return {
      reason,
      at: at.toISOString(),
      automatic: byId === null,
      by: by ? { id: by.row.id, displayName: by.row.displayName } : null,
    };
  }

  /**
   * A post as `guardian` reads it (null: a member other than its author). A hidden or deleted
   * post's content is withheld from those who may not see it; its author and the moderators in
   * scope see it, with the moderator's note.
   */
  private post(
    guardian: Guardian | null,
    { post, parentNumber }: repo.PostListRow,
    authors: Map<string, { row: UserRow; badge: Post['author']['badge'] }>,
    thread: ModeratedThread,
    reported: ReadonlySet<string>,
    privileged = false,
    quotes?: QuoteSources,
  ): Post {
    const author = authors.get(post.authorId);
    const visible = guardian ? guardian.canSeePostContent(post, thread) : privileged || post.state === 'visible';
    const moderator = post.moderatedById ? authors.get(post.moderatedById) : undefined;
    // Quotes of posts this reader cannot read are withheld (without a Guardian: as any member).
    if (visible)
      post = { ...post, cooked: (quotes ?? readQuotes(this.db, [post.cooked])).render(guardian, post.cooked) };
    return {
      id: post.id,
      threadId: post.threadId,
      number: post.number,
      parentId: post.parentId,
      parentNumber,
      depth: post.depth,
      author: {
        id: post.authorId,
        displayName: author?.row.displayName ?? '',
        badge: author?.badge ?? null,
        role: author && (author.row.role === 'moderator' || author.row.role === 'admin') ? author.row.role : null,
      },
      cooked: !visible || post.sections ? '' : post.cooked,
      sections: visible && post.sections ? cookedSections(post) : null,
      createdAt: post.createdAt.toISOString(),
      editedAt: post.editedAt?.toISOString() ?? null,
      version: post.version,
      replyCount: post.replyCount,
      canEdit: guardian?.canEditPost(post) ?? false,
      state: post.state,
      withheld: !visible,
      moderation:
        visible && post.state !== 'visible' && post.moderatedAt
          ? {
              reason: post.moderationReason,
              at: post.moderatedAt.toISOString(),
              automatic: post.moderatedById === null,
              by: moderator ? { id: moderator.row.id, displayName: moderator.row.displayName } : null,
            }
          : null,
      editedByModerator: post.editedByModerator,
      canModerate: guardian?.canModeratePost(post, thread) ?? false,
      canReport: (guardian?.canReport(post) ?? false) && post.state === 'visible' && !reported.has(post.id),
    };
  }
}

/** The markdown texts of a post or revision (its body, or its sections). */
function markdownOf(p: { body: string | null; sections: unknown }): string[] {
  return p.body !== null ? [p.body] : Object.values((p.sections as Record<string, string> | null) ?? {});
}

/** A legal analysis's sections with `render` applied to each text. */
function sourceSections(sections: unknown, render: (text: string) => string): AnalysisSectionsInput | null {
  if (!sections) return null;
  return Object.fromEntries(
    Object.entries(sections as Record<string, string>).map(([key, text]) => [key, render(text)]),
  ) as AnalysisSectionsInput;
}

/** The facts moderation rules need about a thread. */
export function threadFacts(t: ThreadRow) {
  return { jurisdictions: t.jurisdictions, locked: t.lockedAt !== null, authorId: t.authorId, state: t.state };
}

/** Replies a member sees: hidden and deleted posts keep their numbers but are not counted. */
function replyCountOf(t: ThreadRow): number {
  return Math.max(0, t.postCount - 1 - t.hiddenCount);
}

function moderationFlags(t: ThreadRow) {
  return {
    locked: t.lockedAt !== null,
    pin: t.pinScope ? { jurisdiction: t.pinScope === '*' ? null : t.pinScope } : null,
    resolved: t.resolvedAt !== null,
  };
}

/** The people a post view names: its author and the moderator who hid or removed it. */
function peopleOf(post: PostRow): string[] {
  return post.moderatedById ? [post.authorId, post.moderatedById] : [post.authorId];
}

/** An author's edit note is optional and short; a moderator's reason says enough to act on. */
function reasonRule(asModerator: boolean) {
  return asModerator
    ? { ...POST_RULES.editReason, label: 'Reason', min: MODERATION_RULES.reason.min }
    : POST_RULES.editReason;
}

function threadLocked(): AppError {
  return new AppError(409, 'THREAD_LOCKED', 'This thread is locked by the moderators: it takes no new replies.');
}

/**
 * The cooked sections of a legal analysis, read back from the stored HTML (each section is
 * wrapped by `cookSections`), so they are not cooked again on every read.
 */
function cookedSections(post: PostRow): CookedSection[] {
  const out: CookedSection[] = [];
  const re = /<section class="analysis-section" data-section="([A-Za-z]+)"><h2>[^<]*<\/h2>([\s\S]*?)<\/section>/g;
  for (const match of post.cooked.matchAll(re)) {
    const key = match[1] as AnalysisSectionKey;
    if ((ANALYSIS_SECTIONS as readonly string[]).includes(key)) {
      out.push({ key, cooked: match[2]! });
    }
  }
  return out;
}

function sameSections(next: Record<string, string> | null, post: PostRow): boolean {
  const stored = post.sections ?? null;
  if (next === null || stored === null) return next === stored;
  return ANALYSIS_SECTIONS.every((key) => next[key] === stored[key]);
}

function staleVersion(current: number): AppError {
  return new AppError(
    409,
    'CONFLICT',
    `This post was changed while you were editing it (it is now at version ${current}). Copy your text, reload and edit again.`,
  );
}

function revisionMeta(
  thread: Pick<ThreadRow, 'jurisdictions' | 'topics' | 'citations' | 'lawAsOf' | 'language'>,
): repo.RevisionMeta {
  return {
    jurisdictions: thread.jurisdictions,
    topics: thread.topics,
    citations: thread.citations,
    lawAsOf: thread.lawAsOf,
    language: thread.language,
  };
}

/** The thread's tags, date and language as a change leaves them. */
function updatedMeta(thread: ThreadRow, body: UpdateThreadBody, tags: repo.ThreadTags) {
  return {
    ...thread,
    ...tags,
    lawAsOf: body.analysis?.lawAsOf ?? thread.lawAsOf,
    language: body.language ?? thread.language,
  };
}

/** A new thread's language when the composer sends none: the author's interface language, else English. */
function defaultThreadLanguage(locale: string | null): LanguageCode {
  return locale && (LANGUAGE_CODES as readonly string[]).includes(locale) ? (locale as LanguageCode) : DEFAULT_LOCALE;
}

/** Refuses cooked HTML that shows nothing (a post of link definitions, `&nbsp;`) or is huge. */
function checkCooked(issues: Issues, path: string, cooked: string): void {
  if (cooked.length > MAX_COOKED_CHARS) {
    issues.add(path, 'This text is too long once formatted (it has a great many links). Shorten it.');
    return;
  }
  const text = cooked
    .replace(/<[^>]*>/g, '')
    .replace(/&(nbsp|#160|#xa0);/gi, ' ')
    .replace(/&[a-z0-9#]+;/gi, 'x');
  if (!hasVisibleText(text)) issues.add(path, 'Write something that shows: this text would display as empty.');
}
