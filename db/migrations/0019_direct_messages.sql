CREATE TABLE `conversation_participants` (
	`conversation_id` text NOT NULL,
	`user_id` text NOT NULL,
	`joined_at` integer NOT NULL,
	`left_at` integer,
	`last_read_seq` integer DEFAULT 0 NOT NULL,
	`muted` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`conversation_id`, `user_id`),
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `conversation_participants_user_idx` ON `conversation_participants` (`user_id`,`left_at`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`is_group` integer DEFAULT false NOT NULL,
	`created_by_id` text,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`last_message_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `direct_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`seq` integer NOT NULL,
	`author_id` text NOT NULL,
	`markdown` text NOT NULL,
	`html` text NOT NULL,
	`excerpt` text NOT NULL,
	`state` text DEFAULT 'visible' NOT NULL,
	`created_at` integer NOT NULL,
	`edited_at` integer,
	`deleted_at` integer,
	`hidden_by_id` text,
	`hidden_at` integer,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hidden_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "direct_messages_state_check" CHECK(state in ('visible', 'deleted', 'hidden'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `direct_messages_conversation_idx` ON `direct_messages` (`conversation_id`,`seq`);--> statement-breakpoint
CREATE INDEX `direct_messages_author_idx` ON `direct_messages` (`author_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `member_blocks` (
	`blocker_id` text NOT NULL,
	`blocked_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`blocker_id`, `blocked_id`),
	FOREIGN KEY (`blocker_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`blocked_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `member_blocks_blocked_idx` ON `member_blocks` (`blocked_id`);--> statement-breakpoint
CREATE TABLE `message_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`message_id` text NOT NULL,
	`reporter_id` text NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`item_id`) REFERENCES `review_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `direct_messages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reporter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "message_reports_reason_check" CHECK(reason in ('confidential_data', 'off_topic', 'inaccurate_law', 'disrespectful', 'spam', 'other')),
	CONSTRAINT "message_reports_status_check" CHECK(status in ('open', 'upheld', 'dismissed'))
);
--> statement-breakpoint
CREATE INDEX `message_reports_item_idx` ON `message_reports` (`item_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `message_reports_open_unique` ON `message_reports` (`message_id`,`reporter_id`) WHERE status = 'open';--> statement-breakpoint
-- Edited by hand: drizzle-kit rebuilds review_items (to widen its kind CHECK) with foreign keys
-- off, but the migrator runs in a transaction, where they cannot be turned off, so dropping the old
-- table would fail on the reports that refer to it. The reports are set aside while the table is
-- rebuilt (their references name the table, so they refer to the new one) and put back.
CREATE TABLE `__new_review_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`post_id` text,
	`message_id` text,
	`thread_id` text,
	`author_id` text NOT NULL,
	`submission` text,
	`cooked` text,
	`jurisdictions` text NOT NULL,
	`claimed_by_id` text,
	`claimed_at` integer,
	`resolution` text,
	`resolution_reason` text,
	`resolved_by_id` text,
	`resolved_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `direct_messages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claimed_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`resolved_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "review_items_kind_check" CHECK(kind in ('post', 'submission', 'message')),
	CONSTRAINT "review_items_status_check" CHECK(status in ('open', 'closed'))
);
--> statement-breakpoint
CREATE TABLE `__reports_copy` AS SELECT * FROM `reports`;--> statement-breakpoint
DELETE FROM `reports`;--> statement-breakpoint
INSERT INTO `__new_review_items`("id", "kind", "status", "post_id", "message_id", "thread_id", "author_id", "submission", "cooked", "jurisdictions", "claimed_by_id", "claimed_at", "resolution", "resolution_reason", "resolved_by_id", "resolved_at", "created_at") SELECT "id", "kind", "status", "post_id", NULL, "thread_id", "author_id", "submission", "cooked", "jurisdictions", "claimed_by_id", "claimed_at", "resolution", "resolution_reason", "resolved_by_id", "resolved_at", "created_at" FROM `review_items`;--> statement-breakpoint
DROP TABLE `review_items`;--> statement-breakpoint
ALTER TABLE `__new_review_items` RENAME TO `review_items`;--> statement-breakpoint
INSERT INTO `reports` SELECT * FROM `__reports_copy`;--> statement-breakpoint
DROP TABLE `__reports_copy`;--> statement-breakpoint
CREATE INDEX `review_items_status_idx` ON `review_items` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `review_items_author_idx` ON `review_items` (`author_id`,`id`);--> statement-breakpoint
CREATE INDEX `review_items_open_thread_idx` ON `review_items` (`thread_id`,`id`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `review_items_status_kind_idx` ON `review_items` (`status`,`kind`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `review_items_open_post_unique` ON `review_items` (`post_id`) WHERE status = 'open' and kind = 'post';--> statement-breakpoint
CREATE UNIQUE INDEX `review_items_open_message_unique` ON `review_items` (`message_id`) WHERE status = 'open' and kind = 'message';--> statement-breakpoint
ALTER TABLE `notifications` ADD `message_id` text REFERENCES direct_messages(id) ON DELETE cascade;--> statement-breakpoint
CREATE INDEX `notifications_unread_message_idx` ON `notifications` (`message_id`) WHERE read_at is null and message_id is not null;--> statement-breakpoint
ALTER TABLE `users` ADD `messaging_allow_from` text DEFAULT 'verified' NOT NULL;--> statement-breakpoint
-- Written by hand: the notification visibility rule gains a clause for direct messages (a
-- direct_message notification shows while its message is visible and its reader still takes part
-- in the conversation), so the triggers of 0013 that copy the rule are replaced, and two more keep
-- the count when a message is deleted or hidden and when a participant leaves (each recounts the
-- few readers concerned).
DROP TRIGGER `unread_notification_added`;--> statement-breakpoint
DROP TRIGGER `unread_notification_changed`;--> statement-breakpoint
DROP TRIGGER `unread_notification_removed`;--> statement-breakpoint
DROP TRIGGER `unread_reader_changed`;--> statement-breakpoint
CREATE TRIGGER `unread_notification_added` AFTER INSERT ON `notifications`
WHEN new.`read_at` IS NULL
BEGIN
	UPDATE `users` SET `unread_notifications` = `unread_notifications` + 1 WHERE `id` = new.`user_id`
		AND ((new.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = new.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = new.user_id)))
		  and (new.thread_id is null or new.post_id is not null or exists (select 1 from threads t
		      where t.id = new.thread_id and (t.state = 'visible' or t.author_id = new.user_id)))
		  and (new.message_id is null or exists (select 1 from direct_messages m join conversation_participants cp
		      on cp.conversation_id = m.conversation_id and cp.user_id = new.user_id
		      where m.id = new.message_id and m.state = 'visible' and cp.left_at is null))
		  and (new.kind = 'role_changed' or not exists (select 1 from users r where r.id = new.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)));
END;--> statement-breakpoint
CREATE TRIGGER `unread_notification_changed` AFTER UPDATE OF `read_at`, `user_id`, `post_id`, `thread_id`, `message_id`, `kind` ON `notifications`
WHEN old.`read_at` IS NOT new.`read_at` OR old.`user_id` IS NOT new.`user_id` OR old.`post_id` IS NOT new.`post_id`
	OR old.`thread_id` IS NOT new.`thread_id` OR old.`message_id` IS NOT new.`message_id` OR old.`kind` IS NOT new.`kind`
BEGIN
	UPDATE `users` SET `unread_notifications` = `unread_notifications` - 1 WHERE `id` = old.`user_id` AND old.`read_at` IS NULL
		AND ((old.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = old.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = old.user_id)))
		  and (old.thread_id is null or old.post_id is not null or exists (select 1 from threads t
		      where t.id = old.thread_id and (t.state = 'visible' or t.author_id = old.user_id)))
		  and (old.message_id is null or exists (select 1 from direct_messages m join conversation_participants cp
		      on cp.conversation_id = m.conversation_id and cp.user_id = old.user_id
		      where m.id = old.message_id and m.state = 'visible' and cp.left_at is null))
		  and (old.kind = 'role_changed' or not exists (select 1 from users r where r.id = old.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)));
	UPDATE `users` SET `unread_notifications` = `unread_notifications` + 1 WHERE `id` = new.`user_id` AND new.`read_at` IS NULL
		AND ((new.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = new.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = new.user_id)))
		  and (new.thread_id is null or new.post_id is not null or exists (select 1 from threads t
		      where t.id = new.thread_id and (t.state = 'visible' or t.author_id = new.user_id)))
		  and (new.message_id is null or exists (select 1 from direct_messages m join conversation_participants cp
		      on cp.conversation_id = m.conversation_id and cp.user_id = new.user_id
		      where m.id = new.message_id and m.state = 'visible' and cp.left_at is null))
		  and (new.kind = 'role_changed' or not exists (select 1 from users r where r.id = new.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)));
