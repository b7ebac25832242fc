/**
 * The thread page's live updates: events from the thread's channel applied in place (replies,
 * edits and state changes, moved posts, lock/pin/resolve and tag changes), the replies that landed
 * out of sight for the "N new replies" button and the polite announcement, and the catch-up after
 * a reconnect. Works on the page's state (thread-page.svelte.ts).
 */
import type { LiveEvent, Post, PostEnvelope, ThreadDetail, ThreadWithPosts } from '@lexforum/shared';
import { tick } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import { api } from '../../lib/api.js';
import { m } from '../../lib/i18n.js';
import { session } from '../../lib/session.svelte.js';
import { postAnchor } from '../../lib/threads.js';
import type { ThreadPage } from './thread-page.svelte.js';

export class ThreadLive {
  /** Replies that arrived live and have not been on screen yet, for the "N new replies" button. */
  readonly unseen = new SvelteSet<string>();
  /** Read out politely when someone else's reply arrives live (focus stays where it is). */
  replyAnnouncement = $state('');
  readonly firstUnseen = $derived.by(
    () =>
      this.page.displayOrder.find((post) => this.unseen.has(post.id)) ??
      this.page.replies.find((post) => this.unseen.has(post.id)),
  );

  /**
   * Live events that came while the page was loading: the answer may have been read before they
   * happened, so they are applied once it is in (in the order they came; adding a post is
   * idempotent, and the last edit or count wins as it would have live).
   */
  #early: { threadId: string; event: LiveEvent }[] = [];

  constructor(private readonly page: ThreadPage) {}

  /** A load of `threadId` starts: what came early for another thread is dropped. */
  keepEarly(threadId: string): void {
    this.#early = this.#early.filter((queued) => queued.threadId === threadId);
  }

  dropEarly(): void {
    this.#early = [];
  }

  applyEarly(threadId: string): void {
    const queued = this.#early.filter((item) => item.threadId === threadId);
    this.#early = [];
    for (const { event } of queued) this.apply(threadId, event);
  }

  apply(threadId: string, event: LiveEvent): void {
    const page = this.page;
    const thread = page.thread;
    if (!thread || thread.id !== threadId) {
      if (threadId === page.id && page.failure === null) this.#early.push({ threadId, event });
      return;
    }
    switch (event.type) {
      case 'post.created': {
        const { post } = event;
        page.thread = {
          ...thread,
          postCount: Math.max(thread.postCount, event.postCount),
          replyCount: event.replyCount,
          participantCount: event.participantCount,
          lastPostAt: event.lastPostAt,
          lastPoster: { ...thread.lastPoster, ...event.lastPoster },
        };
        // Beyond the loaded pages it arrives with "Load more", in its place.
        if (page.hasMore || !page.addPost(post)) return;
        if (post.author.id !== session.user?.id) {
          this.replyAnnouncement = m.thread_reply_live({
            name: post.author.displayName,
            excerpt: plainExcerpt(post.cooked),
          });
          void this.noteIfOutOfSight(post);
        }
        break;
      }
      case 'post.updated':
        this.applyPostUpdate(event.post);
        break;
      case 'posts.moved': {
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built and read within this call, never kept
        const gone = new Set(event.postIds);
        const shown = page.posts.filter((p) => gone.has(p.id)).length;
        page.posts = page.posts.filter((p) => !gone.has(p.id));
        page.thread = {
          ...thread,
          postCount: Math.max(thread.postCount, event.postCount),
          replyCount: event.replyCount,
          participantCount: event.participantCount,
          lastPostAt: event.lastPostAt,
          lastPoster: { ...thread.lastPoster, ...event.lastPoster },
          // A reply moved away answers nothing here.
          ...answersWithout(thread, gone),
        };
        for (const postId of gone) this.unseen.delete(postId);
        if (shown > 0 || event.postIds.length > 0) {
          page.movedNotice = { count: event.postIds.length, threadId: event.toThreadId, title: event.toThreadTitle };
        }
        break;
      }
      case 'thread.updated': {
        const moderationChanged =
          event.locked !== thread.locked || event.resolved !== thread.resolved || event.state !== thread.state;
        page.thread = {
          ...thread,
          title: event.title,
          language: event.language,
          jurisdictions: event.jurisdictions,
          topics: event.topics,
          citations: event.citations,
          lawAsOf: event.lawAsOf,
          analysis: thread.analysis && event.lawAsOf ? { ...thread.analysis, lawAsOf: event.lawAsOf } : thread.analysis,
          locked: event.locked,
          pin: event.pin,
          resolved: event.resolved,
          answered: event.answered,
          acceptedAnswers: event.acceptedAnswers,
          state: event.state,
          // Locked, only moderators may still reply; the re-read below says exactly.
          canReply: event.locked && !thread.canModerate ? false : thread.canReply,
        };
        // The push has no reason or moderator for the lock or resolution: the thread has them.
        if (moderationChanged) void page.refreshThread(threadId);
        break;
      }
      default:
      // Thread-list events do not come on this channel.
    }
  }

