// The editor in a real browser (Debian's Chromium, playwright-core) against the real server,
// engine and Temporal: a builder makes a bot by dragging nodes, publishes it and switches it on;
// a visitor chats through the widget on another site; a person takes over from the inbox.
// Screenshots go to test/artifacts/ (the README shows some of them, copied to docs/screenshots/).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/openai/fake-openai.js';
import { apiClient, startBaton, type BatonProcess } from '../../support/baton-process.js';
import { launchChromium, screenshot, serveHtml, watchConsole, type StaticSite } from '../../support/browser.js';
import { temporalAddress, uniqueName } from '../../support/temporal.js';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery' };
const GREETING = 'Hi! I am the shop assistant. How can I help?';
const VIEWPORT = { width: 1440, height: 900 };

let baton: BatonProcess;
let llm: FakeOpenAI;
let site: StaticSite;
let browser: Browser;
let builder: BrowserContext;
let page: Page;
let botId = '';
const consoleLines: string[] = [];

beforeAll(async () => {
  llm = await startFakeOpenAI({
    defaultReply: (request) => ({ text: `Bot answer to: ${String(request.messages.filter((m) => m.role === 'user').at(-1)?.content)}` }),
  });
  baton = await startBaton({
    BATON_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'baton-browser-')),
    TEMPORAL_ADDRESS: temporalAddress(),
    BATON_TASK_QUEUE: uniqueName('browser'),
    BATON_OWNER_EMAIL: OWNER.email,
    BATON_OWNER_PASSWORD: OWNER.password,
    OPENAI_API_KEY: llm.apiKey,
    OPENAI_BASE_URL: llm.baseURL,
  });
  site = await serveHtml(
    () => `<!doctype html><html><head><meta charset="utf-8"><title>Acme shoes</title></head>
<body style="font-family: sans-serif; padding: 40px; background: #fafafa">
<h1>Acme shoes</h1><p>Our customers' site. The chat bubble is Baton's widget.</p>
<script src="${baton.url}/widget.js" data-bot="${botId}" data-color="#0f766e" async></script>
</body></html>`,
  );
  browser = await launchChromium();
  builder = await browser.newContext({ viewport: VIEWPORT });
  page = await builder.newPage();
  page.setDefaultTimeout(15_000);
  watchConsole(page, 'builder', consoleLines);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (baton) expect(await baton.stop()).toBe(0);
  await llm?.close();
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') {
    if (consoleLines.length > 0) console.log(consoleLines.join('\n'));
    await screenshot(page, `failed-${task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
  }
  consoleLines.length = 0;
});

/**
 * Drags a palette entry onto the canvas with real pointer events, dropping it at (x, y) of the
 * visible canvas (the part right of the palette).
 */
async function dragFromPalette(type: string, x: number, y: number) {
  const palette = await settledBox(page.getByTestId('palette'));
  const pane = await settledBox(page.locator('.react-flow__pane'));
  const item = await settledBox(page.getByTestId(`palette-${type}`));
  await page.mouse.move(item.x + 30, item.y + 15);
  await page.mouse.down();
  await page.mouse.move(item.x + 60, item.y + 40, { steps: 5 });
  await page.mouse.move(palette.x + palette.width + x, pane.y + y, { steps: 12 });
  await page.mouse.up();
}

/** Where the element is once the canvas has stopped moving (it glides when a side panel opens or closes). */
async function settledBox(locator: Locator) {
  let last = await locator.boundingBox();
  let still = 0;
  for (let i = 0; i < 100 && still < 8; i++) {
    await page.waitForTimeout(50);
    const now = await locator.boundingBox();
    still = now && last && now.x === last.x && now.y === last.y ? still + 1 : 0;
    last = now;
  }
  if (!last || still < 8) throw new Error(`${String(locator)} keeps moving`);
  return last;
}

/** Presses on one element, moves to the other with the button down, and lets go there. */
async function dragBetween(from: Locator, to: Locator) {
  const a = await settledBox(from);
  const b = await settledBox(to);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 15 });
  // A hand rests on the target for a moment; React Flow finds the handle under the pointer per frame.
  await page.waitForTimeout(100);
  await page.mouse.up();
}

/**
 * Draws an edge from one handle to another by dragging, as a person does, and waits for it.
 * The canvas can still be gliding (a panel opened, a node was centred) when the drag starts; like
 * a person who sees no edge appear, it then tries again, at most twice.
 */
async function drawEdge(from: Locator, to: Locator) {
  const before = await edges().count();
  for (let attempt = 1; ; attempt++) {
    await dragBetween(from, to);
    const drawn = await expect
      .poll(() => edges().count(), { timeout: 2_000 })
      .toBe(before + 1)
      .then(() => true)
      .catch(() => false);
    if (drawn) return;
    if (attempt === 3) throw new Error(`no edge from ${String(from)} to ${String(to)} after ${attempt} drags`);
  }
}

const edges = () => page.locator('.react-flow__edge');
const inspector = () => page.getByTestId('inspector');

async function closeInspector() {
  if (await inspector().isVisible()) {
    await inspector().getByRole('button', { name: /close/i }).first().click();
    await inspector().waitFor({ state: 'detached' });
  }
}

/** Zoom to fit, from the canvas controls: the whole flow in view, for a screenshot worth showing. */
async function fitView() {
  await page.locator('.react-flow__controls-fitview').click();
  await settledBox(page.getByTestId('flow-node-start'));
}

async function savedDraft() {
  await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
}

describe('the builder', () => {
  test('logs in and creates a bot', async () => {
    await page.goto(baton.url);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: /log in/i }).click();
    await page.getByRole('form', { name: 'New bot' }).getByLabel('New bot').fill('Acme support');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('flow-node-start').waitFor();
    botId = /#\/bots\/([^/?]+)/.exec(page.url())?.[1] ?? '';
    expect(botId).toMatch(/^bot_/);
  });

  test('builds a three-node flow by dragging from the palette and connecting the ports', async () => {
    await dragFromPalette('send_message', 80, 40);
    await page.getByTestId('flow-node-send_message_1').waitFor();
    await closeInspector();
    await dragFromPalette('wait_for_reply', 80, 560);
    await page.getByTestId('flow-node-wait_for_reply_1').waitFor();
    await closeInspector();
    await dragFromPalette('llm_reply', 440, 640);
    await page.getByTestId('flow-node-llm_reply_1').waitFor();
    await closeInspector();

    await drawEdge(page.getByTestId('port-start-next'), page.getByTestId('in-send_message_1'));
    await drawEdge(page.getByTestId('port-send_message_1-next'), page.getByTestId('in-wait_for_reply_1'));
    await drawEdge(page.getByTestId('port-wait_for_reply_1-replied'), page.getByTestId('in-llm_reply_1'));
    await drawEdge(page.getByTestId('port-llm_reply_1-next'), page.getByTestId('in-wait_for_reply_1'));
    await expect.poll(() => edges().count()).toBe(4);

    // An exit cannot go into the start node (it has no entry): the edge is refused.
    await dragBetween(page.getByTestId('port-llm_reply_1-error'), page.getByTestId('flow-node-start'));
    await page.waitForTimeout(500);
    expect(await edges().count()).toBe(4);
  });

  test('shows the server\'s issue on the node and its field, and clears it once the form is filled', async () => {
    await savedDraft();
    // The message is empty: the server says so, on the node.
    const issues = page.getByTestId('node-issues-send_message_1');
    await expect.poll(() => issues.getAttribute('aria-label')).toMatch(/1 error/);

    await page.getByTestId('flow-node-send_message_1').click();
    await inspector().waitFor();
    const message = inspector().getByRole('combobox', { name: 'Message' });
    await expect.poll(() => message.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'builder-issue');
    await message.fill(GREETING);
    await savedDraft();
    await issues.waitFor({ state: 'detached' });

    await page.getByTestId('flow-node-llm_reply_1').click();
    await inspector().getByLabel('Instructions').fill('You help the customers of Acme shoes with their orders.');
    await page.getByTestId('flow-node-wait_for_reply_1').click();
    await inspector().getByLabel('Save the answer as').fill('question');
    await savedDraft();
    await closeInspector();
    await fitView();
    await screenshot(page, 'builder');
  });

  test('publishes the draft as version 1', async () => {
    await page.getByTestId('publish').click();
    await expect.poll(() => page.getByTestId('flow-notice').innerText()).toContain('Published version 1');
    const owner = apiClient(baton.url);
    await owner.login(OWNER.email, OWNER.password);
    const published = await owner.call('GET', `/api/bots/${botId}/versions/1`);
    expect(published.status).toBe(200);
    const flow = published.body.flow ?? published.body;
    expect(flow.nodes.map((n: { type: string }) => n.type).sort()).toEqual(['llm_reply', 'send_message', 'start', 'wait_for_reply']);
    expect(flow.edges).toHaveLength(4);
  });

  test('test chat runs the draft on the engine and shows where the conversation is', async () => {
    await page.getByTestId('test-chat-toggle').click();
    const chat = page.getByTestId('test-chat');
    await chat.getByRole('button', { name: /start a test/i }).click();
    const transcript = chat.getByTestId('test-chat-transcript');
    await transcript.getByText(GREETING).waitFor();
    await expect.poll(() => chat.getByTestId('test-chat-node').innerText()).toBe('wait_for_reply_1');
    await expect.poll(() => page.getByTestId('flow-node-wait_for_reply_1').getAttribute('data-highlighted')).toBe('true');

    await chat.getByLabel('Your message (as the user)').fill('Where is my order 1234?');
    await chat.getByLabel('Your message (as the user)').press('Enter');
    await transcript.getByText('Bot answer to: Where is my order 1234?').waitFor();
    await chat.getByTestId('test-chat-vars').getByText('Where is my order 1234?').first().waitFor();
    await fitView();
    await screenshot(page, 'test-chat');
  });
});

describe('live: the widget on a customer\'s site, and a person in the inbox', () => {
  const AGENT = { email: 'ana@example.com', name: 'Ana', password: 'agent password 1234' };
  let agentContext: BrowserContext;
  let agent: Page;
  let visitorContext: BrowserContext;
  let visitor: Page;
  const widget = () => visitor.frameLocator('[data-baton-widget] iframe');
  const widgetMessages = () => widget().getByTestId('chat-messages');

  test('the builder switches the bot on and allows the site, in the settings screens', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('switch', { name: 'Answer users on live channels' }).check();
    await page.getByRole('tab', { name: 'Widget' }).click();
    await page.getByLabel('Add an origin').fill(site.origin);
    await page.getByRole('button', { name: 'Add origin' }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByTestId('settings-save-state').innerText()).toMatch(/saved/i);

    const owner = apiClient(baton.url);
    await owner.login(OWNER.email, OWNER.password);
    const settings = await owner.call('GET', `/api/bots/${botId}/settings`);
    expect(settings.body).toMatchObject({ enabled: true, widget: { allowedOrigins: [site.origin] } });
    expect((await owner.call('POST', '/api/users', { ...AGENT, role: 'agent' })).status).toBe(201);
  });

  test("the builder sets up a desk in the form made from the desk's declaration; its secret is write-only", async () => {
    await page.getByRole('tab', { name: 'Desks' }).click();
    const desk = page.getByTestId('desk-webhook');
    await desk.getByRole('button', { name: 'Set up Webhook desk' }).click();
    await expect.poll(() => desk.innerText()).toContain(`${baton.url}/hooks/webhook/${botId}/message`);
    await desk.getByLabel('Webhook base URL').fill('https://desk.example.com/baton');
    await page.getByRole('button', { name: 'Save settings' }).click();
    // The server's refusal lands on the field it names.
    await expect.poll(() => desk.getByRole('alert').allInnerTexts()).toContain('is required');
    await desk.getByLabel('Webhook signing secret').fill('desk-signing-secret-1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByTestId('settings-save-state').innerText()).toMatch(/saved/i);
    await expect.poll(() => desk.getByLabel('Webhook signing secret').getAttribute('placeholder')).toBe('Stored, type to replace');
    expect(await desk.getByLabel('Webhook signing secret').inputValue()).toBe('');
    await screenshot(page, 'settings-desks');

    const owner = apiClient(baton.url);
    await owner.login(OWNER.email, OWNER.password);
    const settings = await owner.call('GET', `/api/bots/${botId}/settings`);
    expect(settings.body.desks).toEqual({ webhook: { baseUrl: 'https://desk.example.com/baton', secret: '********' } });
  });

  test('a person logs in to the inbox in another browser and goes online', async () => {
    agentContext = await browser.newContext({ viewport: VIEWPORT });
    agent = await agentContext.newPage();
    agent.setDefaultTimeout(15_000);
    watchConsole(agent, 'agent', consoleLines);
    await agent.goto(baton.url);
    await agent.getByLabel('Email').fill(AGENT.email);
    await agent.getByLabel('Password').fill(AGENT.password);
    await agent.getByRole('button', { name: /log in/i }).click();
    await agent.getByRole('link', { name: 'Inbox' }).click();
    await agent.getByRole('radio', { name: 'Online' }).check();
    await expect.poll(() => agent.getByTestId('inbox-live').innerText()).toBe('Live');
  });

  test('a visitor chats with the bot through the widget on a plain HTML page', async () => {
    visitorContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    visitor = await visitorContext.newPage();
    visitor.setDefaultTimeout(15_000);
    watchConsole(visitor, 'visitor', consoleLines);
    await visitor.goto(site.origin);
    await visitor.getByRole('button', { name: /^Chat with us/ }).click();
    await widgetMessages().getByText(GREETING).waitFor();
    await expect.poll(() => widget().getByTestId('chat-availability').innerText()).toBe('1 person available');

    await widget().getByRole('textbox', { name: 'Message' }).fill('Where is my order 1234?');
    await widget().getByRole('textbox', { name: 'Message' }).press('Enter');
    await widgetMessages().getByText('Bot answer to: Where is my order 1234?').waitFor();
    await screenshot(visitor, 'widget');
  });

  test('the visitor asks for a person; it shows up live in the inbox; the person takes over and replies', async () => {
    await widget().getByRole('button', { name: 'Talk to a person' }).click();

    // No reload: the queue is live.
    const row = agent.getByTestId('inbox-row');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await expect.poll(() => agent.getByTestId('inbox-announcement').innerText()).not.toBe('');
    await row.getByRole('link').click();
    const transcript = agent.getByTestId('inbox-transcript');
    await transcript.getByText('Where is my order 1234?', { exact: true }).waitFor();
    await transcript.getByText('Bot answer to: Where is my order 1234?', { exact: true }).waitFor();

    await agent.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Take over' }).click();
    const reply = agent.getByRole('textbox', { name: 'Reply' });
    await reply.fill('Hi, I am Ana from Acme. Let me check order 1234.');
    await reply.press('Enter');

    await widgetMessages().getByText('Hi, I am Ana from Acme. Let me check order 1234.').waitFor();
    await widget().getByRole('textbox', { name: 'Message' }).fill('Thank you, Ana!');
    await widget().getByRole('textbox', { name: 'Message' }).press('Enter');
    await transcript.getByText('Thank you, Ana!').waitFor();
    await screenshot(agent, 'inbox');
    await screenshot(visitor, 'widget-with-person');
  });

  test('the person completes; the bot answers again, and nothing was lost or said twice', async () => {
    await agent.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Complete' }).click();
    await agent.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Reactivate' }).waitFor();

    await widget().getByRole('textbox', { name: 'Message' }).fill('When will it arrive?');
    await widget().getByRole('textbox', { name: 'Message' }).press('Enter');
    await widgetMessages().getByText('Bot answer to: When will it arrive?').waitFor();

    const said = (text: string) => widgetMessages().getByText(text, { exact: true }).count();
    for (const text of [
      GREETING,
      'Where is my order 1234?',
      'Bot answer to: Where is my order 1234?',
      'Hi, I am Ana from Acme. Let me check order 1234.',
      'Thank you, Ana!',
      'When will it arrive?',
      'Bot answer to: When will it arrive?',
    ]) {
      expect(await said(text), text).toBe(1);
    }
    await screenshot(visitor, 'widget-back-to-bot');
  });
});
