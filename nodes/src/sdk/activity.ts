import type { Json, JsonObject } from '../json.js';
import type { ServiceHours } from '../service-hours/index.js';

/** One message of the conversation as the model sees it. */
export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** A function the model may call. */
export interface LlmTool {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: JsonObject;
}

export interface LlmRequest {
  /** Empty means the deployment's default model. */
  model?: string;
  system: string;
  messages: LlmMessage[];
  tools?: LlmTool[];
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface LlmResponse {
  text: string;
  toolCalls: { name: string; arguments: JsonObject }[];
}

/** The small LLM interface nodes use; the worker wires it to OpenAI or any compatible endpoint. */
export interface LlmClient {
  complete(request: LlmRequest): Promise<LlmResponse>;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Bounded by the deployment's maximum. */
  timeoutMs?: number;
  /** Bounded by the deployment's maximum; a larger response fails. */
  maxResponseBytes?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Outbound HTTP for nodes. It refuses private, loopback and link-local addresses unless the
 * deployment allows them, and bounds time and response size.
 */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}

/** What an activity half receives besides its input: the conversation and injected services. */
export interface ActivityContext {
  conversation: { id: string; botId: string; flowVersion: number };
  nodeId: string;
  /** 1 on the first try. */
  attempt: number;
  /** Aborted when the result is no longer wanted (cancellation or worker shutdown). */
  signal: AbortSignal;
  llm: LlmClient;
  http: HttpClient;
  /** The bot's settings as they are now (they may change while a conversation runs). */
  bot: { serviceHours(): Promise<ServiceHours | undefined> };
  /**
   * The bot's secrets, by the name a `secretRef()` config field holds. Values never appear in
   * flows, logs or workflow history: read them here, use them, do not return them.
   */
  secrets: { get(name: string): Promise<string | undefined> };
  log: { info(message: string, fields?: Record<string, Json>): void; warn(message: string, fields?: Record<string, Json>): void };
}

/**
 * An error an activity throws on purpose. Retryable ones are tried again (up to the node's
 * `maxAttempts`); others fail the node at once, which then leaves through its `error` port or
 * falls back. The `code` ends up in logs and in the conversation's error record, never the
 * user's view.
 *
 * @example
 * throw new NodeError('order_not_found', `No order ${input.orderId}`, { retryable: false });
 */
export class NodeError extends Error {
  override readonly name = 'NodeError';
  readonly code: string;
  readonly retryable: boolean;
  /** For a retryable error: wait at least this long before the next attempt (e.g. a Retry-After). */
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, options: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}
