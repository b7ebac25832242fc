/**
 * Member events stored before notifications were data (migration 0009) carry the notification's
 * English `title` and no `subject` or `params`. A reconnecting client is replayed them in today's
 * shape: the sentence becomes `legacyTitle`, which the client shows only when it has nothing else.
 */
import type { StoredUserEvent } from '../realtime/user-events.repository.js';

export function upgradeStoredEvent(stored: StoredUserEvent): StoredUserEvent {
  const { event } = stored;
  if (event.type !== 'notification.created' && event.type !== 'notification.updated') return stored;
  const old = event.notification as typeof event.notification & { title?: unknown };
  if (!('title' in old) && 'params' in old) return stored;
  const { title, ...rest } = old;
  return {
    ...stored,
    event: {
      ...event,
      notification: {
        ...rest,
        subject: rest.subject ?? null,
        params: rest.params ?? {},
        legacyTitle: rest.legacyTitle ?? (typeof title === 'string' ? title : null),
      },
    },
  };
}
