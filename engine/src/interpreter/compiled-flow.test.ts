import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  builtinNodes,
  builtinSteps,
  compileFlow,
  createRegistry,
  defineActivityNode,
  DEFAULT_FALLBACK_MESSAGE,
  flowDocumentSchema,
  type FlowDocumentInput,
  type JsonObject,
} from '@baton/nodes';
import { advance, LOCAL_CALL_MAX_SECONDS } from './advance.js';
import { initialFlowState, type AdvanceResult, type EngineEvent, type FlowState } from './conversation-state.js';
import { prepareProgram, type Program } from './program.js';

// Published flows are compiled by the worker's `loadFlow` activity (`compileFlow`, with the
// worker's registry) and run by the interpreter from that compiled form, with the bundle's steps.

// The worker's registry: built-ins only. The custom node below exists only as the descriptor a
// published flow carries, as for a node package installed after the workflow bundle was built.
const registry = createRegistry(builtinNodes);
const ref = { id: 'conv1', botId: 'bot1', flowVersion: 4 };
const T0 = Date.parse('2026-01-05T10:00:00.000Z');

type NodeInput = FlowDocumentInput['nodes'][number];

const lookup = (extra: Partial<NodeInput> = {}): NodeInput => ({
  id: 'lookup',
  type: 'order_status',
  typeVersion: 2,
  config: { apiBase: 'https://shop.example', token: 'shop_token' },
  runtime: { activityOnly: { ports: ['found', 'not_found', 'error'], timeoutSeconds: 7, heartbeatSeconds: 3, maxAttempts: 4 } },
  ...extra,
});

function compile(nodes: NodeInput[], edges: [string, string, string][], settings: FlowDocumentInput['settings'] = {}, withRegistry = registry): Program {
  const doc = flowDocumentSchema.parse({
    schemaVersion: 1,
    name: 'custom',
    nodes: nodes.map((n) => ({ position: { x: 0, y: 0 }, ...n })),
    edges: edges.map(([source, sourcePort, target], i) => ({ id: `e${i}`, source, sourcePort, target })),
    settings,
  });
  // Through JSON, as the activity's result reaches the workflow.
  return prepareProgram(JSON.parse(JSON.stringify(compileFlow(doc, withRegistry))), builtinSteps);
}

const edges: [string, string, string][] = [
  ['start', 'next', 'lookup'],
  ['lookup', 'found', 'shipped'],
  ['lookup', 'not_found', 'unknown'],
  ['lookup', 'error', 'oops'],
];
const rest: NodeInput[] = [
  { id: 'start', type: 'start', config: {} },
  { id: 'shipped', type: 'send_message', config: { text: 'Order {{order.id}} is {{order.status}}.' } },
  { id: 'unknown', type: 'send_message', config: { text: 'No such order.' } },
  { id: 'oops', type: 'send_message', config: { text: 'The shop is not answering ({{lastError.code}}).' } },
];

function step(flow: Program, state: FlowState, event: EngineEvent): AdvanceResult {
  return advance(flow, state, event, T0);
}

function begin(flow: Program, vars: JsonObject = { order: { id: 'A-17' } }): AdvanceResult {
  return step(flow, initialFlowState(ref, { email: 'ann@example.com' }, vars), { type: 'start' });
}

