import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { ConfigurableDeskKind, DeskKind } from '../desks/registry.js';

const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull().default(''),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['owner', 'builder', 'agent'] }).notNull(),
  presence: text('presence', { enum: ['online', 'away', 'offline'] }).notNull().default('offline'),
  /** When this person was last given a conversation: round robin picks the longest idle. */
  lastAssignedAt: integer('last_assigned_at', { mode: 'timestamp_ms' }),
  createdAt: createdAt(),
});

export const teams = sqliteTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

export const teamMembers = sqliteTable(
  'team_members',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the cookie value: a stolen database does not give live sessions. */
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const apiTokens = sqliteTable('api_tokens', {
  id: text('id').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: createdAt(),
  lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
});

export const bots = sqliteTable('bots', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const flowDrafts = sqliteTable('flow_drafts', {
  botId: text('bot_id')
    .primaryKey()
    .references(() => bots.id, { onDelete: 'cascade' }),
  document: text('document', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  updatedBy: text('updated_by'),
});

/**
 * Immutable flow versions. Published versions count up from 1; the test chat runs snapshots of
 * the draft, stored here with negative versions so conversations pin them the same way.
 */
export const flowVersions = sqliteTable(
  'flow_versions',
  {
    botId: text('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    document: text('document', { mode: 'json' }).notNull(),
    createdAt: createdAt(),
    createdBy: text('created_by'),
  },
  (t) => [primaryKey({ columns: [t.botId, t.version] })],
);

/** Bot settings without their secrets (those live encrypted in `secrets`). */
export const botSettings = sqliteTable('bot_settings', {
  botId: text('bot_id')
    .primaryKey()
    .references(() => bots.id, { onDelete: 'cascade' }),
  settings: text('settings', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Provider tokens and keys, AES-256-GCM encrypted at rest. */
export const secrets = sqliteTable(
  'secrets',
  {
    botId: text('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    ciphertext: text('ciphertext').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.name] })],
);

export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    botId: text('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    flowVersion: integer('flow_version').notNull(),
    channel: text('channel', { enum: ['web', 'api', 'test'] }).notNull(),
    status: text('status', { enum: ['bot', 'queued', 'agent', 'closed'] }).notNull().default('bot'),
    /** SHA-256 of the end user's conversation token. */
    tokenHash: text('token_hash').notNull(),
    userEmail: text('user_email'),
    userName: text('user_name'),
    userExternalId: text('user_external_id'),
    assigneeId: text('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    nodeId: text('node_id'),
    vars: text('vars', { mode: 'json' }),
    /** Set when the user left a message for people while nobody was online; cleared when someone answers. */
    leftMessageAt: integer('left_message_at', { mode: 'timestamp_ms' }),
    /** In assist mode: the AI's draft of the next reply, for the person who has the conversation. */
    suggestion: text('suggestion'),
    /** How many bot messages the conversation has said (the engine's `messageSeq`): a reopened run numbers its own after them. */
    messageSeq: integer('message_seq').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('conversations_bot').on(t.botId), index('conversations_status').on(t.status, t.updatedAt)],
);

/** The transcript. `seq` orders it and is the read cursor; `id` makes every write idempotent. */
export const messages = sqliteTable(
  'messages',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['user', 'bot', 'agent', 'system'] }).notNull(),
    text: text('text').notNull(),
    clientMessageId: text('client_message_id'),
    nodeId: text('node_id'),
    quickReplies: text('quick_replies', { mode: 'json' }).$type<string[]>(),
    agentId: text('agent_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('messages_conversation').on(t.conversationId, t.seq),
    uniqueIndex('messages_client_id').on(t.conversationId, t.clientMessageId),
  ],
);

/** Each time a conversation was handed to people: the inbox or an external desk. */
export const handoffs = sqliteTable(
  'handoffs',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    botId: text('bot_id').notNull(),
    desk: text('desk').$type<DeskKind>().notNull(),
    /** The desk's id of the conversation (ours for the inbox and the webhook desk; none in inbox handoffs of older versions). */
    deskConversationId: text('desk_conversation_id'),
    /** What the desk client needs to relay and close (tokens stay server-side). */
    session: text('session', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['queued', 'closed'] }).notNull(),
    /** Written by versions before the inbox became a desk; the team is in the handoff's target now. */
    teamId: text('team_id'),
    /** Makes the engine's retried request create one handoff, not two. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    createdAt: createdAt(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('handoffs_conversation').on(t.conversationId), index('handoffs_desk').on(t.botId, t.desk, t.deskConversationId)],
);

/** Webhook deliveries already handled (desks deliver at least once) and signatures seen (replays). */
export const hookReceipts = sqliteTable('hook_receipts', {
  key: text('key').primaryKey(),
  receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
});

/** What the last call to a bot's desk said: the settings screen's status badge. */
export const deskStatus = sqliteTable(
  'desk_status',
  {
    botId: text('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    desk: text('desk').$type<ConfigurableDeskKind>().notNull(),
    available: integer('available', { mode: 'boolean' }).notNull(),
    message: text('message'),
    checkedAt: integer('checked_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.desk] })],
);
