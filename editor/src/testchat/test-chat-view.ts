// What the test chat shows about the conversation, in plain words, and which of the person's
// actions the builder can use: pure, so it can be tested without a server.
import type { LiveConnection } from '../api/live-stream.js';
import type { ConversationStatus } from '../conversation/messages.js';
import { currentQuickReplies, type Transcript } from '../conversation/transcript.js';

/** What the status line says, for people who do not know the engine's words. */
export function statusText(status: ConversationStatus | undefined, assignee?: string, me?: string): string {
  switch (status) {
    case undefined:
      return 'Starting…';
    case 'bot':
      return 'The bot is answering';
    case 'queued':
      return 'Waiting for a person to take over';
    case 'agent':
      return assignee && assignee === me ? 'You are answering as the person' : 'A person is answering';
    case 'closed':
      return 'The conversation has ended';
  }
}

/** What to say about the connection; nothing while it works (polling works too, only slower). */
export function connectionText(connection: LiveConnection): string | undefined {
  return connection === 'connecting' ? 'Connecting…' : connection === 'reconnecting' ? 'Connection lost, reconnecting…' : undefined;
}

/** The buttons to offer: the quick replies of the bot's last message while it is the latest, and the conversation goes on. */
export function quickReplies(transcript: Transcript, status: ConversationStatus | undefined): string[] {
  return status === 'closed' ? [] : currentQuickReplies(transcript);
}

/** Which parts of the human side the builder can use now. */
export function humanActions(status: ConversationStatus | undefined, assignee: string | undefined, me: string | undefined) {
  const withPeople = status === 'queued' || status === 'agent';
  return {
    visible: withPeople,
    canTakeOver: status === 'queued' || (status === 'agent' && assignee !== me),
    canReply: withPeople,
    canComplete: withPeople,
    canRequestHuman: status === 'bot',
  };
}
