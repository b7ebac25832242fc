CREATE TABLE `drafts` (
	`user_id` text NOT NULL,
	`key` text NOT NULL,
	`data` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `key`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `follows` (
	`user_id` text NOT NULL,
	`target` text NOT NULL,
	`key` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `target`, `key`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "follows_target_check" CHECK(target in ('thread', 'jurisdiction', 'topic'))
);
--> statement-breakpoint
CREATE INDEX `follows_target_idx` ON `follows` (`target`,`key`);--> statement-breakpoint
CREATE TABLE `post_revisions` (
	`post_id` text NOT NULL,
	`version` integer NOT NULL,
	`editor_id` text NOT NULL,
	`reason` text,
	`title` text,
	`meta` text,
	`body` text,
	`sections` text,
	`cooked` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`post_id`, `version`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`editor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `posts` (
	`id` text PRIMARY KEY NOT NULL,
	`thread_id` text NOT NULL,
	`number` integer NOT NULL,
	`parent_id` text,
	`depth` integer DEFAULT 0 NOT NULL,
	`author_id` text NOT NULL,
	`body` text,
	`sections` text,
	`cooked` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`reply_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`edited_at` integer,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `posts_thread_number_unique` ON `posts` (`thread_id`,`number`);--> statement-breakpoint
CREATE INDEX `posts_thread_author_idx` ON `posts` (`thread_id`,`author_id`);--> statement-breakpoint
CREATE INDEX `posts_author_idx` ON `posts` (`author_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `posts_parent_idx` ON `posts` (`parent_id`);--> statement-breakpoint
CREATE TABLE `thread_instruments` (
	`thread_id` text NOT NULL,
	`instrument` text NOT NULL,
	PRIMARY KEY(`instrument`, `thread_id`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`instrument`) REFERENCES `instruments`(`slug`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `thread_instruments_thread_idx` ON `thread_instruments` (`thread_id`);--> statement-breakpoint
CREATE TABLE `thread_jurisdictions` (
	`thread_id` text NOT NULL,
	`code` text NOT NULL,
	PRIMARY KEY(`code`, `thread_id`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`code`) REFERENCES `jurisdictions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `thread_jurisdictions_thread_idx` ON `thread_jurisdictions` (`thread_id`);--> statement-breakpoint
CREATE TABLE `thread_reads` (
	`user_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`last_read_number` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `thread_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `thread_topics` (
	`thread_id` text NOT NULL,
	`slug` text NOT NULL,
	PRIMARY KEY(`slug`, `thread_id`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`slug`) REFERENCES `topics`(`slug`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `thread_topics_thread_idx` ON `thread_topics` (`thread_id`);--> statement-breakpoint
CREATE TABLE `threads` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`author_id` text NOT NULL,
	`jurisdictions` text NOT NULL,
	`topics` text NOT NULL,
	`citations` text NOT NULL,
	`law_as_of` text,
	`personal_capacity` integer DEFAULT false NOT NULL,
	`post_count` integer DEFAULT 0 NOT NULL,
	`participant_count` integer DEFAULT 0 NOT NULL,
	`last_post_at` integer NOT NULL,
	`last_poster_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`last_poster_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "threads_kind_check" CHECK(kind in ('discussion', 'question', 'case_note', 'legal_analysis'))
);
--> statement-breakpoint
CREATE INDEX `threads_latest_idx` ON `threads` (`last_post_at`,`id`);--> statement-breakpoint
CREATE INDEX `threads_newest_idx` ON `threads` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `threads_replies_idx` ON `threads` (`post_count`,`id`);--> statement-breakpoint
CREATE INDEX `threads_kind_idx` ON `threads` (`kind`,`last_post_at`,`id`);--> statement-breakpoint
CREATE INDEX `threads_author_idx` ON `threads` (`author_id`,`last_post_at`,`id`);