describe('a compiled flow: an activity-only node known from its published descriptor', () => {
  const flow = compile([...rest, lookup()], edges);

  it('compiles to an activity-only node with the descriptor’s ports, and the config as written', () => {
    const node = flow.node('lookup')!;
    expect(node).toMatchObject({
      type: 'order_status',
      version: 2,
      runs: 'activity_only',
      activity: { name: 'node:order_status@2', timeoutSeconds: 7, heartbeatSeconds: 3, maxAttempts: 4 },
    });
    expect(node.ports).toEqual(['found', 'not_found', 'error']);
    expect(node.config).toEqual({ apiBase: 'https://shop.example', token: 'shop_token' });
    expect(node.configError).toBeUndefined();
    expect(node.routeMap.get('found')).toBe('shipped');
  });

  it('on entry, calls node:<type>@<version> with the config, every variable and the descriptor’s timeouts', () => {
    const started = begin(flow);
    expect(started.failures).toEqual([]);
    expect(started.visited).toEqual(['start', 'lookup']);
    expect(started.state.cursor).toEqual({
      nodeId: 'lookup',
      local: {},
      waiting: {
        for: 'activity',
        call: {
          activity: 'node:order_status@2',
          input: { config: { apiBase: 'https://shop.example', token: 'shop_token' }, vars: started.state.vars },
          timeoutSeconds: 7,
          heartbeatSeconds: 3,
          maxAttempts: 4,
          local: true,
        },
      },
    });
    expect(started.state.vars).toMatchObject({ order: { id: 'A-17' }, user: { email: 'ann@example.com' } });
  });

  it('without heartbeat or attempts in the descriptor, uses the engine’s default attempts', () => {
    const plain = compile([...rest, lookup({ runtime: { activityOnly: { ports: ['found'], timeoutSeconds: 2 } } })], edges);
    expect(begin(plain).state.cursor?.waiting).toEqual({
      for: 'activity',
      call: { activity: 'node:order_status@2', input: expect.any(Object), timeoutSeconds: 2, maxAttempts: 3, local: true },
    });
  });

  it('routes by the activity’s answer: says its messages, sets its variables, goes on from its port', () => {
    const started = begin(flow);
    const answered = step(flow, started.state, {
      type: 'activity_result',
      result: { port: 'found', say: ['Let me check…'], set: { 'order.status': 'shipped', 'order.carrier': 'DHL' } },
    });
    expect(answered.failures).toEqual([]);
    expect(answered.messages).toEqual([
      { id: 'conv1-b1', role: 'bot', text: 'Let me check…', nodeId: 'lookup' },
      { id: 'conv1-b2', role: 'bot', text: 'Order A-17 is shipped.', nodeId: 'shipped' },
    ]);
    expect(answered.state.vars['order']).toEqual({ id: 'A-17', status: 'shipped', carrier: 'DHL' });
    expect(answered.visited).toEqual(['shipped']);
    expect(answered.state.ended).toBe('no_route');

    const missing = step(flow, started.state, { type: 'activity_result', result: { port: 'not_found' } });
    expect(missing.messages.map((m) => m.text)).toEqual(['No such order.']);
  });

  it('a port the descriptor does not list is a soft failure of the node: its error port', () => {
    const result = step(flow, begin(flow).state, { type: 'activity_result', result: { port: 'backordered', say: ['Hmm.'] } });
    expect(result.failures).toEqual([{ nodeId: 'lookup', code: 'unknown_port', message: 'the node chose port "backordered", which it does not declare' }]);
    expect(result.state.vars['lastError']).toEqual({ nodeId: 'lookup', code: 'unknown_port' });
    expect(result.messages.map((m) => m.text)).toEqual(['Hmm.', 'The shop is not answering (unknown_port).']);
  });

  it('a port the descriptor does not list, without an error port, falls back', () => {
    const noErrorPort = compile([...rest, lookup()], edges.slice(0, 3), { onError: 'end', fallbackMessage: 'Sorry, something broke.' });
    const result = step(noErrorPort, begin(noErrorPort).state, { type: 'activity_result', result: { port: 'backordered' } });
    expect(result.failures.map((f) => f.code)).toEqual(['unknown_port']);
    expect(result.messages.map((m) => m.text)).toEqual(['Sorry, something broke.']);
    expect(result.state.ended).toBe('failed');
  });

  it('an answer that is not an activity-only result (refused by the activity’s wrapper) is a soft failure', () => {
    const result = step(flow, begin(flow).state, { type: 'activity_failed', code: 'invalid_activity_result', message: 'port: expected string' });
    expect(result.failures).toEqual([{ nodeId: 'lookup', code: 'invalid_activity_result', message: 'port: expected string' }]);
    expect(result.state.vars['lastError']).toEqual({ nodeId: 'lookup', code: 'invalid_activity_result' });
  });

  it('a call whose attempts may last longer than LOCAL_CALL_MAX_SECONDS runs as an ordinary activity', () => {
    const slow = compile([...rest, lookup({ runtime: { activityOnly: { ports: ['found'], timeoutSeconds: LOCAL_CALL_MAX_SECONDS + 1 } } })], edges);
    const waiting = begin(slow).state.cursor?.waiting;
    expect(waiting).toMatchObject({ for: 'activity', call: { timeoutSeconds: LOCAL_CALL_MAX_SECONDS + 1 } });
    expect(waiting?.for === 'activity' && waiting.call.local).toBeUndefined();
  });

  it('a failed activity goes to the error port', () => {
    const result = step(flow, begin(flow).state, { type: 'activity_failed', code: 'shop_down', message: '503' });
    expect(result.failures).toEqual([{ nodeId: 'lookup', code: 'shop_down', message: '503' }]);
    expect(result.messages.map((m) => m.text)).toEqual(['The shop is not answering (shop_down).']);
  });

  it('without a descriptor, an unknown node type is the usual soft failure when reached', () => {
    const { runtime: _runtime, ...bare } = lookup();
    const unknown = compile([...rest, bare], edges, { onError: 'end' });
    expect(unknown.node('lookup')).toMatchObject({ runs: 'missing' });
    expect(unknown.node('lookup')?.step).toBeUndefined();
    const result = begin(unknown);
    expect(result.failures).toEqual([{ nodeId: 'lookup', code: 'unknown_node', message: 'node "lookup" (order_status) is not installed on this worker' }]);
    expect(result.messages.map((m) => m.text)).toEqual([DEFAULT_FALLBACK_MESSAGE]);
    expect(result.state.ended).toBe('failed');
  });

  it('a descriptor needs the pinned version: without typeVersion the node is unknown', () => {
    const { typeVersion: _typeVersion, ...unpinned } = lookup();
    const unknown = compile([...rest, unpinned], edges, { onError: 'end' });
    expect(unknown.node('lookup')).toMatchObject({ runs: 'missing' });
    expect(begin(unknown).failures.map((f) => f.code)).toEqual(['unknown_node']);
  });

  it('a definition the worker has wins over the descriptor', () => {
    const installed = defineActivityNode({
      type: 'order_status',
      version: 2,
      title: 'Order status',
      description: '',
      category: 'integration',
      config: z.object({ apiBase: z.string(), token: z.string(), retries: z.number().default(1) }),
      ports: ['found', 'not_found', 'error'],
      activity: { timeoutSeconds: 30 },
    });
    const withPackage = compile([...rest, lookup()], edges, {}, createRegistry([...builtinNodes, installed]));
    // Its config parsed by its schema (the default applied) and its own timeouts, not the descriptor's.
    expect(withPackage.node('lookup')).toMatchObject({ runs: 'activity_only', activity: { timeoutSeconds: 30, maxAttempts: 3 } });
    expect(begin(withPackage).state.cursor?.waiting).toMatchObject({
      call: { timeoutSeconds: 30, maxAttempts: 3, input: { config: { apiBase: 'https://shop.example', token: 'shop_token', retries: 1 } } },
    });
  });
});
