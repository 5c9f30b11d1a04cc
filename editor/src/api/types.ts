// Shapes of the API's answers the editor reads, named: each is the server's declaration of it,
// through the OpenAPI document (generated.ts; docs/api.md is its reference). Nothing is copied.
import type { FlowDocument, FlowIssue, NodeTypeManifest, ServiceHours } from '@baton/nodes';
import type { components } from './generated.js';

export type { FlowDocument, FlowIssue, NodeTypeManifest, ServiceHours };

type Schemas = components['schemas'];

export type User = Schemas['User'];
export type Role = User['role'];
export type Person = Schemas['Person'];
export type Bot = Schemas['Bot'];
export type NodeUpgrade = Schemas['NodeUpgrade'];
export type Draft = Schemas['Draft'];
export type FlowVersion = Schemas['FlowVersion'];
export type BotSettings = Schemas['BotSettings'];
export type DeskStatus = Schemas['DeskStatus'];
/** A desk's `kind` (`inbox`, `intercom`…): the server's desk types list them. */
export type DeskKind = BotSettings['defaultDesk'];
/** A desk as the server declares it: its title, its settings' JSON Schema (secrets have `format: password`), its webhooks. */
export type DeskType = Schemas['DeskType'];
/** One desk's settings as the document holds them; a stored secret reads as SECRET_MASK. */
export type DeskSettings = Record<string, unknown>;
/**
 * The settings' desks seen alike, by kind: the editor makes their forms from the desk types, not
 * from each desk's declared shape.
 */
export type DeskDocuments = Partial<Record<DeskKind, DeskSettings>>;

/** What the settings show instead of a stored secret; sent back, it keeps the secret. */
export const SECRET_MASK = '********';
export type ConversationStatus = Schemas['ConversationStatus'];
export type Conversation = Schemas['Conversation'];
export type Message = Schemas['Message'];
export type InboxItem = Schemas['InboxItem'];
export type Availability = Schemas['Availability'];
export type Appearance = Schemas['Appearance'];
/** One problem of a refused request, located by its path (`['body', 'widget', 'color']`). */
export type ApiIssue = NonNullable<Schemas['Error']['error']['issues']>[number];
