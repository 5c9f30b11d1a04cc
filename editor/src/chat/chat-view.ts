// What the chat page offers at each moment, from the conversation's status and the team's
// availability: the status line, which buttons, and whether to show the leave-a-message form.
import type { ConversationState } from '../conversation/messages.js';
import type { Transcript } from '../conversation/transcript.js';
import type { Availability } from './availability.js';
import type { HumanRequest } from './human-request.js';

export interface ChatViewInput {
  state: ConversationState | undefined;
  availability: Availability | undefined;
  /** The bot is working on an answer. */
  typing: boolean;
  /** The user left a message during this wait already. */
  messageLeft: boolean;
  /** Where the user's "Talk to a person" stands. */
  humanRequest: HumanRequest['phase'];
  /** A person had the chat and handed it back to the bot (or the user ended it); until the user writes again. */
  backWithBot: boolean;
}

export interface ChatView {
  statusLine: string | undefined;
  talkToPerson: 'shown' | 'busy' | 'hidden';
  endWithPerson: boolean;
  leaveMessageForm: boolean;
  ended: boolean;
}

export function chatView(input: ChatViewInput): ChatView {
  const view: ChatView = { statusLine: undefined, talkToPerson: 'hidden', endWithPerson: false, leaveMessageForm: false, ended: false };
  switch (input.state?.status) {
    case undefined:
      return view;
    case 'closed':
      return { ...view, statusLine: 'This chat has ended.', ended: true };
    case 'agent':
      return { ...view, statusLine: `You are talking to ${input.state.assigneeName ?? 'a person from our team'}`, endWithPerson: true };
    case 'queued': {
      // Queued on the way to an answer that may still be "nobody" (see human-request.ts): no form yet.
      if (input.humanRequest === 'asking') return { ...view, statusLine: 'Asking for a person…' };
      // Nobody online while the conversation waits for people: the bot has asked the user to
      // leave a message (the API does not tell this phase apart from waiting for a person).
      const nobody = input.availability !== undefined && input.availability.agentsOnline === 0;
      if (nobody && !input.messageLeft) return { ...view, statusLine: 'Nobody is online right now. Leave a message and we will get back to you.', leaveMessageForm: true };
      if (input.messageLeft) return { ...view, statusLine: 'Your message was passed on to our team.' };
      return { ...view, statusLine: 'A person will answer here. Please stay in this chat.' };
    }
    case 'bot': {
      // Outside service hours nobody comes (the closed notice says when they are back).
      const closed = input.availability?.open === false;
      return { ...view, statusLine: botStatusLine(input), talkToPerson: closed ? 'hidden' : input.humanRequest === 'asking' ? 'busy' : 'shown' };
    }
  }
}

function botStatusLine(input: ChatViewInput): string | undefined {
  if (input.humanRequest === 'asking') return 'Asking for a person…';
  if (input.typing) return 'Typing…';
  if (input.humanRequest === 'declined') {
    return input.availability?.agentsOnline === 0 ? 'Nobody from our team is online right now. The bot will go on helping you.' : 'Nobody from our team could take the chat just now. Please try again in a moment.';
  }
  return input.backWithBot ? 'You are talking to the bot again.' : undefined;
}

/**
 * Whether the bot is working on an answer: the bot has the conversation, the last message is the
 * user's, and the user sent something less than `maxMs` ago (by this browser's clock: the
 * server's may differ).
 */
export function botIsTyping(transcript: Transcript, conversationStatus: string | undefined, lastSentMs: number | undefined, nowMs: number, maxMs = 20_000): boolean {
  if (conversationStatus !== 'bot' || lastSentMs === undefined) return false;
  const last = transcript.messages.at(-1);
  if (!last || last.role !== 'user' || last.delivery === 'failed' || last.delivery === 'offline') return false;
  return nowMs - lastSentMs < maxMs;
}
