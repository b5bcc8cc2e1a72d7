import { SnapshotStore } from '../../../src/engine/log/snapshot-store';
import { openTestDatabase, type TestDatabase } from '../../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('snapshots');
});
afterAll(async () => {
  await db.close();
});

/** State shaped like the engine's: many small entities, incompressible enough to need chunks. */
function bigState(entities: number): Record<string, unknown> {
  const instances: Record<string, unknown> = {};
  for (let i = 0; i < entities; i++) {
    instances[String(2251799813685249 + i)] = {
      elementId: `task_${i % 17}`,
      variables: { amount: i * 3.5, note: Math.random().toString(36).repeat(4), 'a.b': true },
    };
  }
  return { position: entities, instances, text: 'àèìòù €' };
}

describe('SnapshotStore', () => {
  it('has no snapshot before the first save', async () => {
    const store = await SnapshotStore.open(db.connection, { partitionId: 11 });
    expect(await store.loadLatest()).toBeUndefined();
  });

  it('loads back exactly what was saved, spread over several chunks', async () => {
    const store = await SnapshotStore.open(db.connection, {
      partitionId: 12,
      chunkBytes: 16 * 1024,
    });
    const state = bigState(3_000);
    await store.save(1234, state);
    const chunks = await db.connection
      .db!.collection('engine_snapshot_chunks_p12')
      .countDocuments();
    expect(chunks).toBeGreaterThan(1);
    expect(await store.loadLatest()).toEqual({ position: 1234, state });
  });

  it('keeps only the newest snapshot', async () => {
    const store = await SnapshotStore.open(db.connection, { partitionId: 13, chunkBytes: 1024 });
    await store.save(10, bigState(50));
    await store.save(20, bigState(60));
    const latest = await store.loadLatest();
    expect(latest?.position).toBe(20);
    const manifests = await db.connection
      .db!.collection('engine_snapshot_manifests_p13')
      .find()
      .toArray();
    expect(manifests.map((m) => m.position)).toEqual([20]);
    const chunkOwners = await db.connection
      .db!.collection('engine_snapshot_chunks_p13')
      .distinct('snapshotId');
    expect(chunkOwners).toEqual([manifests[0]._id]);
  });

  it('ignores a snapshot whose save never completed', async () => {
    const store = await SnapshotStore.open(db.connection, { partitionId: 14 });
    await store.save(100, { ok: true });
    // What a crash after the first chunk of a later save leaves behind.
    await db.connection.db!.collection('engine_snapshot_manifests_p14').insertOne({
      _id: 'interrupted' as never,
      position: 200,
      chunks: 3,
      complete: false,
    });
    expect(await store.loadLatest()).toEqual({ position: 100, state: { ok: true } });
    await store.save(300, { ok: 'again' });
    expect(await store.loadLatest()).toEqual({ position: 300, state: { ok: 'again' } });
    expect(
      await db.connection.db!.collection('engine_snapshot_manifests_p14').countDocuments(),
    ).toBe(1);
  });

  it('refuses a corrupted snapshot instead of loading wrong state', async () => {
    const store = await SnapshotStore.open(db.connection, { partitionId: 15 });
    await store.save(5, { a: 1 });
    const chunks = db.connection.db!.collection('engine_snapshot_chunks_p15');
    await chunks.deleteMany({});
    await expect(store.loadLatest()).rejects.toThrow(/missing chunk 0/);
  });

  it('is not affected by changes the caller makes to the state after save()', async () => {
    const store = await SnapshotStore.open(db.connection, { partitionId: 16 });
    const state = { counter: 1 };
    const saved = store.save(7, state);
    state.counter = 2;
    await saved;
    expect((await store.loadLatest())?.state).toEqual({ counter: 1 });
  });

  it('stores state the caller already serialised', async () => {
    const store = await SnapshotStore.open(db.connection, { partitionId: 17 });
    await store.saveJson(9, JSON.stringify({ processes: [1, 2] }));
    expect(await store.loadLatest()).toEqual({ position: 9, state: { processes: [1, 2] } });
  });
});
