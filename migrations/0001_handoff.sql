CREATE TABLE `desk_status` (
	`bot_id` text NOT NULL,
	`desk` text NOT NULL,
	`available` integer NOT NULL,
	`message` text,
	`checked_at` integer NOT NULL,
	PRIMARY KEY(`bot_id`, `desk`),
	FOREIGN KEY (`bot_id`) REFERENCES `bots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `handoffs` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`bot_id` text NOT NULL,
	`desk` text NOT NULL,
	`desk_conversation_id` text,
	`session` text NOT NULL,
	`status` text NOT NULL,
	`team_id` text,
	`idempotency_key` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`closed_at` integer,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `handoffs_idempotency_key_unique` ON `handoffs` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `handoffs_conversation` ON `handoffs` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `handoffs_desk` ON `handoffs` (`bot_id`,`desk`,`desk_conversation_id`);--> statement-breakpoint
CREATE TABLE `hook_receipts` (
	`key` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `team_members` (
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`team_id`, `user_id`),
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `teams_name_unique` ON `teams` (`name`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `left_message_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `suggestion` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `quick_replies` text;--> statement-breakpoint
ALTER TABLE `users` ADD `last_assigned_at` integer;