import type { Results } from './results.js';

const fmt = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || Number.isNaN(x) ? '—' : Number(x.toFixed(digits)).toString());
const row = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: (string | number)[][]): string =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

/** The results as markdown: what `pnpm bench` prints and writes to bench/results/*.md. */
export function markdownReport(r: Results): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`# Baton benchmarks${r.quick ? ' (quick run)' : ''}`);
  out.push('');
  out.push(
    `${r.startedAt} · ${m.cpus} cores (${m.cpuModel}) · ${m.memoryGiB} GiB · ${m.os} · Node ${m.node} · Temporal CLI ${m.temporalCli} · SDK ${m.temporalSdk} · commit ${m.gitCommit} · load average at start ${m.loadAverage.join(' ')} · run took ${r.durationS} s`,
  );

  if (r.baton && r.floor) {
    out.push('', '## Message latency (`POST /api/conversations/:id/messages?wait=true`, sequential)', '');
    out.push(
      `${r.baton.count} messages on each, ${r.settings.latency.perConversation} per conversation, Baton and the floors alternating; flow send_message → wait_for_reply → condition → llm_reply → loop with \`burstWindowMs: 0\`; the LLM is the local fake, answering at once.`,
      '',
    );
    const series = (name: string, s: NonNullable<Results['baton']>) => [name, fmt(s.p50Ms), fmt(s.p95Ms), fmt(s.p99Ms), fmt(s.meanMs), s.count, s.errors];
    out.push(
      table(
        ['', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms', 'messages', 'errors'],
        [
          series('Baton', r.baton),
          series('floor (bare Temporal update-with-start)', r.floor),
          ['**Baton ÷ floor**', `**×${fmt(r.ratioP50, 2)}**`, `×${fmt(r.ratioP95, 2)}`, `×${fmt(r.ratioP99, 2)}`, '', '', ''],
          ...(r.floorActivity
            ? [
                series('floor with one activity (the reply from the fake LLM)', r.floorActivity),
                ['**Baton ÷ floor with one activity**', `**×${fmt(r.floorActivity.ratioP50, 2)}**`, `×${fmt(r.baton.p95Ms / r.floorActivity.p95Ms, 2)}`, `×${fmt(r.baton.p99Ms / r.floorActivity.p99Ms, 2)}`, '', '', ''],
              ]
            : []),
          ...(r.baseline
            ? [
                series(`baseline: Baton from \`${r.baseline.dir}\``, r.baseline),
                ['baseline ÷ floor', `×${fmt(r.baseline.ratioP50, 2)}`, `×${fmt(r.baseline.p95Ms / r.floor.p95Ms, 2)}`, `×${fmt(r.baseline.p99Ms / r.floor.p99Ms, 2)}`, '', '', ''],
              ]
            : []),
          ...(r.defaultBurstWindow ? [series('Baton, default burst window (1 s)', r.defaultBurstWindow)] : []),
        ],
      ),
    );
  }

  if (r.breakdown) {
    out.push('', '### Where the time of one message goes (medians, ms, from the workflow histories)', '');
    const b = r.breakdown;
    const names = [...new Set([...Object.keys(b.baseline ?? {}), ...Object.keys(b.baton), ...Object.keys(b.floor), ...Object.keys(b.floorActivity ?? {})])].sort();
    out.push(
      table(
        ['span', 'Baton', 'floor', ...(b.floorActivity ? ['floor with one activity'] : []), ...(b.baseline ? ['baseline'] : [])],
        names.map((n) => [
          n,
          fmt(b.baton[n], 2),
          fmt(b.floor[n], 2),
          ...(b.floorActivity ? [fmt(b.floorActivity[n], 2)] : []),
          ...(b.baseline ? [fmt(b.baseline[n], 2)] : []),
        ]),
      ),
    );
  }

  if (r.throughput.length) {
    out.push('', '## Throughput (each conversation sends its next message as soon as the answer is back)', '');
    out.push(
      table(
        ['', 'conversations', 'messages', 'msg/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'lost replies', 'duplicate replies', 'seconds', 'CPU cores: app / Temporal'],
        r.throughput.map((t) => [
          t.target === 'baton' ? 'Baton' : t.target,
          t.conversations,
          `${t.messages}/${t.planned}${t.complete ? '' : ' (time bound hit)'}`,
          fmt(t.messagesPerSecond),
          fmt(t.latency.p50Ms),
          fmt(t.latency.p95Ms),
          fmt(t.latency.p99Ms),
          t.errors,
          t.lostReplies ?? '—',
          t.duplicateReplies ?? '—',
          fmt(t.durationS),
          `${fmt(t.cpuCores[t.target], 2)} / ${fmt(t.cpuCores['temporal'], 2)}`,
        ]),
      ),
    );
    out.push('', 'Lost and duplicate replies are counted from the transcripts (Baton); the floor keeps none. CPU: share of one core used by the app process (Baton: API and worker; floor: its worker and HTTP server) and by the Temporal dev server while the load ran.');
  }

  if (r.memory.length) {
    out.push('', '## Memory (RSS; `baton api` and `baton worker` as separate processes, conversations idle in a wait)', '');
    for (const run of r.memory) {
      out.push(
        table(
          [`idle conversations (${run.label}: a cache of ${run.cacheSize ?? '?'})`, 'worker MiB', 'API server MiB', 'Temporal dev server MiB'],
          run.points.map((p) => [p.idleConversations, fmt(p.workerMiB), fmt(p.apiMiB), fmt(p.temporalMiB)]),
        ),
      );
      out.push(
        '',
        `Marginal RSS per idle conversation: worker ${fmt(run.workerKiBPerConversation)} KiB, API server ${fmt(run.apiKiBPerConversation)} KiB, Temporal dev server ${fmt(run.temporalKiBPerConversation)} KiB (least-squares slope; ${run.errors} errors while opening them in ${fmt(run.createSeconds)} s).` +
          (run.evicted ? ` The first ${run.evicted.asked} conversations, long out of the cache, asked again: ${run.evicted.answered} answered right (p50 ${fmt(run.evicted.p50Ms)} ms, a replay of each history).` : ''),
        '',
      );
    }
  }

  if (r.sandbox) {
    const k = r.sandbox.kibPerWorkflow;
    out.push('', `## Workflow sandbox (RSS per cached idle workflow, ${r.sandbox.count} workflows, by what the bundle imports)`, '');
    out.push(
      table(
        ['bundle', 'KiB per workflow'],
        [
          ['the SDK only', fmt(k.bare, 0)],
          ['+ zod and one schema', fmt(k.zod, 0)],
          ['+ the node declarations (every built-in node with its schemas, the registry)', fmt(k.nodes, 0)],
          ...(k.baton === undefined ? [] : [["Baton's conversation workflow, idle in a wait (as deployed)", fmt(k.baton, 0)]]),
        ],
      ),
    );
  }

  if (r.startup.coldMs !== null || r.startup.warmMs !== null) {
    out.push('', '## Start-up (`pnpm start` → first healthy `GET /healthz`; editor already built)', '');
    out.push(table(['', 'ms'], [['fresh data folder', fmt(r.startup.coldMs, 0)], ['restart on the same data folder', fmt(r.startup.warmMs, 0)]]));
  }

  if (r.editor) {
    const e = r.editor;
    out.push('', '## Editor', '');
    out.push(
      table(
        ['production bundle', 'raw KiB', 'gzip KiB'],
        [...e.bundle.pages.map((p) => [p.page, fmt(p.rawKiB), fmt(p.gzipKiB)]), ['all of editor/dist', fmt(e.bundle.totalRawKiB), fmt(e.bundle.totalGzipKiB)]],
      ),
    );
    out.push('');
    out.push(
      table(
        [`generated flow: ${e.flowNodes} nodes, ${e.flowEdges} edges (headless Chromium)`, 'value'],
        [
          ['first node on screen (ms from navigation, median)', fmt(e.firstNodeMs, 0)],
          [`flow drawn: ${e.renderedNodes} nodes and ${e.renderedEdges} edges on screen (ms from navigation, median of ${e.firstRenderRunsMs.length} cold loads)`, `${fmt(e.firstRenderMs, 0)} (${e.firstRenderRunsMs.join(', ')})`],
          [`panning: frames per second over ${e.pan.durationMs} ms of dragging`, fmt(e.pan.fps)],
          ['panning: p95 frame interval (ms) / frames over 50 ms', `${fmt(e.pan.p95FrameMs)} / ${e.pan.framesOver50Ms}`],
        ],
      ),
    );
  }

  if (r.failures.length) {
    out.push('', '## Failures', '');
    for (const f of r.failures) out.push(`- **${f.phase}**: ${f.message.split('\n')[0]}`);
  }
  out.push('');
  return out.join('\n');
}
