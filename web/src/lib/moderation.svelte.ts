/**
 * The number of open review items in the moderator's scope, for the "Moderation" link. Nothing is
 * pushed when a report or a submission arrives, so the Shell asks again as the moderator moves
 * around (at most every half minute) and the moderation pages set it from every queue they read.
 */
import type { ReviewCounts, ReviewQueue } from '@lexforum/shared';
import { api } from './api.js';

const MIN_INTERVAL_MS = 30_000;

class ModerationCount {
  /** Null until first read (and for accounts that are not staff). */
  open = $state<number | null>(null);
  #readAt = 0;
  #generation = 0;

  /** Reads the count unless it was read recently (`force` reads it anyway). */
  async refresh(force = false): Promise<void> {
    if (!force && Date.now() - this.#readAt < MIN_INTERVAL_MS) return;
    this.#readAt = Date.now();
    const generation = this.#generation;
    try {
      const queue = await api.get<ReviewQueue>('/api/moderation/queue?limit=1');
      if (generation === this.#generation) this.open = queue.counts.open;
    } catch {
      // The link stays without a number; the queue page says what went wrong.
      this.#readAt = 0;
    }
  }

  /** A queue page just read the counts: no need to ask again. */
  set(counts: ReviewCounts): void {
    this.open = counts.open;
    this.#readAt = Date.now();
  }

  /** Another account (or none) took over: nothing of the last one's count stays. */
  clear(): void {
    this.#generation++;
    this.open = null;
    this.#readAt = 0;
  }
}

export const moderationCount = new ModerationCount();
