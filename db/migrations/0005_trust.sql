CREATE TABLE `known_devices` (
	`user_id` text NOT NULL,
	`token_hash` blob NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `token_hash`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `redactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`post_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`kind` text NOT NULL,
	`versions` text NOT NULL,
	`by_id` text,
	`by_moderator` integer DEFAULT false NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "redactions_kind_check" CHECK(kind in ('span', 'version', 'title'))
);
--> statement-breakpoint
CREATE INDEX `redactions_post_idx` ON `redactions` (`post_id`,`id`);--> statement-breakpoint
CREATE TABLE `spent_drafts` (
	`user_id` text NOT NULL,
	`key` text NOT NULL,
	`token` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `key`, `token`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `spent_drafts_created_idx` ON `spent_drafts` (`created_at`);--> statement-breakpoint
ALTER TABLE `audit_log` ADD `redacted_at` integer;--> statement-breakpoint
ALTER TABLE `drafts` ADD `excerpt` text;--> statement-breakpoint
ALTER TABLE `drafts` ADD `token` text;--> statement-breakpoint
ALTER TABLE `users` ADD `name_skeleton` text;--> statement-breakpoint
CREATE INDEX `users_name_skeleton_idx` ON `users` (`name_skeleton`);--> statement-breakpoint
CREATE INDEX `review_items_open_thread_idx` ON `review_items` (`thread_id`,`id`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `review_items_status_kind_idx` ON `review_items` (`status`,`kind`,`id`);--> statement-breakpoint
-- The audit log stays append-only, with one narrow exception: a redaction may scrub the text it
-- removes out of an entry's before/after, and must mark the entry redacted when it does. Every
-- other column (who, what, when, why) is still refused any change.
DROP TRIGGER `audit_log_no_update`;--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
WHEN new.`redacted_at` IS NULL
	OR new.`id` IS NOT old.`id`
	OR new.`actor_id` IS NOT old.`actor_id`
	OR new.`action` IS NOT old.`action`
	OR new.`target_type` IS NOT old.`target_type`
	OR new.`target_id` IS NOT old.`target_id`
	OR new.`target_user_id` IS NOT old.`target_user_id`
	OR new.`jurisdiction_code` IS NOT old.`jurisdiction_code`
	OR new.`reason` IS NOT old.`reason`
	OR new.`created_at` IS NOT old.`created_at`
	OR (old.`redacted_at` IS NOT NULL AND new.`redacted_at` < old.`redacted_at`)
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
-- A moderator's jurisdictions decide what their open sockets may receive: a change must reach
-- those sockets at once, like a change of role or status (the realtime session watch reads this).
CREATE TRIGGER `access_generation_moderator_added` AFTER INSERT ON `moderator_jurisdictions`
BEGIN
	UPDATE `access_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `access_generation_moderator_removed` AFTER DELETE ON `moderator_jurisdictions`
BEGIN
	UPDATE `access_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;
