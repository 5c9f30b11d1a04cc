import { expect, it } from 'vitest';
import type { FlowDocumentInput } from '@baton/nodes';
import { fakeHttp } from '@baton/nodes/testing';
import { runTranscript } from '@baton/engine/testing';
import { activities } from './activities.js';

/** Asks for an order number, looks it up, asks again when there is no such order. */
const flow: FlowDocumentInput = {
  schemaVersion: 1,
  name: 'Where is my order?',
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'hello', type: 'send_message', config: { text: 'Hi! What is your order number?' } },
    { id: 'ask', type: 'wait_for_reply', config: { timeoutSeconds: 300, saveAs: 'order_id' } },
    { id: 'lookup', type: 'order_status', config: { apiBaseUrl: 'https://shop.example.com/api', apiKey: 'shop_api_key' } },
    { id: 'sorry', type: 'send_message', config: { text: 'I found no order {{order_id}}. Please check the number.' } },
    { id: 'bye', type: 'end', config: { message: 'Thanks for shopping with us!' } },
    { id: 'down', type: 'end', config: { message: 'Our shop is not answering; please try again later.' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'hello' },
    { id: 'e2', source: 'hello', sourcePort: 'next', target: 'ask' },
    { id: 'e3', source: 'ask', sourcePort: 'replied', target: 'lookup' },
    { id: 'e4', source: 'lookup', sourcePort: 'found', target: 'bye' },
    { id: 'e5', source: 'lookup', sourcePort: 'not_found', target: 'sorry' },
    { id: 'e6', source: 'sorry', sourcePort: 'next', target: 'ask' },
    { id: 'e7', source: 'lookup', sourcePort: 'error', target: 'down' },
    { id: 'e8', source: 'ask', sourcePort: 'timeout', target: 'down' },
  ],
  settings: { burstWindowMs: 0 },
};

it('runs a whole conversation with the node on the real engine', async () => {
  const shop = fakeHttp((request) =>
    request.url.endsWith('/orders/42') ? { status: 200, body: '{"status":"shipped","eta":"2026-01-08"}' } : { status: 404 },
  );
  const run = await runTranscript({ activities, flow, http: shop, secrets: { shop_api_key: 'sk-test-123' } });
  try {
    expect(await run.botMessages()).toEqual(['Hi! What is your order number?']);
    expect(await run.say('7')).toEqual(['I found no order 7. Please check the number.']);
    expect(await run.say('42')).toEqual(['Your order 42 is shipped.', 'It should arrive on 2026-01-08.', 'Thanks for shopping with us!']);

    expect(await run.state()).toMatchObject({ status: 'closed', ended: 'completed', vars: { order_id: '42', order: { status: 'shipped', eta: '2026-01-08' } } });
    expect(run.transcript()).toEqual([
      'bot: Hi! What is your order number?',
      'user: 7',
      'bot: I found no order 7. Please check the number.',
      'user: 42',
      'bot: Your order 42 is shipped.',
      'bot: It should arrive on 2026-01-08.',
      'bot: Thanks for shopping with us!',
    ]);
    expect(shop.requests.map((r) => [r.url, r.headers?.['authorization']])).toEqual([
      ['https://shop.example.com/api/orders/7', 'Bearer sk-test-123'],
      ['https://shop.example.com/api/orders/42', 'Bearer sk-test-123'],
    ]);
  } finally {
    await run.stop();
  }
});
