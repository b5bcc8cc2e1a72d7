/**
 * The engine's clock: what time it is and "call me at". Everything time-driven in the
 * engine (timers, job time-outs, back-offs, message time-to-live, long polls, waits for a
 * result) goes through it, so tests run on a ManualClock they advance instead of sleeping.
 */

export interface Clock {
  now(): number;
  /** Calls `fn` once, at `at` (epoch ms) or as soon after as possible; returns a cancel. */
  schedule(at: number, fn: () => void): () => void;
}

/** Node timers overflow beyond 2^31-1 ms (they fire at once): longer waits are chained. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Wall-clock time and Node timers (unref'd: a pending wait never keeps the process alive). */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(at, fn) {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      const delay = at - Date.now();
      if (delay <= 0) {
        timer = setTimeout(fn, 0);
      } else if (delay > MAX_TIMER_DELAY_MS) {
        timer = setTimeout(arm, MAX_TIMER_DELAY_MS);
      } else {
        timer = setTimeout(fn, delay);
      }
      timer.unref?.();
    };
    arm();
    return () => clearTimeout(timer);
  },
};

/** A clock that moves only when told to (for tests). */
export class ManualClock implements Clock {
  private current: number;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  private nextId = 0;

  constructor(start: number = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(at: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.pending.set(id, { at, fn });
    if (at <= this.current) this.fireDue();
    return () => this.pending.delete(id);
  }

  /** Moves time forward and fires, in time order, everything due by then. */
  advance(ms: number): void {
    this.current += ms;
    this.fireDue();
  }

  /** Callbacks still waiting. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Callbacks due by now that have not run yet. */
  get due(): number {
    let n = 0;
    for (const { at } of this.pending.values()) if (at <= this.current) n++;
    return n;
  }

  private fireDue(): void {
    // Fired on the next turn of the event loop, like a real timer, never inside the caller.
    setImmediate(() => {
      for (;;) {
        let first: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of this.pending) {
          if (entry[1].at <= this.current && (!first || entry[1].at < first[1].at)) first = entry;
        }
        if (!first) return;
        this.pending.delete(first[0]);
        first[1].fn();
      }
    });
  }
}

/**
 * What a test sees of the engine's clock (`engine.clock`): the time, and on an engine
 * created with a ManualClock, `advance(ms)`, which moves time forward and resolves once
 * everything that fell due (timers, job time-outs, back-offs, message TTLs) has been
 * processed and is durable, with the work it led to.
 */
export interface EngineClock {
  now(): number;
  /** ManualClock only; rejects on the wall clock. */
  advance(ms: number): Promise<void>;
}
