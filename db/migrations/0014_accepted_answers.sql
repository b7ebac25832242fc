CREATE TABLE `accepted_answers` (
	`thread_id` text NOT NULL,
	`scope` text NOT NULL,
	`post_id` text NOT NULL,
	`accepted_by_id` text,
	`accepted_at` integer NOT NULL,
	PRIMARY KEY(`thread_id`, `scope`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`accepted_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `accepted_answers_post_idx` ON `accepted_answers` (`post_id`);--> statement-breakpoint
-- Hand-written: a change to a thread's accepted answers changes its page, so the thread's version
-- moves with it (the cached page's key, migration 0012), whatever code made the change. A
-- post's own delete already bumps its thread; these cover the mark itself.
CREATE TRIGGER `thread_version_answer_accepted` AFTER INSERT ON `accepted_answers`
BEGIN
	UPDATE `threads` SET `version` = `version` + 1 WHERE `id` = new.`thread_id`;
END;--> statement-breakpoint
CREATE TRIGGER `thread_version_answer_changed` AFTER UPDATE ON `accepted_answers`
BEGIN
	UPDATE `threads` SET `version` = `version` + 1 WHERE `id` IN (new.`thread_id`, old.`thread_id`);
END;--> statement-breakpoint
CREATE TRIGGER `thread_version_answer_removed` AFTER DELETE ON `accepted_answers`
BEGIN
	UPDATE `threads` SET `version` = `version` + 1 WHERE `id` = old.`thread_id`;
END;
