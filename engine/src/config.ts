/** The task queue conversation workflows and their activities run on. */
export const DEFAULT_TASK_QUEUE = 'baton-conversations';

/** Temporal workflow id of a conversation. */
export function conversationWorkflowId(conversationId: string): string {
  return `conversation-${conversationId}`;
}
