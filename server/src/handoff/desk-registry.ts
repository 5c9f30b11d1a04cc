import type { DeskClient, DeskConfigs, DeskKind } from '../desks/desk.js';

/** The desk clients this deployment talks to, by kind (a test passes ones pointed at fakes). */
export type DeskClients = { [K in DeskKind]?: DeskClient<NonNullable<DeskConfigs[K]>> };

export const DESK_KINDS: readonly DeskKind[] = ['intercom', 'livechat', 'webhook'];

export function isDeskKind(value: unknown): value is DeskKind {
  return typeof value === 'string' && (DESK_KINDS as readonly string[]).includes(value);
}
