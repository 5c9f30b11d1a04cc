import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runActivity, runStep } from '../testing/index.js';
import { activityOnlyResultSchema, defineActivityNode } from './define-activity-node.js';
import { implementActivity } from './implement-activity.js';
import { nodeTypeManifest } from './manifest.js';
import { createRegistry } from './registry.js';
import { ui } from './ui.js';

const leadScore = defineActivityNode({
  type: 'lead_score',
  version: 1,
  title: 'Score the lead',
  description: 'Asks the CRM how hot this lead is.',
  category: 'integration',
  config: z.object({
    threshold: z.number().int().min(0).max(100).default(70).meta(ui({ label: 'Threshold' })),
    crm: z.string().min(1).meta(ui({ label: 'CRM' })),
  }),
  ports: ['hot', 'cold', 'error'],
  activity: { timeoutSeconds: 10, heartbeatSeconds: 5, maxAttempts: 2 },
  setsVariables: () => ['lead.score'],
});

describe('defineActivityNode', () => {
  it('declares an activity-only node with the activity limits it was given', () => {
    expect(leadScore.activityOnly).toBe(true);
    expect(leadScore.activity).toMatchObject({ timeoutSeconds: 10, heartbeatSeconds: 5, maxAttempts: 2, result: activityOnlyResultSchema });
    expect(Object.isFrozen(leadScore)).toBe(true);
    expect(createRegistry([leadScore]).get('lead_score', 1)).toBe(leadScore);
    expect(nodeTypeManifest(leadScore)).toMatchObject({ hasActivity: true, ports: ['hot', 'cold', 'error'], defaultConfig: {}, setsVariables: [] });
  });

  it('keeps the checks of defineNode on type and version', () => {
    const declare = (type: string, version: number) => () =>
      defineActivityNode({ type, version, title: 'x', description: '', category: 'integration', config: z.object({}), ports: ['next'], activity: { timeoutSeconds: 1 } });
    expect(declare('LeadScore', 1)).toThrow(/must be snake_case/);
    expect(declare('lead_score', 0)).toThrow(/version must be a positive integer/);
  });

  it('on enter, calls the activity with the parsed config (defaults applied) and every variable', () => {
    const vars = { user: { email: 'ann@example.com', name: 'Ann' }, cart: { total: 42 }, lastMessage: 'hi' };
    const out = runStep(leadScore, { config: { crm: 'hubspot' }, vars });
    expect(out.say).toEqual([]);
    expect(out.then).toEqual({ call: { config: { threshold: 70, crm: 'hubspot' }, vars } });
  });

  it('refuses a config its schema refuses, before any call', () => {
    expect(() => runStep(leadScore, { config: { crm: 'hubspot', threshold: 101 } })).toThrow(/invalid config: threshold/);
    expect(() => runStep(leadScore, { config: {} as never })).toThrow(/invalid config: crm/);
  });

  it('on result, says the messages, sets the variables and leaves through the port the activity chose', () => {
    const out = runStep(leadScore, {
      config: { crm: 'hubspot' },
      result: { port: 'hot', say: ['You are a priority customer.', 'A person will call you.'], set: { 'lead.score': 91, 'lead.tier': 'gold' } },
    });
    expect(out).toEqual({
      say: ['You are a priority customer.', 'A person will call you.'],
      set: { 'lead.score': 91, 'lead.tier': 'gold' },
      then: { go: 'hot' },
    });
  });

  it('on a bare result, says nothing and sets nothing', () => {
    const out = runStep(leadScore, { config: { crm: 'hubspot' }, result: { port: 'cold' } });
    expect(out).toEqual({ say: [], set: {}, then: { go: 'cold' } });
  });

  it('a port the node does not declare is refused as the engine would', () => {
    expect(() => runStep(leadScore, { config: { crm: 'hubspot' }, result: { port: 'lukewarm' } })).toThrow(/chose port "lukewarm", which the node does not declare/);
  });
});

describe('activityOnlyResultSchema', () => {
  const parse = (value: unknown) => activityOnlyResultSchema.safeParse(value);
  const paths = (value: unknown) => {
    const result = parse(value);
    return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
  };

  it('needs a port', () => {
    expect(paths({})).toEqual(['port']);
    expect(paths({ port: '' })).toEqual(['port']);
    expect(paths({ say: ['hi'] })).toEqual(['port']);
    expect(parse({ port: 'next' }).success).toBe(true);
  });

  it('takes at most 10 messages of at most 4000 characters', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `message ${i}`);
    expect(parse({ port: 'next', say: ten }).success).toBe(true);
    expect(paths({ port: 'next', say: [...ten, 'one too many'] })).toEqual(['say']);
    expect(parse({ port: 'next', say: ['x'.repeat(4000)] }).success).toBe(true);
    expect(paths({ port: 'next', say: ['x'.repeat(4001)] })).toEqual(['say.0']);
    expect(paths({ port: 'next', say: 'not a list' })).toEqual(['say']);
  });

  it('sets only valid variable names, to JSON values', () => {
    expect(parse({ port: 'next', set: { score: 1, 'lead.tier': 'gold', list: [1, { a: null }] } }).success).toBe(true);
    for (const name of ['lead score', '1st', 'a..b', 'user.constructor', 'prototype', '']) {
      expect(parse({ port: 'next', set: { [name]: 1 } }).success, name).toBe(false);
    }
    // What comes back from a worker is parsed JSON: `__proto__` is an own key there, and must not
    // reach the variables.
    const proto = parse(JSON.parse('{"port":"next","set":{"__proto__":{"polluted":true}}}'));
    expect(proto.success && Object.keys(proto.data.set ?? {})).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(parse({ port: 'next', set: { when: new Date() } }).success).toBe(false);
    expect(parse({ port: 'next', set: { fn: () => 1 } }).success).toBe(false);
  });
});

describe('implementActivity on an activity-only node', () => {
  const activity = implementActivity(leadScore, async ({ config, vars }) => {
    const score = Number((vars['cart'] as { total: number }).total);
    return {
      port: score >= config.threshold ? 'hot' : 'cold',
      say: [`${config.crm}: ${score}/${config.threshold}`],
      set: { 'lead.score': score },
    };
  });

  it('gets the config parsed by the node schema, defaults applied', async () => {
    const result = await runActivity(activity, { config: { crm: 'hubspot' }, vars: { cart: { total: 80 } } });
    expect(result).toEqual({ port: 'hot', say: ['hubspot: 80/70'], set: { 'lead.score': 80 } });
    const cold = await runActivity(activity, { config: { crm: 'pipedrive', threshold: 90 }, vars: { cart: { total: 80 } } });
    expect(cold).toEqual({ port: 'cold', say: ['pipedrive: 80/90'], set: { 'lead.score': 80 } });
  });

  it('is refused a config the node schema refuses', async () => {
    await expect(runActivity(activity, { config: { crm: '' }, vars: {} })).rejects.toThrow(/invalid activity input: config\.crm/);
  });

  it('must answer a valid result', async () => {
    const broken = implementActivity(leadScore, async () => ({ port: 'hot', set: { 'not a name': 1 } }));
    await expect(runActivity(broken, { config: { crm: 'x' }, vars: {} })).rejects.toThrow(/invalid activity result: set/);
  });
});
