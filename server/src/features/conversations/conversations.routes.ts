import { z } from 'zod';
import { changeStream } from '../../http/change-stream.js';
import { AppError } from '../../http/errors.js';
import { BUILDERS, HUMANS } from '../../http/principal.js';
import { Router } from '../../http/route.js';
import { emailAddress, integerParam, nonBlankText } from '../../http/schemas.js';
import type { ConversationEvents } from './conversation-events.js';
import type { ConversationsService } from './conversations.service.js';

const conversationParams = z.object({ id: z.string().min(1).max(100) });
const conversationStatus = z.enum(['bot', 'queued', 'agent', 'closed']).meta({ id: 'ConversationStatus' });
export const messageSchema = z
  .object({
    id: z.string(),
    role: z.enum(['user', 'bot', 'agent', 'system']),
    text: z.string(),
    quickReplies: z.array(z.string()).optional().describe('Answers the user can pick (a bot message only)'),
    createdAt: z.string(),
  })
  .meta({ id: 'Message' });
const replySchema = z.object({ id: z.string(), text: z.string(), quickReplies: z.array(z.string()).optional() }).meta({ id: 'Reply' });
export const endUserSchema = z.object({ email: z.string().optional(), name: z.string().optional(), externalId: z.string().optional() }).meta({ id: 'EndUser' });
const conversationSchema = z
  .object({
    id: z.string(),
    botId: z.string(),
    status: conversationStatus,
    assignee: z.string().optional().describe('The id of the person who owns it'),
    assigneeName: z.string().optional(),
    flowVersion: z.number().describe('The published version it runs (below zero: a test of a draft)'),
    channel: z.string().describe('`web`, `api`, `test`, …'),
    createdAt: z.string(),
    updatedAt: z.string(),
    user: endUserSchema,
    nodeId: z.string().nullable().optional().describe('People only: the node the flow is at'),
    vars: z.record(z.string(), z.json()).optional().describe("People only: the conversation's variables"),
  })
  .meta({ id: 'Conversation' });
const statusEventSchema = z
  .object({ status: conversationStatus, assignee: z.string().optional(), assigneeName: z.string().optional() })
  .meta({ id: 'StatusEvent' });
const cursor = integerParam(z.number().int().min(0, 'must be a cursor returned by this API'));

/** Streams poll the database this often, for writes made by a worker in another process. */
const STREAM_POLL_MS = 1000;
const STREAM_BATCH = 200;

