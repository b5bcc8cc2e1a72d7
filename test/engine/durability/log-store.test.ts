import {
  LogAppendTooLargeError,
  LogStore,
  LogStoreFailedError,
} from '../../../src/engine/log/log-store';
import type { LogRecord } from '../../../src/engine/log/record';
import { openTestDatabase, type TestDatabase } from '../../support/database';

type NewRecord = Omit<LogRecord, 'position'>;

function event(n: number, value: Record<string, unknown> = {}): NewRecord {
  return {
    sourceRecordPosition: -1,
    partitionId: 1,
    recordType: 'EVENT',
    valueType: 'JOB',
    intent: 'CREATED',
    key: 2251799813685248 + n,
    timestamp: 1_700_000_000_000 + n,
    value: { n, ...value },
  };
}

function events(count: number, from = 0): NewRecord[] {
  return Array.from({ length: count }, (_, i) => event(from + i));
}

async function readAll(store: LogStore, after = 0): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const r of store.readFrom(after)) out.push(r);
  return out;
}

/** The first segment collection of a log (segments are named after their first position). */
const firstSegment = (name: string) => `${name}_${'1'.padStart(16, '0')}`;

let db: TestDatabase;
let collectionSeq = 0;
const nextCollection = () => `log_test_${++collectionSeq}`;

beforeAll(async () => {
  db = await openTestDatabase('logstore');
});
afterAll(async () => {
  await db.close();
});

