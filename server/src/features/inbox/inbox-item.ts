import { z } from 'zod';

/** A conversation as the inbox lists it. */
export const inboxItemSchema = z
  .object({
    id: z.string(),
    botId: z.string(),
    botName: z.string(),
    status: z.enum(['bot', 'queued', 'agent', 'closed']),
    assignee: z.string().optional(),
    user: z.object({ email: z.string().optional(), name: z.string().optional() }),
    lastMessage: z.object({ role: z.string(), text: z.string().describe('The first 200 characters'), createdAt: z.string() }).optional(),
    leftMessage: z.boolean().describe('The user left a message for people'),
    updatedAt: z.string(),
  })
  .meta({ id: 'InboxItem' });
export type InboxItem = z.output<typeof inboxItemSchema>;
