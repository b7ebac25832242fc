/**
 * Drafts of direct messages, in the forum's drafts table under their own keys: `message:new` for
 * a conversation being started (with its chosen recipients), `message:<conversationId>` for one
 * being written in. They stay out of the thread drafts list; leaving a conversation drops its
 * draft; a save arriving after its message was sent (its composer's token spent) is discarded.
 */
import type { Db } from '@lexforum/db';
import type { MessageDraft, MessageDraftEnvelope } from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import type { Guardian } from '../guardian/guardian.js';
import { isDraftTokenSpent } from '../threads/spent-drafts.js';
import * as threadRepo from '../threads/threads.repository.js';
import * as repo from './conversations.repository.js';

export const NEW_CONVERSATION_DRAFT_KEY = 'message:new';
export const conversationDraftKey = (conversationId: string) => `message:${conversationId}`;

export class MessageDraftService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The draft's key, once the member may write there (a conversation they are in). */
  private keyFor(guardian: Guardian, conversationId: string | null): string {
    guardian.ensureForumAccess();
    if (conversationId === null) return NEW_CONVERSATION_DRAFT_KEY;
    if (!guardian.canReadConversation(repo.participant(this.db, conversationId, guardian.user.id))) {
      throw notFound('That conversation');
    }
    return conversationDraftKey(conversationId);
  }

  get(guardian: Guardian, conversationId: string | null): MessageDraftEnvelope {
    const key = this.keyFor(guardian, conversationId);
    const row = threadRepo.findDraft(this.db, guardian.user.id, key);
    return { draft: row ? { updatedAt: row.updatedAt.toISOString(), data: row.data as MessageDraft } : null };
  }

  save(guardian: Guardian, conversationId: string | null, data: MessageDraft, token?: string): MessageDraftEnvelope {
    const key = this.keyFor(guardian, conversationId);
    if (token && isDraftTokenSpent(this.db, guardian.user.id, key, token)) return { draft: null, discarded: true };
    const stored = conversationId === null ? data : { body: data.body };
    threadRepo.saveDraft(this.db, guardian.user.id, key, stored, this.clock.now(), null, token ?? null);
    return this.get(guardian, conversationId);
  }

  remove(guardian: Guardian, conversationId: string | null): void {
    threadRepo.deleteDraft(this.db, guardian.user.id, this.keyFor(guardian, conversationId));
  }
}