export function conversationsRoutes(conversations: ConversationsService, events: ConversationEvents): Router {
  const router = new Router();
  const access = { roles: HUMANS, conversationToken: true };

  router.add(
    {
      method: 'post',
      path: '/api/bots/:botId/conversations',
      summary: 'Open a conversation with a bot; returns the end user\'s token. `test: true` runs the draft (builders only).',
      tags: ['conversations'],
      access: { public: true },
      params: z.object({ botId: z.string().min(1).max(100) }),
      body: z
        .object({
          user: z
            .object({
              email: emailAddress.optional(),
              name: z.string().max(200).optional(),
              externalId: z.string().max(200).optional(),
            })
            .optional(),
          test: z.boolean().default(false),
        })
        .default({ test: false }),
      responses: {
        201: { description: 'Opened', schema: z.object({ conversationId: z.string(), token: z.string(), flowVersion: z.number() }) },
        401: { description: '`test: true` without credentials' },
        403: { description: "`test: true` by someone who is not a builder, or a widget on a site that is not among the bot's allowed origins" },
        409: { description: 'The bot is not published (`not_published`) or not switched on (`bot_disabled`)' },
        422: { description: '`test: true` and the draft has errors (`flow_invalid`, listed in `error.issues`)' },
        503: { description: 'The conversation engine is not reachable (`engine_unavailable`)' },
      },
    },
    async (c, { params, body, user }) => {
      if (body.test && (!user || !BUILDERS.includes(user.role))) {
        throw new AppError(user ? 403 : 401, user ? 'forbidden' : 'unauthorized', 'Only builders can test a draft');
      }
      const created = await conversations.create(params.botId, {
        ...(body.user ? { user: body.user } : {}),
        test: body.test,
        channel: c.req.header('origin') ? 'web' : 'api',
        ...(user ? { createdBy: user.id } : {}),
      });
      return c.json(created, 201);
    },
  );

  router.add(
    {
      method: 'post',
      path: '/api/conversations/:id/messages',
      summary: 'Send a user message: 202 at once, or with ?wait=true 200 with the bot\'s replies to this turn',
      tags: ['conversations'],
      access: { roles: BUILDERS, conversationToken: true },
      params: conversationParams,
      query: z.object({ wait: z.enum(['true', 'false', '1', '0']).optional() }),
      body: z.object({
        text: nonBlankText(4000),
        clientMessageId: z
          .string()
          .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be 1–100 letters, digits or _ . : -')
          .optional(),
      }),
      bodyLimit: 64 * 1024,
      responses: {
        202: { description: 'Accepted', schema: z.object({ messageId: z.string() }) },
        200: {
          description: 'The replies of this turn (`pending: true` when the bot took too long; read them later)',
          schema: z.object({
            messageId: z.string(),
            replies: z.array(replySchema),
            status: z.enum(['answered', 'relayed', 'duplicate', 'closed', 'pending']),
            conversationStatus: conversationStatus.optional(),
            pending: z.boolean(),
          }),
        },
        409: { description: 'The conversation is closed (`conversation_closed`)' },
        503: { description: 'The conversation engine is not reachable (`engine_unavailable`)' },
      },
    },
    async (c, { params, query, body }) => {
      const wait = query.wait === 'true' || query.wait === '1';
      const { messageId, reply } = await conversations.send(params.id, body.text, body.clientMessageId, wait);
      if (!reply) return c.json({ messageId }, 202);
      if (reply.status === 'pending') return c.json({ messageId, replies: [], status: 'pending' as const, pending: true }, 200);
      return c.json({ messageId, replies: reply.replies, status: reply.status, conversationStatus: reply.conversationStatus, pending: false }, 200);
    },
  );

  router.add(
    {
      method: 'get',
      path: '/api/conversations/:id/messages',
      summary: 'The transcript after a cursor',
      tags: ['conversations'],
      access,
      params: conversationParams,
      query: z.object({ after: cursor.default(0), limit: integerParam(z.number().int().min(1).max(500)).default(100) }),
      responses: { 200: { description: 'Messages', schema: z.object({ messages: z.array(messageSchema), cursor: z.string() }) } },
    },
    (c, { params, query }) => {
      conversations.get(params.id);
      const page = conversations.messagesAfter(params.id, query.after, query.limit);
      return c.json({ messages: page.messages.map(({ seq: _seq, ...message }) => message), cursor: page.cursor }, 200);
    },
  );

  router.add(
    {
      method: 'get',
      path: '/api/conversations/:id',
      summary: 'A conversation\'s status; people also see where the flow is and its variables',
      tags: ['conversations'],
      access,
      params: conversationParams,
      responses: { 200: { description: 'The conversation', schema: conversationSchema } },
    },
    (c, { params, user }) => c.json(conversations.view(conversations.get(params.id), user !== undefined), 200),
  );

  router.add(
    {
      method: 'get',
      path: '/api/conversations/:id/events',
      summary: 'Server-sent events: each new message of the transcript, and status changes; resumes after `Last-Event-ID` or `after`',
      tags: ['conversations'],
      access,
      params: conversationParams,
      query: z.object({ after: cursor.optional() }),
      responses: {
        200: {
          description: 'An event stream',
          events: {
            message: { description: 'A message, as the transcript has it; the event id is its cursor', schema: messageSchema, id: true },
            status: { description: "The conversation's status, when it changes (and first)", schema: statusEventSchema },
          },
        },
      },
    },
    (c, { params, query }) => {
      conversations.get(params.id);
      const lastEventId = Number(c.req.header('last-event-id'));
      let after = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : (query.after ?? 0);
      let lastStatus = '';
      return changeStream(c, {
        events,
        key: params.id,
        pollMs: STREAM_POLL_MS,
        async tick(stream) {
          let wrote = false;
          const batch = conversations.messagesAfter(params.id, after, STREAM_BATCH);
          for (const { seq, ...message } of batch.messages) {
            after = seq;
            await stream.writeSSE({ event: 'message', id: String(seq), data: JSON.stringify(message) });
            wrote = true;
          }
          const row = conversations.get(params.id);
          const assigneeName = conversations.assigneeName(row);
          const status = JSON.stringify({ status: row.status, ...(row.assigneeId ? { assignee: row.assigneeId } : {}), ...(assigneeName ? { assigneeName } : {}) });
          if (status !== lastStatus) {
            lastStatus = status;
            await stream.writeSSE({ event: 'status', data: status });
            wrote = true;
          }
          return { wrote, more: batch.messages.length === STREAM_BATCH };
        },
      });
    },
  );
  return router;
}
