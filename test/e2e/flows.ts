import type { FlowDocumentInput } from '@baton/nodes';

export const SUPPORT_GREETING = 'Hi! What can I do for you?';

/** Greets, asks a question, and answers with the LLM until the user says bye. */
export function supportFlow(): FlowDocumentInput {
  return {
    schemaVersion: 1,
    name: 'Support',
    nodes: [
      { id: 'start', type: 'start', config: {} },
      { id: 'hello', type: 'send_message', config: { text: SUPPORT_GREETING } },
      { id: 'wait', type: 'wait_for_reply', config: { timeoutSeconds: 3600, saveAs: 'question' } },
      { id: 'bye?', type: 'condition', config: { rules: [{ port: 'bye', variable: 'question', op: 'contains', value: 'bye' }] } },
      { id: 'answer', type: 'llm_reply', config: { instructions: 'You are a helpful support agent.' } },
      { id: 'goodbye', type: 'end', config: { message: 'Goodbye!' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'hello' },
      { id: 'e2', source: 'hello', sourcePort: 'next', target: 'wait' },
      { id: 'e3', source: 'wait', sourcePort: 'replied', target: 'bye?' },
      { id: 'e4', source: 'bye?', sourcePort: 'bye', target: 'goodbye' },
      { id: 'e5', source: 'bye?', sourcePort: 'else', target: 'answer' },
      { id: 'e6', source: 'answer', sourcePort: 'next', target: 'wait' },
      { id: 'e7', source: 'wait', sourcePort: 'timeout', target: 'goodbye' },
    ],
    settings: { burstWindowMs: 0 },
  };
}
