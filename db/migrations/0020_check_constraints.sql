-- Two rules the application keeps, now kept by the database too: a member's messaging choice is
-- one of its values, and nobody blocks themselves.
--
-- member_blocks is rebuilt with its check (nothing refers to it, so dropping it removes nothing
-- else). A block of oneself, which the application never made and which means nothing, is not
-- copied.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_member_blocks` (
	`blocker_id` text NOT NULL,
	`blocked_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`blocker_id`, `blocked_id`),
	FOREIGN KEY (`blocker_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`blocked_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "member_blocks_not_self_check" CHECK(blocker_id <> blocked_id)
);
--> statement-breakpoint
INSERT INTO `__new_member_blocks`("blocker_id", "blocked_id", "created_at") SELECT "blocker_id", "blocked_id", "created_at" FROM `member_blocks` WHERE "blocker_id" <> "blocked_id";--> statement-breakpoint
DROP TABLE `member_blocks`;--> statement-breakpoint
ALTER TABLE `__new_member_blocks` RENAME TO `member_blocks`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `member_blocks_blocked_idx` ON `member_blocks` (`blocked_id`);--> statement-breakpoint
-- users is not rebuilt (drizzle-kit would: copy, drop, rename): the migrations run in one
-- transaction, where foreign keys cannot be turned off, and dropping `users` would delete or
-- refuse on every row referring to a member. The column is replaced instead, in place: a new one
-- with the check (SQLite allows a CHECK on an added column), the values copied, the old one
-- dropped and the new one renamed; no row is rewritten but users'. A value outside the list
-- (never written by the application) behaved as 'verified' (Guardian.messagingRefusal) and is
-- kept as that.
ALTER TABLE `users` ADD `messaging_allow_from_checked` text DEFAULT 'verified' NOT NULL CONSTRAINT "users_messaging_allow_from_check" CHECK(messaging_allow_from_checked in ('verified', 'jurisdictions', 'nobody'));--> statement-breakpoint
UPDATE `users` SET `messaging_allow_from_checked` = CASE WHEN `messaging_allow_from` IN ('verified', 'jurisdictions', 'nobody') THEN `messaging_allow_from` ELSE 'verified' END;--> statement-breakpoint
ALTER TABLE `users` DROP COLUMN `messaging_allow_from`;--> statement-breakpoint
ALTER TABLE `users` RENAME COLUMN `messaging_allow_from_checked` TO `messaging_allow_from`;
