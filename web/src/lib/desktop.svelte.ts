/**
 * Desktop notifications through the browser's Notification API, after the member opts in. The
 * permission is asked for only from a button the member presses (the preferences page, or the
 * one-time offer in the bell), never on page load.
 */
import type { Notification as ForumNotification } from '@lexforum/shared';

export type DesktopPermission = NotificationPermission | 'unsupported';

const DISMISSED_KEY = 'lexforum.desktopPromptDismissed';
const supported = () => typeof window !== 'undefined' && 'Notification' in window;

class Desktop {
  permission = $state<DesktopPermission>(supported() ? window.Notification.permission : 'unsupported');
  /** The member said "Not now" to the one-time offer (remembered in this browser). */
  dismissed = $state(readDismissed());
  /** Offer desktop notifications: the browser would still ask, and the member has not declined the offer. */
  readonly offer = $derived(this.permission === 'default' && !this.dismissed);

  async request(): Promise<DesktopPermission> {
    if (!supported()) return 'unsupported';
    try {
      this.permission = await window.Notification.requestPermission();
    } catch {
      this.permission = window.Notification.permission;
    }
    return this.permission;
  }

  dismiss(): void {
    this.dismissed = true;
    try {
      localStorage.setItem(DISMISSED_KEY, '1');
    } catch {
      // Private mode without storage: the offer comes back next visit, no harm.
    }
  }

  /** Re-reads the permission (the member may have changed it in the browser's settings). */
  sync(): void {
    if (supported()) this.permission = window.Notification.permission;
  }

  /**
   * Shows `notification` on the desktop if the tab is hidden and the browser allows it. The tag
   * makes every tab of the member show it once: the browser replaces a notification with the
   * same tag instead of adding another.
   */
  show(notification: ForumNotification, onclick: () => void): void {
    this.sync();
    if (this.permission !== 'granted' || document.visibilityState !== 'hidden') return;
    try {
      const shown = new window.Notification(notification.title, {
        body: notification.body ?? '',
        tag: `lexforum-${notification.id}`,
        icon: '/favicon.svg',
      });
      shown.onclick = () => {
        window.focus();
        shown.close();
        onclick();
      };
    } catch {
      // Some mobile browsers only allow notifications from a service worker: the bell still has it.
    }
  }
}

function readDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

export const desktop = new Desktop();
