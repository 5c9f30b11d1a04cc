/** The ConversationEvents key the inbox's live stream listens on: anything an inbox shows changed. */
export const INBOX_CHANNEL = '*inbox*';
