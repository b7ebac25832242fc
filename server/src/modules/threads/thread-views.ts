/**
 * How threads and posts are shown: the view objects the API sends (a post, a thread's summary
 * and detail, a moderator's note), with the names of authors, badges and tags resolved. Shared by
 * reading, writing, moderation and the live messages, so every path shows the same thing.
 */
import type { Db, PostAnswerMeta, PostRow, ThreadRow, UserRow } from '@lexforum/db';
import {
  ANALYSIS_SECTIONS,
  type AnalysisSectionKey,
  type AcceptedAnswer,
  type AnswerFacts,
  type AnalysisSectionsInput,
  type Post,
  type PostAuthor,
  type PostRevision,
  type ThreadDetail,
  type ThreadSummary,
} from '@lexforum/shared';
import { acceptedAnswersOf, WHOLE_QUESTION } from '../answers/answers.queries.js';
import type { Guardian, ModeratedThread } from '../guardian/guardian.js';
import { pendingSubmissionsIn } from '../moderation/moderation.effects.js';
import type { ReferenceRepository } from '../reference/reference.repository.js';
import type { UserViews } from '../users/users.views.js';
import { readQuotes, type QuoteSources } from './quotes.js';
import { excerptOfHtml, type CookedSection } from './cook.js';
import type { PostViewListRow } from './read.queries.js';
import * as repo from './threads.repository.js';

/** The fields of a thread's detail that depend on who reads it. */
export type ReaderDetail = Pick<
  ThreadDetail,
  'lastReadNumber' | 'following' | 'canEdit' | 'canReply' | 'canModerate' | 'canAccept' | 'pending'
>;
export type SharedDetail = Omit<ThreadDetail, keyof ReaderDetail | 'unreadCount'>;

/** The authors a page names, with their badges. */
export type Authors = Map<string, { row: UserRow; badge: Post['author']['badge'] }>;

export class ThreadViews {
  constructor(
    private readonly db: Db,
    private readonly reference: ReferenceRepository,
    private readonly userViews: UserViews,
  ) {}

  authorsOf(ids: readonly string[]): Authors {
    const rows = repo.usersByIds(this.db, ids);
    const badges = this.userViews.badges(rows);
    return new Map(rows.map((row) => [row.id, { row, badge: badges.get(row.id) ?? null }]));
  }

