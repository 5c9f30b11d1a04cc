import { z } from 'zod';
import type { ConversationClient } from '@baton/engine/client';
import { changeStream } from '../../http/change-stream.js';
import { AppError, conversationClosed } from '../../http/errors.js';
import { BUILDERS, HUMANS, OWNERS, type AuthUser } from '../../http/principal.js';
import { Router } from '../../http/route.js';
import { emailAddress, nonBlankText } from '../../http/schemas.js';
import type { ConversationEvents } from '../conversations/conversation-events.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import { INBOX_CHANNEL } from './inbox-channel.js';
import { inboxItemSchema } from './inbox-item.js';
import type { InboxService } from './inbox.service.js';

const conversationParams = z.object({ id: z.string().min(1).max(100) });
const ok = z.object({ ok: z.literal(true) });
const inboxSchema = z.object({ conversations: z.array(inboxItemSchema) }).meta({ id: 'Inbox' });
const teamSchema = z.object({ id: z.string(), name: z.string(), memberIds: z.array(z.string()) }).meta({ id: 'Team' });
const presenceSchema = z.enum(['online', 'away', 'offline']);
const closedResponse = { 409: { description: 'The conversation is closed (`conversation_closed`)' } } as const;
const STREAM_POLL_MS = 2000;

/** The inbox for people, and the end user's side of a handoff (ask for a person, leave them, who am I). */
export function inboxRoutes(deps: { inbox: InboxService; conversations: ConversationsService; engine: ConversationClient; events: ConversationEvents }): Router {
  const { inbox, conversations, engine, events } = deps;
  const router = new Router();
  const person = { roles: HUMANS };
  const endUser = { roles: BUILDERS, conversationToken: true };
  // The deployment token (BATON_API_TOKEN) is no user row: it cannot be an assignee or an author.
  const asPerson = (user: AuthUser | undefined, what: string): AuthUser => {
    if (!user || user.id === 'env-token') throw new AppError(403, 'forbidden', `Log in as a person to ${what}`);
    return user;
  };
  const openConversation = (id: string) => {
    const row = conversations.get(id);
    if (row.status === 'closed') throw conversationClosed(id);
    return row;
  };

  router.add(
    {
      method: 'get',
      path: '/api/inbox',
      summary: 'Conversations waiting for a person, owned by one, or with a message left for people',
      tags: ['inbox'],
      access: person,
      query: z.object({ status: z.enum(['queued', 'agent', 'left_message']).optional(), mine: z.enum(['true', 'false']).optional() }),
      responses: { 200: { description: 'The inbox', schema: inboxSchema } },
    },
    (c, { query, user }) =>
      c.json({ conversations: inbox.list({ ...(query.status ? { status: query.status } : {}), ...(query.mine === 'true' ? { mine: user!.id } : {}) }) }, 200),
  );
  router.add(
    {
      method: 'get',
      path: '/api/inbox/events',
      summary: 'Server-sent events: `inbox` with the whole inbox whenever it changes',
      tags: ['inbox'],
      access: person,
      responses: { 200: { description: 'An event stream', events: { inbox: { description: 'The whole inbox, whenever it changes (and first)', schema: inboxSchema } } } },
    },
    (c) => {
      let last = '';
      return changeStream(c, {
        events,
        key: INBOX_CHANNEL,
        pollMs: STREAM_POLL_MS,
        async tick(stream) {
          const snapshot = JSON.stringify({ conversations: inbox.list({}) });
          if (snapshot === last) return { wrote: false };
          last = snapshot;
          await stream.writeSSE({ event: 'inbox', data: snapshot });
          return { wrote: true };
        },
      });
    },
  );
  router.add(
    {
      method: 'post',
      path: '/api/conversations/:id/takeover',
      summary: 'Take the conversation over: the bot goes quiet and you talk to the user',
      tags: ['inbox'],
      access: person,
      params: conversationParams,
      responses: { 200: { description: 'Yours', schema: ok }, 403: { description: 'BATON_API_TOKEN is no person: log in (`forbidden`)' }, ...closedResponse },
    },
    async (c, { params, user }) => {
      await inbox.takeover(params.id, asPerson(user, 'take a conversation over'));
      return c.json({ ok: true as const }, 200);
    },
  );
  router.add(
    {
      method: 'post',
      path: '/api/conversations/:id/agent-messages',
      summary: 'Reply to the user as a person (takes the conversation over when needed)',
      tags: ['inbox'],
      access: person,
      params: conversationParams,
      body: z.object({ text: nonBlankText(4000) }),
      bodyLimit: 64 * 1024,
      responses: { 201: { description: 'Sent', schema: z.object({ messageId: z.string() }) }, ...closedResponse },
    },
    async (c, { params, body, user }) => c.json(await inbox.reply(params.id, asPerson(user, 'reply to a user'), body.text), 201),
  );
  router.add(
    {
      method: 'post',
      path: '/api/conversations/:id/complete',
      summary: 'Done: hand the conversation back to the bot',
      tags: ['inbox'],
      access: person,
      params: conversationParams,
      responses: { 200: { description: 'Handed back', schema: ok }, ...closedResponse },
    },
    async (c, { params }) => {
      await inbox.complete(params.id);
      return c.json({ ok: true as const }, 200);
    },
  );
  router.add(
    {
      method: 'post',
      path: '/api/conversations/:id/reactivate',
      summary: 'Take a conversation back, also a closed one',
      tags: ['inbox'],
      access: person,
      params: conversationParams,
      responses: { 200: { description: 'Yours again', schema: ok }, ...closedResponse },
    },
    async (c, { params, user }) => {
      await inbox.reactivate(params.id, asPerson(user, 'take a conversation back'));
      return c.json({ ok: true as const }, 200);
    },
  );
  router.add(
    {
      method: 'get',
      path: '/api/conversations/:id/suggestion',
      summary: "Assist mode: the AI's draft of the next reply (null when there is none)",
      tags: ['inbox'],
      access: person,
      params: conversationParams,
      responses: { 200: { description: 'The draft', schema: z.object({ text: z.string().nullable() }) } },
    },
    (c, { params }) => c.json(inbox.suggestion(params.id), 200),
  );
  router.add(
    {
      method: 'put',
      path: '/api/agents/me/status',
      summary: 'Your presence: online people get conversations',
      tags: ['inbox'],
      access: person,
      body: z.object({ status: presenceSchema }),
      responses: { 200: { description: 'Saved', schema: z.object({ status: presenceSchema }) } },
    },
    (c, { body, user }) => {
      inbox.setPresence(asPerson(user, 'set a presence').id, body.status);
      return c.json({ status: body.status }, 200);
    },
  );
  router.add(
    {
      method: 'get',
      path: '/api/bots/:botId/availability',
      summary: 'For the widget: open now, next opening, people online',
      tags: ['inbox'],
      access: { public: true },
      params: z.object({ botId: z.string().min(1).max(100) }),
      responses: {
        200: {
          description: 'Availability',
          schema: z.object({ open: z.boolean(), nextOpenAt: z.string().nullable(), agentsOnline: z.number() }).meta({ id: 'Availability' }),
        },
        403: { description: "A widget on a site that is not among the bot's allowed origins (`origin_not_allowed`)" },
      },
    },
    (c, { params }) => c.json(inbox.availability(params.botId), 200),
  );
  router.add(
    {
      method: 'get',
      path: '/api/bots/:botId/appearance',
      summary: "For the widget and the chat page: the colour and greeting from the bot's widget settings (each only when set)",
      tags: ['inbox'],
      access: { public: true },
      params: z.object({ botId: z.string().min(1).max(100) }),
      responses: {
        200: {
          description: 'Appearance',
          schema: z
            .object({
              color: z.string().optional().describe('#rrggbb'),
              greeting: z.string().optional().describe('Shown at the top of the chat, before the conversation'),
            })
            .meta({ id: 'Appearance' }),
        },
        403: { description: "A widget on a site that is not among the bot's allowed origins (`origin_not_allowed`)" },
      },
    },
    (c, { params }) => c.json(inbox.appearance(params.botId), 200),
  );
  router.add(
    {
      method: 'get',
      path: '/api/teams',
      summary: 'Teams of people, for routing',
      tags: ['inbox'],
      access: person,
      responses: { 200: { description: 'Teams', schema: z.object({ teams: z.array(teamSchema) }) } },
    },
    (c) => c.json({ teams: inbox.listTeams() }, 200),
  );
  const teamBody = z.object({ name: nonBlankText(100), memberIds: z.array(z.string().min(1).max(100)).max(500).default([]) });
  const teamErrors = {
    404: { description: 'A member id is no user (`not_found`, named in `error.issues`)' },
    409: { description: 'Another team has this name (`name_taken`)' },
  } as const;
  router.add(
    {
      method: 'post',
      path: '/api/teams',
      summary: 'Create a team (owner)',
      tags: ['inbox'],
      access: { roles: OWNERS },
      body: teamBody,
      responses: { 201: { description: 'Created', schema: teamSchema }, ...teamErrors },
    },
    (c, { body }) => c.json(inbox.saveTeam(body), 201),
  );
  router.add(
    {
      method: 'put',
      path: '/api/teams/:teamId',
      summary: 'Rename a team or set its members (owner)',
      tags: ['inbox'],
      access: { roles: OWNERS },
      params: z.object({ teamId: z.string().min(1).max(100) }),
      body: teamBody,
      responses: { 200: { description: 'Saved', schema: teamSchema }, ...teamErrors },
    },
    (c, { params, body }) => c.json(inbox.saveTeam({ ...body, id: params.teamId }), 200),
  );

  // ---- the end user's side -------------------------------------------------------------------
  router.add(
    {
      method: 'post',
      path: '/api/conversations/:id/request-human',
      summary: 'The user asks for a person (the widget\'s "talk to a human" button)',
      tags: ['conversations'],
      access: endUser,
      params: conversationParams,
      responses: { 202: { description: 'Asked', schema: ok }, ...closedResponse },
    },
    async (c, { params }) => {
      openConversation(params.id);
      await engine.requestHuman(params.id);
      return c.json({ ok: true as const }, 202);
    },
  );
  router.add(
    {
      method: 'post',
      path: '/api/conversations/:id/leave-humans',
      summary: 'The user ends the session with the person; the bot continues',
      tags: ['conversations'],
      access: endUser,
      params: conversationParams,
      responses: { 202: { description: 'Left', schema: ok }, ...closedResponse },
    },
    async (c, { params }) => {
      openConversation(params.id);
      await engine.leaveHumans(params.id);
      return c.json({ ok: true as const }, 202);
    },
  );
  router.add(
    {
      method: 'put',
      path: '/api/conversations/:id/user',
      summary: "What we know about the user (the widget's setEmail / setUser)",
      tags: ['conversations'],
      access: endUser,
      params: conversationParams,
      body: z
        .object({
          email: emailAddress.optional(),
          name: z.string().trim().max(200).optional(),
          externalId: z.string().max(200).optional(),
        })
        .refine((user) => user.email !== undefined || user.name !== undefined || user.externalId !== undefined, 'give an email, a name or an externalId')
        .meta({ anyOf: [{ required: ['email'] }, { required: ['name'] }, { required: ['externalId'] }] }),
      responses: { 200: { description: 'Saved', schema: ok }, ...closedResponse },
    },
    async (c, { params, body }) => {
      openConversation(params.id);
      const user = { ...body, ...(body.email ? { email: body.email.toLowerCase() } : {}) };
      conversations.setUser(params.id, user);
      await engine.setUser(params.id, user);
      return c.json({ ok: true as const }, 200);
    },
  );
  return router;
}
