/**
 * What a notification or digest email may say, read when it is delivered (and once when it is
 * queued, to queue nothing empty): only what the reader may see at that moment. Notifications pass
 * THE notification rule (notification-visibility.ts) and must still be unread; forum content is
 * visible threads only, for accounts that may read the forum (Guardian.canUseForum).
 */
import { sqliteOf, type Db, type DbOrTx, type UserRow } from '@lexforum/db';
import type { EmailChoice, NotificationKind } from '@lexforum/shared';
import { prepared } from '../../lib/prepared.js';
import { guardianFor } from '../guardian/guardian-for.js';
import { VISIBLE_NOTIFICATION_SQL } from '../notifications/notification-visibility.js';
import { emailChoicesOf } from './email-choices.js';

export interface NotificationMailItem {
  id: number;
  kind: NotificationKind;
  threadId: string | null;
  /**
   * What the notification is about as the app shows it: its stored subject (written when it was
   * made, kept clean by redaction), never the thread's current title, which may have been changed
   * after the thread was taken out of this reader's view. The current title only for a notification
   * stored without a subject, and only while the thread is visible.
   */
  title: string | null;
  body: string | null;
  link: string | null;
  actor: string | null;
  createdAt: number;
}

const ITEM_COLUMNS = `n.id, n.kind, n.thread_id as threadId, coalesce(n.subject, case when t.state = 'visible' then t.title end) as title, n.body, n.link,
  a.display_name as actor, n.created_at as createdAt`;
const ITEM_JOINS = `left join threads t on t.id = n.thread_id left join users a on a.id = n.actor_id`;

/**
 * Of these notifications of `userId`, those still unread, visible to them now, and of a kind whose
 * email choice is still `mode`, oldest first.
 */
export function mailableNotifications(
  db: DbOrTx,
  userId: string,
  ids: readonly number[],
  mode: Exclude<EmailChoice, 'off'>,
): NotificationMailItem[] {
  if (ids.length === 0) return [];
  const sqlite = sqliteOf(db);
  const rows = prepared(sqlite, 'mail.notificationItems', () =>
    sqlite.prepare<[{ user: string; ids: string }], NotificationMailItem>(
      `select ${ITEM_COLUMNS} from notifications n ${ITEM_JOINS}
       where n.user_id = @user and n.id in (select value from json_each(@ids)) and n.read_at is null
         and ${VISIBLE_NOTIFICATION_SQL}
       order by n.id`,
    ),
  ).all({ user: userId, ids: JSON.stringify(ids) });
  const choiceOf = emailChoicesOf(db, [userId]);
  return rows.filter((r) => choiceOf(userId, r.kind) === mode);
}

export interface DigestThread {
  id: string;
  title: string;
  kind: string;
  author: string;
  /** New visible posts since the last digest (most-active list only). */
  newPosts?: number;
}

export interface DigestContent {
  notifications: NotificationMailItem[];
  /** Pending notifications left out of this digest, over its cap: said as "and N more". */
  moreNotifications?: number;
  followed: DigestThread[];
  active: DigestThread[];
  awaiting: DigestThread[];
}

export const isEmptyDigest = (c: DigestContent) =>
  c.notifications.length + c.followed.length + c.active.length + c.awaiting.length === 0;

/**
 * The most active threads since the last digest: read through `posts_created_idx`, so it costs the
 * posts of the period, not every post of the forum (tests/api/email-digest.test.ts checks the plan).
 */
export const DIGEST_ACTIVE_SQL = `select t.id, t.title, t.kind, u.display_name as author, count(*) as newPosts
  from posts p join threads t on t.id = p.thread_id join users u on u.id = t.author_id
  where p.created_at > @since and p.state = 'visible' and t.state = 'visible' and p.author_id != @user
  group by t.id order by newPosts desc, max(p.created_at) desc limit 5`;

/**
 * The digest of `user` for what happened after `since`. `notificationIds`: the digest-mode
 * notifications it carries (taken when it was queued).
 */
export function digestContent(db: Db, user: UserRow, since: Date, notificationIds: readonly number[]): DigestContent {
  const empty: DigestContent = { notifications: [], followed: [], active: [], awaiting: [] };
  if (user.status !== 'active') return empty;
  const notifications = mailableNotifications(db, user.id, notificationIds, 'digest');
  if (!guardianFor(db, user).canUseForum()) return { ...empty, notifications };
  const sqlite = sqliteOf(db);
  const params = { user: user.id, since: since.getTime() };
  const followed = prepared(sqlite, 'mail.digestFollowed', () =>
    sqlite.prepare<[typeof params], DigestThread>(
      `select t.id, t.title, t.kind, u.display_name as author from threads t join users u on u.id = t.author_id
       where t.state = 'visible' and t.kind in ('question', 'legal_analysis') and t.created_at > @since
         and t.author_id != @user
         and t.id in (select tj.thread_id from thread_jurisdictions tj join follows f
             on f.target = 'jurisdiction' and f.key = tj.code and f.user_id = @user
           union select tt.thread_id from thread_topics tt join follows f
             on f.target = 'topic' and f.key = tt.slug and f.user_id = @user
           union select ti.thread_id from thread_instruments ti join follows f
             on f.target = 'instrument' and f.key = ti.instrument and f.user_id = @user)
       order by t.created_at desc limit 20`,
    ),
  ).all(params);
  const active = prepared(sqlite, 'mail.digestActive', () =>
    sqlite.prepare<[typeof params], DigestThread>(DIGEST_ACTIVE_SQL),
  ).all(params);
  // The member's jurisdictions, as the question_for_jurisdiction notification reaches them: their
  // own and the others they practise in (threads/thread-notifications.ts, membersOf).
  const codes = [...new Set([user.jurisdictionCode, ...(user.otherJurisdictions ?? [])])].filter(
    (c): c is string => !!c,
  );
  const awaiting =
    codes.length > 0
      ? prepared(sqlite, 'mail.digestAwaiting', () =>
          sqlite.prepare<[{ user: string; codes: string }], DigestThread>(
            `select t.id, t.title, t.kind, u.display_name as author from threads t join users u on u.id = t.author_id
             where t.state = 'visible' and t.kind = 'question' and t.comparative = 1 and t.resolved_at is null
               and t.author_id != @user
               and exists (select 1 from thread_jurisdictions tj
                 where tj.thread_id = t.id and tj.code in (select value from json_each(@codes))
                   and not exists (select 1 from accepted_answers aa join posts ap on ap.id = aa.post_id
                     and ap.thread_id = aa.thread_id and ap.state = 'visible' and ap.answer_for = aa.scope
                     where aa.thread_id = t.id and aa.scope = tj.code))
             order by t.created_at desc limit 10`,
          ),
        ).all({ user: user.id, codes: JSON.stringify(codes) })
      : [];
  // A thread a notification in this digest is already about is not listed again.
  const told = new Set(notifications.map((n) => n.threadId));
  return { notifications, followed: followed.filter((f) => !told.has(f.id)), active, awaiting };
}
