// The only part of the engine the server imports: how to start and talk to conversations.
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { DEFAULT_TASK_QUEUE, conversationWorkflowId } from '../config.js';
import {
  agentMessageSignal,
  botSwitchSignal,
  closeSignal,
  handBackSignal,
  leaveHumansSignal,
  requestHumanSignal,
  setUserSignal,
  snapshotQuery,
  takeoverSignal,
  userMessageSignal,
  userMessageUpdate,
  type AgentMessage,
  type InboundMessage,
} from '../workflows/conversation.messages.js';
import type { conversationWorkflow } from '../workflows/conversation.workflow.js';
import type { ConversationInput, ConversationSnapshot, TurnReply } from '../workflows/conversation.types.js';

export type {
  ConversationInput,
  ConversationOptions,
  ConversationOutcome,
  ConversationSnapshot,
  ConversationStatus,
  Owner,
  ReplyMessage,
  TurnReply,
} from '../workflows/conversation.types.js';
export type { AgentMessage, InboundMessage } from '../workflows/conversation.messages.js';
export { MAX_USER_TEXT } from '../workflows/conversation.messages.js';
export { DEFAULT_TASK_QUEUE, conversationWorkflowId } from '../config.js';

/** The workflow type of conversations; changes that could alter a running one go behind `patched()`. */
const WORKFLOW_TYPE = 'conversationWorkflow';

/** The answer to a message sent with `sendAndWait` when the bot took longer than the caller's bound. */
export interface PendingReply {
  status: 'pending';
  replies: [];
}

export class ConversationClosedError extends Error {
  override readonly name = 'ConversationClosedError';
}

export interface ConversationClient {
  /** Starts the conversation's workflow; a no-op when it already runs. */
  start(input: ConversationInput): Promise<void>;
  /** Delivers a user message and returns once it is durably recorded (signal-with-start). */
  send(input: ConversationInput, message: InboundMessage): Promise<void>;
  /** Delivers a user message and waits, at most `timeoutMs`, for the bot's answer to its turn (update-with-start). */
  sendAndWait(input: ConversationInput, message: InboundMessage, options: { timeoutMs: number }): Promise<TurnReply | PendingReply>;
  takeover(conversationId: string, agentId?: string): Promise<void>;
  agentMessage(conversationId: string, message: AgentMessage): Promise<void>;
  handBack(conversationId: string): Promise<void>;
  /** The user asks for a person (the widget's button). */
  requestHuman(conversationId: string): Promise<void>;
  /** The user ends the session with the humans. */
  leaveHumans(conversationId: string): Promise<void>;
  /** What we know about the user changed (the widget's setEmail / setUser). */
  setUser(conversationId: string, user: { email?: string; name?: string; externalId?: string }): Promise<void>;
  /** Reopens a closed conversation with a person: a new run that starts with them (`messageSeq`: bot messages said so far). */
  reopen(input: ConversationInput, agentId?: string, messageSeq?: number): Promise<void>;
  close(conversationId: string, by: 'user' | 'agent' | 'system'): Promise<void>;
  /** The bot was switched off (it stops answering: `notice` is its last line where it has the conversation) or on again. */
  switchBot(conversationId: string, change: { on: boolean; notice: string }): Promise<void>;
  /** Where the conversation is; `undefined` when its workflow is gone. */
  snapshot(conversationId: string): Promise<ConversationSnapshot | undefined>;
}

/**
 * @example
 * const conversations = createConversationClient(new Client({ connection }));
 * await conversations.start({ conversation: { id, botId, flowVersion: 3 } });
 * const reply = await conversations.sendAndWait(input, { id: 'm1', text: 'hi' }, { timeoutMs: 20_000 });
 */
export function createConversationClient(client: Client, options: { taskQueue?: string } = {}): ConversationClient {
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const handle = (conversationId: string) => client.workflow.getHandle(conversationWorkflowId(conversationId));
  // A finished conversation is never started again by a message: reopening is explicit.
  const startOptions = (input: ConversationInput) => ({
    workflowId: conversationWorkflowId(input.conversation.id),
    taskQueue,
    args: [input] as [ConversationInput],
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
  });
  const closedOnConflict = async <T>(conversationId: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw new ConversationClosedError(`conversation ${conversationId} is closed`);
      throw error;
    }
  };
  const signal = async (conversationId: string, send: (h: ReturnType<typeof handle>) => Promise<void>): Promise<void> => {
    try {
      await send(handle(conversationId));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new ConversationClosedError(`conversation ${conversationId} is not running`);
      throw error;
    }
  };

  return {
    async start(input) {
      await closedOnConflict(input.conversation.id, () =>
        client.workflow.start<typeof conversationWorkflow>(WORKFLOW_TYPE, { ...startOptions(input), workflowIdConflictPolicy: 'USE_EXISTING' }),
      );
    },
    async send(input, message) {
      await closedOnConflict(input.conversation.id, () =>
        client.workflow.signalWithStart<typeof conversationWorkflow, [InboundMessage]>(WORKFLOW_TYPE, {
          ...startOptions(input),
          signal: userMessageSignal,
          signalArgs: [message],
        }),
      );
    },
    async sendAndWait(input, message, { timeoutMs }) {
      const startWorkflowOperation = new WithStartWorkflowOperation<typeof conversationWorkflow>(WORKFLOW_TYPE, {
        ...startOptions(input),
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      try {
        return await client.withDeadline(Date.now() + timeoutMs, () =>
          client.workflow.executeUpdateWithStart(userMessageUpdate, { args: [message], updateId: message.id, startWorkflowOperation }),
        );
      } catch (error) {
        if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return { status: 'pending', replies: [] };
        if (error instanceof WorkflowExecutionAlreadyStartedError) throw new ConversationClosedError(`conversation ${input.conversation.id} is closed`);
        throw error;
      }
    },
    takeover: (id, agentId) => signal(id, (h) => h.signal(takeoverSignal, agentId ? { agentId } : {})),
    agentMessage: (id, message) => signal(id, (h) => h.signal(agentMessageSignal, message)),
    handBack: (id) => signal(id, (h) => h.signal(handBackSignal)),
    requestHuman: (id) => signal(id, (h) => h.signal(requestHumanSignal)),
    leaveHumans: (id) => signal(id, (h) => h.signal(leaveHumansSignal)),
    setUser: (id, user) => signal(id, (h) => h.signal(setUserSignal, user)),
    async reopen(input, agentId, messageSeq) {
      await client.workflow.start<typeof conversationWorkflow>(WORKFLOW_TYPE, {
        ...startOptions({ ...input, reopenedBy: { ...(agentId ? { agentId } : {}), ...(messageSeq ? { messageSeq } : {}) } }),
        // Only this explicit call may start a closed conversation again.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    },
    close: (id, by) => signal(id, (h) => h.signal(closeSignal, { by })),
    switchBot: (id, change) => signal(id, (h) => h.signal(botSwitchSignal, change)),
    async snapshot(conversationId) {
      try {
        return await handle(conversationId).query(snapshotQuery);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      }
    },
  };
}
