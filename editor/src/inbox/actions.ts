// Which actions a person has on a conversation, from its status and who has it.

export type ConversationAction = 'takeover' | 'complete' | 'reactivate';

export interface ActionSet {
  actions: ConversationAction[];
  /** Replying is possible (it takes the conversation over when needed). */
  canReply: boolean;
  /** Why not, when not. */
  replyHint?: string;
}

export function availableActions(conversation: { status: string; assignee?: string } | undefined, me: string | undefined): ActionSet {
  switch (conversation?.status) {
    case 'queued':
      return { actions: ['takeover', 'complete'], canReply: true };
    case 'agent':
      return conversation.assignee === me ? { actions: ['complete'], canReply: true } : { actions: ['takeover', 'complete'], canReply: true };
    case 'bot':
      // The bot has it again (completed, or a message left): taking it back is reactivating it.
      return { actions: ['reactivate'], canReply: true };
    case 'closed':
      return { actions: ['reactivate'], canReply: false, replyHint: 'This conversation is closed. Reactivate it to write to the user.' };
    default:
      return { actions: [], canReply: false };
  }
}

export const ACTION_LABELS: Record<ConversationAction, { label: string; help: string; done: string }> = {
  takeover: { label: 'Take over', help: 'The bot goes quiet and you talk to the user.', done: 'You have the conversation.' },
  complete: { label: 'Complete', help: 'Hand the conversation back to the bot.', done: 'Handed back to the bot.' },
  reactivate: { label: 'Reactivate', help: 'Take the conversation back and talk to the user again.', done: 'You have the conversation again.' },
};
