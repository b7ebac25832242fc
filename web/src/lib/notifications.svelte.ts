/**
 * The signed-in account's notifications, shared by the bell and the notifications page: the
 * unread count and the newest page of notifications (older pages appended by the page).
 *
 * The count is always the server's, never counted locally, so it cannot drift: set from every
 * push (`notification.created`, `notification.read`, `ready`, `resync`, applied in sequence
 * order by the realtime client) and from a REST answer only if that answer's `seq` is not older
 * than the last push applied (an answer and a push for a later write can cross on the wire).
 * Reading a notification in one tab comes back to every tab as `notification.read`, which is what
 * keeps the tabs in step.
 *
 * Everything here belongs to one account: `clear()` (on every change of account) also makes the
 * answers of requests started before it land nowhere.
 */
import type { Notification, NotificationPage, UnreadCount } from '@lexforum/shared';
import { api, query } from './api.js';
import { desktop } from './desktop.svelte.js';
import { realtime } from './realtime.svelte.js';

class Notifications {
  unreadCount = $state(0);
  /** Newest first; null until first loaded. */
  items = $state<Notification[] | null>(null);
  nextCursor = $state<number | null>(null);
  loading = $state(false);
  failed = $state(false);
  /** The newest one that arrived by push in this tab (announced politely by the bell). */
  arrived = $state<Notification | null>(null);

  /** How to follow a notification's link (the Shell gives the router's navigate). */
  #navigate: (path: string) => void = (path) => location.assign(path);
  #wired = false;
  /** Bumped by `clear()`: an answer to a request started under an earlier value is dropped. */
  #generation = 0;

  /** Connects to the pushes; called once by the Shell. */
  wire(navigate: (path: string) => void): void {
    this.#navigate = navigate;
    if (this.#wired) return;
    this.#wired = true;
    realtime.on('notification.created', ({ notification, unreadCount, desktop: toDesktop }, replayed) => {
      this.unreadCount = unreadCount;
      if (this.items && !this.items.some((n) => n.id === notification.id)) {
        this.items = [notification, ...this.items];
      }
      if (replayed) return;
      this.arrived = notification;
      if (toDesktop) void desktop.show(notification, () => this.open(notification));
    });
    // A redaction rewrote a notification's text: the copy kept here is replaced, nothing else moves.
    realtime.on('notification.updated', ({ notification }) => {
      if (this.items) this.items = this.items.map((n) => (n.id === notification.id ? { ...n, ...notification } : n));
      if (this.arrived?.id === notification.id) this.arrived = { ...this.arrived, ...notification };
    });
    realtime.on('notification.read', ({ ids, unreadCount }) => {
      this.unreadCount = unreadCount;
      this.#markLocally(ids);
    });
    realtime.onresync(() => {
      if (this.items) void this.load();
    });
  }

  /** The first page (and the count). */
  async load(): Promise<void> {
    const generation = this.#generation;
    this.loading = true;
    this.failed = false;
    try {
      const page = await api.get<NotificationPage>('/api/notifications');
      if (generation !== this.#generation) return;
      this.items = page.notifications;
      this.nextCursor = page.nextCursor;
      this.#applyCount(page);
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
      const page = await api.get<NotificationPage>(`/api/notifications${query({ before: this.nextCursor })}`);
      if (generation !== this.#generation || !this.items) return;
      const seen = new Set(this.items.map((n) => n.id));
      this.items = [...this.items, ...page.notifications.filter((n) => !seen.has(n.id))];
      this.nextCursor = page.nextCursor;
      this.#applyCount(page);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** The count alone, when no socket keeps it current (on navigation while disconnected). */
  async refresh(): Promise<void> {
    const generation = this.#generation;
    try {
      const page = await api.get<NotificationPage>('/api/notifications?unread=true');
      if (generation === this.#generation) this.#applyCount(page);
    } catch {
      // The bell is a hint, not a page: a failed refresh keeps the last count and says nothing.
    }
  }

  async markRead(notification: Notification): Promise<void> {
    if (notification.readAt) return;
    const generation = this.#generation;
    this.#markLocally([notification.id]);
    const answer = await api.post<UnreadCount>(`/api/notifications/${notification.id}/read`);
    if (generation === this.#generation) this.#applyCount(answer);
  }

  async markAllRead(): Promise<void> {
    const generation = this.#generation;
    // What was listed when asked: a notification pushed while the answer travels stays unread.
    const listed = this.items?.map((n) => n.id) ?? [];
    const answer = await api.post<UnreadCount>('/api/notifications/read-all');
    if (generation !== this.#generation) return;
    this.#applyCount(answer);
    this.#markLocally(listed);
  }

  /** Opens a notification from outside the page (a desktop notification): marks it read, follows its link. */
  open(notification: Notification): void {
    void this.markRead(notification).catch(() => undefined);
    if (notification.link && notification.link.startsWith('/') && !notification.link.startsWith('//')) {
      this.#navigate(notification.link);
    } else {
      this.#navigate('/notifications');
    }
  }

  /** Signed out or another account signed in: nothing of the last account stays in memory. */
  clear(): void {
    this.#generation++;
    this.loading = false;
    this.failed = false;
    this.unreadCount = 0;
    this.items = null;
    this.nextCursor = null;
    this.arrived = null;
  }

  /**
   * A count from an HTTP answer, unless a push newer than it has been applied already. Without a
   * socket (`lastSeq` null) every answer counts.
   */
  #applyCount({ unreadCount, seq }: UnreadCount): void {
    const lastSeq = realtime.lastSeq;
    if (lastSeq === null || seq >= lastSeq) this.unreadCount = unreadCount;
  }

  /** `null`: every one. */
  #markLocally(ids: number[] | null): void {
    if (!this.items) return;
    const now = new Date().toISOString();
    const marked = ids ? new Set(ids) : null;
    this.items = this.items.map((n) => (!n.readAt && (!marked || marked.has(n.id)) ? { ...n, readAt: now } : n));
  }
}

export const notifications = new Notifications();
