/**
 * Bookmark reminders that fall due become notifications (`bookmark_reminder`), a batch per
 * transaction with the mark that each was sent, so a reminder is sent once, even across a restart.
 * Whether the member may still read the post is decided when the reminder falls due, with their
 * Guardian (as their own request would): a post, or a thread, hidden or removed since sends
 * nothing (its title would say what the member may no longer read); the reminder is used up, and
 * the bookmarks list shows the post as no longer available.
 */
import type { Db } from '@lexforum/db';
import { guardianFor } from '../guardian/guardian-for.js';
import { deliverNotifications } from '../notifications/notifier.js';
import { transact, type Publisher } from '../realtime/outbox.js';
import { usersByIds } from '../threads/threads.repository.js';
import { dueReminders, markReminded } from './bookmarks.repository.js';

/** Reminders taken per batch (one transaction); the caller runs again, after a turn of the event loop, when it was full. */
export const REMINDER_BATCH = 200;

/** Sends one batch of the reminders due at `now`; returns how many were due in it (sent or used up). */
export function sendDueReminders(db: Db, publisher: Publisher, now: Date): number {
  return transact(db, publisher, (tx, outbox) => {
    const due = dueReminders(tx, now, REMINDER_BATCH);
    const members = new Map(
      usersByIds(
        tx,
        due.map((d) => d.userId),
      ).map((u) => [u.id, u]),
    );
    const guardians = new Map([...members].map(([id, user]) => [id, guardianFor(db, user)]));
    for (const d of due) {
      if (!markReminded(tx, d.userId, d.postId, d.remindAt!, now)) continue;
      const guardian = guardians.get(d.userId);
      const thread = {
        jurisdictions: JSON.parse(d.jurisdictions) as string[],
        locked: d.lockedAt !== null,
        authorId: d.threadAuthorId,
        state: d.threadState,
      };
      if (
        !guardian ||
        !guardian.canSeeThread(thread) ||
        !guardian.canSeePostContent({ authorId: d.authorId, state: d.postState }, thread)
      ) {
        continue;
      }
      deliverNotifications(
        tx,
        outbox,
        [
          {
            userId: d.userId,
            candidates: [{ kind: 'bookmark_reminder' }],
            subject: d.threadTitle,
            body: d.note,
            link: `/threads/${d.threadId}#post-${d.number}`,
            actorId: null,
            threadId: d.threadId,
            postId: d.postId,
          },
        ],
        now,
      );
    }
    return due.length;
  });
}