END;--> statement-breakpoint
CREATE TRIGGER `unread_notification_removed` AFTER DELETE ON `notifications`
WHEN old.`read_at` IS NULL
BEGIN
	UPDATE `users` SET `unread_notifications` = (SELECT count(*) FROM `notifications` n WHERE n.user_id = `users`.`id` AND n.read_at IS NULL
		AND (n.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = n.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = n.user_id)))
		  and (n.thread_id is null or n.post_id is not null or exists (select 1 from threads t
		      where t.id = n.thread_id and (t.state = 'visible' or t.author_id = n.user_id)))
		  and (n.message_id is null or exists (select 1 from direct_messages m join conversation_participants cp
		      on cp.conversation_id = m.conversation_id and cp.user_id = n.user_id
		      where m.id = n.message_id and m.state = 'visible' and cp.left_at is null))
		  and (n.kind = 'role_changed' or not exists (select 1 from users r where r.id = n.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)))
	WHERE `id` = old.`user_id`;
END;--> statement-breakpoint
CREATE TRIGGER `unread_reader_changed` AFTER UPDATE OF `role`, `second_factor` ON `users`
WHEN old.`role` IS NOT new.`role` OR old.`second_factor` IS NOT new.`second_factor`
BEGIN
	UPDATE `users` SET `unread_notifications` = (SELECT count(*) FROM `notifications` n WHERE n.user_id = `users`.`id` AND n.read_at IS NULL
		AND (n.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = n.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = n.user_id)))
		  and (n.thread_id is null or n.post_id is not null or exists (select 1 from threads t
		      where t.id = n.thread_id and (t.state = 'visible' or t.author_id = n.user_id)))
		  and (n.message_id is null or exists (select 1 from direct_messages m join conversation_participants cp
		      on cp.conversation_id = m.conversation_id and cp.user_id = n.user_id
		      where m.id = n.message_id and m.state = 'visible' and cp.left_at is null))
		  and (n.kind = 'role_changed' or not exists (select 1 from users r where r.id = n.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)))
	WHERE `id` = new.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `unread_message_state_changed` AFTER UPDATE OF `state` ON `direct_messages`
