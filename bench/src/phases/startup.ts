import { batonStarted, childPids, sleep, spawnStartCommand, type Child } from '../processes.js';

export interface StartedStack {
  child: Child;
  url: string;
  temporalAddress: string;
  /** From spawning the start command to the first `GET /healthz` that answers `{ ok: true }`. */
  healthyMs: number;
  /** The Baton process (API and worker) and its Temporal dev server, for CPU and memory readings. */
  batonPid: number | undefined;
  temporalPid: number | undefined;
}

/** Runs the start command (`node scripts/start.mjs`, i.e. `pnpm start`) on `port` and times it to a healthy `/healthz`. */
export async function startAndTime(env: Record<string, string>, port: number, timeoutMs: number): Promise<StartedStack> {
  const started = performance.now();
  const child = spawnStartCommand({ ...env, PORT: String(port) });
  const healthz = `http://127.0.0.1:${port}/healthz`;
  try {
    let healthyMs: number | undefined;
    while (healthyMs === undefined) {
      if (performance.now() - started > timeoutMs) throw new Error(`/healthz was not healthy within ${timeoutMs} ms:\n${child.output.slice(-30).join('\n')}`);
      if (child.child.exitCode !== null) throw new Error(`the start command exited with ${child.child.exitCode}:\n${child.output.slice(-30).join('\n')}`);
      try {
        const response = await fetch(healthz, { signal: AbortSignal.timeout(2000) });
        if (response.ok && ((await response.json()) as { ok?: boolean }).ok === true) healthyMs = performance.now() - started;
      } catch {
        // not listening yet
      }
      if (healthyMs === undefined) await sleep(20);
    }
    const { url, temporalAddress } = await batonStarted(child, 10_000);
    const batonPid = childPids(child.pid)[0];
    const temporalPid = batonPid === undefined ? undefined : childPids(batonPid)[0];
    return { child, url, temporalAddress, healthyMs, batonPid, temporalPid };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
