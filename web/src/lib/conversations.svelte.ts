/**
 * The signed-in member's conversations, shared by the header's Messages link and the inbox: the
 * count of conversations with unread messages (muted ones left out) and the newest page of
 * conversations, newest activity first (older pages appended by the inbox).
 *
 * As with notifications (notifications.svelte.ts), the count is always the server's: set from
 * every push (`conversation.message`, `conversation.read`, `conversation.updated`, applied in
 * sequence order by the realtime client, replays included) and from a REST answer only if that
 * answer's `seq` is not older than the last push applied. An open conversation listens to the
 * same pushes itself (`realtime.on`) for its messages; this keeps the list and the count.
 *
 * Everything here belongs to one account: `clear()` (on every change of account) also makes the
 * answers of requests started before it land nowhere.
 */
import type { ConversationPage, ConversationSummary, ConversationUnread } from '@lexforum/shared';
import { api, query } from './api.js';
import { realtime } from './realtime.svelte.js';
import { session } from './session.svelte.js';

class Conversations {
  /** Conversations with unread messages, muted ones left out. */
  unreadTotal = $state(0);
  /** Newest activity first; null until first loaded. */
  items = $state<ConversationSummary[] | null>(null);
  nextCursor = $state<string | null>(null);
  loading = $state(false);
  failed = $state(false);

  #wired = false;
  /**
   * Bumped whenever the count is set from a push or from this tab's own read: a count asked for
   * before that (`refresh`) is older than what is shown and is dropped, even before the socket
   * has said which push it is at.
   */
  #countVersion = 0;
  /** Bumped by `clear()`: an answer to a request started under an earlier value is dropped. */
  #generation = 0;

  /** Connects to the pushes; called once by the Shell. */
  wire(): void {
    if (this.#wired) return;
    this.#wired = true;
    realtime.on('conversation.message', ({ conversation, unreadTotal }) => {
      this.#setCount(unreadTotal);
      this.#upsert(conversation, true);
    });
    realtime.on('conversation.updated', ({ conversation, unreadTotal }) => {
      this.#setCount(unreadTotal);
      this.#upsert(conversation, false);
    });
    realtime.on('conversation.read', ({ conversationId, unreadCount, unreadTotal }) => {
      this.#setCount(unreadTotal);
      if (this.items) this.items = this.items.map((c) => (c.id === conversationId ? { ...c, unreadCount } : c));
    });
    // An edit, a deletion or a moderator's hiding of the last message changes the list's excerpt.
    realtime.on('conversation.message_updated', ({ conversationId, message }) => {
      if (!this.items) return;
      this.items = this.items.map((c) =>
        c.id === conversationId && c.lastMessage?.id === message.id
          ? {
              ...c,
              lastMessage: {
                ...c.lastMessage,
                state: message.state,
                excerpt: message.state === 'visible' ? excerptOfHtml(message.html) : '',
              },
            }
          : c,
      );
    });
    realtime.onresync(() => {
      void this.refresh();
      if (this.items) void this.load().catch(() => undefined);
    });
  }

  /** The first page (and the count). */
  async load(): Promise<void> {
    const generation = this.#generation;
    this.loading = true;
    this.failed = false;
    try {
      const page = await api.get<ConversationPage>('/api/conversations');
      if (generation !== this.#generation) return;
      this.items = page.conversations;
      this.nextCursor = page.nextCursor;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.failed = true;
      throw error;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async loadMore(): Promise<void> {
    if (this.nextCursor === null || !this.items) return;
    const generation = this.#generation;
    this.loading = true;
    try {
      const page = await api.get<ConversationPage>(`/api/conversations${query({ before: this.nextCursor })}`);
      if (generation !== this.#generation || !this.items) return;
      const seen = new Set(this.items.map((c) => c.id));
      this.items = [...this.items, ...page.conversations.filter((c) => !seen.has(c.id))];
      this.nextCursor = page.nextCursor;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** The count alone: at start, and on navigation while no socket keeps it current. */
  async refresh(): Promise<void> {
    const generation = this.#generation;
    const version = this.#countVersion;
    try {
      const answer = await api.get<ConversationUnread>('/api/conversations/unread');
      if (generation !== this.#generation || version !== this.#countVersion) return;
      const lastSeq = realtime.lastSeq;
      if (lastSeq === null || answer.seq >= lastSeq) this.unreadTotal = answer.unreadTotal;
    } catch {
      // The link is a hint, not a page: a failed refresh keeps the last count and says nothing.
    }
  }

  /** A conversation's summary as an answer gave it (mute, leave, a message sent from this tab). */
  update(conversation: ConversationSummary): void {
    this.#upsert(conversation, false);
  }

  /** Read in this tab: the conversation's own count at once (the header's follows from the answer). */
  markedRead(conversationId: string, unreadCount: number, unreadTotal?: number): void {
    if (unreadTotal !== undefined) this.#setCount(unreadTotal);
    if (this.items) this.items = this.items.map((c) => (c.id === conversationId ? { ...c, unreadCount } : c));
  }

  /** Left: it goes from the list. */
  remove(conversationId: string): void {
    if (this.items) this.items = this.items.filter((c) => c.id !== conversationId);
  }

  /** Signed out or another account signed in: nothing of the last account stays in memory. */
  clear(): void {
    this.#generation++;
    this.loading = false;
    this.failed = false;
    this.unreadTotal = 0;
    this.items = null;
    this.nextCursor = null;
  }

  #setCount(count: number): void {
    this.#countVersion++;
    this.unreadTotal = count;
  }

  /** Replaced in place, or (with `toTop`, or when new) moved to the top of the list. */
  #upsert(conversation: ConversationSummary, toTop: boolean): void {
    if (!this.items) return;
    // Left (in another tab): no longer this member's conversation.
    if (session.user && !conversation.participants.some((p) => p.id === session.user?.id)) {
      this.remove(conversation.id);
      return;
    }
    const present = this.items.some((c) => c.id === conversation.id);
    if (present && !toTop) {
      this.items = this.items.map((c) => (c.id === conversation.id ? conversation : c));
      return;
    }
    this.items = [conversation, ...this.items.filter((c) => c.id !== conversation.id)];
  }
}

/** A one-line plain-text excerpt of cooked HTML (the list shows a message's start). */
export function excerptOfHtml(html: string, max = 140): string {
  const text = (new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export const conversations = new Conversations();
