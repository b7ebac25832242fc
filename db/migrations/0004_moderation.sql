CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`post_id` text NOT NULL,
	`reporter_id` text NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`item_id`) REFERENCES `review_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reporter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "reports_reason_check" CHECK(reason in ('confidential_data', 'off_topic', 'inaccurate_law', 'disrespectful', 'spam', 'other')),
	CONSTRAINT "reports_status_check" CHECK(status in ('open', 'upheld', 'dismissed'))
);
--> statement-breakpoint
CREATE INDEX `reports_post_idx` ON `reports` (`post_id`,`id`);--> statement-breakpoint
CREATE INDEX `reports_item_idx` ON `reports` (`item_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `reports_open_unique` ON `reports` (`post_id`,`reporter_id`) WHERE status = 'open';--> statement-breakpoint
CREATE TABLE `review_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`post_id` text,
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
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claimed_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`resolved_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "review_items_kind_check" CHECK(kind in ('post', 'submission')),
	CONSTRAINT "review_items_status_check" CHECK(status in ('open', 'closed'))
);
--> statement-breakpoint
CREATE INDEX `review_items_status_idx` ON `review_items` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `review_items_author_idx` ON `review_items` (`author_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `review_items_open_post_unique` ON `review_items` (`post_id`) WHERE status = 'open' and kind = 'post';--> statement-breakpoint
ALTER TABLE `post_revisions` ADD `by_moderator` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `posts` ADD `state` text DEFAULT 'visible' NOT NULL CHECK(state in ('visible', 'hidden', 'deleted'));--> statement-breakpoint
ALTER TABLE `posts` ADD `moderated_at` integer;--> statement-breakpoint
ALTER TABLE `posts` ADD `moderated_by_id` text REFERENCES users(id) ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE `posts` ADD `moderation_reason` text;--> statement-breakpoint
ALTER TABLE `posts` ADD `edited_by_moderator` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `hidden_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `state` text DEFAULT 'visible' NOT NULL CHECK(state in ('visible', 'hidden', 'deleted'));--> statement-breakpoint
ALTER TABLE `threads` ADD `locked_at` integer;--> statement-breakpoint
ALTER TABLE `threads` ADD `locked_by_id` text REFERENCES users(id) ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `lock_reason` text;--> statement-breakpoint
ALTER TABLE `threads` ADD `pin_scope` text;--> statement-breakpoint
ALTER TABLE `threads` ADD `pinned_at` integer;--> statement-breakpoint
ALTER TABLE `threads` ADD `resolved_at` integer;--> statement-breakpoint
ALTER TABLE `threads` ADD `resolved_by_id` text REFERENCES users(id) ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `resolve_reason` text;--> statement-breakpoint
CREATE INDEX `threads_pinned_idx` ON `threads` (`pin_scope`,`pinned_at`) WHERE pin_scope is not null;--> statement-breakpoint
ALTER TABLE `users` ADD `under_review` integer DEFAULT false NOT NULL;