  /** The reference lists names are read from: a reload replaces them (the cached pages check). */
  referenceLists(): readonly unknown[] {
    return [this.reference.listJurisdictions(), this.reference.listTopics(), this.reference.listInstruments()];
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

  namedMeta(meta: repo.RevisionMeta): NonNullable<PostRevision['meta']> {
    return { ...this.namedTags(meta), lawAsOf: meta.lawAsOf, language: meta.language ?? null };
  }

  /** Jurisdiction codes with their names. */
  jurisdictionTags(codes: readonly string[]): { code: string; name: string }[] {
    return codes.map((code) => ({ code, name: this.reference.jurisdictionName(code) ?? code }));
  }

  /** Codes and slugs with the names the reader sees. */
  namedTags(tags: Pick<repo.RevisionMeta, 'jurisdictions' | 'topics' | 'citations'>) {
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

  summary(row: repo.ThreadListRow): ThreadSummary {
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
      answered: row.answered,
      comparative: t.comparative,
    };
  }

  detail(guardian: Guardian, row: repo.ThreadListRow & { following: number }): ThreadDetail {
    const t = row.thread;
    return this.readerDetail(this.sharedDetail(row), {
      lastReadNumber: row.lastReadNumber,
      following: row.following === 1,
      canEdit: guardian.canEditThread(t),
      canReply: guardian.canReply(threadFacts(t)),
      canModerate: guardian.canModerate(threadFacts(t)),
      canAccept: t.kind === 'question' && t.state === 'visible' && guardian.canAcceptAnswer(threadFacts(t)),
      pending: pendingSubmissionsIn(this.db, guardian.user.id, t.id, t.title),
    });
  }

  /** What every reader sees of a thread's detail (the cached thread page keeps it). */
  sharedDetail(row: repo.ThreadListRow): SharedDetail {
    const t = row.thread;
    return {
      ...this.summary(row),
      analysis: t.kind === 'legal_analysis' && t.lawAsOf ? { lawAsOf: t.lawAsOf, personalCapacity: true } : null,
      state: t.state,
      lock: t.lockedAt ? this.note(t.lockedAt, t.lockedById, t.lockReason) : null,
      resolution: t.resolvedAt ? this.note(t.resolvedAt, t.resolvedById, t.resolveReason) : null,
      acceptedAnswers: this.acceptedAnswers(t),
    };
  }

  /** A question's accepted answers in view, with the first words of each reply. */
  acceptedAnswers(thread: Pick<ThreadRow, 'id' | 'kind'>): AcceptedAnswer[] {
    if (thread.kind !== 'question') return [];
    const rows = acceptedAnswersOf(this.db, thread.id);
    if (rows.length === 0) return [];
    const authors = this.authorsOf(rows.map((r) => r.authorId));
    return rows.map((r) => ({
      jurisdiction: r.scope === WHOLE_QUESTION ? null : (this.jurisdictionTags([r.scope])[0] ?? null),
      postId: r.postId,
      number: r.number,
      author: postAuthor(r.authorId, authors.get(r.authorId)),
      excerpt: excerptOfHtml(r.cooked, 280),
      acceptedBy: r.acceptedById && r.acceptedByName ? { id: r.acceptedById, displayName: r.acceptedByName } : null,
      acceptedAt: new Date(r.acceptedAt).toISOString(),
    }));
  }

  /** A reply's answer to a comparative question, its jurisdiction named (null when it states none). */
  answerFacts(jurisdiction: string | null, meta: PostAnswerMeta | null | undefined): AnswerFacts | null {
    if (!jurisdiction || !meta) return null;
    return {
      jurisdiction: this.jurisdictionTags([jurisdiction])[0]!,
      provisions: meta.provisions,
      lawAsOf: meta.lawAsOf,
      shortAnswer: meta.shortAnswer,
    };
  }

  /** A thread's detail with this reader's part: read state, follow, rights, held submissions. */
  readerDetail(shared: SharedDetail, reader: ReaderDetail): ThreadDetail {
    return {
      ...shared,
      lastReadNumber: reader.lastReadNumber,
      unreadCount: Math.max(0, shared.postCount - (reader.lastReadNumber ?? 0)),
      following: reader.following,
      canEdit: reader.canEdit,
      canReply: reader.canReply,
      canModerate: reader.canModerate,
      canAccept: reader.canAccept,
      pending: reader.pending,
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
  post(
    guardian: Guardian | null,
    { post, parentNumber, attachments }: PostViewListRow,
    authors: Authors,
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
      author: postAuthor(post.authorId, author),
      cooked: !visible || post.hasSections ? '' : post.cooked,
      sections: visible && post.hasSections ? cookedSections(post) : null,
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
      answer: visible ? this.answerFacts(post.answerFor, post.answer) : null,
      // A hidden or removed post's files are withheld with its content.
      attachments: visible ? (attachments ?? []) : [],
    };
  }
}

/** The markdown texts of a post or revision (its body, or its sections). */
export function markdownOf(p: { body: string | null; sections: unknown }): string[] {
  return p.body !== null ? [p.body] : Object.values((p.sections as Record<string, string> | null) ?? {});
}

/** A legal analysis's sections with `render` applied to each text. */
export function sourceSections(sections: unknown, render: (text: string) => string): AnalysisSectionsInput | null {
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
export function replyCountOf(t: ThreadRow): number {
  return Math.max(0, t.postCount - 1 - t.hiddenCount);
}

/** An author as shown beside a post: name, verified badge, staff role. */
export function postAuthor(id: string, author: { row: UserRow; badge: PostAuthor['badge'] } | undefined): PostAuthor {
  return {
    id,
    displayName: author?.row.displayName ?? '',
    badge: author?.badge ?? null,
    role: author && (author.row.role === 'moderator' || author.row.role === 'admin') ? author.row.role : null,
  };
}

export function moderationFlags(t: ThreadRow) {
  return {
    locked: t.lockedAt !== null,
    pin: t.pinScope ? { jurisdiction: t.pinScope === '*' ? null : t.pinScope } : null,
    resolved: t.resolvedAt !== null,
  };
}

/** The people a post view names: its author and the moderator who hid or removed it. */
export function peopleOf(post: Pick<PostRow, 'authorId' | 'moderatedById'>): string[] {
  return post.moderatedById ? [post.authorId, post.moderatedById] : [post.authorId];
}

/**
 * The cooked sections of a legal analysis, read back from the stored HTML (each section is
 * wrapped by `cookSections`), so they are not cooked again on every read.
 */
export function cookedSections(post: Pick<PostRow, 'cooked'>): CookedSection[] {
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
