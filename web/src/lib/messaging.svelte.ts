/**
 * The member's messaging settings: who may start a conversation with them, and the members they
 * blocked. Read once, when a page first needs it (the thread page collapses blocked members'
 * posts, the profile offers Block or Unblock, the settings page lists them), then kept current
 * by this tab's own changes. Another tab's changes arrive with the next page load.
 */
import type { MessagingAllowFrom, MessagingSettings } from '@lexforum/shared';
import { api } from './api.js';

class Messaging {
  settings = $state<MessagingSettings | null>(null);
  failed = $state(false);
  readonly blockedIds = $derived(new Set(this.settings?.blocked.map((b) => b.id) ?? []));

  #loading: Promise<void> | null = null;
  #generation = 0;

  /** Reads the settings unless they are here already (or on their way). */
  ensure(): Promise<void> {
    if (this.settings) return Promise.resolve();
    this.#loading ??= this.load().finally(() => (this.#loading = null));
    return this.#loading;
  }

  async load(): Promise<void> {
    const generation = this.#generation;
    this.failed = false;
    try {
      const settings = await api.get<MessagingSettings>('/api/account/messaging');
      if (generation === this.#generation) this.settings = settings;
    } catch (error) {
      if (generation === this.#generation) this.failed = true;
      throw error;
    }
  }

  async setAllowFrom(allowFrom: MessagingAllowFrom): Promise<void> {
    const generation = this.#generation;
    const settings = await api.put<MessagingSettings>('/api/account/messaging', { allowFrom });
    if (generation === this.#generation) this.settings = settings;
  }

  async block(userId: string): Promise<void> {
    const generation = this.#generation;
    const settings = await api.put<MessagingSettings>(`/api/account/blocks/${encodeURIComponent(userId)}`, {});
    if (generation === this.#generation) this.settings = settings;
  }

  async unblock(userId: string): Promise<void> {
    const generation = this.#generation;
    const settings = await api.del<MessagingSettings>(`/api/account/blocks/${encodeURIComponent(userId)}`);
    if (generation === this.#generation) this.settings = settings;
  }

  isBlocked(userId: string): boolean {
    return this.blockedIds.has(userId);
  }

  /** Another account (or none) took over. */
  clear(): void {
    this.#generation++;
    this.settings = null;
    this.failed = false;
    this.#loading = null;
  }
}

export const messaging = new Messaging();
