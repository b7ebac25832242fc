/**
 * The thread page's state, shared by its parts (Thread.svelte and the components beside it): the
 * thread and its loaded posts, the reply tree built from them, paging and `#post-N` addresses, the
 * reader's own submissions waiting for review, and which post or header is being edited. Live
 * updates (thread-live.svelte.ts), read tracking (read-tracker.ts) and replying
 * (thread-replying.svelte.ts) work on it; one instance per page.
 */
import type {
  AcceptedAnswer,
  Bookmark,
  BookmarkPage,
  PendingSubmission,
  Post,
  ReplyDraftEnvelope,
  ThreadDetail,
  ThreadEnvelope,
  ThreadWithPosts,
} from '@lexforum/shared';
import { tick } from 'svelte';
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { api, ApiError } from '../../lib/api.js';
import { m } from '../../lib/i18n.js';
import { handleError } from '../../lib/notices.svelte.js';
import { session } from '../../lib/session.svelte.js';
import { postAnchor, postNumberFromHash } from '../../lib/threads.js';
import { route } from '../../router.js';
import { ReadTracker } from './read-tracker.js';
import { ThreadLive } from './thread-live.svelte.js';
import { ThreadReplying } from './thread-replying.svelte.js';

const VIEW_KEY = 'lexforum.threadView';

export class ThreadPage {
  readonly id = $derived(route.params.id ?? '');
  thread = $state<ThreadDetail | null>(null);
  posts = $state<Post[]>([]);
  hasMore = $state(false);
  failure = $state<string | null>(null);
  loadingMore = $state(false);
  /** The read position when the page opened: the divider sits before the first post after it. */
  readBefore = $state<number | null>(null);
  view = $state<'tree' | 'flat'>(localStorage.getItem(VIEW_KEY) === 'flat' ? 'flat' : 'tree');
  readonly collapsed = new SvelteSet<string>();
  highlighted = $state<number | null>(null);
  editingThread = $state(false);
  editingPost = $state<string | null>(null);
  /** The reader's own replies and edits waiting for a moderator (pre-moderation). */
  pendingSubmissions = $state<PendingSubmission[]>([]);
  readonly pendingReplies = $derived(this.pendingSubmissions.filter((item) => item.kind === 'reply'));
  /** Posts with an edit of theirs (or of the thread's title and tags) awaiting review, by post id. */
  readonly heldEdits = $derived(
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a new map each time the submissions change, never mutated
    new Map(
      this.pendingSubmissions
        .filter((item) => (item.kind === 'edit' || item.kind === 'thread_edit') && item.postId)
        .map((item) => [`${item.kind}:${item.postId}`, item]),
    ),
  );
  /** Posts a moderator moved out of this thread: where they went. */
  movedNotice = $state<{ count: number; threadId: string; title: string } | null>(null);
  readonly isThreadAuthor = $derived(!!this.thread && this.thread.author.id === session.user?.id);
  /**
   * The accepted answers to show: a reply on screen that a moderator has since hidden (pushed as
   * a post update) answers nothing, as the server will say at the next read.
   */
  readonly acceptedAnswers = $derived<AcceptedAnswer[]>(
    (this.thread?.acceptedAnswers ?? []).filter((a) => (this.byId.get(a.postId)?.state ?? 'visible') === 'visible'),
  );
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a new set each time the answers change, never mutated
  readonly acceptedIds = $derived(new Set(this.acceptedAnswers.map((a) => a.postId)));
  /** A mark being set or taken back (its buttons wait). */
  marking = $state(false);
  /** The reader's bookmarks of this thread's posts, by post id. */
  readonly bookmarks = new SvelteMap<string, Bookmark>();
  /**
   * In the tree, a pending reply to a reply sits under it, after its replies; replies to the
   * opening post, to a post not loaded yet, and every pending reply in posting order are listed
   * after the thread.
   */
  readonly pendingUnder = $derived.by(() => {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built and read within one $derived, never kept
    const map = new Map<string, PendingSubmission[]>();
    if (this.view !== 'tree') return map;
    for (const item of this.pendingReplies) {
      const parent = item.parentId ? this.byId.get(item.parentId) : undefined;
      if (!parent || parent.number === 1) continue;
      map.set(parent.id, [...(map.get(parent.id) ?? []), item]);
    }
    return map;
  });
  readonly pendingAtEnd = $derived(
    this.pendingReplies.filter((item) => !item.parentId || !this.pendingUnder.get(item.parentId)?.includes(item)),
  );