describe('LogStore', () => {
  it('assigns gap-free positions at once and reads durable records back in order', async () => {
    const store = await LogStore.open(db.connection, { collectionName: nextCollection() });
    expect(store.lastPosition).toBe(0);
    const a = store.append(events(3));
    const b = store.append(events(2, 3));
    expect(a.records.map((r) => r.position)).toEqual([1, 2, 3]);
    expect(b.records.map((r) => r.position)).toEqual([4, 5]);
    expect(store.lastPosition).toBe(5);
    await Promise.all([a.durable, b.durable]);
    expect(store.durablePosition).toBe(5);

    const all = await readAll(store);
    expect(all.map((r) => r.position)).toEqual([1, 2, 3, 4, 5]);
    expect(all[3]).toEqual({ ...event(3), position: 4 });
    expect((await readAll(store, 3)).map((r) => r.position)).toEqual([4, 5]);
    expect(await readAll(store, 5)).toEqual([]);
    await store.close();
  });

  it('keeps values exactly, including 64-bit keys and field names FerretDB rejects', async () => {
    const store = await LogStore.open(db.connection, { collectionName: nextCollection() });
    const value = {
      'a.b': 1,
      $dollar: 'x',
      nested: { 'io.camunda.zeebe:formKey': 'f' },
      big: 2 ** 53 - 1,
    };
    await store.append([event(1, value)]).durable;
    const [read] = await readAll(store);
    expect(read.value).toEqual({ n: 1, ...value });
    expect(read.key).toBe(2251799813685249);
    await store.close();
  });

  it('is not affected by callers mutating records after append', async () => {
    const store = await LogStore.open(db.connection, { collectionName: nextCollection() });
    const rec = event(1);
    const { durable } = store.append([rec]);
    (rec.value as Record<string, unknown>).n = 999;
    await durable;
    expect((await readAll(store))[0].value).toEqual({ n: 1 });
    await store.close();
  });

  it('commits appends made while one insert is in flight as one batch document', async () => {
    const name = nextCollection();
    const store = await LogStore.open(db.connection, { collectionName: name });
    const appends = Array.from({ length: 200 }, (_, i) => store.append(events(2, i * 2)));
    await Promise.all(appends.map((a) => a.durable));
    const docs = await db.connection.db!.collection(firstSegment(name)).countDocuments();
    expect(docs).toBeLessThanOrEqual(2);
    expect((await readAll(store)).length).toBe(400);
    await store.close();
  });

  it('splits pending appends over several documents without ever splitting one append', async () => {
    const name = nextCollection();
    const store = await LogStore.open(db.connection, { collectionName: name, maxBatchRecords: 10 });
    const appends = Array.from({ length: 6 }, (_, i) => store.append(events(4, i * 4)));
    await Promise.all(appends.map((a) => a.durable));
    const docs = await db.connection
      .db!.collection<{ first: number; last: number }>(firstSegment(name))
      .find({})
      .toArray();
    const boundaries = docs.map((d) => [d.first, d.last]).sort((x, y) => x[0] - y[0]);
    expect(boundaries).toEqual([
      [1, 8],
      [9, 16],
      [17, 24],
    ]);
    expect((await readAll(store)).map((r) => r.position)).toEqual(
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
    await store.close();
  });

  it('refuses an append that cannot fit one document, without using up positions', async () => {
    const store = await LogStore.open(db.connection, {
      collectionName: nextCollection(),
      maxBatchRecords: 10,
      maxBatchBytes: 4096,
    });
    expect(() => store.append(events(11))).toThrow(LogAppendTooLargeError);
    expect(() => store.append([event(1, { blob: 'x'.repeat(5000) })])).toThrow(
      /at most 10 records and 4096 bytes/,
    );
    expect(store.lastPosition).toBe(0);
    const ok = store.append(events(10));
    expect(ok.records[0].position).toBe(1);
    await ok.durable;
    await store.close();
  });

  it('continues positions after a reopen', async () => {
    const name = nextCollection();
    const first = await LogStore.open(db.connection, { collectionName: name });
    await first.append(events(7)).durable;
    await first.close();

    const second = await LogStore.open(db.connection, { collectionName: name });
    expect(second.lastPosition).toBe(7);
    expect(second.durablePosition).toBe(7);
    expect(second.append(events(1)).records[0].position).toBe(8);
    await second.close();
  });

  it('close() waits for appends still in flight', async () => {
    const name = nextCollection();
    const store = await LogStore.open(db.connection, { collectionName: name });
    store.append(events(5));
    await store.close();
    expect(() => store.append(events(1))).toThrow(/closed/);

    const reopened = await LogStore.open(db.connection, { collectionName: name });
    expect((await readAll(reopened)).length).toBe(5);
    await reopened.close();
  });

  it('whenDurable resolves once the position is stored', async () => {
    const store = await LogStore.open(db.connection, { collectionName: nextCollection() });
    const { records } = store.append(events(3));
    await store.whenDurable(records[2].position);
    expect(store.durablePosition).toBeGreaterThanOrEqual(3);
    await store.whenDurable(1);
    await store.close();
  });

  it('reads across segment collections and continues in the newest after a reopen', async () => {
    const name = nextCollection();
    const store = await LogStore.open(db.connection, { collectionName: name, segmentRecords: 8 });
    for (let i = 0; i < 6; i++) await store.append(events(5, i * 5)).durable;
    const names = (await db.connection.db!.listCollections().toArray()).map((c) => c.name);
    expect(names.filter((n) => n.startsWith(`${name}_`)).length).toBe(3);
    expect((await readAll(store, 7)).map((r) => r.position)).toEqual(
      Array.from({ length: 23 }, (_, i) => i + 8),
    );
    await store.close();
    const reopened = await LogStore.open(db.connection, {
      collectionName: name,
      segmentRecords: 8,
    });
    expect(reopened.lastPosition).toBe(30);
    await reopened.append(events(2)).durable;
    expect((await readAll(reopened)).length).toBe(32);
    await reopened.close();
  });

  it('compacts whole segments up to a position and keeps the newest', async () => {
    const name = nextCollection();
    const store = await LogStore.open(db.connection, { collectionName: name, segmentRecords: 10 });
    for (let i = 0; i < 5; i++) await store.append(events(10, i * 10)).durable;
    await store.compact(25);
    expect(store.firstPosition).toBe(21);
    expect((await readAll(store))[0].position).toBe(21);
    expect((await readAll(store, 30)).map((r) => r.position)[0]).toBe(31);

    await store.compact(1000);
    expect(store.firstPosition).toBe(41);
    await store.close();
    const reopened = await LogStore.open(db.connection, {
      collectionName: name,
      segmentRecords: 10,
    });
    expect(reopened.lastPosition).toBe(50);
    expect(reopened.firstPosition).toBe(41);
    await reopened.close();
  });

  it('fails for good when a second writer already took its positions', async () => {
    const name = nextCollection();
    const stale = await LogStore.open(db.connection, { collectionName: name });
    const current = await LogStore.open(db.connection, { collectionName: name });
    await current.append(events(3)).durable;

    const lost = stale.append(events(2));
    await expect(lost.durable).rejects.toThrow(LogStoreFailedError);
    expect(stale.failed).toBeInstanceOf(LogStoreFailedError);
    await expect(stale.append(events(1)).durable).rejects.toThrow(LogStoreFailedError);
    await expect(stale.whenDurable(stale.lastPosition)).rejects.toThrow(LogStoreFailedError);
    await stale.close();

    const reopened = await LogStore.open(db.connection, { collectionName: name });
    expect((await readAll(reopened)).map((r) => r.position)).toEqual([1, 2, 3]);
    await reopened.close();
    await current.close();
  });
});
