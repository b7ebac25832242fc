ALTER TABLE `users` ADD `unread_notifications` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `notifications_unread_post_idx` ON `notifications` (`post_id`) WHERE read_at is null;--> statement-breakpoint
CREATE INDEX `notifications_unread_thread_only_idx` ON `notifications` (`thread_id`) WHERE read_at is null and post_id is null;--> statement-breakpoint
-- Written by hand (drizzle has no trigger DSL). users.unread_notifications is the count the bell
-- shows: a member's unread notifications that the visibility rule of
-- server/src/modules/notifications/notification-visibility.ts lets them see now. Recounting it on
-- every reply cost a third of the reply's CPU and grew with the reader's backlog; these triggers
-- keep it in the statement that changes any of its inputs, whatever code makes the write:
-- a notification added, read, moved or removed, a post or thread hidden, restored, moved or given
-- another author, a reader whose role or second factor changed. A notification added or read moves
-- it by one; a post or thread changed moves it by the difference for its own notifications; a
-- removal or a reader's new role recounts that reader. The
-- test harness checks it against the rule after every API test. Unread notifications about a
-- post, and about a thread alone, are found by partial indexes (a reply's notifications name their
-- post, so the second index costs the fan-out nothing). The rule is copied into these triggers:
-- a change to it is a new migration replacing them (tests/db/unread-counts.test.ts checks they exist).
CREATE TRIGGER `unread_notification_added` AFTER INSERT ON `notifications`
WHEN new.`read_at` IS NULL
BEGIN
	UPDATE `users` SET `unread_notifications` = `unread_notifications` + 1 WHERE `id` = new.`user_id`
		AND ((new.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = new.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = new.user_id)))
		  and (new.thread_id is null or new.post_id is not null or exists (select 1 from threads t
		      where t.id = new.thread_id and (t.state = 'visible' or t.author_id = new.user_id)))
		  and (new.kind = 'role_changed' or not exists (select 1 from users r where r.id = new.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)));
END;--> statement-breakpoint
CREATE TRIGGER `unread_notification_changed` AFTER UPDATE OF `read_at`, `user_id`, `post_id`, `thread_id`, `kind` ON `notifications`
WHEN old.`read_at` IS NOT new.`read_at` OR old.`user_id` IS NOT new.`user_id` OR old.`post_id` IS NOT new.`post_id`
	OR old.`thread_id` IS NOT new.`thread_id` OR old.`kind` IS NOT new.`kind`
BEGIN
	UPDATE `users` SET `unread_notifications` = `unread_notifications` - 1 WHERE `id` = old.`user_id` AND old.`read_at` IS NULL
		AND ((old.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = old.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = old.user_id)))
		  and (old.thread_id is null or old.post_id is not null or exists (select 1 from threads t
		      where t.id = old.thread_id and (t.state = 'visible' or t.author_id = old.user_id)))
		  and (old.kind = 'role_changed' or not exists (select 1 from users r where r.id = old.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)));
	UPDATE `users` SET `unread_notifications` = `unread_notifications` + 1 WHERE `id` = new.`user_id` AND new.`read_at` IS NULL
		AND ((new.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = new.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = new.user_id)))
		  and (new.thread_id is null or new.post_id is not null or exists (select 1 from threads t
		      where t.id = new.thread_id and (t.state = 'visible' or t.author_id = new.user_id)))
		  and (new.kind = 'role_changed' or not exists (select 1 from users r where r.id = new.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)));
END;--> statement-breakpoint
-- A removal may come from a cascade whose parent (the post, the thread) is already gone, so the
-- row's visibility cannot be judged any more: its reader is recounted.
CREATE TRIGGER `unread_notification_removed` AFTER DELETE ON `notifications`
WHEN old.`read_at` IS NULL
BEGIN
	UPDATE `users` SET `unread_notifications` = (SELECT count(*) FROM `notifications` n WHERE n.user_id = `users`.`id` AND n.read_at IS NULL
		AND (n.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = n.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = n.user_id)))
		  and (n.thread_id is null or n.post_id is not null or exists (select 1 from threads t
		      where t.id = n.thread_id and (t.state = 'visible' or t.author_id = n.user_id)))
		  and (n.kind = 'role_changed' or not exists (select 1 from users r where r.id = n.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)))
	WHERE `id` = old.`user_id`;
