import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../sdk/step.js';
import { runStep } from '../../testing/index.js';
import { llmReplyNode } from './llm-reply.node.js';
import { lastRounds } from './llm-reply.step.js';

const history: HistoryEntry[] = [
  { role: 'bot', text: 'Welcome!' },
  { role: 'user', text: 'q1' },
  { role: 'bot', text: 'a1' },
  { role: 'user', text: 'q2' },
  { role: 'agent', text: 'a2 from a human' },
  { role: 'user', text: 'q3' },
];

describe('llm_reply', () => {
  it('calls the activity with rendered instructions and escalation hint and the last rounds', () => {
    const out = runStep(llmReplyNode, {
      config: {
        instructions: 'You help {{user.name}} of {{company | ACME}}.',
        escalationHint: 'The user asks about order {{order.id}}.',
        historyRounds: 1,
        temperature: 0.3,
        model: 'gpt-test',
      },
      vars: { user: { name: 'Ann' }, order: { id: 7 } },
      history,
    });
    expect(out).toEqual({
      say: [],
      then: {
        call: {
          model: 'gpt-test',
          instructions: 'You help Ann of ACME.',
          escalationHint: 'The user asks about order 7.',
          temperature: 0.3,
          history: [
            { role: 'user', text: 'q2' },
            { role: 'agent', text: 'a2 from a human' },
            { role: 'user', text: 'q3' },
          ],
        },
      },
    });
  });

  it('leaves temperature out when not set and sends an empty hint by default', () => {
    const out = runStep(llmReplyNode, { config: { instructions: 'Be nice.' }, history });
    expect(out.then).toEqual({
      call: { model: '', instructions: 'Be nice.', escalationHint: '', history },
    });
  });

  it('says the answer and goes to next', () => {
    const out = runStep(llmReplyNode, { config: { instructions: 'x' }, result: { text: '  Sure, here it is. ', escalate: false } });
    expect(out).toEqual({ say: ['Sure, here it is.'], set: {}, then: { go: 'next' } });
  });

  it('goes to escalate when the model asked for a human, saying its text if any', () => {
    const silent = runStep(llmReplyNode, { config: { instructions: 'x' }, result: { text: '', escalate: true, reason: 'angry' } });
    expect(silent).toEqual({ say: [], set: {}, then: { go: 'escalate' } });
    const spoken = runStep(llmReplyNode, { config: { instructions: 'x' }, result: { text: 'Let me get someone.', escalate: true } });
    expect(spoken.say).toEqual(['Let me get someone.']);
    expect(spoken.then).toEqual({ go: 'escalate' });
  });

  it('saves the answer under saveAs', () => {
    const out = runStep(llmReplyNode, { config: { instructions: 'x', saveAs: 'ai.answer' }, result: { text: 'Yes.', escalate: false } });
    expect(out.set).toEqual({ 'ai.answer': 'Yes.' });
    expect(llmReplyNode.setsVariables?.(llmReplyNode.config.parse({ instructions: 'x', saveAs: 'ai.answer' }))).toEqual(['ai.answer']);
  });

  it('refuses a result that does not match the activity result schema', () => {
    expect(() => runStep(llmReplyNode, { config: { instructions: 'x' }, result: { text: 1 } as never })).toThrow(/invalid activity result: text:/);
  });

  it('requires instructions', () => {
    expect(() => runStep(llmReplyNode, { config: { instructions: '' } })).toThrow(/instructions: must not be empty/);
  });
});

describe('lastRounds', () => {
  it('keeps the latest user turn plus the given number of earlier rounds', () => {
    expect(lastRounds(history, 0)).toEqual([{ role: 'user', text: 'q3' }]);
    expect(lastRounds(history, 2)).toEqual(history.slice(1));
    expect(lastRounds(history, 10)).toEqual(history);
  });

  it('keeps bot lines that follow the latest user turn', () => {
    const tail: HistoryEntry[] = [...history, { role: 'bot', text: 'checking…' }];
    expect(lastRounds(tail, 0)).toEqual([{ role: 'user', text: 'q3' }, { role: 'bot', text: 'checking…' }]);
  });

  it('returns a copy of a history without user turns', () => {
    const onlyBot: HistoryEntry[] = [{ role: 'bot', text: 'hi' }];
    const copy = lastRounds(onlyBot, 0);
    expect(copy).toEqual(onlyBot);
    expect(copy).not.toBe(onlyBot);
  });
});