WHEN old.`state` IS NOT new.`state`
BEGIN
	UPDATE `users` SET `unread_notifications` = (SELECT count(*) FROM `notifications` n WHERE n.user_id = `users`.`id` AND n.read_at IS NULL
		AND (n.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = n.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = n.user_id)))
		  and (n.thread_id is null or n.post_id is not null or exists (select 1 from threads t
		      where t.id = n.thread_id and (t.state = 'visible' or t.author_id = n.user_id)))
		  and (n.message_id is null or exists (select 1 from direct_messages m join conversation_participants cp
		      on cp.conversation_id = m.conversation_id and cp.user_id = n.user_id
		      where m.id = n.message_id and m.state = 'visible' and cp.left_at is null))
		  and (n.kind = 'role_changed' or not exists (select 1 from users r where r.id = n.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)))
	WHERE `id` IN (SELECT user_id FROM `notifications` WHERE message_id = new.`id` AND read_at IS NULL);
END;--> statement-breakpoint
CREATE TRIGGER `unread_participant_changed` AFTER UPDATE OF `left_at` ON `conversation_participants`
WHEN old.`left_at` IS NOT new.`left_at`
BEGIN
	UPDATE `users` SET `unread_notifications` = (SELECT count(*) FROM `notifications` n WHERE n.user_id = `users`.`id` AND n.read_at IS NULL
		AND (n.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
		      where p.id = n.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = n.user_id)))
		  and (n.thread_id is null or n.post_id is not null or exists (select 1 from threads t
		      where t.id = n.thread_id and (t.state = 'visible' or t.author_id = n.user_id)))
		  and (n.message_id is null or exists (select 1 from direct_messages m join conversation_participants cp
		      on cp.conversation_id = m.conversation_id and cp.user_id = n.user_id
		      where m.id = n.message_id and m.state = 'visible' and cp.left_at is null))
		  and (n.kind = 'role_changed' or not exists (select 1 from users r where r.id = n.user_id
		      and r.role in ('moderator', 'admin') and r.second_factor = 0)))
	WHERE `id` = new.`user_id`;
END;
