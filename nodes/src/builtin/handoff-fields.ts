import { z } from 'zod';
import { ui } from '../sdk/ui.js';

/** Config shared by the two handoff nodes (built-in inbox and external desks). */
export const handoffFields = {
  waitTimeoutSeconds: z
    .number()
    .int()
    .min(5)
    .max(86_400)
    .default(60)
    .meta(ui({ label: 'Wait for a human (seconds)', help: 'Then the user may keep waiting or stop.' })),
  sessionTimeoutSeconds: z
    .number()
    .int()
    // As low as the wait timeout: a short session is rarely wise, but tests (and demos) of the
    // session ending must not take half a minute each.
    .min(5)
    .max(7 * 86_400)
    .default(180)
    .meta(ui({ label: 'End the human session after (seconds)', help: 'Counted from the human\'s last message while the user stays silent.' })),
  historyRounds: z
    .number()
    .int()
    .min(0)
    .max(50)
    .default(10)
    .meta(ui({ label: 'Rounds of history to send', help: 'The human also gets the user\'s latest question.' })),
  requireEmail: z.boolean().default(false).meta(ui({ label: 'Ask for an email first (unless known)', widget: 'switch' })),
  texts: z
    .object({
      emailPrompt: z.string().max(1000).optional(),
      emailInvalid: z.string().max(1000).optional(),
      waiting: z.string().max(1000).optional(),
      keepWaiting: z.string().max(1000).optional(),
      keepWaitingChoice: z.string().max(20).optional(),
      stopWaitingChoice: z.string().max(20).optional(),
      stillWaiting: z.string().max(1000).optional(),
      leaveMessage: z.string().max(1000).optional(),
      messageLeft: z.string().max(1000).optional(),
      sessionEnded: z.string().max(1000).optional(),
    })
    .default({})
    .meta(ui({ label: 'What the bot says while connecting', help: 'Leave a line empty for the default wording.', advanced: true })),
  offHoursMessage: z
    .string()
    .max(2000)
    .default('Our team is not available right now. We will get back to you as soon as we are.')
    .meta(ui({ label: 'Reply outside service hours', widget: 'template' })),
};
