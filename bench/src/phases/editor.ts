import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../test/support/browser.js';
import { createBot } from '../api.js';
import { generatedFlow } from '../flows.js';
import { repoRoot, sleep } from '../processes.js';
import { median, percentile, round } from '../stats.js';

export interface AssetSize {
  file: string;
  rawKiB: number;
  gzipKiB: number;
}

export interface BundleResult {
  /** Per page: the HTML's scripts, preloads and styles (the widget: its one script). */
  pages: { page: string; rawKiB: number; gzipKiB: number; assets: AssetSize[] }[];
  totalRawKiB: number;
  totalGzipKiB: number;
}

export interface EditorResult {
  bundle: BundleResult;
  flowNodes: number;
  flowEdges: number;
  /** Navigation start → the flow drawn (every visible node and edge on screen), cold page, ms. */
  firstRenderMs: number;
  firstRenderRunsMs: number[];
  /** Navigation start → the first node card on screen, ms (median). */
  firstNodeMs: number;
  renderedNodes: number;
  renderedEdges: number;
  pan: { fps: number; durationMs: number; frames: number; p95FrameMs: number; framesOver50Ms: number; viewportMoved: boolean };
}

const distDir = path.join(repoRoot, 'editor', 'dist');
const kib = (bytes: number) => round(bytes / 1024, 1);

function assetSize(file: string): AssetSize & { raw: number; gzip: number } {
  const bytes = readFileSync(path.join(distDir, file));
  const gzip = gzipSync(bytes, { level: 9 }).length;
  return { file, raw: bytes.length, gzip, rawKiB: kib(bytes.length), gzipKiB: kib(gzip) };
}

/** Sizes of the production build (editor/dist): what each page loads, raw and gzip -9. */
export function bundleSizes(): BundleResult {
  const pages: BundleResult['pages'] = [];
  for (const html of ['index.html', 'chat.html']) {
    const text = readFileSync(path.join(distDir, html), 'utf8');
    const files = [...new Set([...text.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!))];
    const assets = [assetSize(html), ...files.map(assetSize)];
    pages.push({
      page: html === 'index.html' ? 'editor (index.html)' : 'chat page (chat.html)',
      rawKiB: kib(assets.reduce((s, a) => s + a.raw, 0)),
      gzipKiB: kib(assets.reduce((s, a) => s + a.gzip, 0)),
      assets: assets.map(({ file, rawKiB, gzipKiB }) => ({ file, rawKiB, gzipKiB })),
    });
  }
  const widget = assetSize('widget.js');
  pages.push({ page: 'widget (widget.js)', rawKiB: widget.rawKiB, gzipKiB: widget.gzipKiB, assets: [{ file: widget.file, rawKiB: widget.rawKiB, gzipKiB: widget.gzipKiB }] });
  const all = [...walk(distDir)].map((file) => assetSize(path.relative(distDir, file)));
  return { pages, totalRawKiB: kib(all.reduce((s, a) => s + a.raw, 0)), totalGzipKiB: kib(all.reduce((s, a) => s + a.gzip, 0)) };
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}

declare global {
  interface Window {
    __bench?: { frames: [number, number, number][]; sampling: boolean; pan: number[] };
  }
}

// Browser-side code is plain JavaScript text: functions passed to Playwright are serialised with
// `toString()`, and the helpers tsx adds to named inner functions do not exist in the page.

/** Samples, every frame from the first one, how many node cards and edges are visible. */
const RENDER_SAMPLER = `(() => {
  const bench = { frames: [], sampling: true, pan: [] };
  window.__bench = bench;
  function tick() {
    if (!bench.sampling) return;
    let nodes = 0;
    for (const node of document.querySelectorAll('.react-flow__node')) if (node.style.visibility !== 'hidden') nodes++;
    bench.frames.push([performance.now(), nodes, document.querySelectorAll('.react-flow__edge').length]);
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();`;

/** Records the time of every frame while panning. */
const PAN_SAMPLER = `(() => {
  const bench = window.__bench;
  bench.pan = [];
  bench.sampling = true;
  function tick(t) {
    if (!bench.sampling) return;
    bench.pan.push(t);
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})()`;

