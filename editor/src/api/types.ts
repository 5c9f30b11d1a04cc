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
export type DeskKind = DeskStatus['desk'];
export type ConversationStatus = Schemas['ConversationStatus'];
export type Conversation = Schemas['Conversation'];
export type Message = Schemas['Message'];
export type InboxItem = Schemas['InboxItem'];
export type Availability = Schemas['Availability'];
export type Appearance = Schemas['Appearance'];
/** One problem of a refused request, located by its path (`['body', 'widget', 'color']`). */
export type ApiIssue = NonNullable<Schemas['Error']['error']['issues']>[number];
