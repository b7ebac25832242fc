/**
 * Writing to the forum: a new thread with its opening post, and a reply. Access first (Guardian),
 * then the checks and the cooking, then one transaction: the post, the thread's counters, the
 * author's follow and read state, the draft it came from, the notifications and the live push.
 * A member under pre-moderation has it held for a moderator instead.
 */
import { randomUUID } from 'node:crypto';
import { threads, type Db, type DbOrTx, type PostRow } from '@lexforum/db';
import {
  DEFAULT_LOCALE,
  LANGUAGE_CODES,
  type AnalysisMeta,
  type CreateReplyBody,
  type CreateThreadBody,
  type LanguageCode,
  type PendingSubmission,
  type Post,
  type ThreadWithPosts,
  checkPostText,
  POST_RULES,
} from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import { AppError, notFound } from '../../lib/errors.js';
import { attachmentsHeld, attachmentsUnavailable, type AttachmentService } from '../attachments/attachments.service.js';
import type { Guardian } from '../guardian/guardian.js';
import { writeAnswerFacts } from '../answers/answers.queries.js';
import { insertSubmission, submissionView } from '../moderation/moderation.effects.js';
import { transact, type Outbox, type Publisher } from '../realtime/outbox.js';
import { topics } from '../realtime/hub.js';
import { excerptOf } from './cook.js';
import { Issues, type CheckedContent, type ContentChecks } from './content-checks.js';
import { replyDraftKey, THREAD_DRAFT_KEY } from './drafts.service.js';
import { mustPremoderate } from './premoderation.js';
import type { ThreadReadService } from './reading.service.js';
import { spendDraftToken } from './spent-drafts.js';
import type { ThreadLive } from './thread-live.js';
import { notifyNewPost, notifyNewThread } from './thread-notifications.js';
import { threadFacts, type ThreadViews } from './thread-views.js';
import { countReplyInThread, countReplyTo, replyParent } from './reply.repository.js';
import * as repo from './threads.repository.js';

/** A new thread's fields, checked, with its content cooked. */
export type CheckedThread = { content: CheckedContent; analysis: AnalysisMeta | null };

export class ThreadWriteService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
    private readonly checks: ContentChecks,
    private readonly views: ThreadViews,
    private readonly reads: ThreadReadService,
    private readonly live: ThreadLive,
    private readonly attachments?: AttachmentService,
  ) {}

  /** Puts the uploads a new post names on it, in the post's transaction (attachments module). */
  private attachUploads(tx: DbOrTx, uploaderId: string, postId: string, ids: readonly string[] | undefined, now: Date) {
    if (!ids || ids.length === 0) return;
    if (!this.attachments) throw attachmentsUnavailable();
    this.attachments.attach(tx, { uploaderId, postId, ids, replace: false, now });
  }

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
    if (mustPremoderate(this.db, guardian)) {
      if (body.attachmentIds?.length) throw attachmentsHeld();
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
    return { thread: this.reads.getThread(guardian, threadId) };
  }

  /** Checks a new thread's fields and cooks its content (at submission, and again at approval). */
  async checkThread(body: CreateThreadBody): Promise<CheckedThread> {
    const issues = new Issues();
    issues.add('/title', checkPostText(body.title, POST_RULES.title));
    this.checks.checkTags(issues, body);
    this.checks.checkComparative(issues, body);
    const text = this.checks.checkContentText(issues, body.kind, body, true);
    let analysis: AnalysisMeta | null = null;
    if (body.kind === 'legal_analysis') {
      if (!body.analysis) {
        issues.add(
          '/analysis',
          'A legal analysis states the date of the law and that you write in a personal capacity.',
        );
      } else {
        this.checks.checkAnalysisMeta(issues, body.analysis);
        analysis = body.analysis;
      }
    } else if (body.analysis) {
      issues.add('/analysis', 'Only a legal analysis has a "law as stated on" date.');
    }
    issues.throwIfAny();
    const content = await this.checks.cookContent(issues, text!);
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
    { content, analysis }: CheckedThread,
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
        comparative: body.kind === 'question' && body.comparative === true,
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
    this.attachUploads(tx, userId, postId, body.attachmentIds, now);
    repo.follow(tx, userId, 'thread', threadId, now);
    repo.markRead(tx, userId, threadId, 1, now);
    // On approval the draft was deleted at submission; what is there now is a newer one.
    if (!approval) repo.deleteDraft(tx, userId, THREAD_DRAFT_KEY);
    const named = this.views.namedTags(body);
    notifyNewThread(
      tx,
      outbox,
      {
        thread: { id: threadId, title: body.title, kind: body.kind },
        postId,
        author,
        jurisdictions: named.jurisdictions,
        topics: named.topics,
        asked: body.kind === 'question' && body.comparative === true ? body.jurisdictions : [],
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
    const answerIssues = new Issues();
    this.checks.checkAnswerFacts(answerIssues, thread, body.answer);
    answerIssues.throwIfAny();
    const { cooked, mentioned, excerpt } = await this.checkReply(body);

    const now = this.clock.now();
    const author = { id: guardian.user.id, displayName: guardian.user.displayName };
    if (mustPremoderate(this.db, guardian)) {
      if (body.attachmentIds?.length) throw attachmentsHeld();
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
    return { post: this.reads.getPost(guardian, id) };
  }

  /** The post replied to: in this thread, and readable by whoever replies (404-free: a 400). */
  private parentFor(tx: DbOrTx, guardian: Guardian | null, threadId: string, parentId: string | null): PostRow {
    const parent = replyParent(tx, threadId, parentId);
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
    // Checked again here: a held reply is approved against the question as it is now. One whose
    // jurisdiction the question no longer asks is approved as a plain reply (the moderator is not
    // left with only "reject"); its text still says what it answers.
    const stale = guardian === null && body.answer && !current.jurisdictions.includes(body.answer.jurisdiction);
    const issues = new Issues();
    const answer = this.checks.checkAnswerFacts(issues, current, stale ? undefined : body.answer);
    issues.throwIfAny();
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
    if (answer) writeAnswerFacts(tx, id, 1, answer);
    this.attachUploads(tx, userId, id, body.attachmentIds, now);
    countReplyTo(tx, parent.id);
    countReplyInThread(tx, threadId, {
      number,
      participantCount: newcomer ? current.participantCount + 1 : current.participantCount,
      userId,
      now,
    });
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
    this.live.queuePostCreated(outbox, threadId, id);
    return id;
  }

  /**
   * Checks and cooks a reply: when it is posted, and again at approval of a held one (mentions
   * resolve against members as they are now).
   */
  async checkReply(body: CreateReplyBody): Promise<{ cooked: string; mentioned: Set<string>; excerpt: string }> {
    const issues = new Issues();
    const text = this.checks.checkContentText(issues, 'discussion', { body: body.body }, false);
    issues.throwIfAny();
    const { cooked, mentioned, excerpt } = await this.checks.cookContent(issues, text!);
    issues.throwIfAny();
    return { cooked, mentioned, excerpt };
  }
}

function threadLocked(): AppError {
  return new AppError(409, 'THREAD_LOCKED', 'This thread is locked by the moderators: it takes no new replies.');
}

/** A new thread's language when the composer sends none: the author's interface language, else English. */
function defaultThreadLanguage(locale: string | null): LanguageCode {
  return locale && (LANGUAGE_CODES as readonly string[]).includes(locale) ? (locale as LanguageCode) : DEFAULT_LOCALE;
}