  /**
   * A pushed edit or state change. The push is the post as a member other than its author reads
   * it: its author and staff read their own view again when the state is not plainly visible or
   * changed (they see the content and the reason); everyone keeps their own rights on it.
   */
  private applyPostUpdate(next: Post): void {
    const current = this.page.posts.find((p) => p.id === next.id);
    if (!current) return;
    const stateChanged = current.state !== next.state;
    const privileged = session.isStaff || next.author.id === session.user?.id;
    if (privileged && (next.state !== 'visible' || stateChanged)) {
      void this.rereadPost(next);
      return;
    }
    this.page.replacePost({
      ...next,
      canEdit: current.canEdit,
      canModerate: current.canModerate,
      canReport: stateChanged ? next.canReport : current.canReport,
    });
  }

  private async rereadPost(pushed: Post): Promise<void> {
    try {
      const { post } = await api.get<PostEnvelope>(`/api/posts/${encodeURIComponent(pushed.id)}`);
      if (post.threadId === this.page.thread?.id) this.page.replacePost(post);
    } catch {
      this.page.replacePost(pushed);
    }
  }

  async noteIfOutOfSight(post: Post): Promise<void> {
    await tick();
    const element = document.getElementById(postAnchor(post.number));
    const box = element?.getBoundingClientRect();
    const inSight = box && box.height > 0 && box.top < window.innerHeight && box.bottom > 0;
    if (!inSight) this.unseen.add(post.id);
  }

  /** Opens the branches above a post, scrolls to it and marks it. */
  private async reveal(post: Post): Promise<void> {
    this.page.openBranchesAbove(post);
    this.page.highlighted = post.number;
    await tick();
    const element = document.getElementById(postAnchor(post.number));
    element?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    element?.querySelector<HTMLElement>('a')?.focus({ preventScroll: true });
  }

  showUnseen(): void {
    const first = this.firstUnseen;
    this.unseen.clear();
    if (first) void this.reveal(first);
  }

  /**
   * After a reconnect: the thread and its posts as they are now: every loaded page read again
   * (edits made meanwhile), and, if the whole thread was loaded, the replies that came since.
   */
  async catchUp(threadId: string): Promise<void> {
    const page = this.page;
    if (!page.thread || page.thread.id !== threadId) return;
    const hadAll = !page.hasMore;
    const loadedUpTo = page.posts.reduce((max, post) => Math.max(max, post.number), 0);
    try {
      const url = `/api/threads/${encodeURIComponent(threadId)}`;
      let answer = await api.get<ThreadWithPosts>(url);
      if (threadId !== page.id) return;
      page.thread = answer.thread;
      page.pendingSubmissions = answer.thread.pending;
      for (let rounds = 0; ; rounds++) {
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built and read within this call, never kept
        const current = new Map(answer.posts.map((post) => [post.id, post]));
        page.posts = page.posts.map((post) => current.get(post.id) ?? post);
        for (const post of answer.posts) {
          if (!hadAll && post.number > loadedUpTo) continue; // beyond what was loaded: "Load more" brings it
          if (page.addPost(post) && post.author.id !== session.user?.id) void this.noteIfOutOfSight(post);
        }
        const last = answer.posts.reduce((max, post) => Math.max(max, post.number), 0);
        if (!answer.hasMore || answer.posts.length === 0 || rounds >= 20 || (!hadAll && last >= loadedUpTo)) {
          if (hadAll) page.hasMore = answer.hasMore && answer.posts.length > 0;
          break;
        }
        answer = await api.get<ThreadWithPosts>(`${url}?after=${last}`);
        if (threadId !== page.id) return;
      }
    } catch {
      // The page still shows what it had; the next event or reload brings the rest.
    }
  }
}

/** The start of a cooked post as plain text, for the live announcement. */
function plainExcerpt(cooked: string, max = 160): string {
  const text = (new DOMParser().parseFromString(cooked, 'text/html').body.textContent ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The thread's accepted answers without those of `gone` (moved away), and whether any is left. */
function answersWithout(
  thread: ThreadDetail,
  gone: ReadonlySet<string>,
): Pick<ThreadDetail, 'acceptedAnswers' | 'answered'> {
  const acceptedAnswers = thread.acceptedAnswers.filter((a) => !gone.has(a.postId));
  return { acceptedAnswers, answered: acceptedAnswers.length > 0 };
}
