/**
 * The signed-in account's unread notification count, for the bell in the header. Refreshed on
 * navigation and whenever a page reads or marks notifications; live push comes with real time.
 */
import type { NotificationPage } from '@lexforum/shared';
import { api } from './api.js';

class Notifications {
  unreadCount = $state(0);

  async refresh(): Promise<void> {
    try {
      this.unreadCount = (await api.get<NotificationPage>('/api/notifications?unread=true')).unreadCount;
    } catch {
      // The bell is a hint, not a page: a failed refresh keeps the last count and says nothing.
    }
  }
}

export const notifications = new Notifications();
