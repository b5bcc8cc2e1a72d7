/**
 * The inbox's store with its current documents spread over collections (shards), on the
 * real database: a document goes to one shard by its id, is read and changed there; a
 * document written before sharding (in the one collection of old) stays readable, and
 * its next change moves its current version to its shard, while loading everything
 * returns each document once, at its newest version.
 */
import { ChangeFeed } from '../../src/tasks/store/change-feed';
import { VersionedStore, type Versioned } from '../../src/tasks/store/versioned-store';
import { openTestDatabase, type TestDatabase } from '../support/database';

interface Doc extends Versioned {
  title: string;
}

let db: TestDatabase;
let store: VersionedStore<Doc>;
const change = (action: string) => ({ action, actor: 'istruttore.ra', at: new Date() });

beforeAll(async () => {
  db = await openTestDatabase('vstore');
  const feed = new ChangeFeed(db.connection);
  await feed.init();
  store = new VersionedStore<Doc>(db.connection, 'docs', feed, 'doc', { shards: 8 });
});
afterAll(async () => {
  await db?.close();
});

test('documents live in their shard; ones written before sharding move there on their next change', async () => {
  const ids = Array.from({ length: 40 }, (_, i) => String(2251799813685000 + i));
  for (const id of ids) await store.create({ _id: id, version: 1, title: `n. ${id}` }, change('c'));
  const counts = await Promise.all(
    store.shardNames().map((n) => db.connection.db!.collection(n).countDocuments()),
  );
  expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
  // Spread: no shard holds most of them.
  expect(Math.max(...counts)).toBeLessThan(20);
  const moved = await store.update(ids[3], 1, (d) => ({ ...d, title: 'cambiato' }), change('u'));
  expect(moved.version).toBe(2);
  expect(await store.get(ids[3])).toMatchObject({ title: 'cambiato', version: 2 });

  // Written by a release without shards: in "docs", with its version record.
  const old = { _id: '1000', version: 1, title: 'di prima' };
  await db.connection.db!.collection('docs').insertOne(old as never);
  await db.connection
    .db!.collection('docs_versions')
    .insertOne({ _id: '1000:1', id: '1000', version: 1, change: change('c'), doc: old } as never);
  expect(await store.get('1000')).toMatchObject({ title: 'di prima', version: 1 });
  const next = await store.update('1000', 1, (d) => ({ ...d, title: 'dopo' }), change('u'));
  expect(next.version).toBe(2);
  const shard = store.docs('1000').collectionName;
  expect(shard).toMatch(/^docs\.s0\d$/);
  expect(await db.connection.db!.collection(shard).findOne({ _id: '1000' as never })).toMatchObject(
    { title: 'dopo', version: 2 },
  );
  // Both copies exist; loading returns the newest, once.
  const all = await store.loadAll();
  expect(all.filter((d) => d._id === '1000')).toEqual([
    expect.objectContaining({ title: 'dopo', version: 2 }),
  ]);
  expect(all).toHaveLength(41);
  // A stale writer of the old version is refused.
  await expect(
    store.update('1000', 1, (d) => ({ ...d, title: 'vecchio' }), change('u')),
  ).rejects.toThrow(/Changed meanwhile/);
});
