/**
 * Redaction: a moderator in scope, or the post's author, takes text out of a post for good (a
 * span wherever it occurs, a whole version) or out of its thread's title. In ONE transaction the
 * text is replaced by the placeholder in every version of the post and in every stored copy of
 * it (posts quoting it, notifications, stored member events, review items, report notes, drafts,
 * audit before/after), the cooked HTML is made again from the scrubbed source, and the redaction
 * is recorded (who, when, why, which versions; never the text) with its audit entry. After the
 * commit, open thread pages get the scrubbed posts (post.updated), and each member whose
 * notification changed gets `notification.updated`, so no bell keeps the old excerpt.
 */
import {
  forgetSearchWords,
  sqliteOf,
  type Db,
  type DbOrTx,
  type NotificationRow,
  type PostAnswerMeta,
  type PostRow,
} from '@lexforum/db';
import {
  checkText,
  REDACTED_PLACEHOLDER,
  REDACTION_RULES,
  type AnalysisSectionKey,
  type NotificationKind,
  type RedactBody,
  type RedactionCounts,
  type RedactionResult,
} from '@lexforum/shared';
import { mentionCandidates } from '@lexforum/shared/markdown';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError, notFound } from '../../lib/errors.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { recordModeration } from '../moderation/moderation.effects.js';
import { pendingFanoutsAbout, updateFanoutFacts } from '../notifications/fanout.js';
import { namesOf, queueUserEvent } from '../notifications/notifier.js';
import { toNotification } from '../notifications/notifications.repository.js';
import { transact, type Outbox, type Publisher } from '../realtime/outbox.js';
import { cookMarkdown, cookSections, excerptOf } from '../threads/cook.js';
import * as threadRepo from '../threads/threads.repository.js';
import { threadFacts, type ThreadService } from '../threads/threads.service.js';
import { markOf } from './redaction.marks.js';
import * as repo from './redaction.repository.js';
import { needlesFor, scrubExcerpt, scrubJson, scrubString, type Needles } from './scrub.js';

/** Notifications whose body is an excerpt of the post they are about (made again from the scrubbed source). */
const EXCERPT_KINDS: ReadonlySet<NotificationKind> = new Set([
  'mention',
  'reply_to_post',
  'reply_in_followed_thread',
  'thread_in_followed_jurisdiction',
  'thread_in_followed_topic',
]);

type Sections = Record<string, string>;

