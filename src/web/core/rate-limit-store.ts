/**
 * A store for express-rate-limit in the product's database, so that several app
 * processes behind one load balancer count the same hits (a per-process memory store
 * would give each process its own budget).
 *
 * Written here because the maintained Mongo store (rate-limit-mongo) relies on a TTL
 * index to expire windows, which FerretDB does not have; this one checks the window on
 * every increment and deletes finished windows itself. Fixed windows, like the
 * library's own MemoryStore.
 */
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';

export const RATE_LIMITS_COLLECTION = 'rate_limits';

/** The stores of each web app (keyed by its context), closed with it. */
const storesOf = new WeakMap<object, Set<DatabaseRateLimitStore>>();

/** A store that closes with the web app of `owner` (its WebContext). */
export function rateLimitStoreFor(
  owner: object,
  connection: Connection,
  prefix: string,
): DatabaseRateLimitStore {
  const store = new DatabaseRateLimitStore(connection, prefix);
  let set = storesOf.get(owner);
  if (!set) storesOf.set(owner, (set = new Set()));
  set.add(store);
  return store;
}

/**
 * Waits for the stores' operations in flight and closes them. express-rate-limit undoes a
 * hit (decrement) after the response has been sent, so without this a request answered
 * just before shutdown would use the database after it was closed.
 */
export async function closeRateLimitStores(owner: object): Promise<void> {
  const stores = [...(storesOf.get(owner) ?? [])];
  storesOf.delete(owner);
  await Promise.all(stores.map((s) => s.close()));
}

interface Counter {
  _id: string;
  hits: number;
  resetAt: Date;
}

export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private lastSweep = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly connection: Connection,
    readonly prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Lets the operations in flight finish; later decrements are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(op: Promise<T>): Promise<T> {
    this.inFlight.add(op);
    void op.finally(() => this.inFlight.delete(op)).catch(() => undefined);
    return op;
  }

  private get counters(): Collection<Counter> {
    return this.connection.db!.collection<Counter>(RATE_LIMITS_COLLECTION);
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }

  get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.track(this.read(key));
  }

  increment(key: string): Promise<ClientRateLimitInfo> {
    if (this.closed) return Promise.reject(new Error('the rate limit store is closed'));
    return this.track(this.count(key));
  }

  async decrement(key: string): Promise<void> {
    // After close (the app is stopping) the hit stays counted: nothing is lost but a
    // favour to the client, and the database may already be gone.
    if (this.closed) return;
    await this.track(this.uncount(key));
  }

  private async read(key: string): Promise<ClientRateLimitInfo | undefined> {
    const doc = await this.counters.findOne({ _id: this.key(key) });
    if (!doc || doc.resetAt <= this.now()) return undefined;
    return { totalHits: doc.hits, resetTime: doc.resetAt };
  }

  private async count(key: string): Promise<ClientRateLimitInfo> {
    const id = this.key(key);
    const now = this.now();
    await this.sweep(now);
    // Three steps without transactions, each atomic on its own: count into the running
    // window; else start a new window over a finished one; else create the counter.
    for (let attempt = 0; attempt < 3; attempt++) {
      const running = await this.counters.findOneAndUpdate(
        { _id: id, resetAt: { $gt: now } },
        { $inc: { hits: 1 } },
        { returnDocument: 'after' },
      );
      if (running) return { totalHits: running.hits, resetTime: running.resetAt };
      const resetAt = new Date(now.getTime() + this.windowMs);
      const restarted = await this.counters.updateOne(
        { _id: id, resetAt: { $lte: now } },
        { $set: { hits: 1, resetAt } },
      );
      if (restarted.matchedCount === 1) return { totalHits: 1, resetTime: resetAt };
      try {
        await this.counters.insertOne({ _id: id, hits: 1, resetAt });
        return { totalHits: 1, resetTime: resetAt };
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        // Another process created it meanwhile: count into it.
      }
    }
    throw new Error(`rate limit counter ${id} could not be updated`);
  }

  private async uncount(key: string): Promise<void> {
    await this.counters.updateOne(
      { _id: this.key(key), resetAt: { $gt: this.now() }, hits: { $gt: 0 } },
      { $inc: { hits: -1 } },
    );
  }

  async resetKey(key: string): Promise<void> {
    await this.track(this.counters.deleteOne({ _id: this.key(key) }));
  }

  /** Deletes finished windows now and then (FerretDB has no TTL index to do it). */
  private async sweep(now: Date): Promise<void> {
    if (now.getTime() - this.lastSweep < 60_000) return;
    this.lastSweep = now.getTime();
    await this.counters.deleteMany({ resetAt: { $lte: new Date(now.getTime() - 60_000) } });
  }
}
