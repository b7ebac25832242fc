/**
 * Reading marks posts read: what has been on screen (40% of a post in view) is sent a moment
 * later as the thread's read position, and once more when the page closes. A post seen also leaves
 * the "N new replies" count.
 */
import { api } from '../../lib/api.js';
import type { ThreadPage } from './thread-page.svelte.js';

export class ReadTracker {
  #lastSent = 0;
  #maxSeen = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #observer: IntersectionObserver | null;

  constructor(private readonly page: ThreadPage) {
    this.#observer =
      typeof IntersectionObserver === 'undefined'
        ? null
        : new IntersectionObserver((entries) => this.#seen(entries), { threshold: 0.4 });
  }

  /** The thread was (re)loaded: the server has the reader's position up to `number`. */
  readUpTo(number: number): void {
    this.#lastSent = number;
  }

  /** Watches a post's element (an attachment: returns the cleanup). */
  track = (element: HTMLElement): (() => void) => {
    this.#observer?.observe(element);
    return () => this.#observer?.unobserve(element);
  };

  /** The page closes: stop watching and send what was seen. */
  destroy(): void {
    this.#observer?.disconnect();
    clearTimeout(this.#timer);
    this.#send();
  }

  #seen(entries: IntersectionObserverEntry[]): void {
    const unseen = this.page.live.unseen;
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const number = Number((entry.target as HTMLElement).dataset['number']);
      if (number > this.#maxSeen) this.#maxSeen = number;
      if (unseen.size > 0) {
        const seenPost = this.page.posts.find((post) => post.number === number);
        if (seenPost) unseen.delete(seenPost.id);
      }
    }
    if (this.#maxSeen > this.#lastSent) {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#send(), 1200);
    }
  }

  #send(): void {
    const number = this.#maxSeen;
    const thread = this.page.thread;
    if (number <= this.#lastSent || !thread) return;
    this.#lastSent = number;
    void api.put(`/api/threads/${encodeURIComponent(thread.id)}/read`, { lastReadNumber: number }).catch(() => {
      this.#lastSent = 0;
    });
  }
}
