/**
 * The indicator records are read from memory (src/analytics/indicator-cache.ts): what a
 * worker of this process records after the cache was loaded is there at once, a record
 * is never counted twice, and the filters select what the database query would.
 */
import {
  INDICATORS_COLLECTION,
  recordIndicatorOnce,
  type IndicatorRecord,
} from '../../src/workers/common/indicators';
import { indicatorRecords, warmIndicatorCache } from '../../src/analytics';
import { openTestDatabase, type TestDatabase } from '../support/database';

const DAY = 86_400_000;

describe('indicator records from memory', () => {
  let db: TestDatabase;
  const at = (days: number) => new Date(Date.parse('2026-06-01T00:00:00Z') + days * DAY);
  const record = (key: string, extra: Partial<IndicatorRecord>): IndicatorRecord => ({
    key,
    tenantId: '039',
    processInstanceKey: key,
    service: 'procurement',
    outcome: 'awarded',
    comuneIstat: '039007',
    recordedAt: at(0),
    rebatePercent: 10,
    ...extra,
  });

  beforeAll(async () => {
    db = await openTestDatabase('ind-cache');
    // Written before the cache loads (e.g. by another process): read when it loads.
    await db.connection
      .db!.collection(INDICATORS_COLLECTION)
      .insertMany([
        record('a', {}),
        record('b', { tenantId: '100', comuneIstat: '100005' }),
        record('c', { service: 'euFunding', outcome: 'funded' }),
      ]);
    await warmIndicatorCache(db.connection, ['039', '100']);
  });

  afterAll(async () => {
    await db?.close();
  });

  const filter = { tenantId: '039', from: at(-10), to: at(10) };

  it('has what was there when it loaded, for the province asked only', async () => {
    const found = await indicatorRecords(db.connection, filter, 'procurement');
    expect(found.map((r) => r.key)).toEqual(['a']);
    expect(found[0]).not.toHaveProperty('_id');
    const prato = await indicatorRecords(
      db.connection,
      { ...filter, tenantId: '100' },
      'procurement',
    );
    expect(prato.map((r) => r.key)).toEqual(['b']);
  });

  it('has a record written by this process at once, once, within period and comune', async () => {
    expect(await recordIndicatorOnce(db.connection, record('d', { comuneIstat: '039014' }))).toBe(
      true,
    );
    expect(await recordIndicatorOnce(db.connection, record('d', {}))).toBe(false);
    await recordIndicatorOnce(db.connection, record('e', { recordedAt: at(10) })); // period end: out
    const found = await indicatorRecords(db.connection, filter, 'procurement');
    expect(found.map((r) => r.key).sort()).toEqual(['a', 'd']);
    const comune = await indicatorRecords(
      db.connection,
      { ...filter, comuneIstat: '039014' },
      'procurement',
    );
    expect(comune.map((r) => r.key)).toEqual(['d']);
    // The same as the database query the cache replaces.
    const fromDb = await db.connection
      .db!.collection(INDICATORS_COLLECTION)
      .find({ tenantId: '039', service: 'procurement', recordedAt: { $gte: at(-10), $lt: at(10) } })
      .toArray();
    expect(fromDb.map((r) => r.key).sort()).toEqual(['a', 'd']);
  });
});
