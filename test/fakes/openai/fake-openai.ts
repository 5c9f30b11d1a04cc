/**
 * A local fake of the OpenAI Chat Completions API (`POST /v1/chat/completions`) for integration
 * tests. It validates requests the way the real service does, answers with scripted replies in
 * OpenAI's exact wire shape (JSON or server-sent events), and fails or stalls on demand.
 *
 *   const fake = await startFakeOpenAI();
 *   const client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL });
 *   fake.enqueue({ toolCall: { name: 'lookup_order', arguments: { id: '42' } } }, { text: 'Done.' });
 *
 * Mistakes in the test's own script (a tool call the request did not offer, a feature the fake does
 * not support) answer 500 with a `fake-openai:` message and `x-should-retry: false`, so the SDK
 * surfaces them at once instead of retrying.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Request schema (unknown keys are allowed everywhere, as the real API ignores or accepts them)

const TextPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const ImagePart = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string() }),
});
const TextContent = z.union([z.string(), z.array(TextPart)]);
const ToolCall = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});
const name = z.string().optional();

const Message = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: TextContent, name }),
  z.looseObject({ role: z.literal('developer'), content: TextContent, name }),
  z.looseObject({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [TextPart, ImagePart]))]),
    name,
  }),
  z.looseObject({
    role: z.literal('assistant'),
    content: TextContent.nullish(), // required unless tool_calls is present; checked below
    tool_calls: z.array(ToolCall).min(1).optional(),
    refusal: z.string().nullish(),
    name,
  }),
  z.looseObject({ role: z.literal('tool'), content: TextContent, tool_call_id: z.string() }),
]);

const Tool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const ToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
]);

const positiveInt = z.int().min(1).nullish();
const ChatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(Message).min(1),
  tools: z.array(Tool).optional(),
  tool_choice: ToolChoice.optional(),
  parallel_tool_calls: z.boolean().optional(),
  temperature: z.number().min(0).max(2).nullish(),
  max_tokens: positiveInt,
  max_completion_tokens: positiveInt,
  n: z.int().min(1).max(128).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  user: z.string().optional(),
});

export type ChatRequest = z.infer<typeof ChatRequestSchema>;
export type ChatMessage = ChatRequest['messages'][number];

// ---------------------------------------------------------------------------------------------
// Public API

export type ScriptedReply =
  | { text: string }
  | { toolCall: { name: string; arguments: Record<string, unknown> }; text?: string }
  | { error: { status: number; message?: string; type?: string; code?: string } };

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface RecordedRequest {
  body: ChatRequest;
  /** `Bearer <masked key>` */
  authorization: string;
  /** The SDK's `x-stainless-retry-count` header: "0" on the first attempt, "1" on the first retry... */
  retryCount: string | undefined;
  /** Status the fake answered with; 0 while in flight (e.g. delayed) or if the client gave up first. */
  status: number;
}

export interface RejectedRequest {
  status: number;
  body: ErrorBody;
}

export type FailStatus = 401 | 404 | 429 | 500 | 503;

export interface FakeOpenAI {
  /** e.g. http://127.0.0.1:PORT/v1 — pass to `new OpenAI({ baseURL })`. */
  baseURL: string;
  /** The only key accepted. */
  apiKey: string;
  /** Every request that passed authentication and validation, in arrival order (including those failed on demand). */
  requests: RecordedRequest[];
  /** Requests the fake refused: unknown path, bad key, malformed body, failed validation. */
  rejected: RejectedRequest[];
  /** FIFO of scripted answers; each request consumes one. */
  enqueue(...replies: ScriptedReply[]): void;
  /** Used when the queue is empty. */
  setResponder(fn: ((req: ChatRequest) => ScriptedReply | Promise<ScriptedReply>) | null): void;
  /** The next `times` (default 1) accepted requests fail with OpenAI-shaped errors; the queue is not consumed. */
  failNext(status: FailStatus, opts?: { retryAfterSeconds?: number; times?: number }): void;
  /** The next `times` (default 1) accepted requests wait `ms` before being answered. */
  delayNext(ms: number, times?: number): void;
  /** Clears queue, responder, pending failures and delays, and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  apiKey?: string;
  defaultReply?: (req: ChatRequest) => ScriptedReply;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const randomId = (length: number): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
};

/** Like OpenAI: never echo a key in full. */
export const maskKey = (key: string): string =>
  key.length > 10 ? `${key.slice(0, 3)}***${key.slice(-4)}` : '***';

const apiError = (
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): ErrorBody => ({ error: { message, type, param, code } });

/** Rough token estimate (about four characters per token). */
const tokens = (s: string): number => Math.ceil(s.length / 4);

const contentText = (content: ChatMessage['content']): string =>
  typeof content === 'string'
    ? content
    : (content ?? []).map((p) => (p.type === 'text' ? p.text : '')).join('');

/** Splits a string into up to four pieces, the way streamed deltas arrive. */
const pieces = (s: string): string[] => {
  const size = Math.max(1, Math.ceil(s.length / 4));
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
};

/** ['messages', 0, 'content'] -> "messages[0].content" */
const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)),
    '',
  );

