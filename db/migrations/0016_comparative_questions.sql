ALTER TABLE `post_revisions` ADD `answer` text;--> statement-breakpoint
ALTER TABLE `posts` ADD `answer_for` text REFERENCES jurisdictions(code);--> statement-breakpoint
ALTER TABLE `posts` ADD `answer` text;--> statement-breakpoint
CREATE INDEX `posts_answer_for_idx` ON `posts` (`thread_id`,`answer_for`) WHERE answer_for is not null;--> statement-breakpoint
ALTER TABLE `threads` ADD `comparative` integer DEFAULT false NOT NULL;