import { describe, expect, it } from 'vitest';
import { NodeError } from '../../sdk/activity.js';
import { fakeLlm, runActivity } from '../../testing/index.js';
import { HANDOFF_TOOL, llmReplyActivity } from './llm-reply.activity.js';

const input = {
  model: '',
  instructions: 'You are the ACME assistant.',
  escalationHint: 'the user asks for a refund',
  history: [
    { role: 'bot' as const, text: 'Hi!' },
    { role: 'user' as const, text: 'Where is my order?' },
    { role: 'agent' as const, text: 'A human said this.' },
    { role: 'user' as const, text: 'And a refund?' },
  ],
};

describe('llm_reply activity', () => {
  it('sends the instructions as system and maps history roles (bot and agent are the assistant)', async () => {
    const llm = fakeLlm({ text: 'It ships tomorrow.' });
    const result = await runActivity(llmReplyActivity, { ...input, model: 'gpt-test', temperature: 0.2 }, { llm });
    expect(result).toEqual({ text: 'It ships tomorrow.', escalate: false });
    expect(llm.requests).toHaveLength(1);
    const request = llm.requests[0]!;
    expect(request.system).toBe('You are the ACME assistant.');
    expect(request.model).toBe('gpt-test');
    expect(request.temperature).toBe(0.2);
    expect(request.messages).toEqual([
      { role: 'assistant', content: 'Hi!' },
      { role: 'user', content: 'Where is my order?' },
      { role: 'assistant', content: 'A human said this.' },
      { role: 'user', content: 'And a refund?' },
    ]);
    expect(request.signal).toBeInstanceOf(AbortSignal);
  });

  it('leaves model and temperature out when not given', async () => {
    const llm = fakeLlm({ text: 'ok' });
    await runActivity(llmReplyActivity, input, { llm });
    expect(llm.requests[0]).not.toHaveProperty('model');
    expect(llm.requests[0]).not.toHaveProperty('temperature');
  });

  it('offers the handoff tool, described by the escalation hint, only when there is a hint', async () => {
    const llm = fakeLlm({ text: 'a' }, { text: 'b' });
    await runActivity(llmReplyActivity, input, { llm });
    await runActivity(llmReplyActivity, { ...input, escalationHint: '' }, { llm });
    const [withHint, withoutHint] = llm.requests;
    expect(withHint?.tools).toEqual([
      expect.objectContaining({
        name: HANDOFF_TOOL,
        description: expect.stringContaining('the user asks for a refund'),
        parameters: expect.objectContaining({ type: 'object', required: ['reason'] }),
      }),
    ]);
    expect(withoutHint?.tools ?? []).toEqual([]);
  });

  it('escalates with the reason when the model calls the handoff tool', async () => {
    const llm = fakeLlm({ text: '', toolCalls: [{ name: HANDOFF_TOOL, arguments: { reason: 'wants a refund' } }] });
    expect(await runActivity(llmReplyActivity, input, { llm })).toEqual({ text: '', escalate: true, reason: 'wants a refund' });
  });

  it('escalates without a reason when the tool arguments carry none', async () => {
    const llm = fakeLlm({ text: 'One moment.', toolCalls: [{ name: HANDOFF_TOOL, arguments: { reason: 42 } }] });
    expect(await runActivity(llmReplyActivity, input, { llm })).toEqual({ text: 'One moment.', escalate: true });
  });

  it('ignores calls of other tools', async () => {
    const llm = fakeLlm({ text: 'Answer.', toolCalls: [{ name: 'lookup', arguments: {} }] });
    expect(await runActivity(llmReplyActivity, input, { llm })).toEqual({ text: 'Answer.', escalate: false });
  });

  it('throws a retryable NodeError when the model answers with nothing', async () => {
    const llm = fakeLlm({ text: '  \n ' });
    const error = await runActivity(llmReplyActivity, input, { llm }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeError);
    expect(error).toMatchObject({ code: 'empty_completion', retryable: true });
  });

  it('lets errors of the LLM client through unchanged', async () => {
    const failure = new NodeError('llm_http_429', 'slow down', { retryable: true, retryAfterMs: 2000 });
    const llm = fakeLlm(failure);
    await expect(runActivity(llmReplyActivity, input, { llm })).rejects.toBe(failure);
  });
});