const kindOf = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'number'
        ? Number.isInteger(v) ? 'an integer' : 'a decimal'
        : typeof v === 'object'
          ? 'an object'
          : `a ${typeof v}`;

type Problem = { param: string | null; message: string; code: string | null };

/** Turns a zod issue into the 400 body OpenAI would send, with messages modelled on OpenAI's. */
function describeIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): Problem {
  const path = [...prefix, ...issue.path];
  const param = formatPath(path) || null;
  const where = param ?? 'body';
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_union': {
      const { discriminator } = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator !== undefined) {
        // discriminatedUnion reports the object as input and the discriminator key in the path
        const value = (input as Record<string, unknown> | undefined)?.[discriminator];
        if (value === undefined) return missing(param);
        const options = ((issue as { options?: unknown[] }).options ?? []).map((o) => `'${String(o)}'`);
        return { param, code: 'invalid_value', message: `Invalid value for '${where}': '${String(value)}'. Supported values are: ${options.join(', ')}.` };
      }
      // Report the branch whose type matched, i.e. whose first issue is deeper than the union itself.
      const branch = issue.errors.find((b) => !b.some((i) => i.path.length === 0 && i.code === 'invalid_type'));
      if (branch?.[0]) return describeIssue(branch[0], path);
      if (input === undefined) return missing(param);
      const expected = issue.errors.map((b) => (b[0] as { expected?: string } | undefined)?.expected).filter(Boolean);
      return { param, code: 'invalid_type', message: `Invalid type for '${where}': expected one of ${expected.join(' or ')}, but got ${kindOf(input)} instead.` };
    }
    case 'invalid_type':
      if (input === undefined) return missing(param);
      return { param, code: 'invalid_type', message: `Invalid type for '${where}': expected ${issue.expected}, but got ${kindOf(input)} instead.` };
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum;
      const cmp = small ? '>=' : '<=';
      if (issue.origin === 'array' && small && Array.isArray(input) && input.length === 0)
        return { param, code: 'empty_array', message: `Invalid '${where}': empty array. Expected an array with minimum length ${String(bound)}, but got an empty array instead.` };
      if (issue.origin === 'number' || issue.origin === 'int') {
        const kind = issue.origin === 'int' || Number.isInteger(input) ? 'integer' : 'decimal';
        return { param, code: `${kind}_${small ? 'below_min' : 'above_max'}_value`, message: `Invalid '${where}': ${kind} ${small ? 'below minimum' : 'above maximum'} value. Expected a value ${cmp} ${String(bound)}, but got ${String(input)} instead.` };
      }
      return { param, code: `${issue.origin}_${small ? 'below_min' : 'above_max'}_length`, message: `Invalid '${where}': ${issue.origin} too ${small ? 'short' : 'long'}. Expected a length ${cmp} ${String(bound)}.` };
    }
    case 'invalid_format': {
      const pattern = (issue as { pattern?: string }).pattern?.replace(/^\/|\/$/g, '');
      return { param, code: 'invalid_value', message: `Invalid '${where}': string does not match pattern. Expected a string that matches the pattern '${pattern ?? issue.format}'.` };
    }
    case 'invalid_value':
      return { param, code: 'invalid_value', message: `Invalid value for '${where}': '${String(input)}'. Supported values are: ${issue.values.map((v) => `'${String(v)}'`).join(', ')}.` };
    default:
      return { param, code: 'invalid_value', message: `Invalid '${where}': ${issue.message}` };
  }
}

