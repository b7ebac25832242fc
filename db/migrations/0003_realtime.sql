CREATE TABLE `access_generation` (
	`id` integer PRIMARY KEY NOT NULL,
	`value` integer NOT NULL,
	CONSTRAINT "access_generation_one_row" CHECK(id = 1)
);
--> statement-breakpoint
CREATE TABLE `notification_preferences` (
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "notification_preferences_channel_check" CHECK(channel in ('app', 'desktop', 'off'))
);
--> statement-breakpoint
CREATE TABLE `user_events` (
	`user_id` text NOT NULL,
	`seq` integer NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `seq`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_events_created_idx` ON `user_events` (`created_at`);--> statement-breakpoint
ALTER TABLE `notifications` ADD `actor_id` text REFERENCES users(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `notifications` ADD `thread_id` text REFERENCES threads(id) ON DELETE cascade;--> statement-breakpoint
ALTER TABLE `notifications` ADD `post_id` text REFERENCES posts(id) ON DELETE cascade;--> statement-breakpoint
CREATE INDEX `notifications_thread_idx` ON `notifications` (`user_id`,`thread_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `username` text;--> statement-breakpoint
ALTER TABLE `users` ADD `event_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
-- Written by hand (drizzle has no trigger DSL): every end of a session and every change of an
-- account's status or role bumps access_generation, which the realtime session watch polls.
INSERT INTO `access_generation` (`id`, `value`) VALUES (1, 0);--> statement-breakpoint
CREATE TRIGGER `access_generation_session_ended` AFTER DELETE ON `sessions`
BEGIN
	UPDATE `access_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `access_generation_user_changed` AFTER UPDATE OF `status`, `role` ON `users`
WHEN old.`status` IS NOT new.`status` OR old.`role` IS NOT new.`role`
BEGIN
	UPDATE `access_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `access_generation_user_deleted` AFTER DELETE ON `users`
BEGIN
	UPDATE `access_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;
