import { describe, expect, it } from 'vitest';
import { configSummary } from './config-summary.js';
import { exportFileName, parseFlowFile, serializeFlow } from './flow-file.js';
import { manifestOf, sampleFlow } from '../../testing/test-manifest.js';

describe('card summary', () => {
  it('shows what the node says, else its list, choice or number', () => {
    expect(configSummary(manifestOf('send_message'), { text: 'Hello\n  there' })).toBe('Hello there');
    expect(configSummary(manifestOf('send_message'), { text: 'x'.repeat(100) }, 20)).toBe(`${'x'.repeat(19)}…`);
    expect(configSummary(manifestOf('condition'), { rules: [{ port: 'a' }, { port: 'b' }] })).toBe('2 rules');
    expect(configSummary(manifestOf('condition'), { rules: [{ port: 'a' }] })).toBe('1 rule');
    expect(configSummary(manifestOf('wait_for_reply'), {})).toBe('Timeout (seconds): 300');
    expect(configSummary(manifestOf('assign_to_user'), { assignTo: 'team' })).toBe('Assign to: Team');
    expect(configSummary(manifestOf('start'), {})).toBe('');
    expect(configSummary(undefined, { text: 'x' })).toBe('');
  });
});

describe('import and export files', () => {
  it('reads back what it writes', () => {
    const flow = sampleFlow();
    expect(parseFlowFile(serializeFlow(flow))).toEqual({ ok: true, flow });
  });

  it('says what is wrong with a file in words', () => {
    expect(parseFlowFile('{nope')).toMatchObject({ ok: false, error: expect.stringMatching(/^This file is not JSON/) });
    const result = parseFlowFile(JSON.stringify({ schemaVersion: 1, nodes: [{ id: '', type: 'start' }], edges: [] }));
    expect(result).toEqual({ ok: false, error: 'This file is not a Baton flow: nodes.0.id: must not be empty.' });
    expect(parseFlowFile('[]')).toMatchObject({ ok: false, error: expect.stringContaining('the document') });
  });

  it('names the export after the bot', () => {
    expect(exportFileName('Support bot')).toBe('Support bot.flow.json');
    expect(exportFileName('a/b: c?')).toBe('a-b- c-.flow.json');
    expect(exportFileName('  ')).toBe('flow.flow.json');
  });
});
