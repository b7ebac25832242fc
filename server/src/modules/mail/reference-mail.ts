/**
 * Renders, at delivery, the outbox rows stored as references (notification_batch, digest): the
 * recipient's current address, language and rights, and only what they may see now. When nothing
 * is left (everything read in the app, hidden by moderation, the account suspended) the row is
 * dropped with the reason instead of sent. Each message carries the one-click unsubscribe of its
 * kind (List-Unsubscribe + List-Unsubscribe-Post, RFC 8058).
 */
import { users, type Db, type MailOutboxRow } from '@lexforum/db';
import type { DigestFrequency, UnsubscribeKind } from '@lexforum/shared';
import { eq } from 'drizzle-orm';
import type { MailLinks } from './links.js';
import type { OutgoingMessage } from './mail-sender.js';
import { readDigestSettings } from './digest-settings.js';
import { digestContent, isEmptyDigest, mailableNotifications } from './mail-content.js';
import { renderDigestMail, renderNotificationMail } from './render-notify.js';
import { unsubscribeToken } from './unsubscribe.js';

interface NotificationPayload {
  notificationIds: number[];
}

interface DigestPayload {
  frequency: Exclude<DigestFrequency, 'off'>;
  /** What happened after this time (ms). */
  since: number;
  period: string;
  notificationIds: number[];
  moreNotifications?: number;
}

/** RFC 8058 one-click needs an HTTPS address: on a plain-http origin (development) the POST header is left out. */
function listHeaders(endpoint: string): Record<string, string> {
  return endpoint.startsWith('https://')
    ? { 'List-Unsubscribe': `<${endpoint}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
    : { 'List-Unsubscribe': `<${endpoint}>` };
}

export function prepareReferenceMail(
  db: Db,
  row: MailOutboxRow,
  now: Date,
  links: MailLinks,
): OutgoingMessage | { dropped: string } | null {
  if (row.payload === null) return null;
  if (row.userId === null) return { dropped: 'no recipient' };
  const user = db.select().from(users).where(eq(users.id, row.userId)).get();
  if (!user) return { dropped: 'account deleted' };
  if (user.status !== 'active') return { dropped: 'account not active' };
  const token = (kind: UnsubscribeKind) => unsubscribeToken(db, user.id, kind, now);

  if (row.template === 'notification_batch') {
    const payload = row.payload as unknown as NotificationPayload;
    const items = mailableNotifications(db, user.id, payload.notificationIds, 'immediate');
    if (items.length === 0) return { dropped: 'nothing left to say: read in the app, hidden, or turned off' };
    // The header can name one address: it turns off the kind of the first notification; the
    // body has a link for each kind the message carries.
    const kinds = [...new Set(items.map((i) => i.kind))];
    const rendered = renderNotificationMail(
      user.locale,
      user.displayName,
      items,
      kinds.map((kind) => ({ kind, href: links.unsubscribePage(token(kind)) })),
      links,
    );
    return { to: user.email, ...rendered, headers: listHeaders(links.unsubscribeEndpoint(token(kinds[0]!))) };
  }
  if (row.template === 'digest') {
    const payload = row.payload as unknown as DigestPayload;
    // Unsubscribed or turned off since it was queued (an SMTP outage can hold it for hours).
    if (readDigestSettings(db, user.id).frequency === 'off') return { dropped: 'digest turned off' };
    const content = {
      ...digestContent(db, user, new Date(payload.since), payload.notificationIds),
      moreNotifications: payload.moreNotifications ?? 0,
    };
    if (isEmptyDigest(content)) return { dropped: 'empty digest' };
    const unsubscribe = token('digest');
    const rendered = renderDigestMail(
      user.locale,
      user.displayName,
      payload.frequency,
      content,
      links.unsubscribePage(unsubscribe),
      links,
    );
    return { to: user.email, ...rendered, headers: listHeaders(links.unsubscribeEndpoint(unsubscribe)) };
  }
  return { dropped: `unknown template ${row.template}` };
}
