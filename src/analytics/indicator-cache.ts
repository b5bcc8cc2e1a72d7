/**
 * The indicator records of each province, kept in memory by the process that shows the
 * indicators: FerretDB v1 reads and decodes the whole collection for any filter other
 * than `_id` equality, so reading them per page view cost time proportional to all
 * provinces' history. Loaded once per province (`warmIndicatorCache` at start, else on
 * first use), kept current by the records this process writes (`onIndicatorRecorded`),
 * and reloaded in the background when older than INDICATOR_CACHE_REFRESH_MS, for records
 * written by another process (WORKERS=false here): those show after at most that long.
 * Memory: the records themselves, about 0.5 KB each.
 *
 * Records are written once and never changed (recordIndicatorOnce), so appending is the
 * only change there is.
 */
import type { Connection } from 'mongoose';
import {
  INDICATORS_COLLECTION,
  onIndicatorRecorded,
  type IndicatorRecord,
} from '../workers/common/indicators';

/** How old a province's cached records may get before a background reload (5 min). */
export const INDICATOR_CACHE_REFRESH_MS = 5 * 60_000;

interface ProvinceRecords {
  records: IndicatorRecord[];
  keys: Set<string>;
  loadedAt: number;
}

class IndicatorCache {
  private readonly provinces = new Map<string, ProvinceRecords>();
  private readonly loading = new Map<string, Promise<ProvinceRecords>>();
  /** Records written while a province loads: merged into the loaded set. */
  private readonly arrived = new Map<string, IndicatorRecord[]>();

  constructor(private readonly connection: Connection) {
    onIndicatorRecorded(connection, (record) => this.add(record));
  }

  async records(tenantId: string): Promise<IndicatorRecord[]> {
    const cached = this.provinces.get(tenantId);
    if (cached) {
      if (Date.now() - cached.loadedAt > INDICATOR_CACHE_REFRESH_MS) {
        void this.load(tenantId).catch(() => undefined); // the cached copy answers meanwhile
      }
      return cached.records;
    }
    return (await this.load(tenantId)).records;
  }

  load(tenantId: string): Promise<ProvinceRecords> {
    let loading = this.loading.get(tenantId);
    if (loading) return loading;
    this.arrived.set(tenantId, []);
    loading = (async () => {
      const docs = await this.connection
        .db!.collection<IndicatorRecord>(INDICATORS_COLLECTION)
        .find({ tenantId }, { projection: { _id: 0 } })
        .toArray();
      const loaded: ProvinceRecords = { records: [], keys: new Set(), loadedAt: Date.now() };
      for (const r of [...docs, ...(this.arrived.get(tenantId) ?? [])]) {
        // Defence in depth: never another province's record, whatever the query did.
        if (r.tenantId !== tenantId || loaded.keys.has(r.key)) continue;
        loaded.keys.add(r.key);
        loaded.records.push(r);
      }
      this.provinces.set(tenantId, loaded);
      return loaded;
    })().finally(() => {
      this.loading.delete(tenantId);
      this.arrived.delete(tenantId);
    });
    this.loading.set(tenantId, loading);
    return loading;
  }

  private add(record: IndicatorRecord): void {
    this.arrived.get(record.tenantId)?.push(record);
    const cached = this.provinces.get(record.tenantId);
    if (cached && !cached.keys.has(record.key)) {
      cached.keys.add(record.key);
      cached.records.push(record);
    }
  }
}

const caches = new WeakMap<Connection, IndicatorCache>();

function cacheOf(connection: Connection): IndicatorCache {
  let cache = caches.get(connection);
  if (!cache) {
    cache = new IndicatorCache(connection);
    caches.set(connection, cache);
  }
  return cache;
}

/** A province's indicator records (all services and periods), from memory. */
export function cachedIndicatorRecords(
  connection: Connection,
  tenantId: string,
): Promise<IndicatorRecord[]> {
  return cacheOf(connection).records(tenantId);
}

/** Loads the provinces' records now (at start), so the first page view does not wait. */
export async function warmIndicatorCache(connection: Connection, tenantIds: string[]) {
  for (const tenantId of tenantIds) await cacheOf(connection).load(tenantId);
}