END;--> statement-breakpoint
-- A post or thread changed: each reader with unread notifications about it moves by the difference
-- the change makes to those notifications alone (visible after, less visible before, by the rule's
-- clause for them), so the cost is that post's or thread's notifications, not the readers' backlogs.
CREATE TRIGGER `unread_post_moderated` AFTER UPDATE OF `state`, `thread_id`, `author_id` ON `posts`
WHEN old.`state` IS NOT new.`state` OR old.`thread_id` IS NOT new.`thread_id` OR old.`author_id` IS NOT new.`author_id`
BEGIN
	UPDATE `users` SET `unread_notifications` = `unread_notifications` + d.`delta`
	FROM (SELECT n.user_id AS `user_id`, sum(
			CASE WHEN (new.`state` = 'visible' AND (SELECT t.state FROM threads t WHERE t.id = new.`thread_id`) = 'visible')
				OR new.`author_id` = n.user_id THEN 1 ELSE 0 END
			- CASE WHEN (old.`state` = 'visible' AND (SELECT t.state FROM threads t WHERE t.id = old.`thread_id`) = 'visible')
				OR old.`author_id` = n.user_id THEN 1 ELSE 0 END) AS `delta`
		FROM `notifications` n WHERE n.post_id = new.`id` AND n.read_at IS NULL
			AND (n.kind = 'role_changed' or not exists (select 1 from users r where r.id = n.user_id
				and r.role in ('moderator', 'admin') and r.second_factor = 0))
		GROUP BY n.user_id) AS d
	WHERE `users`.`id` = d.`user_id` AND d.`delta` != 0;
END;--> statement-breakpoint
CREATE TRIGGER `unread_thread_moderated` AFTER UPDATE OF `state`, `author_id` ON `threads`
WHEN old.`state` IS NOT new.`state` OR old.`author_id` IS NOT new.`author_id`
BEGIN
	UPDATE `users` SET `unread_notifications` = `unread_notifications` + d.`delta`
	FROM (SELECT `user_id`, sum(`change`) AS `delta` FROM (
			SELECT n.user_id AS `user_id`,
				CASE WHEN (p.state = 'visible' AND new.`state` = 'visible') OR p.author_id = n.user_id THEN 1 ELSE 0 END
				- CASE WHEN (p.state = 'visible' AND old.`state` = 'visible') OR p.author_id = n.user_id THEN 1 ELSE 0 END
				AS `change`
			FROM `posts` p JOIN `notifications` n ON n.post_id = p.id
			WHERE p.thread_id = new.`id` AND n.read_at IS NULL AND (n.kind = 'role_changed' or not exists (select 1 from users r where r.id = n.user_id
				and r.role in ('moderator', 'admin') and r.second_factor = 0))
			UNION ALL
			SELECT n.user_id,
				CASE WHEN new.`state` = 'visible' OR new.`author_id` = n.user_id THEN 1 ELSE 0 END
				- CASE WHEN old.`state` = 'visible' OR old.`author_id` = n.user_id THEN 1 ELSE 0 END
			FROM `notifications` n
			WHERE n.post_id IS NULL AND n.thread_id = new.`id` AND n.read_at IS NULL AND (n.kind = 'role_changed' or not exists (select 1 from users r where r.id = n.user_id
				and r.role in ('moderator', 'admin') and r.second_factor = 0)))
		GROUP BY `user_id`) AS d
	WHERE `users`.`id` = d.`user_id` AND d.`delta` != 0;
END;--> statement-breakpoint
CREATE TRIGGER `unread_reader_changed` AFTER UPDATE OF `role`, `second_factor` ON `users`
WHEN old.`role` IS NOT new.`role` OR old.`second_factor` IS NOT new.`second_factor`
BEGIN
	UPDATE `users` SET `unread_notifications` = (SELECT count(*) FROM `notifications` n WHERE n.user_id = `users`.`id` AND n.read_at IS NULL
		AND (n.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = n.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = n.user_id)))
		  and (n.thread_id is null or n.post_id is not null or exists (select 1 from threads t
		      where t.id = n.thread_id and (t.state = 'visible' or t.author_id = n.user_id)))
		  and (n.kind = 'role_changed' or not exists (select 1 from users r where r.id = n.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)))
	WHERE `id` = new.`id`;
END;--> statement-breakpoint
UPDATE `users` SET `unread_notifications` = (SELECT count(*) FROM `notifications` n WHERE n.user_id = `users`.`id` AND n.read_at IS NULL
		AND (n.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = n.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = n.user_id)))
		  and (n.thread_id is null or n.post_id is not null or exists (select 1 from threads t
		      where t.id = n.thread_id and (t.state = 'visible' or t.author_id = n.user_id)))
		  and (n.kind = 'role_changed' or not exists (select 1 from users r where r.id = n.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)));
