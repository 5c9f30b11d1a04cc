import type { FlowDocumentInput, JsonObject } from '@baton/nodes';
import { SUPPORT_GREETING, supportFlow } from '../../test/e2e/flows.js';

/** What the bot of the representative flow says first. */
export const GREETING = SUPPORT_GREETING;

/** What the fake LLM answers: derived from the question, so every reply can be matched to its message. */
export const llmAnswer = (question: string): string => `Echo: ${question}`;

/**
 * The representative flow of the latency benchmark: the end-to-end tests' support flow,
 * send_message → wait_for_reply → condition → llm_reply → back to the wait.
 * `burstWindowMs` undefined leaves the flow's default window (1 s).
 */
export function representativeFlow(burstWindowMs: number | undefined): FlowDocumentInput {
  const { settings: _settings, ...flow } = supportFlow();
  return {
    ...flow,
    name: burstWindowMs === undefined ? 'Bench (default burst window)' : `Bench (burst window ${burstWindowMs} ms)`,
    ...(burstWindowMs === undefined ? {} : { settings: { burstWindowMs } }),
  };
}

/**
 * A big, valid flow for the editor benchmark: `count` nodes on a grid, a chain of
 * send_message / set_variable / condition / wait_for_reply / llm_reply nodes, every condition's
 * second exit jumping a row ahead, ending in an `end` node.
 */
export function generatedFlow(count: number): FlowDocumentInput {
  const columns = 25;
  const nodes: FlowDocumentInput['nodes'] = [];
  const edges: FlowDocumentInput['edges'] = [];
  const position = (i: number) => ({ x: (i % columns) * 320, y: Math.floor(i / columns) * 180 });
  nodes.push({ id: 'start', type: 'start', config: {}, position: position(0) });
  const kinds = ['send_message', 'set_variable', 'condition', 'wait_for_reply', 'llm_reply'] as const;
  const idOf = (i: number) => (i === 0 ? 'start' : i === count - 1 ? 'end' : `n${i}`);
  for (let i = 1; i < count - 1; i++) {
    const kind = kinds[(i - 1) % kinds.length]!;
    const config: JsonObject =
      kind === 'send_message'
        ? { text: `Step ${i}: tell the user something useful about {{topic}}.` }
        : kind === 'set_variable'
          ? { name: `v${i}`, value: `value ${i}` }
          : kind === 'condition'
            ? { rules: [{ port: 'yes', variable: 'question', op: 'contains', value: `k${i}` }] }
            : kind === 'wait_for_reply'
              ? { timeoutSeconds: 600, saveAs: 'question' }
              : { instructions: `Answer question ${i} briefly.` };
    nodes.push({ id: idOf(i), type: kind, config, position: position(i) });
  }
  nodes.push({ id: 'end', type: 'end', config: { message: 'Bye' }, position: position(count - 1) });
  const portOut = (type: string): string[] =>
    type === 'condition' ? ['yes', 'else'] : type === 'wait_for_reply' ? ['replied', 'timeout'] : ['next'];
  let e = 0;
  for (let i = 0; i < count - 1; i++) {
    const node = nodes[i]!;
    const [first, ...others] = portOut(node.type);
    edges.push({ id: `e${++e}`, source: idOf(i), sourcePort: first!, target: idOf(i + 1) });
    for (const port of others) edges.push({ id: `e${++e}`, source: idOf(i), sourcePort: port, target: idOf(Math.min(count - 1, i + columns)) });
  }
  return { schemaVersion: 1, name: `Generated flow of ${count} nodes`, nodes, edges };
}
