-- Notifications by email and digest. The table rebuilds were written by drizzle-kit and corrected
-- by hand: their copies read the new columns from the old tables, which do not have them yet
-- (new columns start NULL, `rejections` 0). Neither rebuilt table is referenced by a foreign key,
-- so dropping it inside the migrator's transaction (where PRAGMA foreign_keys cannot change) deletes nothing else.
CREATE TABLE `digest_runs` (
	`user_id` text NOT NULL,
	`period` text NOT NULL,
	`outbox_id` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `period`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `digest_runs_user_idx` ON `digest_runs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `digest_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`frequency` text NOT NULL,
	`weekday` integer NOT NULL,
	`hour` integer NOT NULL,
	`time_zone` text NOT NULL,
	`skip_period` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "digest_settings_frequency_check" CHECK(frequency in ('off', 'daily', 'weekly')),
	CONSTRAINT "digest_settings_weekday_check" CHECK(weekday between 0 and 6),
	CONSTRAINT "digest_settings_hour_check" CHECK(hour between 0 and 23)
);
--> statement-breakpoint
CREATE INDEX `digest_settings_frequency_idx` ON `digest_settings` (`frequency`);--> statement-breakpoint
CREATE TABLE `email_unsubscribe_tokens` (
	`token` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_unsubscribe_tokens_user_kind_idx` ON `email_unsubscribe_tokens` (`user_id`,`kind`);--> statement-breakpoint
CREATE TABLE `notification_emails` (
	`notification_id` integer PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`mode` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`outbox_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`notification_id`) REFERENCES `notifications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "notification_emails_mode_check" CHECK(mode in ('immediate', 'digest')),
	CONSTRAINT "notification_emails_state_check" CHECK(state in ('pending', 'queued', 'skipped'))
);
--> statement-breakpoint
CREATE INDEX `notification_emails_due_idx` ON `notification_emails` (`mode`,`state`,`created_at`);--> statement-breakpoint
CREATE INDEX `notification_emails_user_idx` ON `notification_emails` (`user_id`,`mode`,`state`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_follows` (
	`user_id` text NOT NULL,
	`target` text NOT NULL,
	`key` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `target`, `key`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "follows_target_check" CHECK(target in ('thread', 'jurisdiction', 'topic', 'instrument'))
);
--> statement-breakpoint
INSERT INTO `__new_follows`("user_id", "target", "key", "created_at") SELECT "user_id", "target", "key", "created_at" FROM `follows`;--> statement-breakpoint
DROP TABLE `follows`;--> statement-breakpoint
ALTER TABLE `__new_follows` RENAME TO `follows`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `follows_target_idx` ON `follows` (`target`,`key`);--> statement-breakpoint
CREATE TABLE `__new_mail_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`to_address` text NOT NULL,
	`template` text NOT NULL,
	`subject` text NOT NULL,
	`text_body` text NOT NULL,
	`html_body` text NOT NULL,
	`user_id` text,
	`payload` text,
	`message_id` text,
	`claimed_at` integer,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`rejections` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "mail_outbox_status_check" CHECK(status in ('pending', 'sending', 'sent', 'failed', 'dropped'))
);
--> statement-breakpoint
INSERT INTO `__new_mail_outbox`("id", "to_address", "template", "subject", "text_body", "html_body", "user_id", "payload", "message_id", "claimed_at", "status", "attempts", "rejections", "next_attempt_at", "last_error", "created_at", "sent_at") SELECT "id", "to_address", "template", "subject", "text_body", "html_body", NULL, NULL, NULL, NULL, "status", "attempts", 0, "next_attempt_at", "last_error", "created_at", "sent_at" FROM `mail_outbox`;--> statement-breakpoint
DROP TABLE `mail_outbox`;--> statement-breakpoint
ALTER TABLE `__new_mail_outbox` RENAME TO `mail_outbox`;--> statement-breakpoint
CREATE INDEX `mail_outbox_due_idx` ON `mail_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `__new_notification_preferences` (
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`email` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "notification_preferences_channel_check" CHECK(channel in ('app', 'desktop', 'off')),
	CONSTRAINT "notification_preferences_email_check" CHECK(email is null or email in ('off', 'immediate', 'digest'))
);
--> statement-breakpoint
INSERT INTO `__new_notification_preferences`("user_id", "kind", "channel", "email", "updated_at") SELECT "user_id", "kind", "channel", NULL, "updated_at" FROM `notification_preferences`;--> statement-breakpoint
DROP TABLE `notification_preferences`;--> statement-breakpoint
ALTER TABLE `__new_notification_preferences` RENAME TO `notification_preferences`;--> statement-breakpoint
CREATE INDEX `posts_created_idx` ON `posts` (`created_at`);