const missing = (param: string | null): Problem => ({
  param,
  code: 'missing_required_parameter',
  message: `Missing required parameter: '${param ?? 'body'}'.`,
});

/** Checks across fields and messages that a schema cannot express, as the real API does. */
function checkSemantics(req: ChatRequest): Problem | null {
  // Each assistant message with tool_calls must be followed directly by one tool message per call.
  let pending: { index: number; ids: Set<string> } | null = null;
  const unanswered = (p: { index: number; ids: Set<string> }): Problem => ({
    param: `messages[${p.index}].tool_calls`,
    code: null,
    message: `Invalid 'messages[${p.index}].tool_calls': an assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...p.ids].join(', ')}`,
  });
  for (const [i, m] of req.messages.entries()) {
    if (m.role === 'tool') {
      if (!pending?.ids.delete(m.tool_call_id))
        return { param: `messages[${i}].tool_call_id`, code: null, message: `Invalid parameter 'messages[${i}].tool_call_id': messages with role 'tool' must be a response to a preceding message with 'tool_calls'.` };
      continue;
    }
    if (pending && pending.ids.size > 0) return unanswered(pending);
    pending = null;
    if (m.role === 'assistant') {
      if (m.tool_calls) pending = { index: i, ids: new Set(m.tool_calls.map((c) => c.id)) };
      else if (m.content == null)
        return { param: `messages[${i}].content`, code: null, message: `Invalid value for 'messages[${i}].content': expected a string, got ${m.content === null ? 'null' : 'nothing'}.` };
    }
  }
  if (pending && pending.ids.size > 0) return unanswered(pending);
  const toolNames = (req.tools ?? []).map((t) => t.function.name);
  if (req.tool_choice !== undefined && toolNames.length === 0)
    return { param: 'tool_choice', code: null, message: "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified." };
  if (typeof req.tool_choice === 'object' && !toolNames.includes(req.tool_choice.function.name))
    return { param: 'tool_choice', code: null, message: `Invalid value for 'tool_choice': function '${req.tool_choice.function.name}' is not among 'tools'.` };
  if (req.stream_options != null && !req.stream)
    return { param: 'stream_options', code: null, message: "The 'stream_options' parameter is only allowed when 'stream' is enabled." };
  return null;
}

/** Mistakes in the test's script, or features the fake does not implement. */
function checkScript(req: ChatRequest, reply: ScriptedReply): string | null {
  if ((req.n ?? 1) !== 1) return 'n > 1 is not supported by the fake';
  if ('error' in reply) return null;
  const offered = (req.tools ?? []).map((t) => t.function.name);
  const choice = req.tool_choice;
  if ('toolCall' in reply) {
    const { name } = reply.toolCall;
    if (!offered.includes(name))
      return `the test scripted a call to tool '${name}' but the request did not offer it (offered: ${offered.join(', ') || 'no tools'})`;
    if (choice === 'none') return `the test scripted a call to tool '${name}' but the request set tool_choice 'none'`;
    if (typeof choice === 'object' && choice.function.name !== name)
      return `the test scripted a call to tool '${name}' but the request forced tool '${choice.function.name}'`;
  } else if (choice === 'required' || typeof choice === 'object') {
    return 'the test scripted a text reply but the request forced a tool call (tool_choice)';
  }
  return null;
}

