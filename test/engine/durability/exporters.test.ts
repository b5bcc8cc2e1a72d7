import { startExporters, type Exporter } from '../../../src/engine/exporter';
import { LogStore } from '../../../src/engine/log/log-store';
import type { LogRecord } from '../../../src/engine/log/record';
import { openTestDatabase, type TestDatabase } from '../../support/database';

/** An exporter that keeps what it is given: it lets the test see what was exported, in what order. */
class RecordingExporter implements Exporter {
  readonly positions: number[] = [];
  calls = 0;
  constructor(
    readonly id: string,
    private readonly failFirstCalls = 0,
  ) {}
  async export(records: LogRecord[]): Promise<void> {
    this.calls++;
    if (this.calls <= this.failFirstCalls) throw new Error('search index unavailable');
    for (const r of records) this.positions.push(r.position);
  }
}

function records(count: number): Omit<LogRecord, 'position'>[] {
  return Array.from({ length: count }, (_, i) => ({
    sourceRecordPosition: -1,
    partitionId: 1,
    recordType: 'EVENT',
    valueType: 'VARIABLE',
    intent: 'CREATED',
    key: i + 1,
    timestamp: 0,
    value: {},
  }));
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

let db: TestDatabase;
beforeEach(async () => {
  db = await openTestDatabase('exporters');
});
afterEach(async () => {
  await db.close();
});

describe('exporters', () => {
  it('export the durable log on start, then follow notified records, each once and in order', async () => {
    const store = await LogStore.open(db.connection);
    await store.append(records(30)).durable;
    const exporter = new RecordingExporter('rec');
    const exporters = await startExporters(db.connection, store, [exporter]);
    await exporters.flush();
    expect(exporter.positions).toEqual(upTo(30));

    for (let i = 0; i < 5; i++) {
      const a = store.append(records(4));
      await a.durable;
      exporters.notify(a.records);
    }
    await exporters.flush();
    expect(exporter.positions).toEqual(upTo(50));
    expect(exporters.minPosition).toBe(50);
    await exporters.stop();
    await store.close();
  });

  it('resume after a restart from the position they stored', async () => {
    const store = await LogStore.open(db.connection);
    await store.append(records(10)).durable;
    const first = new RecordingExporter('rec');
    const run1 = await startExporters(db.connection, store, [first]);
    await run1.flush();
    await run1.stop();

    await store.append(records(5)).durable;
    const second = new RecordingExporter('rec');
    const run2 = await startExporters(db.connection, store, [second]);
    await run2.flush();
    expect(second.positions).toEqual([11, 12, 13, 14, 15]);
    await run2.stop();
    await store.close();
  });

  it('read the log instead when notifications have gaps or pile up', async () => {
    const store = await LogStore.open(db.connection);
    const exporter = new RecordingExporter('rec');
    const exporters = await startExporters(db.connection, store, [exporter], {
      maxQueuedRecords: 10,
    });
    await exporters.flush();
    const a = store.append(records(3));
    const b = store.append(records(3)); // never notified: a gap
    const c = store.append(records(25)); // more than the queue holds
    await Promise.all([a.durable, b.durable, c.durable]);
    exporters.notify(a.records);
    exporters.notify(c.records);
    await exporters.flush();
    expect(exporter.positions).toEqual(upTo(31));
    await exporters.stop();
    await store.close();
  });

  it('retry a failing export without losing or repeating records', async () => {
    const store = await LogStore.open(db.connection);
    await store.append(records(8)).durable;
    const flaky = new RecordingExporter('flaky', 2);
    const errors: string[] = [];
    const exporters = await startExporters(db.connection, store, [flaky], {
      onError: (err, id) => errors.push(`${id}: ${err.message}`),
    });
    await exporters.flush();
    expect(flaky.positions).toEqual(upTo(8));
    expect(errors).toEqual(['flaky: search index unavailable', 'flaky: search index unavailable']);
    await exporters.stop();
    await store.close();
  });

  it('report the slowest exporter’s position as the compaction limit', async () => {
    const store = await LogStore.open(db.connection);
    await store.append(records(6)).durable;
    const healthy = new RecordingExporter('healthy');
    const broken = new RecordingExporter('broken', Infinity);
    const exporters = await startExporters(db.connection, store, [healthy, broken]);
    while (healthy.positions.length < 6) await new Promise((r) => setTimeout(r, 10));
    expect(exporters.minPosition).toBe(0);
    await exporters.stop();
    await store.close();
  });
});
