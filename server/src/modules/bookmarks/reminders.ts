/**
 * Bookmark reminders that fall due become notifications (`bookmark_reminder`): each in its own
 * short transaction with the mark that it was sent, so a reminder is sent once, even across a
 * restart. Whether the post can still be read is the notification's business at read time (a
 * reminder about a post hidden since is withheld like any notification about it).
 */
import type { Db } from '@lexforum/db';
import { deliverNotifications } from '../notifications/notifier.js';
import { transact, type Publisher } from '../realtime/outbox.js';
import { dueReminders, markReminded } from './bookmarks.repository.js';

/** Reminders sent per run; the next run (a minute later, or at once when this one was full) takes the rest. */
const BATCH = 200;

/** Sends the reminders due at `now`; returns how many were sent. */
export function sendDueReminders(db: Db, publisher: Publisher, now: Date): number {
  let sent = 0;
  for (const due of dueReminders(db, now, BATCH)) {
    transact(db, publisher, (tx, outbox) => {
      if (!markReminded(tx, due.userId, due.postId, due.remindAt!, now)) return;
      deliverNotifications(
        tx,
        outbox,
        [
          {
            userId: due.userId,
            candidates: [{ kind: 'bookmark_reminder' }],
            subject: due.threadTitle,
            body: due.note,
            link: `/threads/${due.threadId}#post-${due.number}`,
            actorId: null,
            threadId: due.threadId,
            postId: due.postId,
          },
        ],
        now,
      );
      sent += 1;
    });
  }
  return sent;
}
