CREATE TABLE `render_generation` (
	`id` integer PRIMARY KEY NOT NULL,
	`value` integer NOT NULL,
	CONSTRAINT "render_generation_one_row" CHECK(id = 1)
);
--> statement-breakpoint
ALTER TABLE `threads` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Written by hand (drizzle has no trigger DSL). The cached thread page is keyed by its thread's
-- version and by render_generation: every write to a thread or its posts bumps the version, and
-- every write that changes how other pages show (names, roles, status and badges of members,
-- the moderation state of posts and threads that may be quoted elsewhere, settings) bumps the
-- generation, whatever code made it.
INSERT INTO `render_generation` (`id`, `value`) VALUES (1, 0);--> statement-breakpoint
CREATE TRIGGER `thread_version_post_inserted` AFTER INSERT ON `posts`
BEGIN
	UPDATE `threads` SET `version` = `version` + 1 WHERE `id` = new.`thread_id`;
END;--> statement-breakpoint
CREATE TRIGGER `thread_version_post_updated` AFTER UPDATE ON `posts`
BEGIN
	UPDATE `threads` SET `version` = `version` + 1 WHERE `id` IN (new.`thread_id`, old.`thread_id`);
END;--> statement-breakpoint
CREATE TRIGGER `render_generation_post_moderated` AFTER UPDATE OF `state`, `thread_id`, `author_id` ON `posts`
WHEN old.`state` IS NOT new.`state` OR old.`thread_id` IS NOT new.`thread_id` OR old.`author_id` IS NOT new.`author_id`
BEGIN
	UPDATE `render_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `thread_version_post_deleted` AFTER DELETE ON `posts`
BEGIN
	UPDATE `threads` SET `version` = `version` + 1 WHERE `id` = old.`thread_id`;
	UPDATE `render_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `thread_version_thread_updated` AFTER UPDATE ON `threads`
WHEN old.`version` = new.`version`
BEGIN
	UPDATE `threads` SET `version` = `version` + 1 WHERE `id` = new.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `render_generation_thread_moderated` AFTER UPDATE OF `state`, `jurisdictions`, `author_id` ON `threads`
WHEN old.`state` IS NOT new.`state` OR old.`jurisdictions` IS NOT new.`jurisdictions` OR old.`author_id` IS NOT new.`author_id`
BEGIN
	UPDATE `render_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `render_generation_thread_deleted` AFTER DELETE ON `threads`
BEGIN
	UPDATE `render_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `render_generation_user_changed` AFTER UPDATE OF `display_name`, `role`, `status`, `profession`,
	`position`, `institution`, `jurisdiction_code`, `verified_at`, `verified_by_id` ON `users`
WHEN old.`display_name` IS NOT new.`display_name` OR old.`role` IS NOT new.`role` OR old.`status` IS NOT new.`status`
	OR old.`profession` IS NOT new.`profession` OR old.`position` IS NOT new.`position`
	OR old.`institution` IS NOT new.`institution` OR old.`jurisdiction_code` IS NOT new.`jurisdiction_code`
	OR old.`verified_at` IS NOT new.`verified_at` OR old.`verified_by_id` IS NOT new.`verified_by_id`
BEGIN
	UPDATE `render_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `render_generation_user_deleted` AFTER DELETE ON `users`
BEGIN
	UPDATE `render_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `render_generation_setting_added` AFTER INSERT ON `settings`
BEGIN
	UPDATE `render_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `render_generation_setting_changed` AFTER UPDATE ON `settings`
BEGIN
	UPDATE `render_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `render_generation_setting_removed` AFTER DELETE ON `settings`
BEGIN
	UPDATE `render_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;
