import { flowDocumentSchema, type FlowDocument, type FlowDocumentInput, type ServiceHours } from '@baton/nodes';
import type { BotSettingsSource, ConversationSink, FlowSource, TurnRecord } from '../activities/index.js';

export interface StoredMessage {
  id: string;
  text: string;
  nodeId: string;
}

/**
 * The engine's outside world kept in memory, for tests that run a worker in the test process:
 * published flows, bot settings, and the conversation projection, idempotent by message id
 * (what Baton's database does in production). `runTranscript` uses one; tests that drive a
 * worker themselves can too.
 *
 * @example
 * const store = new MemoryStore();
 * store.publish('bot', 1, flow);
 * const worker = await createConversationWorker({ connection, deps: { flows: store, conversations: store, bots: store, llm, http } });
 * // … start a conversation, then:
 * await store.waitFor(() => store.botTexts(conversationId).length === 2);
 */
export class MemoryStore implements FlowSource, ConversationSink, BotSettingsSource {
  private readonly flows = new Map<string, FlowDocument>();
  private readonly hours = new Map<string, ServiceHours>();
  readonly transcripts = new Map<string, StoredMessage[]>();
  readonly statuses = new Map<string, string[]>();
  readonly records: TurnRecord[] = [];
  /** Every delivery attempt of a message id, to prove retries never duplicate. */
  readonly deliveries = new Map<string, number>();
  private listeners: (() => void)[] = [];

  publish(botId: string, version: number, flow: FlowDocumentInput): void {
    this.flows.set(`${botId}@${version}`, flowDocumentSchema.parse(flow));
  }

  setServiceHours(botId: string, hours: ServiceHours | undefined): void {
    if (hours) this.hours.set(botId, hours);
    else this.hours.delete(botId);
  }

  async load(botId: string, version: number): Promise<FlowDocument> {
    const flow = this.flows.get(`${botId}@${version}`);
    if (!flow) throw new Error(`no flow ${botId}@${version}`);
    return flow;
  }

  async serviceHours(botId: string): Promise<ServiceHours | undefined> {
    return this.hours.get(botId);
  }

  async recordTurn(record: TurnRecord): Promise<void> {
    this.records.push(record);
    const id = record.conversation.id;
    const transcript = this.transcripts.get(id) ?? [];
    for (const message of record.messages) {
      this.deliveries.set(message.id, (this.deliveries.get(message.id) ?? 0) + 1);
      if (!transcript.some((m) => m.id === message.id)) transcript.push({ id: message.id, text: message.text, nodeId: message.nodeId });
    }
    this.transcripts.set(id, transcript);
    const statuses = this.statuses.get(id) ?? [];
    if (statuses.at(-1) !== record.status) statuses.push(record.status);
    this.statuses.set(id, statuses);
    for (const listener of this.listeners.splice(0)) listener();
  }

  botTexts(conversationId: string): string[] {
    return (this.transcripts.get(conversationId) ?? []).map((m) => m.text);
  }

  lastStatus(conversationId: string): string | undefined {
    return this.statuses.get(conversationId)?.at(-1);
  }

  /** Resolves once `predicate` holds, re-checking after every recorded turn. */
  async waitFor(predicate: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 250));
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
