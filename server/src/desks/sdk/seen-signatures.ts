/**
 * Memory of the signatures already accepted, for replay detection. It must be shared by every API
 * process (a replay sent to another process must still be caught), so production backs it with
 * the database; `createMemorySeenSignatures` is the single-process version for tests.
 */
export interface SeenSignatures {
  /** Records `key` for `ttlMs`; false when it was already recorded and has not expired. */
  remember(key: string, ttlMs: number): boolean | Promise<boolean>;
}

/** In-memory SeenSignatures (tests, single-process development). Not shared between processes. */
export function createMemorySeenSignatures(now: () => number = Date.now): SeenSignatures & { readonly size: number } {
  const expiries = new Map<string, number>();
  let lastSweep = 0;
  const sweep = (at: number) => {
    // Sweeping on every call would be quadratic under load; once per second bounds the memory.
    if (at - lastSweep < 1000) return;
    lastSweep = at;
    for (const [key, expiresAt] of expiries) if (expiresAt <= at) expiries.delete(key);
  };
  return {
    get size() {
      return expiries.size;
    },
    remember(key, ttlMs) {
      const at = now();
      sweep(at);
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > at) return false;
      expiries.set(key, at + ttlMs);
      return true;
    },
  };
}
