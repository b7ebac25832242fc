/**
 * The unread count is kept on the user row by triggers (migration 0013) instead of being recounted
 * on every notification. Each step below changes one input of the visibility rule straight in the
 * database, the way no route does on its own (a route that hides a post also marks its
 * notifications read), so it is the trigger alone that must move the count; after each step the
 * kept count equals the rule's own recount. The harness makes the same check after every API test.
 */
import { unreadCountDrift } from '@lexforum/server/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { configure, quickMember, reply, thread } from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

describe('Kept unread counts', () => {
  let t: TestApp;
  let author: Actor;
  let replier: Actor;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0 });
    author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    replier = await quickMember(t, 'DE', { displayName: 'Rita Replier' });
  });
  afterAll(async () => {
    await t.close();
  });

  const kept = (userId: string) =>
    t.handle.sqlite.prepare('select unread_notifications from users where id = ?').pluck().get(userId) as number;
  const run = (sql: string, ...params: unknown[]) => t.handle.sqlite.prepare(sql).run(...params);
  const notificationAbout = (postId: string) =>
    t.handle.sqlite.prepare('select id from notifications where post_id = ?').pluck().get(postId) as number;

  it('has its triggers (a migration that rebuilds a table drops the triggers on it)', () => {
    const triggers = t.handle.sqlite
      .prepare("select name from sqlite_master where type = 'trigger' and name like 'unread_%' order by name")
      .pluck()
      .all();
    expect(triggers).toEqual([
      'unread_message_state_changed',
      'unread_notification_added',
      'unread_notification_changed',
      'unread_notification_removed',
      'unread_participant_changed',
      'unread_post_moderated',
      'unread_reader_changed',
      'unread_thread_moderated',
    ]);
  });

  it('follows the direct-message inputs: the message hidden or deleted, its reader leaving (migration 0019)', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/conversations',
      cookie: replier.cookie,
      body: { recipientIds: [author.user.id], markdown: 'A private word.' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { conversation, message } = res.json() as { conversation: { id: string }; message: { id: string } };
    const before = kept(author.user.id);
    const dm = (expected: number) => {
      expect(unreadCountDrift(t.handle.db)).toEqual([]);
      expect(kept(author.user.id)).toBe(before + expected);
    };
    // Before: the notification counted; each input moved back and forth.
    run("update direct_messages set state = 'hidden' where id = ?", message.id);
    dm(-1);
    run("update direct_messages set state = 'visible' where id = ?", message.id);
    dm(0);
    run("update direct_messages set state = 'deleted' where id = ?", message.id);
    dm(-1);
    run("update direct_messages set state = 'visible' where id = ?", message.id);
    dm(0);
    run(
      'update conversation_participants set left_at = ? where conversation_id = ? and user_id = ?',
      Date.now(),
      conversation.id,
      author.user.id,
    );
    dm(-1);
    run(
      'update conversation_participants set left_at = null where conversation_id = ? and user_id = ?',
      conversation.id,
      author.user.id,
    );
    dm(0);
    // The notification moved to a later message, and read.
    run('update notifications set read_at = ? where message_id = ?', Date.now(), message.id);
    dm(-1);
  });

  it('follows every input of the visibility rule, and the check sees a count that is off', async () => {
    const opened = await thread(t, author, { title: 'Freezing orders across borders', jurisdictions: ['FR'] });
    const threadId = opened.thread.id;
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await reply(t, replier, threadId, `Reply number ${i + 1}.`));
    const step = (expected: number) => {
      expect(unreadCountDrift(t.handle.db)).toEqual([]);
      expect(kept(author.user.id)).toBe(expected);
    };
    step(3);

    // A post hidden, then restored.
    run("update posts set state = 'hidden' where id = ?", replies[0]!.id);
    step(2);
    run("update posts set state = 'visible' where id = ?", replies[0]!.id);
    step(3);

    // The whole thread hidden: the replies are others', so none of them counts for its author.
    run("update threads set state = 'hidden' where id = ?", threadId);
    step(0);
    run("update threads set state = 'visible' where id = ?", threadId);
    step(3);

    // A notification about the thread itself (no post), for someone who is not its author.
    run(
      `insert into notifications (user_id, kind, subject, params, thread_id, created_at)
       values (?, 'thread_in_followed_jurisdiction', 'Freezing orders', '{}', ?, ?)`,
      replier.user.id,
      threadId,
      Date.now(),
    );
    expect(kept(replier.user.id)).toBe(1);
    run("update threads set state = 'hidden' where id = ?", threadId);
    step(0);
    expect(kept(replier.user.id)).toBe(0);
    // The thread given to that reader: the notification about it is theirs to see even while it is hidden.
    run('update threads set author_id = ? where id = ?', replier.user.id, threadId);
    expect(kept(replier.user.id)).toBe(1);
    run("update threads set state = 'visible', author_id = ? where id = ?", author.user.id, threadId);
    step(3);
    expect(kept(replier.user.id)).toBe(1);

    // A post hidden inside a hidden thread, the thread restored with the post still hidden, then the post.
    run("update threads set state = 'hidden' where id = ?", threadId);
    run("update posts set state = 'hidden' where id = ?", replies[0]!.id);
    step(0);
    run("update threads set state = 'visible' where id = ?", threadId);
    step(2);
    run("update posts set state = 'visible' where id = ?", replies[0]!.id);
    step(3);
    run('delete from notifications where user_id = ? and post_id is null and thread_id = ?', replier.user.id, threadId);
    expect(kept(replier.user.id)).toBe(0);

    // A reply moved into a hidden thread, and back.
    const other = await thread(t, replier, { title: 'Another thread', jurisdictions: ['DE'] });
    run("update threads set state = 'hidden' where id = ?", other.thread.id);
    run('update posts set thread_id = ? where id = ?', other.thread.id, replies[1]!.id);
    step(2);
    run('update posts set thread_id = ? where id = ?', threadId, replies[1]!.id);
    step(3);

    // The reply's author becomes the reader (a redaction reassigns authors): their own post counts.
    run('update posts set author_id = ? where id = ?', author.user.id, replies[1]!.id);
    run("update threads set state = 'hidden' where id = ?", threadId);
    step(1);
    run("update threads set state = 'visible' where id = ?", threadId);
    run('update posts set author_id = ? where id = ?', replier.user.id, replies[1]!.id);
    step(3);

    // Staff without a second factor see only the notice of their role.
    run("update users set role = 'moderator', second_factor = 0 where id = ?", author.user.id);
    step(0);
    run("update users set role = 'member' where id = ?", author.user.id);
    step(3);

    // Read, unread again, moved to another reader.
    run('update notifications set read_at = ? where id = ?', Date.now(), notificationAbout(replies[2]!.id));
    step(2);
    run('update notifications set read_at = null where id = ?', notificationAbout(replies[2]!.id));
    step(3);
    run('update notifications set user_id = ? where id = ?', replier.user.id, notificationAbout(replies[2]!.id));
    step(2);
    expect(kept(replier.user.id)).toBe(1);

    // Removed: a post deleted (its notifications go with it), then the whole thread.
    run('delete from posts where id = ?', replies[0]!.id);
    step(1);
    run('delete from threads where id = ?', threadId);
    step(0);
    expect(kept(replier.user.id)).toBe(0);

    // The check itself: a count that is off is reported, then put right for the harness's own check.
    run('update users set unread_notifications = 7 where id = ?', author.user.id);
    expect(unreadCountDrift(t.handle.db)).toEqual([{ id: author.user.id, kept: 7, recounted: 0 }]);
    run('update users set unread_notifications = 0 where id = ?', author.user.id);
  });
});
