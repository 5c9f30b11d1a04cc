import OpenAI from 'openai';
import { NodeError, isJsonObject, type JsonObject, type LlmClient } from '@baton/nodes';

export interface OpenAiLlmOptions {
  apiKey?: string;
  /** Any OpenAI-compatible endpoint (`OPENAI_BASE_URL`). */
  baseURL?: string;
  defaultModel?: string;
  timeoutMs?: number;
}

/**
 * The LLM client behind the `llm_reply` node, on the official openai SDK. The SDK's own retries
 * are off: Temporal retries the activity, durably and visibly, honouring `Retry-After`.
 */
export function createOpenAiLlm(options: OpenAiLlmOptions): LlmClient {
  const client = options.apiKey
    ? new OpenAI({
        apiKey: options.apiKey,
        ...(options.baseURL ? { baseURL: options.baseURL } : {}),
        maxRetries: 0,
        timeout: options.timeoutMs ?? 50_000,
      })
    : undefined;
  const defaultModel = options.defaultModel ?? 'gpt-4o-mini';

  return {
    async complete(request) {
      if (!client) {
        throw new NodeError('llm_not_configured', 'No LLM API key is configured (OPENAI_API_KEY)', { retryable: false });
      }
      try {
        const completion = await client.chat.completions.create(
          {
            model: request.model || defaultModel,
            messages: [{ role: 'system', content: request.system }, ...request.messages],
            ...(request.tools?.length
              ? {
                  tools: request.tools.map((tool) => ({
                    type: 'function' as const,
                    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
                  })),
                }
              : {}),
            ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
            ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
          },
          request.signal ? { signal: request.signal } : undefined,
        );
        const message = completion.choices[0]?.message;
        return {
          text: message?.content ?? '',
          toolCalls: (message?.tool_calls ?? []).flatMap((call) =>
            call.type === 'function' ? [{ name: call.function.name, arguments: parseArguments(call.function.arguments) }] : [],
          ),
        };
      } catch (error) {
        throw toNodeError(error);
      }
    },
  };
}

function parseArguments(text: string): JsonObject {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : {};
  } catch {
    return {};
  }
}

function toNodeError(error: unknown): unknown {
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const status = error.status;
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    const retryAfter = Number(error.headers?.get?.('retry-after'));
    return new NodeError(`llm_http_${status}`, `The LLM endpoint answered ${status}: ${error.message}`, {
      retryable,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      cause: error,
    });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new NodeError('llm_unreachable', `The LLM endpoint could not be reached: ${error.message}`, { retryable: true, cause: error });
  }
  return error;
}