  readonly opener = $derived(this.posts.find((post) => post.number === 1) ?? null);
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a new map each time the posts change, never mutated
  readonly byId = $derived(new Map(this.posts.map((post) => [post.id, post])));
  readonly children = $derived.by(() => {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built and read within one $derived, never kept
    const map = new Map<string, Post[]>();
    for (const post of this.posts) {
      if (post.number === 1) continue;
      const parent = post.parentId && this.byId.has(post.parentId) ? post.parentId : (this.opener?.id ?? '');
      const list = map.get(parent) ?? [];
      list.push(post);
      map.set(parent, list);
    }
    return map;
  });
  readonly replies = $derived(this.posts.filter((post) => post.number !== 1));
  /** Replies in the order they are drawn, for placing the "new since" divider. */
  readonly displayOrder = $derived.by(() => {
    if (this.view === 'flat') return this.replies;
    const order: Post[] = [];
    const walk = (parentId: string) => {
      for (const child of this.children.get(parentId) ?? []) {
        order.push(child);
        if (!this.collapsed.has(child.id)) walk(child.id);
      }
    };
    if (this.opener) walk(this.opener.id);
    return order;
  });
  readonly dividerBefore = $derived(
    this.readBefore === null ? null : (this.displayOrder.find((post) => post.number > this.readBefore!)?.id ?? null),
  );

  readonly live = new ThreadLive(this);
  readonly reading = new ReadTracker(this);
  readonly replying = new ThreadReplying(this);

  isUnread(post: Post): boolean {
    return this.readBefore !== null && post.number > this.readBefore;
  }

  descendants(postId: string): number {
    return (this.children.get(postId) ?? []).reduce((sum, child) => sum + 1 + this.descendants(child.id), 0);
  }

  async load(threadId: string): Promise<void> {
    this.failure = null;
    this.thread = null;
    this.posts = [];
    this.live.keepEarly(threadId);
    try {
      const [page, draft, saved] = await Promise.all([
        api.get<ThreadWithPosts>(`/api/threads/${encodeURIComponent(threadId)}`),
        api.get<ReplyDraftEnvelope>(`/api/drafts/reply/${encodeURIComponent(threadId)}`).catch(() => ({ draft: null })),
        // The bookmarks only mark posts: the page works without them.
        api
          .get<BookmarkPage>(`/api/bookmarks?threadId=${encodeURIComponent(threadId)}&limit=100`)
          .catch(() => ({ bookmarks: [], nextCursor: null })),
      ]);
      if (threadId !== this.id) return;
      this.bookmarks.clear();
      for (const bookmark of saved.bookmarks) this.bookmarks.set(bookmark.postId, bookmark);
      this.thread = page.thread;
      this.posts = page.posts;
      this.pendingSubmissions = page.thread.pending;
      this.movedNotice = null;
      this.hasMore = page.hasMore;
      this.readBefore = page.thread.lastReadNumber;
      this.reading.readUpTo(page.thread.lastReadNumber ?? 0);
      this.live.applyEarly(threadId);
      if (draft.draft && draft.draft.data.body.trim()) {
        this.replying.composer = { parentId: draft.draft.data.parentId ?? null, body: draft.draft.data.body };
      }
      await this.showHash(route.hash);
    } catch (error) {
      this.live.dropEarly();
      this.failure =
        error instanceof ApiError && error.status === 404
          ? m.thread_not_found()
          : error instanceof ApiError
            ? error.message
            : m.thread_load_failed();
      // Shown once, in the page's failure panel (not also as a toast).
      if (!(error instanceof ApiError)) console.error(error);
    }
  }

  async loadMore(): Promise<boolean> {
    const last = this.posts.at(-1);
    if (!last || !this.hasMore) return false;
    this.loadingMore = true;
    try {
      const page = await api.get<ThreadWithPosts>(`/api/threads/${encodeURIComponent(this.id)}?after=${last.number}`);
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built and read within this call, never kept
      const seen = new Set(this.posts.map((post) => post.id));
      this.posts = [...this.posts, ...page.posts.filter((post) => !seen.has(post.id))];
      this.hasMore = page.hasMore;
      return page.posts.length > 0;
    } catch (error) {
      handleError(error);
      return false;
    } finally {
      this.loadingMore = false;
    }
  }

