// The golden transcript format (see README.md) and the helpers that compare one run against it.
import { z } from 'zod';
import { serviceHoursSchema } from '@baton/nodes';

const json = z.json();
const conversationStatus = z.enum(['bot', 'queued', 'agent', 'closed']);
const endReason = z.enum(['completed', 'no_route', 'wait_timeout', 'failed', 'closed']);

const userStep = z.strictObject({
  /** What the user types; sent with `sendAndWait` (update-with-start). */
  user: z.string(),
  /** The channel message id; `<conversation id>-u<step number>` when absent (give one to replay a duplicate). */
  id: z.string().min(1).optional(),
  /** The bot's answer to this turn, in order. */
  bot: z.array(z.string()).default([]),
  /** How the engine answers the update. */
  reply: z.enum(['answered', 'relayed', 'duplicate', 'closed']).default('answered'),
  /** Who has the conversation once the turn is answered. */
  conversationStatus: conversationStatus.optional(),
  /**
   * A redelivery of an earlier message id through `sendAndWait`: either Temporal's update
   * deduplication answers with the first answer again (`reply` and `bot` are checked) or the
   * workflow answers `duplicate` with nothing; either way it adds nothing to the transcript.
   */
  repeat: z.literal(true).optional(),
});

const step = z.union([
  userStep,
  /** A user message sent without waiting for the answer (signal-with-start, like WhatsApp). */
  z.strictObject({ send: z.string(), id: z.string().min(1).optional() }),
  /** Bot messages that arrive without a user turn (the greeting, after a timeout, after a handoff). */
  z.strictObject({ expectBot: z.array(z.string()).min(1) }),
  /** Waits until the conversation's recorded status is this one (e.g. `queued` before a takeover). */
  z.strictObject({ waitStatus: conversationStatus }),
  z.strictObject({ takeover: z.literal(true), agentId: z.string().optional() }),
  z.strictObject({ agent: z.string() }),
  z.strictObject({ handBack: z.literal(true) }),
  z.strictObject({ close: z.enum(['user', 'agent', 'system']) }),
  /** The user asks for a person (the widget's button). */
  z.strictObject({ requestHuman: z.literal(true) }),
  /** The user ends the session with the humans. */
  z.strictObject({ leaveHumans: z.literal(true) }),
  /** What the channel knows about the user changed (the widget's setEmail / setUser). */
  z.strictObject({ setUser: z.strictObject({ email: z.string().optional(), name: z.string().optional(), externalId: z.string().optional() }) }),
  /**
   * Lets time pass. Only for proving that nothing happens meanwhile (a timer that must not fire):
   * anything that does happen is waited for with `expectBot` or `waitStatus` instead.
   */
  z.strictObject({ pauseMs: z.number().int().min(1).max(10_000) }),
]);
export type TranscriptStep = z.output<typeof step>;

/** A reply of the fake LLM, in the fake's own script format. */
const llmReply = z.union([
  z.strictObject({ text: z.string() }),
  z.strictObject({ toolCall: z.strictObject({ name: z.string(), arguments: z.record(z.string(), json) }), text: z.string().optional() }),
  z.strictObject({ error: z.strictObject({ status: z.number().int(), message: z.string().optional() }) }),
]);

const llmRequestCheck = z.strictObject({
  model: z.string().optional(),
  /** The system message, exactly. */
  system: z.string().optional(),
  /** The conversation messages after the system message, exactly. */
  messages: z.array(z.strictObject({ role: z.enum(['user', 'assistant']), content: z.string() })).optional(),
  /** How many messages follow the system message. */
  messageCount: z.number().int().min(0).optional(),
  /** Names of the tools offered, exactly (`[]`: none). */
  tools: z.array(z.string()).optional(),
  /** Text every offered tool's description must contain. */
  toolDescriptionContains: z.string().optional(),
});

const handoffOutcome = z.enum(['queued', 'live', 'unavailable', 'off_hours', 'no_agent']);
/** One answer of the scripted gateway: an outcome, or the whole answer. */
const handoffAnswer = z.union([
  handoffOutcome,
  z.strictObject({ outcome: z.literal('queued'), leaveMessage: z.boolean().optional(), session: z.record(z.string(), json).optional() }),
  z.strictObject({ outcome: z.literal('live'), agentId: z.string().optional(), session: z.record(z.string(), json).optional() }),
]);
export type HandoffAnswer = z.output<typeof handoffAnswer>;

const handoffRequestCheck = z.strictObject({
  nodeId: z.string().optional(),
  /** Partial match. */
  target: z.record(z.string(), json).optional(),
  waitTimeoutSeconds: z.number().optional(),
  historyRounds: z.number().optional(),
  /** The history sent to the humans, exactly. */
  history: z.array(z.strictObject({ role: z.enum(['user', 'bot', 'agent']), text: z.string() })).optional(),
  /** Partial match. */
  user: z.record(z.string(), json).optional(),
});