export class RedactionService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
    private readonly threads: ThreadService,
  ) {}

  redact(guardian: Guardian, postId: string, body: RedactBody): RedactionResult {
    guardian.ensureForumAccess();
    const post = threadRepo.findPost(this.db, postId);
    const thread = post ? threadRepo.findThread(this.db, post.threadId) : undefined;
    const facts = thread ? threadFacts(thread) : undefined;
    if (!post || !thread || !facts || !guardian.canSeeThread(facts) || !guardian.canSeePostContent(post, facts)) {
      throw notFound('That post');
    }
    // The author redacts their own text; anyone else only as a moderator in scope, on the record.
    const byAuthor = post.authorId === guardian.user.id;
    if (!guardian.canRedactPost(post, facts)) {
      throw forbidden('Only its author or a moderator of its jurisdiction can redact a post.');
    }
    const reasonProblem = checkText(body.reason, REDACTION_RULES.reason);
    if (reasonProblem) throw fieldError('/reason', reasonProblem);
    if (body.kind !== 'version') {
      if (body.text.trim() === '') throw fieldError('/text', 'Give the text to remove.');
      if (REDACTED_PLACEHOLDER.includes(body.text)) throw fieldError('/text', 'That text is already redacted.');
      if (body.reason.includes(body.text.trim())) {
        throw fieldError('/reason', 'The reason must not repeat the text you remove.');
      }
    }
    if (body.kind === 'title' && post.number !== 1) {
      throw fieldError('/kind', 'A thread’s title is redacted from its opening post.');
    }

    const now = this.clock.now();
    return transact(this.db, this.realtime, (tx, outbox) => {
      const current = threadRepo.findPost(tx, postId)!;
      const currentThread = threadRepo.findThread(tx, current.threadId)!;
      const changedPosts: { threadId: string; postId: string }[] = [];
      const changedNotifications: NotificationRow[] = [];
      const needles = this.needles(tx, current, body);
      const counts: RedactionCounts = {
        revisions: 0,
        quotingPosts: 0,
        notifications: 0,
        events: 0,
        reviewItems: 0,
        reports: 0,
        drafts: 0,
        auditEntries: 0,
      };

      // The post itself, then the posts quoting it (a title lives only in the thread and its opener).
      let versions: number[];
      let title = currentThread.title;
      const scopePosts = new Map<string, PostRow>([[current.id, current]]);
      const scopeThreads = new Set([currentThread.id]);
      if (body.kind === 'title') {
        versions = this.scrubTitles(tx, current, needles);
        title = scrubString(currentThread.title, needles);
        if (title !== currentThread.title) repo.updateThreadTitle(tx, currentThread.id, title);
        counts.revisions = versions.length;
        changedPosts.push({ threadId: currentThread.id, postId: current.id });
      } else {
        const own = this.scrubPost(tx, current, needles, body.kind === 'version' ? body.version : undefined);
        counts.revisions = own.versions.length;
        // The scrubbed text is a new version, so an editor opened before the redaction cannot save
        // the removed text back: its edit now answers 409 for a stale version.
        versions = own.currentChanged
          ? [...own.versions, repo.addRedactedVersion(tx, current.id, guardian.user.id, !byAuthor, now)]
          : own.versions;
        if (own.changed) changedPosts.push({ threadId: current.threadId, postId: current.id });
        for (const quoting of repo.postsByIds(tx, repo.quotingPostIds(tx, current.id))) {
          scopePosts.set(quoting.id, quoting);
          scopeThreads.add(quoting.threadId);
          if (this.scrubPost(tx, quoting, needles).changed) {
            counts.quotingPosts++;
            changedPosts.push({ threadId: quoting.threadId, postId: quoting.id });
          }
        }
      }
      if (versions.length === 0 && body.kind !== 'version') {
        throw fieldError('/text', 'That text does not appear in this post.');
      }

      const postIds = [...scopePosts.keys()];
      const threadIds = [...scopeThreads];
      this.scrubNotifications(tx, postIds, threadIds, needles, changedNotifications);
      counts.notifications = changedNotifications.length;
      counts.events = this.scrubUserEvents(tx, [...postIds, ...threadIds], needles, changedNotifications);
      counts.reviewItems = this.scrubReviewItems(tx, postIds, threadIds, repo.quoteLinkOf(current.id), needles);
      counts.reports = this.scrubReports(tx, postIds, needles);
      counts.drafts = this.scrubDrafts(tx, threadIds, repo.quoteLinkOf(current.id), current.authorId, needles);
      const reviewIds = repo
        .reviewItemsAbout(tx, postIds, threadIds, repo.quoteLinkOf(current.id))
        .map((item) => String(item.id));
      counts.auditEntries = this.scrubAudit(tx, [...postIds, ...threadIds, ...reviewIds], needles, now);

      // The search index reindexed the scrubbed text through its triggers; the list of indexed
      // words (for prefixes) forgets the removed ones that no post holds any more.
      forgetSearchWords(sqliteOf(tx), needles.exact);

      const row = repo.insertRedaction(tx, {
        postId: current.id,
        threadId: currentThread.id,
        kind: body.kind,
        versions,
        byId: guardian.user.id,
        byModerator: !byAuthor,
        reason: body.reason,
        now,
      });
      // Recorded after the scrubbing, so the entry and the author's notice name the scrubbed title.
      recordModeration(tx, outbox, {
        actor: guardian.user,
        action: body.kind === 'title' ? 'thread.retitle_redact' : 'post.redact',
        post: current,
        thread: { ...currentThread, title },
        reason: body.reason,
        before: null,
        after: { kind: body.kind, versions, counts },
        notice: byAuthor ? null : { action: 'redact' },
        target: body.kind === 'title' ? 'thread' : 'post',
        now,
      });
      this.queueUpdates(tx, outbox, changedNotifications, now);
      // Built after the commit: open thread pages get the scrubbed posts and title.
      for (const changed of changedPosts) this.threads.queuePostUpdated(outbox, changed.threadId, changed.postId);
      if (body.kind === 'title') outbox.addLive(() => [this.threads.threadUpdatedMessage(currentThread.id)]);
      return { redaction: markOf(row, true), counts };
    });
  }

  // ---- What to remove ----

  private needles(tx: DbOrTx, post: PostRow, body: RedactBody): Needles {
    if (body.kind !== 'version') return { exact: needlesFor([body.text]) };
    const revision = repo.revisionsOf(tx, post.id).find((r) => r.version === body.version);
    if (!revision) throw fieldError('/version', `This post has no version ${body.version}.`);
    const texts = revision.sections ? Object.values(revision.sections) : [revision.body ?? ''];
    if (texts.every((t) => t === REDACTED_PLACEHOLDER || t.trim() === '')) {
      throw new AppError(409, 'INVALID_STATE', `Version ${body.version} is already redacted.`);
    }
    // A reply's answer facts at that version go with it (the search words they hold are forgotten too).
    const facts = revision.answer ? [revision.answer.shortAnswer ?? '', ...revision.answer.provisions] : [];
    return {
      exact: needlesFor([...texts, ...facts].filter((t) => t !== REDACTED_PLACEHOLDER && t.trim() !== '')),
      quotedVersions: { postId: post.id, versions: new Set([body.version]) },
    };
  }

  // ---- Posts ----

  /**
   * Scrubs every version of a post and its current text, cooking again what changed. With
   * `wholeVersion`, that version's text becomes the placeholder whatever it holds.
   */
  private scrubPost(
    tx: DbOrTx,
    post: PostRow,
    needles: Needles,
    wholeVersion?: number,
  ): { changed: boolean; currentChanged: boolean; versions: number[] } {
    const versions: number[] = [];
    const scrub = (body: string | null, sections: Sections | null, whole: boolean) => ({
      body: body === null ? null : whole ? REDACTED_PLACEHOLDER : scrubString(body, needles),
      sections: sections
        ? Object.fromEntries(
            Object.entries(sections).map(([k, v]) => [k, whole ? REDACTED_PLACEHOLDER : scrubString(v, needles)]),
          )
        : null,
    });
    const same = (a: { body: string | null; sections: Sections | null }, b: typeof a) =>
      a.body === b.body && JSON.stringify(a.sections) === JSON.stringify(b.sections);
    // A reply to a comparative question states facts beside its text: scrubbed with it.
    const scrubFacts = <T extends PostAnswerMeta>(facts: T | null, whole: boolean): T | null =>
      facts && {
        ...facts,
        shortAnswer:
          facts.shortAnswer === null ? null : whole ? REDACTED_PLACEHOLDER : scrubString(facts.shortAnswer, needles),
        provisions: whole ? [] : facts.provisions.map((text) => scrubString(text, needles)),
      };
    for (const revision of repo.revisionsOf(tx, post.id)) {
      const whole = revision.version === wholeVersion;
      const before = { body: revision.body, sections: (revision.sections as Sections | null) ?? null };
      const after = scrub(before.body, before.sections, whole);
      const facts = scrubFacts(revision.answer, whole);
      const factsChanged = JSON.stringify(facts) !== JSON.stringify(revision.answer);
      if (factsChanged) repo.updateRevisionAnswer(tx, post.id, revision.version, facts);
      if (same(before, after) && !factsChanged) continue;
      if (!same(before, after)) {
        repo.updateRevision(tx, post.id, revision.version, {
          ...after,
          cooked: this.cook(tx, after),
          title: revision.title,
        });
      }
      versions.push(revision.version);
    }
    const whole = post.version === wholeVersion;
    const before = { body: post.body, sections: (post.sections as Sections | null) ?? null };
    const after = scrub(before.body, before.sections, whole);
    const facts = scrubFacts(post.answer, whole);
    const factsChanged = JSON.stringify(facts) !== JSON.stringify(post.answer);
    if (factsChanged) repo.updatePostAnswer(tx, post.id, facts);
    const textChanged = !same(before, after);
    if (textChanged) repo.updatePostContent(tx, post.id, { ...after, cooked: this.cook(tx, after) });
    const changed = textChanged || factsChanged;
    return { changed: changed || versions.length > 0, currentChanged: changed, versions };
  }

  /** The title in every version of the opening post; the versions whose title changed. */
  private scrubTitles(tx: DbOrTx, opener: PostRow, needles: Needles): number[] {
    const versions: number[] = [];
    for (const revision of repo.revisionsOf(tx, opener.id)) {
      if (revision.title === null) continue;
      const title = scrubString(revision.title, needles);
      if (title === revision.title) continue;
      repo.updateRevision(tx, opener.id, revision.version, {
        body: revision.body,
        sections: revision.sections,
        cooked: revision.cooked,
        title,
      });
      versions.push(revision.version);
    }
    return versions;
  }

  /** Cooked again from the scrubbed source (mentions of members who still exist stay links). */
  private cook(tx: DbOrTx, content: { body: string | null; sections: Sections | null }): string {
    const texts = content.sections ? Object.values(content.sections) : [content.body ?? ''];
    const env = {
      mentionable: threadRepo.mentionableUsers(tx, [...new Set(texts.flatMap((t) => mentionCandidates(t)))]),
      mentioned: new Set<string>(),
    };
    return content.sections
      ? cookSections(content.sections as Record<AnalysisSectionKey, string>, env).cooked
      : cookMarkdown(content.body ?? '', env);
  }

  // ---- Stored copies ----

  private scrubNotifications(
    tx: DbOrTx,
    postIds: string[],
    threadIds: string[],
    needles: Needles,
    changed: NotificationRow[],
  ): void {
    const sources = new Map(
      repo.postsByIds(tx, postIds).map((p) => [p.id, p.body ?? Object.values(p.sections ?? {}).join('\n\n')]),
    );
    for (const row of repo.notificationsAbout(tx, postIds, threadIds)) {
      // The thread's title it names (`subject`), or in a legacy row the sentence that quoted it.
      const title = row.title === null ? null : scrubString(row.title, needles);
      const subject = row.subject === null ? null : scrubString(row.subject, needles);
      // An excerpt of a post in scope is made again from the scrubbed post (a cut-off or
      // formatted copy of the text may not match it exactly); other bodies are scrubbed.
      const source = row.postId ? sources.get(row.postId) : undefined;
      let body = row.body;
      if (body !== null) {
        const scrubbed = scrubExcerpt(body, needles);
        const ofPost = EXCERPT_KINDS.has(row.kind) && (scrubbed !== body || needles.quotedVersions !== undefined);
        body = source !== undefined && ofPost ? excerptOf(source) : scrubbed;
      }
      if (title === row.title && subject === row.subject && body === row.body) continue;
      repo.updateNotification(tx, row.id, { title, subject, body });
      changed.push({ ...row, title, subject, body });
    }
    // A fan-out not finished yet (notifications/fanout.ts) copies its job's title and excerpt.
    for (const job of pendingFanoutsAbout(tx, postIds, threadIds)) {
      const { facts } = job;
      const subject = scrubString(facts.subject, needles);
      const scrubbed = scrubExcerpt(facts.body, needles);
      const source = sources.get(facts.postId);
      const body =
        source !== undefined && (scrubbed !== facts.body || needles.quotedVersions !== undefined)
          ? excerptOf(source)
          : scrubbed;
      if (subject !== facts.subject || body !== facts.body) updateFanoutFacts(tx, job.id, { ...facts, subject, body });
    }
  }

  /** Stored member events (what a reconnecting client is replayed); the JSON stays valid. */
  private scrubUserEvents(tx: DbOrTx, ids: string[], needles: Needles, notifications: NotificationRow[]): number {
    const byId = new Map(notifications.map((n) => [n.id, n]));
    let count = 0;
    for (const row of repo.userEventsNaming(tx, ids)) {
      let event: unknown;
      try {
        event = JSON.parse(row.payload);
      } catch {
        continue;
      }
      const replaced = replaceNotification(event, byId);
      const payload = JSON.stringify(scrubJson(replaced, needles));
      if (payload === row.payload) continue;
      repo.updateUserEvent(tx, row.userId, row.seq, payload);
      count++;
    }
    return count;
  }

  private scrubReviewItems(
    tx: DbOrTx,
    postIds: string[],
    threadIds: string[],
    quoteLink: string,
    needles: Needles,
  ): number {
    let count = 0;
    for (const item of repo.reviewItemsAbout(tx, postIds, threadIds, quoteLink)) {
      const submission = item.submission ? scrubJson(item.submission, needles) : null;
      const resolutionReason = item.resolutionReason ? scrubString(item.resolutionReason, needles) : null;
      const submissionChanged = JSON.stringify(submission) !== JSON.stringify(item.submission);
      if (!submissionChanged && resolutionReason === item.resolutionReason) continue;
      let cooked = item.cooked;
      if (submissionChanged && submission) {
        const data = (submission as { body?: { body?: string; sections?: Sections } }).body ?? {};
        cooked = this.cook(tx, { body: data.body ?? null, sections: data.sections ?? null });
      }
      repo.updateReviewItem(tx, item.id, { submission, cooked, resolutionReason });
      count++;
    }
    return count;
  }

  private scrubReports(tx: DbOrTx, postIds: string[], needles: Needles): number {
    let count = 0;
    for (const row of repo.reportNotesOn(tx, postIds)) {
      const note = scrubExcerpt(row.note, needles);
      if (note === row.note) continue;
      repo.updateReportNote(tx, row.id, note);
      count++;
    }
    return count;
  }

  private scrubDrafts(tx: DbOrTx, threadIds: string[], quoteLink: string, authorId: string, needles: Needles): number {
    let count = 0;
    for (const row of repo.draftsAbout(tx, threadIds, quoteLink, authorId)) {
      const data = scrubJson(row.data, needles);
      const excerpt = row.excerpt === null ? null : scrubExcerpt(row.excerpt, needles);
      if (JSON.stringify(data) === JSON.stringify(row.data) && excerpt === row.excerpt) continue;
      repo.updateDraft(tx, row.userId, row.key, data, excerpt);
      count++;
    }
    return count;
  }

  private scrubAudit(tx: DbOrTx, targetIds: string[], needles: Needles, now: Date): number {
    let count = 0;
    for (const entry of repo.auditEntriesAbout(tx, targetIds)) {
      const before = scrubJson(entry.before, needles);
      const after = scrubJson(entry.after, needles);
      if (
        JSON.stringify(before) === JSON.stringify(entry.before) &&
        JSON.stringify(after) === JSON.stringify(entry.after)
      )
        continue;
      repo.scrubAuditEntry(tx, entry.id, before, after, now);
      count++;
    }
    return count;
  }

  /** Each member whose notification changed is told, so their bell replaces its copy. */
  private queueUpdates(tx: DbOrTx, outbox: Outbox, changed: NotificationRow[], now: Date): void {
    const names = namesOf(tx, [...new Set(changed.flatMap((n) => (n.actorId ? [n.actorId] : [])))]);
    for (const row of changed) {
      queueUserEvent(
        tx,
        outbox,
        row.userId,
        { type: 'notification.updated', notification: toNotification(row, names) },
        now,
      );
    }
  }
}

/** A stored `notification.created` about a changed notification carries its new subject and body. */
function replaceNotification(event: unknown, changed: ReadonlyMap<number, NotificationRow>): unknown {
  if (!event || typeof event !== 'object') return event;
  const e = event as { type?: unknown; notification?: { id?: unknown } };
  if (e.type !== 'notification.created' && e.type !== 'notification.updated') return event;
  const row = typeof e.notification?.id === 'number' ? changed.get(e.notification.id) : undefined;
  if (!row) return event;
  return {
    ...e,
    notification: { ...e.notification, subject: row.subject, legacyTitle: row.title, body: row.body },
  };
}
