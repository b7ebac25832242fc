/**
 * The reference lists' names for the codes notifications carry (a followed jurisdiction or topic,
 * an applicant's jurisdiction), for notification-text. Until a list is loaded the code stands in.
 */
import type { Notification } from '@lexforum/shared';
import type { NotificationNames } from './notification-text.js';
import { reference } from './reference.svelte.js';

export const referenceNames: NotificationNames = {
  jurisdiction: (code) => reference.jurisdictionName(code),
  topic: (slug) => reference.topic(slug)?.name ?? slug,
};

/** Starts loading the lists this notification names from (each list is fetched once per visit). */
export function loadNamesFor(n: Notification): void {
  // A failed load leaves the code in place of the name; the next caller retries.
  if (n.params.jurisdiction) reference.load().catch(() => undefined);
  if (n.params.topic) reference.loadTags().catch(() => undefined);
}