  /** Scrolls to the post a `#post-N` address names (loading later pages if need be) and marks it. */
  async showHash(hash: string): Promise<void> {
    const number = postNumberFromHash(hash);
    if (number === null) return;
    for (let tries = 0; tries < 20 && this.hasMore && !this.posts.some((post) => post.number === number); tries++) {
      if (!(await this.loadMore())) break;
    }
    const target = this.posts.find((post) => post.number === number);
    if (!target) return;
    this.openBranchesAbove(target);
    this.highlighted = number;
    await tick();
    document.getElementById(postAnchor(number))?.scrollIntoView({ block: 'start' });
  }

  /** Opens every collapsed branch above a post. */
  openBranchesAbove(post: Post): void {
    for (let at = post.parentId ? this.byId.get(post.parentId) : undefined; at;) {
      this.collapsed.delete(at.id);
      at = at.parentId ? this.byId.get(at.parentId) : undefined;
    }
  }

  setView(next: 'tree' | 'flat'): void {
    this.view = next;
    localStorage.setItem(VIEW_KEY, next);
  }

  /**
   * Adds a reply once (the author's own tab gets it both from its POST and from the push), in
   * number order: a live reply can arrive while a catch-up is still bringing earlier ones.
   */
  addPost(post: Post): boolean {
    if (this.posts.some((p) => p.id === post.id)) return false;
    const next = this.posts.map((p) => (p.id === post.parentId ? { ...p, replyCount: p.replyCount + 1 } : p));
    const at = next.findIndex((p) => p.number > post.number);
    this.posts = at === -1 ? [...next, post] : [...next.slice(0, at), post, ...next.slice(at)];
    return true;
  }

  replacePost(post: Post): void {
    this.posts = this.posts.map((p) => (p.id === post.id ? post : p));
  }

  /** The thread's header as the server has it now (lock and resolution notes, may I reply). */
  async refreshThread(threadId: string): Promise<void> {
    try {
      const page = await api.get<ThreadWithPosts>(`/api/threads/${encodeURIComponent(threadId)}`);
      if (this.thread?.id === threadId) {
        this.thread = page.thread;
        this.pendingSubmissions = page.thread.pending;
      }
    } catch {
      // The pushed fields are on screen already; the next read brings the notes.
    }
  }

  /** A bookmark saved, changed (the bookmark) or removed (null). */
  setBookmark(postId: string, bookmark: Bookmark | null): void {
    if (bookmark) this.bookmarks.set(postId, bookmark);
    else this.bookmarks.delete(postId);
  }

  /** Marks `post` as the question's answer (replacing the one marked before), or takes the mark back. */
  /** Marks `post` as the answer (its own jurisdiction's, in a comparative question), or takes a mark back. */
  async markAnswer(post: Post | null, jurisdiction?: string): Promise<boolean> {
    const thread = this.thread;
    if (!thread || this.marking) return false;
    this.marking = true;
    try {
      const path = `/api/threads/${encodeURIComponent(thread.id)}/answer`;
      const result = post
        ? await api.put<ThreadEnvelope>(path, { postId: post.id })
        : await api.del<ThreadEnvelope>(
            jurisdiction ? `${path}?jurisdiction=${encodeURIComponent(jurisdiction)}` : path,
          );
      if (this.thread?.id === thread.id) {
        this.thread = result.thread;
        this.pendingSubmissions = result.thread.pending;
      }
      return true;
    } catch (error) {
      handleError(error);
      // The mark may have changed meanwhile (another tab, a moderator): show it as it is.
      void this.refreshThread(thread.id);
      return false;
    } finally {
      this.marking = false;
    }
  }

  /** A moderator here moved a post (and the replies under it) to another thread. */
  movedAway(from: Post, post: Post, title: string): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built and read within this call, never kept
    const gone = new Set<string>();
    const collect = (postId: string) => {
      gone.add(postId);
      for (const child of this.children.get(postId) ?? []) collect(child.id);
    };
    collect(from.id);
    this.posts = this.posts
      .filter((p) => !gone.has(p.id))
      .map((p) => (p.id === from.parentId ? { ...p, replyCount: Math.max(0, p.replyCount - 1) } : p));
    if (this.thread) this.thread = { ...this.thread, replyCount: Math.max(0, this.thread.replyCount - gone.size) };
    this.movedNotice = { count: gone.size, threadId: post.threadId, title };
  }
}
