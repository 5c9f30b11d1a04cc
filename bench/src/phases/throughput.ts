import { sendAndWait, transcript, type Conversation, type Exchange } from '../api.js';
import { GREETING } from '../flows.js';
import { replyAccounting, round, summarize, type Percentiles } from '../stats.js';
import { cpuMeter } from '../processes.js';
import { mapLimit, type Target } from '../targets.js';

export interface ThroughputResult {
  target: Target['name'];
  conversations: number;
  messagesPerConversation: number;
  /** Messages answered (200, not pending) within the time bound. */
  messages: number;
  planned: number;
  durationS: number;
  messagesPerSecond: number;
  latency: Percentiles;
  errors: number;
  firstError?: string;
  /** From the transcripts (Baton): bot replies missing, or said more than once, for the messages sent. */
  lostReplies: number | null;
  duplicateReplies: number | null;
  /** Whether every planned message was sent before the time bound. */
  complete: boolean;
  /** CPU used while the load ran, in cores (1 = one core busy), per process. */
  cpuCores: Record<string, number>;
  /** CPU milliseconds per answered message, per process. */
  cpuMsPerMessage: Record<string, number>;
}

/**
 * `conversations` conversations at once, each sending `messagesEach` messages, the next as soon as
 * the previous one's answer is back (`?wait=true`). Nothing new is sent after `deadlineMs`.
 */
export async function throughput(
  target: Target,
  conversations: number,
  messagesEach: number,
  deadlineMs: number,
  pids: Record<string, number | undefined>,
  signal: AbortSignal,
): Promise<ThroughputResult> {
  const opened = await mapLimit(Array.from({ length: conversations }), 20, () => target.open());
  const sent: { conversation: Conversation; text: string; exchange: Exchange }[][] = opened.map(() => []);
  const cpu = cpuMeter(pids);
  const started = performance.now();
  const stopAt = started + deadlineMs;
  await Promise.all(
    opened.map(async (conversation, c) => {
      for (let i = 0; i < messagesEach; i++) {
        if (signal.aborted || performance.now() > stopAt) return;
        const text = `load c${c} message ${i}`;
        const exchange = await sendAndWait(target.url, target.messagesPath(conversation), text, `load-${i}`, target.bearer(conversation));
        const expected = target.expected(text);
        if (exchange.ok && JSON.stringify(exchange.replies) !== JSON.stringify(expected)) {
          exchange.ok = false;
          exchange.error = `unexpected replies ${JSON.stringify(exchange.replies)}`;
        }
        sent[c]!.push({ conversation, text, exchange });
      }
    }),
  );
  const cpuCores = cpu.stop();
  const all = sent.flat();
  const lastAnswer = Math.max(...all.map((s) => s.exchange.answeredAt - performance.timeOrigin));
  const durationMs = lastAnswer - started;
  const ok = all.filter((s) => s.exchange.ok);
  const failed = all.filter((s) => !s.exchange.ok);

  // Every message must have exactly one answer in the transcript, and nothing else may be said.
  let lost: number | null = null;
  let duplicated: number | null = null;
  if (target.name !== 'floor') {
    lost = 0;
    duplicated = 0;
    await mapLimit(opened, 20, async (conversation, c) => {
      const bot = (await transcript(target.url, conversation)).filter((m) => m.role === 'bot').map((m) => m.text);
      const expected = [GREETING, ...sent[c]!.flatMap((s) => target.expected(s.text))];
      const account = replyAccounting(expected, bot);
      lost! += account.lost;
      duplicated! += account.duplicated + account.unexpected;
    });
  }
  return {
    target: target.name,
    conversations,
    messagesPerConversation: messagesEach,
    messages: ok.length,
    planned: conversations * messagesEach,
    durationS: round(durationMs / 1000),
    messagesPerSecond: round(ok.length / (durationMs / 1000), 1),
    latency: summarize(ok.map((s) => s.exchange.ms)),
    errors: failed.length,
    ...(failed[0]?.exchange.error ? { firstError: failed[0].exchange.error } : {}),
    lostReplies: lost,
    duplicateReplies: duplicated,
    complete: all.length === conversations * messagesEach,
    cpuCores,
    cpuMsPerMessage: Object.fromEntries(Object.entries(cpuCores).map(([k, cores]) => [k, round((cores * durationMs) / Math.max(1, ok.length), 1)])),
  };
}
