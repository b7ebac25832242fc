/**
 * Changing what was written: a post's text (by its author, or by a moderator in scope with a
 * reason, on the record) and a thread's title, tags, language and date. Each change is a new
 * revision, so a quote keeps the version it was made from; a member under pre-moderation has it
 * held for a moderator.
 */
import {
  posts,
  postRevisions,
  threads,
  type Db,
  type DbOrTx,
  type PostAnswerMeta,
  type PostRow,
  type ThreadRow,
  type UserRow,
} from '@lexforum/db';
import {
  ANALYSIS_SECTIONS,
  checkPostText,
  POST_RULES,
  type EditPostBody,
  type PendingSubmission,
  type Post,
  type ThreadDetail,
  type UpdateThreadBody,
} from '@lexforum/shared';
import { eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError, notFound } from '../../lib/errors.js';
import {
  attachmentsHeld,
  attachmentsUnavailable,
  filesApart,
  type AttachmentService,
} from '../attachments/attachments.service.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { writeAnswerFacts } from '../answers/answers.queries.js';
import { holdPostEdit, holdThreadEdit } from '../moderation/held-edits.js';
import { closeOpenItem, ensureNotClaimedByOther, recordModeration } from '../moderation/moderation.effects.js';
import { transact, type Outbox, type Publisher } from '../realtime/outbox.js';
import { readSettings } from '../settings/settings.repository.js';
import { mentionedIn } from './cook.js';
import { Issues, reasonRule, type CheckedContent, type ContentChecks, type ContentText } from './content-checks.js';
import { mustPremoderate } from './premoderation.js';
import type { ThreadReadService } from './reading.service.js';
import type { ThreadLive } from './thread-live.js';
import { notifyNewMentions } from './thread-notifications.js';
import { threadFacts } from './thread-views.js';
import * as repo from './threads.repository.js';

