/**
 * The one way tests wait for the engine: poll the awaited state until it holds, within
 * a bound, instead of sleeping a fixed time. A check that "nothing happened" first
 * waits for a positive signal that the engine got past the point where it would have
 * happened (e.g. a later record in the log), never for a quiet period.
 */
export interface WaitOptions {
  /** Give up after this long (default 10 s): the test fails naming `what`. */
  timeoutMs?: number;
  /** Pause between probes (default 20 ms). */
  intervalMs?: number;
}

/** Resolves with the first truthy value `probe` returns; rejects after the bound. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  opts: WaitOptions = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError ? ` (last error: ${(lastError as Error).message ?? lastError})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
