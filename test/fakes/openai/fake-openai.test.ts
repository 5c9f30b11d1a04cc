import { networkInterfaces } from 'node:os';
import OpenAI from 'openai';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from './fake-openai.js';
import type { ErrorBody, FakeOpenAI } from './fake-openai.js';

const weatherTool: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const hi = [{ role: 'user' as const, content: 'Hi' }];

describe('fake OpenAI Chat Completions', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;
  // A request sent with fetch, bypassing the SDK's own checks.
  const post = async (body: unknown, headers: Record<string, string> = {}, path = '/chat/completions') => {
    const res = await fetch(fake.baseURL + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { res, json: (await res.json()) as ErrorBody };
  };

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 0 });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('answers a scripted text reply in the exact OpenAI shape', async () => {
    fake.enqueue({ text: 'Hello there' });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: hi })
      .withResponse();
    expect(data).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    });
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.system_fingerprint).toMatch(/^fp_/);
    expect(data.choices[0]?.message.tool_calls).toBeUndefined();
    expect(data.usage!.total_tokens).toBe(data.usage!.prompt_tokens + data.usage!.completion_tokens);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.headers.get('openai-processing-ms')).toMatch(/^\d+$/);
  });

  it('echoes the last user message when nothing is scripted, and uses the responder before that', async () => {
    const first = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'ping' }] }] });
    expect(first.choices[0]?.message.content).toBe('echo: ping');
    fake.setResponder((req) => ({ text: `${req.messages.length} messages` }));
    const second = await client.chat.completions.create({ model: 'm', messages: [{ role: 'system', content: 'Be brief' }, ...hi] });
    expect(second.choices[0]?.message.content).toBe('2 messages');
  });

  it('answers a scripted tool call that the SDK parses', async () => {
    fake.enqueue({ toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } });
    const res = await client.chat.completions.create({ model: 'm', messages: hi, tools: [weatherTool] });
    const choice = res.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0]!;
    expect(call.id).toMatch(/^call_/);
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
  });

  it('streams text in several chunks, with usage last when asked', async () => {
    fake.enqueue({ text: 'The quick brown fox jumps over the lazy dog' });
    const stream = await client.chat.completions.create({
      model: 'm', messages: hi, stream: true, stream_options: { include_usage: true },
    });
    let text = '';
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('The quick brown fox jumps over the lazy dog');
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(1);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('speaks server-sent events on the wire', async () => {
    fake.enqueue({ text: 'abc' });
    const res = await fetch(`${fake.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: hi, stream: true }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await res.text()).split('\n\n');
    expect(events.at(-1)).toBe('');
    expect(events.at(-2)).toBe('data: [DONE]');
    expect(events.slice(0, -2).every((e) => e.startsWith('data: {"id":"chatcmpl-'))).toBe(true);
  });

  it('streams a tool call, which the SDK stream helper reassembles', async () => {
    fake.enqueue({ toolCall: { name: 'get_weather', arguments: { city: 'Rome', unit: 'celsius' } } });
    const runner = client.chat.completions.stream({ model: 'm', messages: hi, tools: [weatherTool] });
    const final = await runner.finalChatCompletion();
    const choice = final.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    const call = choice.message.tool_calls![0]!;
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Rome', unit: 'celsius' });
  });

  it('rejects a wrong key with 401 invalid_api_key, without echoing the key', async () => {
    const wrongKey = 'sk-wrong-0123456789abcdef';
    const bad = new OpenAI({ apiKey: wrongKey, baseURL: fake.baseURL, maxRetries: 0 });
    const err = await bad.chat.completions.create({ model: 'm', messages: hi }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
    expect((err as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    expect(JSON.stringify(fake.rejected)).not.toContain(wrongKey);
    expect(fake.rejected[0]?.body.error.message).toContain('sk-***cdef');
    expect(fake.requests).toHaveLength(0);

    const { res } = await post({ model: 'm', messages: hi }, { authorization: '' });
    expect(res.status).toBe(401);
  });

  it('rejects malformed bodies with 400 naming the field', async () => {
    const cases: [unknown, string | null][] = [
      [{ model: 'm', messages: [{ role: 'user', content: 42 }] }, 'messages[0].content'],
      [{ model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
      [{ model: 'm', messages: [] }, 'messages'],
      [{ model: 'm', messages: hi, temperature: 3 }, 'temperature'],
      [{ model: 'm', messages: hi, max_tokens: 0 }, 'max_tokens'],
      [{ model: 'm', messages: hi, tools: [{ type: 'function', function: { name: 'has space' } }] }, 'tools[0].function.name'],
      [{ model: 'm', messages: [{ role: 'tool', tool_call_id: 'call_1', content: '{}' }] }, 'messages[0].tool_call_id'],
      [{ model: 'm', messages: [...hi, { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] }] }, 'messages[1].tool_calls'],
      [{ model: 'm', messages: hi, tool_choice: 'auto' }, 'tool_choice'],
    ];
    for (const [body, param] of cases) {
      const { res, json } = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(json.error).toMatchObject({ type: 'invalid_request_error', param });
      expect(json.error.message).toContain(param);
    }
    expect(fake.rejected).toHaveLength(cases.length);
    expect(fake.requests).toHaveLength(0);

    const notJson = await post('{"model": ');
    expect(notJson.res.status).toBe(400);
    expect(notJson.json.error.message).toMatch(/could not parse the JSON body/);
  });

  it('rejects a missing model with 400, through the SDK too', async () => {
    const { res, json } = await post({ messages: hi });
    expect(res.status).toBe(400);
    expect(json.error).toMatchObject({ param: 'model', code: 'missing_required_parameter', message: "Missing required parameter: 'model'." });
    const err = await client.chat.completions.create({ model: '', messages: hi }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('answers unknown paths with an OpenAI-shaped 404', async () => {
    const { res, json } = await post({}, {}, '/completions/nope');
    expect(res.status).toBe(404);
    expect(json.error.message).toBe('Invalid URL (POST /v1/completions/nope)');
  });

  it('fails loudly, without SDK retries, when the test scripts a tool the request did not offer', async () => {
    fake.enqueue({ toolCall: { name: 'refund_order', arguments: {} } });
    const retrying = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 2 });
    const err = await retrying.chat.completions.create({ model: 'm', messages: hi, tools: [weatherTool] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(String(err)).toMatch(/scripted a call to tool 'refund_order' but the request did not offer it/);
    expect(fake.requests.map((r) => r.status)).toEqual([500]);
  });

  it('sends 429 with retry-after and rate-limit headers; the SDK retries and then succeeds', async () => {
    fake.failNext(429, { retryAfterSeconds: 0 });
    fake.enqueue({ text: 'after the storm' });
    const retrying = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 2 });
    const res = await retrying.chat.completions.create({ model: 'm', messages: hi });
    expect(res.choices[0]?.message.content).toBe('after the storm');
    expect(fake.requests.map((r) => [r.status, r.retryCount])).toEqual([[429, '0'], [200, '1']]);

    fake.failNext(429, { retryAfterSeconds: 7 });
    const { res: raw, json } = await post({ model: 'gpt-4o', messages: hi });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('7');
    expect(raw.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(raw.headers.get('x-ratelimit-limit-requests')).toBeTruthy();
    expect(json.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
  });

  it('fails 500 three times: the SDK gives up after maxRetries 2', async () => {
    fake.failNext(500, { times: 3, retryAfterSeconds: 0 });
    const retrying = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 2 });
    const err = await retrying.chat.completions.create({ model: 'm', messages: hi }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(fake.requests.map((r) => r.retryCount)).toEqual(['0', '1', '2']);
    // the failure was used up, the next call succeeds
    expect((await client.chat.completions.create({ model: 'm', messages: hi })).choices[0]?.message.content).toBe('echo: Hi');
  });

  it('maps failNext(404) and failNext(401) to the SDK error classes', async () => {
    fake.failNext(404);
    fake.failNext(401);
    const notFound = await client.chat.completions.create({ model: 'gpt-9', messages: hi }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(OpenAI.NotFoundError);
    expect((notFound as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    await expect(client.chat.completions.create({ model: 'm', messages: hi })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('answers scripted errors from the queue', async () => {
    fake.enqueue({ error: { status: 400, message: 'too long', code: 'context_length_exceeded' } });
    const err = await client.chat.completions.create({ model: 'm', messages: hi }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded');
  });

  it('delays answers so that the SDK timeout fires', async () => {
    fake.delayNext(10_000);
    const started = Date.now();
    const err = await client.chat.completions.create({ model: 'm', messages: hi }, { timeout: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    // Far sooner than the fake's delay: the client's timeout ended it.
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('records requests in order, with the messages the SDK sent and a masked key', async () => {
    fake.enqueue({ toolCall: { name: 'get_weather', arguments: { city: 'Oslo' } }, text: 'Let me check.' }, { text: 'Cold.' });
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Oslo?' }];
    const first = await client.chat.completions.create({ model: 'm', messages, tools: [weatherTool], temperature: 0 });
    const assistant = first.choices[0]!.message;
    expect(assistant.content).toBe('Let me check.');
    messages.push(assistant, { role: 'tool', tool_call_id: assistant.tool_calls![0]!.id, content: '{"celsius":-3}' });
    const second = await client.chat.completions.create({ model: 'm', messages, tools: [weatherTool] });
    expect(second.choices[0]?.message.content).toBe('Cold.');

    expect(fake.requests.map((r) => r.body.messages.map((m) => m.role))).toEqual([['user'], ['user', 'assistant', 'tool']]);
    expect(fake.requests[0]?.body.temperature).toBe(0);
    expect(fake.requests[1]?.body.messages[2]).toMatchObject({ role: 'tool', content: '{"celsius":-3}' });
    expect(fake.requests[0]?.authorization).toBe(`Bearer sk-***${fake.apiKey.slice(-4)}`);
  });

  it('binds 127.0.0.1 only', async () => {
    const { hostname, port } = new URL(fake.baseURL);
    expect(hostname).toBe('127.0.0.1');
    const others = Object.values(networkInterfaces()).flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4').map((a) => a!.address);
    for (const host of ['[::1]', ...others])
      await expect(fetch(`http://${host}:${port}/v1/chat/completions`, { method: 'POST' })).rejects.toThrow();
  });
});
