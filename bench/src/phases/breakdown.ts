import type { Client } from '@temporalio/client';
import { median, round } from '../stats.js';
import type { Target } from '../targets.js';
import type { Sample } from './latency.js';

/**
 * Where the time of one message goes, from the conversation's Temporal history (server-side event
 * times, same machine clock as the client's): medians in ms over the measured messages.
 */
export type Breakdown = Record<string, number>;

interface HistoryEvent {
  eventTime?: { seconds?: unknown; nanos?: number | null } | null;
  [key: string]: unknown;
}

const timeOf = (event: HistoryEvent): number => {
  const seconds = Number(String(event.eventTime?.seconds ?? 0));
  return seconds * 1000 + (event.eventTime?.nanos ?? 0) / 1e6;
};
const has = (event: HistoryEvent, attributes: string): boolean => event[attributes] != null;
const updateIdOf = (event: HistoryEvent): string | undefined => {
  const accepted = event['workflowExecutionUpdateAcceptedEventAttributes'] as { acceptedRequest?: { meta?: { updateId?: string } } } | null | undefined;
  const completed = event['workflowExecutionUpdateCompletedEventAttributes'] as { meta?: { updateId?: string } } | null | undefined;
  return accepted?.acceptedRequest?.meta?.updateId ?? completed?.meta?.updateId ?? undefined;
};

/** The last workflow task (scheduled, started, completed times) that completed before `index`. */
function taskBefore(events: HistoryEvent[], index: number): { scheduled: number; started: number; completed: number } | undefined {
  let c = index - 1;
  while (c >= 0 && !has(events[c]!, 'workflowTaskCompletedEventAttributes')) c--;
  let s = c - 1;
  while (s >= 0 && !has(events[s]!, 'workflowTaskStartedEventAttributes')) s--;
  let r = s - 1;
  while (r >= 0 && !has(events[r]!, 'workflowTaskScheduledEventAttributes')) r--;
  if (r < 0) return undefined;
  return { scheduled: timeOf(events[r]!), started: timeOf(events[s]!), completed: timeOf(events[c]!) };
}

/** Per-message spans of one target's samples; `messageId` maps a sample to its update id. */
export async function breakdown(client: Client, target: Target, samples: readonly Sample[], messageId: (sample: Sample) => string): Promise<Breakdown> {
  const byConversation = new Map<string, Sample[]>();
  for (const sample of samples) {
    if (!sample.exchange.ok) continue;
    const list = byConversation.get(sample.conversation.id) ?? [];
    list.push(sample);
    byConversation.set(sample.conversation.id, list);
  }
  const spans = new Map<string, number[]>();
  const add = (name: string, ms: number) => {
    if (!Number.isFinite(ms)) return;
    const list = spans.get(name) ?? [];
    list.push(ms);
    spans.set(name, list);
  };
  let workflowTasks = 0;
  let turns = 0;
  for (const list of byConversation.values()) {
    const history = await client.workflow.getHandle(target.workflowId(list[0]!.conversation)).fetchHistory();
    const events = (history.events ?? []) as unknown as HistoryEvent[];
    for (const sample of list) {
      const id = messageId(sample);
      const acceptedAt = events.findIndex((e) => has(e, 'workflowExecutionUpdateAcceptedEventAttributes') && updateIdOf(e) === id);
      const completedAt = events.findIndex((e) => has(e, 'workflowExecutionUpdateCompletedEventAttributes') && updateIdOf(e) === id);
      if (acceptedAt < 0 || completedAt < 0) continue;
      const first = taskBefore(events, acceptedAt);
      const last = taskBefore(events, completedAt);
      if (!first || !last) continue;
      turns += 1;
      for (let k = acceptedAt; k < completedAt; k++) if (has(events[k]!, 'workflowTaskCompletedEventAttributes')) workflowTasks += 1;
      workflowTasks += 1;
      const { sentAt, answeredAt } = sample.exchange;
      add('1. client → first workflow task scheduled (HTTP, API handler, update-with-start RPC)', first.scheduled - sentAt);
      add('2. workflow task dispatched to the worker', first.started - first.scheduled);
      add('3. workflow task on the worker (workflow code, local activities)', first.completed - first.started);
      const scheduled = events.findIndex((e, k) => k > acceptedAt && k < completedAt && has(e, 'activityTaskScheduledEventAttributes'));
      if (scheduled >= 0) {
        const started = events.findIndex((e, k) => k > scheduled && has(e, 'activityTaskStartedEventAttributes'));
        const done = events.findIndex((e, k) => k > scheduled && (has(e, 'activityTaskCompletedEventAttributes') || has(e, 'activityTaskFailedEventAttributes')));
        if (started > 0 && done > 0) {
          add('4. activity dispatched to the worker', timeOf(events[started]!) - timeOf(events[scheduled]!));
          add('5. activity runs (LLM call to the fake)', timeOf(events[done]!) - timeOf(events[started]!));
          add('6. next workflow task dispatched', last.started - timeOf(events[done]!));
          add('7. next workflow task on the worker (workflow code, local activities)', last.completed - last.started);
        }
      }
      add('8. update completed → HTTP answer read by the client', answeredAt - last.completed);
      add('total (client round trip)', sample.exchange.ms);
    }
  }
  const result: Breakdown = {};
  for (const [name, list] of [...spans].sort(([a], [b]) => a.localeCompare(b))) result[name] = round(median(list));
  if (turns) result['workflow tasks per message'] = round(workflowTasks / turns, 2);
  return result;
}
