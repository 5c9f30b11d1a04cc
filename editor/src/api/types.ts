// Shapes of the API's answers the editor reads (the OpenAPI document at /api/openapi.json is the reference).
import type { FlowDocument, FlowIssue, NodeTypeManifest, ServiceHours } from '@baton/nodes';

export type { FlowDocument, FlowIssue, NodeTypeManifest, ServiceHours };

export type Role = 'owner' | 'builder' | 'agent';
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface Bot {
  id: string;
  name: string;
  createdAt: string;
  enabled: boolean;
  publishedVersion: number | null;
}

export interface NodeUpgrade {
  nodeId: string;
  type: string;
  from: number;
  to: number;
}

export interface Draft {
  flow: FlowDocument;
  issues: FlowIssue[];
  upgrades: NodeUpgrade[];
  updatedAt: string;
}

export interface FlowVersion {
  version: number;
  publishedAt: string;
  publishedBy: string | null;
}

export type DeskKind = 'intercom' | 'livechat' | 'webhook';

export interface BotSettings {
  enabled: boolean;
  aiMode: 'hosted' | 'assist';
  defaultDesk: 'inbox' | DeskKind;
  serviceHours?: ServiceHours;
  desks: {
    webhook?: { baseUrl: string; secret?: string; username?: string; password?: string };
    intercom?: { accessToken?: string; clientSecret?: string; apiBaseUrl?: string };
    livechat?: { organizationId: string; accessToken?: string; secretKey?: string; apiBaseUrl?: string };
  };
  widget: { allowedOrigins: string[]; greeting?: string; color?: string };
}

export interface DeskStatus {
  desk: DeskKind;
  status: 'not_configured' | 'available' | 'unavailable';
  message?: string;
  checkedAt?: string;
}

export type ConversationStatus = 'bot' | 'queued' | 'agent' | 'closed';

export interface Conversation {
  id: string;
  botId: string;
  status: ConversationStatus;
  assignee?: string;
  flowVersion: number;
  channel: string;
  createdAt: string;
  updatedAt: string;
  user: { email?: string; name?: string; externalId?: string };
  /** People only: where the flow is and its variables. */
  nodeId?: string | null;
  vars?: Record<string, unknown>;
}

export interface Message {
  id: string;
  role: 'user' | 'bot' | 'agent' | 'system';
  text: string;
  quickReplies?: string[];
  createdAt: string;
}

export interface InboxItem {
  id: string;
  botId: string;
  botName: string;
  status: ConversationStatus;
  assignee?: string;
  user: { email?: string; name?: string };
  lastMessage?: { role: string; text: string; createdAt: string };
  leftMessage: boolean;
  updatedAt: string;
}

export interface Availability {
  open: boolean;
  nextOpenAt: string | null;
  agentsOnline: number;
}
