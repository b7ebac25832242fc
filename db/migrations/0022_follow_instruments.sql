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
CREATE INDEX `follows_target_idx` ON `follows` (`target`,`key`);