export class ThreadEditService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
    private readonly checks: ContentChecks,
    private readonly reads: ThreadReadService,
    private readonly live: ThreadLive,
    private readonly attachments?: AttachmentService,
  ) {}

  /** An edit's new list of files (its author only; in the edit's transaction). */
  private replaceAttachments(tx: DbOrTx, post: PostRow, ids: readonly string[] | undefined, now: Date): void {
    if (ids === undefined) return;
    if (!this.attachments) throw attachmentsUnavailable();
    this.attachments.attach(tx, { uploaderId: post.authorId, postId: post.id, ids, replace: true, now });
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
    // A moderator takes files off someone's post (a file naming a victim, say), in an edit of its
    // own, with a reason, on the record; only its author attaches them.
    if (
      body.attachmentIds !== undefined &&
      asModerator &&
      this.attachments?.namesNewFiles(this.db, post.id, body.attachmentIds)
    ) {
      throw forbidden('A moderator only takes files off a post; its author attaches them.');
    }
    // Cooked only once the cheap checks passed; the version is checked again in the transaction.
    const content = await this.checks.cook(text);
    const now = this.clock.now();
    if (
      content.cooked === post.cooked &&
      content.body === post.body &&
      sameSections(content.sections, post) &&
      sameAnswer(this.answerOf(post, thread, body.answer), post)
    ) {
      // The text as it was: only the files may change (no new version: the text's history is the same).
      if (body.attachmentIds !== undefined) {
        const ids = body.attachmentIds;
        // Nothing of a held member goes out unreviewed: they may drop or reorder files, not add one.
        if (this.attachments?.namesNewFiles(this.db, post.id, ids) && mustPremoderate(this.db, guardian)) {
          throw attachmentsHeld();
        }
        // Readers with the thread open see the files change, as they see an edit.
        transact(this.db, this.realtime, (tx, outbox) => {
          const before = this.attachments?.filesOf(tx, post.id) ?? [];
          // The same list: nothing to record, push or tell.
          if (before.join() === ids.join()) return;
          // The text may have changed since it was read (the files' list is taken as it is now).
          const fresh = repo.findPost(tx, id)!;
          if (fresh.version !== body.version) throw staleVersion(fresh.version);
          this.replaceAttachments(tx, post, ids, now);
          if (asModerator) {
            // As a moderator's text edit: not over another moderator's claim, and it settles the item.
            ensureNotClaimedByOther(tx, guardian, id, readSettings(tx).claimMinutes, now);
            closeOpenItem(tx, outbox, {
              postId: id,
              resolution: 'edited',
              actor: guardian.user,
              reason: body.reason!,
              now,
            });
            recordModeration(tx, outbox, {
              actor: guardian.user,
              action: 'post.edit',
              post,
              thread,
              reason: body.reason!,
              before: { attachments: before },
              after: { attachments: [...ids] },
              notice: { action: 'edit' },
              now,
            });
          }
          this.live.queuePostUpdated(outbox, thread.id, id);
        });
      }
      return { post: this.reads.getPost(guardian, id) };
    }
    if (asModerator && body.attachmentIds !== undefined) throw filesApart();
    // A member whose posts wait for review has their edits wait too: the post stays as it is.
    if (!asModerator && mustPremoderate(this.db, guardian)) {
      // A held edit carries no files: new ones wait for approval, removals go in an edit of their own.
      if (body.attachmentIds !== undefined) {
        if (this.attachments?.namesNewFiles(this.db, post.id, body.attachmentIds)) throw attachmentsHeld();
        throw filesApart();
      }
      return { pending: holdPostEdit(this.db, this.realtime, { post, thread, body, cooked: content.cooked, now }) };
    }
    transact(this.db, this.realtime, (tx, outbox) => {
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
          answer: body.answer,
        },
        now,
      );
      this.replaceAttachments(tx, post, body.attachmentIds, now);
    });
    return { post: this.reads.getPost(guardian, id) };
  }

  /** Checks an edit and cooks it: when it is made, and again when a held edit is approved. */
  async checkEdit(post: PostRow, thread: ThreadRow, body: EditPostBody, asModerator = false): Promise<CheckedContent> {
    return this.checks.cook(this.checkEditText(post, thread, body, asModerator));
  }

  /** The cheap part of checking an edit: its text and reason, before anything is cooked. */
  private checkEditText(post: PostRow, thread: ThreadRow, body: EditPostBody, asModerator: boolean): ContentText {
    const kind = post.number === 1 ? thread.kind : 'discussion';
    const issues = new Issues();
    const text = this.checks.checkContentText(issues, kind, body, post.number === 1);
    if (body.reason !== undefined) issues.add('/reason', checkPostText(body.reason, reasonRule(asModerator)));
    else if (asModerator) issues.add('/reason', 'Say why you edit this post: its author and the audit log see it.');
    if (body.answer && post.number === 1) issues.add('/answer', 'The question itself answers for no jurisdiction.');
    else this.checks.checkAnswerFacts(issues, thread, body.answer);
    issues.throwIfAny();
    return text!;
  }

  /** An edit's answer facts as they would be stored (`undefined` in the edit keeps the post's). */
  private answerOf(post: PostRow, thread: ThreadRow, answer: EditPostBody['answer']): StoredAnswer | null {
    if (answer === undefined) {
      return post.answerFor && post.answer ? { jurisdiction: post.answerFor, ...post.answer } : null;
    }
    const issues = new Issues();
    const facts = this.checks.checkAnswerFacts(issues, thread, answer);
    issues.throwIfAny();
    return facts;
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
      /** A reply to a comparative question: its new answer facts (null: none; undefined: unchanged). */
      answer?: EditPostBody['answer'];
    },
    now: Date,
  ): void {
    const { postId: id, thread, content } = edit;
    const asModerator = edit.moderator !== null;
    const current = repo.findPost(tx, id)!;
    if (current.version !== edit.version) throw staleVersion(current.version);
    const version = current.version + 1;
    const answer = this.answerOf(current, thread, edit.answer);
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
    if (answer || current.answerFor) writeAnswerFacts(tx, id, version, answer);
    // A reply that now answers for another jurisdiction (or none) moves its accepted mark, if any:
    // open pages read the question's accepted answers again.
    if ((answer?.jurisdiction ?? null) !== current.answerFor && thread.comparative) {
      outbox.addLive(() => [this.live.threadUpdatedMessage(thread.id)]);
    }
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
    this.live.queuePostUpdated(outbox, thread.id, id);
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
    if (!asModerator && mustPremoderate(this.db, guardian)) {
      const pending = holdThreadEdit(this.db, this.realtime, { thread, body, tags, now });
      if (pending) return { pending };
      return { thread: this.reads.getThread(guardian, id).thread };
    }
    transact(this.db, this.realtime, (tx, outbox) =>
      this.writeThreadUpdate(
        tx,
        outbox,
        { editor: guardian.user, moderator: asModerator ? guardian : null, thread, body, tags },
        now,
      ),
    );
    return { thread: this.reads.getThread(guardian, id).thread };
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
    this.checks.checkTags(issues, tags);
    this.checks.checkComparative(issues, { ...thread, jurisdictions: tags.jurisdictions });
    if (body.analysis) {
      if (thread.kind !== 'legal_analysis')
        issues.add('/analysis', 'Only a legal analysis has a "law as stated on" date.');
      else this.checks.checkAnalysisMeta(issues, body.analysis);
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
    outbox.addLive(() => [this.live.threadUpdatedMessage(id)]);
    if (asModerator) {
      const opener = repo.findOpeningPost(tx, id)!;
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
    const opener = repo.findOpeningPost(tx, id)!;
    const version = opener.version + 1;
    this.live.queuePostUpdated(outbox, id, opener.id);
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
}

type StoredAnswer = PostAnswerMeta & { jurisdiction: string };

function sameAnswer(answer: StoredAnswer | null, post: PostRow): boolean {
  const stored = post.answerFor && post.answer ? { jurisdiction: post.answerFor, ...post.answer } : null;
  return JSON.stringify(answer) === JSON.stringify(stored);
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
