/**
 * Drafts: one of a new thread and one per thread replied to, saved as the member writes, with
 * an excerpt for the list. A draft's quotes are shown as its owner may read them now.
 */
import type { Db } from '@lexforum/db';
import type { DraftList, ReplyDraft, ReplyDraftEnvelope, ThreadDraft, ThreadDraftEnvelope } from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import type { Guardian } from '../guardian/guardian.js';
import type { CookPool } from './cook-pool.js';
import { readQuotes } from './quotes.js';
import type { ThreadReadService } from './reading.service.js';
import { isDraftTokenSpent } from './spent-drafts.js';
import * as repo from './threads.repository.js';

export const THREAD_DRAFT_KEY = 'thread';
export const replyDraftKey = (threadId: string) => `reply:${threadId}`;

/** What a draft's excerpt is made of: the title if any, else the body or the first section. */
function draftExcerptSource(data: ThreadDraft | ReplyDraft): string {
  return 'title' in data && data.title
    ? data.title
    : (data.body ?? Object.values((data as ThreadDraft).sections ?? {})[0] ?? '');
}

export class DraftService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly cookPool: CookPool,
    private readonly reads: ThreadReadService,
  ) {}

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
    this.reads.seeableThread(guardian, threadId);
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
    this.reads.seeableThread(guardian, threadId);
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
}
