-- Conversations recorded before `message_seq` existed: their count is the highest number among
-- their bot message ids (`<conversation id>-b<n>`), read once here so that a reopened
-- conversation numbers its new bot messages after them.
UPDATE `conversations` SET `message_seq` = coalesce((
  SELECT max(CAST(substr(`messages`.`id`, length(`conversations`.`id`) + 3) AS INTEGER))
  FROM `messages`
  WHERE `messages`.`conversation_id` = `conversations`.`id`
    AND `messages`.`role` = 'bot'
    AND `messages`.`id` GLOB `conversations`.`id` || '-b[0-9]*'
), 0);