function defaultErrorBody(status: number, model: string | undefined, key: string): ErrorBody {
  switch (status) {
    case 401:
      return apiError(`Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key');
    case 404:
      return apiError(`The model \`${model ?? 'unknown'}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
    case 429:
      return apiError(`Rate limit reached for ${model ?? 'the model'} in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.`, 'requests', 'rate_limit_exceeded');
    case 500:
      return apiError('The server had an error while processing your request. Sorry about that!', 'server_error');
    case 503:
      return apiError('The engine is currently overloaded, please try again later.', 'server_error');
    default:
      return apiError(`Request failed with status ${status}.`, status >= 500 ? 'server_error' : 'invalid_request_error');
  }
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

// ---------------------------------------------------------------------------------------------
// Server

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const apiKey = opts.apiKey ?? `sk-fake-${randomId(32)}`;
  const fingerprint = `fp_${randomBytes(5).toString('hex')}`;
  const requests: RecordedRequest[] = [];
  const rejected: RejectedRequest[] = [];
  const queue: ScriptedReply[] = [];
  const failures: { status: FailStatus; retryAfterSeconds: number | undefined }[] = [];
  const delays: number[] = [];
  let responder: ((req: ChatRequest) => ScriptedReply | Promise<ScriptedReply>) | null = null;

  const echo = (req: ChatRequest): ScriptedReply => {
    const lastUser = req.messages.findLast((m) => m.role === 'user');
    return { text: `echo: ${lastUser ? contentText(lastUser.content) : ''}` };
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const writeHead = (status: number, headers: OutgoingHttpHeaders): void =>
      void res.writeHead(status, {
        'content-type': 'application/json',
        'x-request-id': `req_${randomBytes(16).toString('hex')}`,
        'openai-processing-ms': String(Date.now() - started),
        'openai-version': '2020-10-01',
        ...headers,
      });
    const send = (status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void => {
      if (res.destroyed) return; // the client gave up (e.g. its timeout fired)
      writeHead(status, headers);
      res.end(JSON.stringify(body));
    };
    const reject = (status: number, body: ErrorBody): void => {
      rejected.push({ status, body });
      send(status, body);
    };

    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/v1/chat/completions')
      return reject(404, apiError(`Invalid URL (${req.method ?? 'GET'} ${path})`, 'invalid_request_error'));
    if (req.method !== 'POST')
      return reject(405, apiError(`Method ${req.method ?? ''} not allowed on ${path}; use POST.`, 'invalid_request_error'));

    const auth = req.headers.authorization ?? '';
    const sentKey = /^Bearer (.+)$/.exec(auth)?.[1]?.trim();
    if (!sentKey)
      return reject(401, apiError("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.", 'invalid_request_error'));
    if (sentKey !== apiKey) return reject(401, defaultErrorBody(401, undefined, sentKey));

    const contentType = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(contentType))
      return reject(400, apiError(`Invalid Content-Type header (${contentType || 'none'}), expected application/json.`, 'invalid_request_error'));
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return reject(400, apiError("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)", 'invalid_request_error'));
    }
    const parsed = ChatRequestSchema.safeParse(json, { reportInput: true });
    const problem = parsed.success
      ? checkSemantics(parsed.data)
      : parsed.error.issues[0] && describeIssue(parsed.error.issues[0]);
    if (problem || !parsed.success)
      return reject(400, apiError(problem?.message ?? 'Invalid request.', 'invalid_request_error', problem?.code ?? null, problem?.param ?? null));
    const body = parsed.data;

    const retryCount = req.headers['x-stainless-retry-count'];
    const record: RecordedRequest = {
      body,
      authorization: `Bearer ${maskKey(sentKey)}`,
      retryCount: Array.isArray(retryCount) ? retryCount[0] : retryCount,
      status: 0,
    };
    requests.push(record);

    // Take this request's failure / delay / queued reply now, so concurrent requests get them in arrival order.
    const failure = failures.shift();
    const delay = delays.shift();
    const queued = failure ? undefined : queue.shift();

    if (delay)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        res.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    if (res.destroyed) return;

    const rateHeaders = (remaining: number, reset: string): OutgoingHttpHeaders => ({
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-remaining-requests': String(remaining),
      'x-ratelimit-reset-requests': reset,
      'x-ratelimit-limit-tokens': '30000000',
      'x-ratelimit-remaining-tokens': '29999000',
      'x-ratelimit-reset-tokens': '2ms',
    });
    const fail = (status: number, error: ErrorBody, retryAfterSeconds?: number, headers: OutgoingHttpHeaders = {}): void => {
      record.status = status;
      const retryAfter = retryAfterSeconds ?? (status === 429 ? 1 : undefined);
      send(status, error, {
        ...(status === 429 ? rateHeaders(0, `${retryAfter}s`) : rateHeaders(9999, '6ms')),
        ...(retryAfter !== undefined && { 'retry-after': String(retryAfter) }),
        ...headers,
      });
    };
    const fakeError = (message: string): void =>
      fail(500, apiError(`fake-openai: ${message}`, 'server_error'), undefined, { 'x-should-retry': 'false' });

    if (failure)
      return fail(failure.status, defaultErrorBody(failure.status, body.model, sentKey), failure.retryAfterSeconds);

    let reply: ScriptedReply;
    try {
      reply = queued ?? (responder ? await responder(body) : (opts.defaultReply ?? echo)(body));
    } catch (e) {
      return fakeError(`the responder threw: ${e instanceof Error ? e.message : String(e)}`);
    }
    const scriptProblem = checkScript(body, reply);
    if (scriptProblem) return fakeError(scriptProblem);
    if ('error' in reply) {
      const { status, message, type, code } = reply.error;
      const base = defaultErrorBody(status, body.model, sentKey).error;
      return fail(status, apiError(message ?? base.message, type ?? base.type, code ?? base.code));
    }

    // Successful completion
    record.status = 200;
    const text = 'toolCall' in reply ? (reply.text ?? null) : reply.text;
    const call = 'toolCall' in reply
      ? {
          id: `call_${randomId(24)}`,
          type: 'function' as const,
          function: { name: reply.toolCall.name, arguments: JSON.stringify(reply.toolCall.arguments) },
        }
      : null;
    const messageTokens = (m: ChatMessage): number =>
      4 + tokens(contentText(m.content) + ('tool_calls' in m ? JSON.stringify(m.tool_calls ?? '') : ''));
    const promptTokens = body.messages.reduce((n, m) => n + messageTokens(m), 3)
      + (body.tools ? tokens(JSON.stringify(body.tools)) : 0);
    const completionTokens = tokens(text ?? '') + (call ? 5 + tokens(call.function.name + call.function.arguments) : 0);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    const finishReason = call ? 'tool_calls' : 'stop';
    const id = `chatcmpl-${randomId(29)}`;
    const created = Math.floor(Date.now() / 1000);
    const headers = rateHeaders(9999, '6ms');

    if (!body.stream) {
      send(200, {
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{
          index: 0,
          message: { role: 'assistant', content: text, refusal: null, annotations: [], ...(call && { tool_calls: [call] }) },
          logprobs: null,
          finish_reason: finishReason,
        }],
        usage,
        service_tier: 'default',
        system_fingerprint: fingerprint,
      }, headers);
      return;
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (choices: unknown[], extra: object = {}): string =>
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model: body.model,
        service_tier: 'default',
        system_fingerprint: fingerprint,
        choices,
        ...(includeUsage && { usage: null }),
        ...extra,
      })}\n\n`;
    const delta = (d: object, finish: string | null = null): string =>
      chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finish }]);

    const events: string[] = [];
    if (text !== null)
      events.push(delta({ role: 'assistant', content: '', refusal: null }), ...pieces(text).map((content) => delta({ content })));
    if (call)
      events.push(
        delta({
          ...(text === null && { role: 'assistant', content: null, refusal: null }),
          tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }],
        }),
        ...pieces(call.function.arguments).map((args) => delta({ tool_calls: [{ index: 0, function: { arguments: args } }] })),
      );
    events.push(delta({}, finishReason));
    if (includeUsage) events.push(chunk([], { usage }));
    events.push('data: [DONE]\n\n');

    writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    for (const e of events) res.write(e);
    res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json', 'x-should-retry': 'false' });
        res.end(JSON.stringify(apiError(`fake-openai: internal error: ${String(e)}`, 'server_error')));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    rejected,
    enqueue: (...replies) => void queue.push(...replies),
    setResponder: (fn) => void (responder = fn),
    failNext: (status, { retryAfterSeconds, times = 1 } = {}) => {
      for (let i = 0; i < times; i++) failures.push({ status, retryAfterSeconds });
    },
    delayNext: (ms, times = 1) => {
      for (let i = 0; i < times; i++) delays.push(ms);
    },
    reset: () => {
      for (const list of [requests, rejected, queue, failures, delays]) list.length = 0;
      responder = null;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // also ends delayed requests still waiting
      }),
  };
}
