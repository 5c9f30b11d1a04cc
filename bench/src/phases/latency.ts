import { sendAndWait, type Conversation, type Exchange } from '../api.js';
import { summarize, type Percentiles } from '../stats.js';
import type { Target } from '../targets.js';

export interface SeriesResult extends Percentiles {
  errors: number;
  firstError?: string;
}

export interface Sample {
  conversation: Conversation;
  clientMessageId: string;
  exchange: Exchange;
}

export interface LatencyRun {
  samples: Map<Target['name'], Sample[]>;
}

/** Sends `count` messages one after another in one conversation; each waits for its answer. */
export async function sequentialMessages(target: Target, conversation: Conversation, count: number, label: string, signal: AbortSignal): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < count && !signal.aborted; i++) {
    const clientMessageId = `${label}-${i}`;
    const text = `question ${label} number ${i}`;
    const exchange = await sendAndWait(target.url, target.messagesPath(conversation), text, clientMessageId, target.bearer(conversation));
    const expected = target.expected(text);
    if (exchange.ok && JSON.stringify(exchange.replies) !== JSON.stringify(expected)) {
      exchange.ok = false;
      exchange.error = `unexpected replies ${JSON.stringify(exchange.replies)} (expected ${JSON.stringify(expected)})`;
    }
    samples.push({ conversation, clientMessageId, exchange });
  }
  return samples;
}

/**
 * The latency benchmark: `messages` sequential messages on each target, in blocks of
 * `perConversation` (one conversation per block), the targets alternating block by block so that
 * both see the same machine conditions. A warm-up block on each goes first and is not counted.
 */
export async function interleavedLatency(
  targets: readonly Target[],
  options: { messages: number; perConversation: number; warmup: number },
  signal: AbortSignal,
): Promise<LatencyRun> {
  const samples = new Map<Target['name'], Sample[]>(targets.map((t) => [t.name, []]));
  for (const target of targets) await sequentialMessages(target, await target.open(), options.warmup, `warmup-${target.name}`, signal);
  const blocks = Math.ceil(options.messages / options.perConversation);
  for (let b = 0; b < blocks && !signal.aborted; b++) {
    const order = b % 2 === 0 ? targets : [...targets].reverse();
    const count = Math.min(options.perConversation, options.messages - b * options.perConversation);
    for (const target of order) {
      const conversation = await target.open();
      samples.get(target.name)!.push(...(await sequentialMessages(target, conversation, count, `b${b}`, signal)));
    }
  }
  return { samples };
}

export function seriesResult(samples: readonly Sample[]): SeriesResult {
  const errors = samples.filter((s) => !s.exchange.ok);
  return {
    ...summarize(samples.filter((s) => s.exchange.ok).map((s) => s.exchange.ms)),
    errors: errors.length,
    ...(errors[0]?.exchange.error ? { firstError: errors[0].exchange.error } : {}),
  };
}
