/**
 * Desktop notifications through the browser's Notification API, after the member opts in. The
 * permission is asked for only from a button the member presses (the preferences page, or the
 * one-time offer in the bell), never on page load.
 */
import type { Notification as ForumNotification } from '@lexforum/shared';
import { referenceNames } from './notification-names.js';
import { notificationDetail, notificationText } from './notification-text.js';

export type DesktopPermission = NotificationPermission | 'unsupported';

const DISMISSED_KEY = 'lexforum.desktopPromptDismissed';
const supported = () => typeof window !== 'undefined' && 'Notification' in window;
/** How long a hidden tab waits for another tab of this browser to say it is on screen. */
const VISIBLE_ELSEWHERE_WAIT_MS = 150;

/**
 * Tabs of this site ask each other "is one of you on screen?" before a hidden tab shows a desktop
 * notification: the member is reading the forum there, and its bell already told them.
 */
const visibility = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('lexforum-visibility');
visibility?.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (event.data === 'anyone-visible?' && document.visibilityState === 'visible') visibility.postMessage('visible');
});

function visibleElsewhere(): Promise<boolean> {
  const channel = visibility;
  if (!channel) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onanswer = (event: MessageEvent<unknown>) => {
      if (event.data !== 'visible') return;
      done(true);
    };
    const done = (answer: boolean) => {
      clearTimeout(timer);
      channel.removeEventListener('message', onanswer);
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), VISIBLE_ELSEWHERE_WAIT_MS);
    channel.addEventListener('message', onanswer);
    channel.postMessage('anyone-visible?');
  });
}

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
   * Shows `notification` on the desktop if the tab is hidden, no other tab of this browser is on
   * screen, and the browser allows it. The tag makes every tab of the member show it once: the
   * browser replaces a notification with the same tag instead of adding another.
   */
  async show(notification: ForumNotification, onclick: () => void): Promise<void> {
    this.sync();
    if (this.permission !== 'granted' || document.visibilityState !== 'hidden') return;
    if (await visibleElsewhere()) return;
    try {
      const shown = new window.Notification(notificationText(notification, referenceNames), {
        body: notification.body ?? notificationDetail(notification) ?? '',
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