/** Loads the flow screen in a fresh browser context (cold cache) and times its first full render. */
async function loadOnce(browser: Browser, url: string, botId: string, owner: { email: string; password: string }): Promise<{ firstNode: number; rendered: number; nodes: number; edges: number; page: Page; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const login = await context.request.post(`${url}/api/auth/login`, { data: owner });
  if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
  const page = await context.newPage();
  await page.addInitScript({ content: RENDER_SAMPLER });
  await page.goto(`${url}/#/bots/${botId}`);
  // Drawn when the visible node and edge counts have not changed for a second.
  const deadline = Date.now() + 30_000;
  for (;;) {
    await sleep(250);
    const done = await page.evaluate(() => {
      const frames = window.__bench!.frames;
      const last = frames.at(-1);
      if (!last || last[1] === 0) return false;
      const since = frames.findLast((f) => f[1] !== last[1] || f[2] !== last[2]);
      return last[0] - (since?.[0] ?? 0) > 1000;
    });
    if (done) break;
    if (Date.now() > deadline) throw new Error('the flow was not drawn within 30 s');
  }
  const frames = await page.evaluate(() => {
    window.__bench!.sampling = false;
    return window.__bench!.frames;
  });
  const last = frames.at(-1)!;
  const firstNode = frames.find((f) => f[1] > 0)![0];
  const rendered = frames.find((f) => f[1] === last[1] && f[2] === last[2])![0];
  return { firstNode, rendered, nodes: last[1], edges: last[2], page, close: () => context.close() };
}

/** Pans the canvas by dragging empty pane space for `durationMs` and counts the frames drawn. */
async function pan(page: Page, durationMs: number): Promise<EditorResult['pan']> {
  const start = await page.evaluate(() => {
    const pane = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
    for (let y = pane.top + 20; y < pane.bottom - 20; y += 7) {
      for (let x = pane.left + 20; x < pane.right - 20; x += 7) {
        const hit = document.elementFromPoint(x, y);
        if (hit?.classList.contains('react-flow__pane')) return { x, y, width: pane.width, height: pane.height };
      }
    }
    return undefined;
  });
  if (!start) throw new Error('no empty spot on the canvas to start a pan');
  const viewport = () => page.evaluate(() => document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform ?? '');
  const before = await viewport();
  await page.evaluate(PAN_SAMPLER);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const began = Date.now();
  const radius = Math.min(200, start.width / 4, start.height / 4);
  while (Date.now() - began < durationMs) {
    const phase = ((Date.now() - began) / 1000) * Math.PI;
    await page.mouse.move(start.x + radius * Math.sin(phase), start.y + (radius / 2) * Math.sin(2 * phase));
    await sleep(4);
  }
  const during = await viewport();
  await page.mouse.up();
  const times = await page.evaluate(() => {
    window.__bench!.sampling = false;
    return window.__bench!.pan;
  });
  const intervals = times.slice(1).map((t, i) => t - times[i]!);
  const duration = times.at(-1)! - times[0]!;
  return {
    fps: round(((times.length - 1) / duration) * 1000, 1),
    durationMs: Math.round(duration),
    frames: times.length,
    p95FrameMs: round(percentile(intervals, 95), 1),
    framesOver50Ms: intervals.filter((x) => x > 50).length,
    viewportMoved: during !== before,
  };
}

/** Bundle sizes, then in headless Chromium: a generated flow's first render (cold, `loads` times) and panning it. */
export async function editor(
  url: string,
  token: string,
  owner: { email: string; password: string },
  options: { nodes: number; loads: number; panMs: number },
): Promise<EditorResult> {
  const bundle = bundleSizes();
  const flow = generatedFlow(options.nodes);
  const botId = await createBot(url, token, flow, { publish: false });
  const browser = await launchChromium();
  try {
    const runs: { firstNode: number; rendered: number; nodes: number; edges: number }[] = [];
    let panResult: EditorResult['pan'] | undefined;
    for (let i = 0; i < options.loads; i++) {
      const load = await loadOnce(browser, url, botId, owner);
      runs.push(load);
      if (i === options.loads - 1) {
        panResult = await pan(load.page, options.panMs);
        if (!panResult.viewportMoved) throw new Error('dragging the pane did not pan the canvas');
      }
      await load.close();
    }
    return {
      bundle,
      flowNodes: flow.nodes.length,
      flowEdges: flow.edges.length,
      firstRenderMs: Math.round(median(runs.map((r) => r.rendered))),
      firstRenderRunsMs: runs.map((r) => Math.round(r.rendered)),
      firstNodeMs: Math.round(median(runs.map((r) => r.firstNode))),
      renderedNodes: runs.at(-1)!.nodes,
      renderedEdges: runs.at(-1)!.edges,
      pan: panResult!,
    };
  } finally {
    await browser.close();
  }
}