export const transcriptSchema = z
  .strictObject({
    description: z.string().min(1),
    /** File name of the flow document, next to the transcript. */
    flow: z.string().regex(/^[\w.-]+\.flow\.json$/),
    /** Who the user is, as the channel knows it (widget `setEmail`, logged-in user…). */
    user: z.strictObject({ email: z.string().optional(), name: z.string().optional(), externalId: z.string().optional() }).optional(),
    /** Variables known before the first message. */
    vars: z.record(z.string(), json).optional(),
    /** The bot's calendar (bot settings), read by `check_service_hours` with `calendar: "bot"`. */
    serviceHours: serviceHoursSchema.optional(),
    /** The fake LLM's answers, in order; every one must be used, and no more requests made. */
    llm: z.array(llmReply).optional(),
    /**
     * What the handoff gateway answers to each request, in order. Without it the case runs on an
     * engine with no gateway, i.e. the engine's default (inbox → queued, desk → unavailable).
     */
    handoff: z.array(handoffAnswer).optional(),
    /** The business API fake (`$BUSINESS_API` in the flow is its base URL). */
    api: z
      .strictObject({
        orders: z.record(z.string(), json).default({}),
        failures: z
          .array(z.strictObject({ method: z.string(), path: z.string(), status: z.number().int(), times: z.number().int().min(1).optional() }))
          .default([]),
      })
      .optional(),
    steps: z.array(step).min(1),
    end: z.strictObject({
      status: conversationStatus,
      /** Why it ended (the workflow's result); only for `closed`. */
      ended: endReason.optional(),
      /** Node the conversation waits at; only while it runs. */
      nodeId: z.string().optional(),
      /** Variables by dotted path, compared exactly. */
      vars: z.record(z.string(), json).optional(),
    }),
    /** Set when a case expects retries to deliver a bot message more than once (the store must still dedupe). */
    redeliveryAllowed: z.boolean().default(false),
    /** What the model received, one entry per request, in order. */
    llmRequests: z.array(llmRequestCheck).optional(),
    /** What the handoff gateway received, one entry per request, in order. */
    handoffRequests: z.array(handoffRequestCheck).optional(),
    /**
     * Everything the humans' side was told through the gateway, exactly and in order:
     * `relay: <text>` per relayed user message, `close: <TIMEOUT|USER_CLOSED|BOT_RESUMED>`, `reroute`.
     */
    told: z.array(z.string().regex(/^(relay: [\s\S]*|close: (TIMEOUT|USER_CLOSED|BOT_RESUMED)|reroute)$/)).optional(),
    /** Requests the business API received, in order (headers and body: partial match). */
    apiRequests: z
      .array(
        z.strictObject({
          method: z.string(),
          path: z.string(),
          status: z.number().int().optional(),
          /** Partial match, lower-case names. */
          headers: z.record(z.string(), z.string()).optional(),
          body: json.optional(),
        }),
      )
      .optional(),
    /** End-of-conversation records the business API accepted (partial match each). */
    apiRecords: z.array(json).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.end.ended !== undefined && t.end.status !== 'closed') {
      ctx.addIssue({ code: 'custom', path: ['end', 'ended'], message: 'only a closed conversation has an end reason' });
    }
    if (t.end.nodeId !== undefined && t.end.status === 'closed') {
      ctx.addIssue({ code: 'custom', path: ['end', 'nodeId'], message: 'a closed conversation waits at no node' });
    }
    if (t.handoffRequests && !t.handoff) {
      ctx.addIssue({ code: 'custom', path: ['handoffRequests'], message: 'needs a scripted "handoff" (the default gateway records nothing)' });
    }
    if (t.told && !t.handoff) {
      ctx.addIssue({ code: 'custom', path: ['told'], message: 'needs a scripted "handoff" (the default gateway records nothing)' });
    }
    if ((t.apiRequests || t.apiRecords) && !t.api) {
      ctx.addIssue({ code: 'custom', path: ['apiRequests'], message: 'needs "api"' });
    }
    if (t.llmRequests && t.llm && t.llmRequests.length !== t.llm.length) {
      ctx.addIssue({ code: 'custom', path: ['llmRequests'], message: 'needs one entry per scripted LLM reply' });
    }
    t.steps.forEach((s, i) => {
      if ('user' in s && s.reply !== 'answered' && s.bot.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'bot'], message: `a "${s.reply}" message gets no bot answer` });
      }
    });
  });
export type Transcript = z.output<typeof transcriptSchema>;

/** One line of a step for messages: `user "hi"`, `takeover`… */
export function describeStep(s: TranscriptStep): string {
  if ('user' in s) return `user ${JSON.stringify(s.user)}`;
  if ('send' in s) return `send ${JSON.stringify(s.send)}`;
  if ('expectBot' in s) return `expectBot ${JSON.stringify(s.expectBot)}`;
  if ('waitStatus' in s) return `waitStatus ${s.waitStatus}`;
  if ('takeover' in s) return 'takeover';
  if ('agent' in s) return `agent ${JSON.stringify(s.agent)}`;
  if ('handBack' in s) return 'handBack';
  if ('requestHuman' in s) return 'requestHuman';
  if ('leaveHumans' in s) return 'leaveHumans';
  if ('setUser' in s) return `setUser ${JSON.stringify(s.setUser)}`;
  if ('pauseMs' in s) return `pause ${s.pauseMs} ms`;
  return `close by ${s.close}`;
}

/**
 * A line diff (longest common subsequence) of two message lists, one message per line:
 * `  ` both, `- ` expected only, `+ ` actual only.
 */
export function diffMessages(expected: readonly string[], actual: readonly string[]): string {
  const n = expected.length;
  const m = actual.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = expected[i] === actual[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] === actual[j]) {
      lines.push(`    ${JSON.stringify(expected[i])}`);
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      lines.push(`  - ${JSON.stringify(expected[i])}`);
      i++;
    } else {
      lines.push(`  + ${JSON.stringify(actual[j])}`);
      j++;
    }
  }
  return lines.length ? lines.join('\n') : '    (no messages)';
}

export class TranscriptMismatch extends Error {
  override readonly name = 'TranscriptMismatch';
}

/** Throws a readable diff unless `actual` equals `expected`. */
export function assertMessages(what: string, expected: readonly string[], actual: readonly string[]): void {
  if (expected.length === actual.length && expected.every((text, k) => text === actual[k])) return;
  throw new TranscriptMismatch(`${what} differs (- expected, + actual):\n${diffMessages(expected, actual)}`);
}
