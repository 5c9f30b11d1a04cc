// The Node half of the order-status node: the I/O. Only the worker loads it (through the
// package's "./activities" entry), never the editor or the workflow.
import { z } from 'zod';
import { NodeError, renderTemplate, type ActivityContext, type JsonObject } from '@baton/nodes';
import { implementActivity } from '@baton/nodes/activities';
import { orderStatusV1, orderStatusV2 } from './order-status.node.js';

/** The part of the shop's answer we use: `GET /orders/:id` → `{ "status": "shipped", "eta": "2026-01-08" }`. */
const orderSchema = z.object({ status: z.string().min(1).max(200), eta: z.string().min(1).max(200).optional() });

type Lookup = { found: false; orderId: string } | { found: true; orderId: string; status: string; eta?: string };

/**
 * Asks the shop for one order. 404 means "no such order"; a busy or broken shop (429, 5xx) is
 * retried by the engine (the node's `maxAttempts`); anything else fails the node at once.
 * `ctx.http` refuses private addresses unless the deployment allows them.
 */
async function lookUp(config: { apiBaseUrl: string; orderId: string; apiKey?: string | undefined }, vars: JsonObject, ctx: ActivityContext): Promise<Lookup> {
  const orderId = renderTemplate(config.orderId, vars).trim();
  if (orderId === '') return { found: false, orderId };

  const headers: Record<string, string> = { accept: 'application/json' };
  if (config.apiKey) {
    const key = await ctx.secrets.get(config.apiKey);
    if (key) headers['authorization'] = `Bearer ${key}`;
    // Never log the value; the name is fine.
    else ctx.log.warn('the API key secret is not set; calling without it', { secret: config.apiKey });
  }
  const url = `${config.apiBaseUrl.replace(/\/+$/, '')}/orders/${encodeURIComponent(orderId)}`;
  const response = await ctx.http.request({ method: 'GET', url, headers, timeoutMs: 8000, signal: ctx.signal });

  if (response.status === 404) return { found: false, orderId };
  if (response.status === 429 || response.status >= 500) {
    const retryAfterSeconds = Number(response.headers['retry-after']);
    throw new NodeError('order_api_unavailable', `the order API answered ${response.status}`, {
      retryable: true,
      ...(Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
    });
  }
  if (response.status < 200 || response.status >= 300) {
    // 401, 403, 400…: asking again will not help.
    throw new NodeError('order_api_refused', `the order API answered ${response.status}`, { retryable: false });
  }
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new NodeError('order_api_bad_response', 'the order API did not answer JSON', { retryable: false });
  }
  const order = orderSchema.safeParse(body);
  if (!order.success) throw new NodeError('order_api_bad_response', 'the order API answered without a status', { retryable: false });
  return { found: true, orderId, status: order.data.status, ...(order.data.eta ? { eta: order.data.eta } : {}) };
}

export const orderStatusV1Activity = implementActivity(orderStatusV1, async ({ config, vars }, ctx) => {
  const order = await lookUp(config, vars, ctx);
  if (!order.found) return { port: 'not_found' };
  return { port: 'found', say: [`Your order ${order.orderId} is ${order.status}.`], set: { 'order.status': order.status } };
});

export const orderStatusV2Activity = implementActivity(orderStatusV2, async ({ config, vars }, ctx) => {
  const order = await lookUp(config, vars, ctx);
  if (!order.found) return { port: 'not_found' };
  const withEta = config.includeEta && order.eta !== undefined;
  return {
    port: 'found',
    say: [`Your order ${order.orderId} is ${order.status}.`, ...(withEta ? [`It should arrive on ${order.eta}.`] : [])],
    set: { 'order.status': order.status, ...(withEta ? { 'order.eta': order.eta! } : {}) },
  };
});
