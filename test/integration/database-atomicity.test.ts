/**
 * Single-document writes are atomic, as in MongoDB, also on the embedded FerretDB
 * (whose v1 update is a query plus separate writes: the wrapper's proxy serializes
 * read-modify-write commands, tools/ferretdb/serialize.go). The product relies on it
 * for claims, task versions, counters and seats.
 */
import { openTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('atomic');
});
afterAll(() => db?.close());

const col = () => db.connection.db!.collection<{ _id: string; v: number; n: number }>('counters');

it('lets exactly one of many concurrent compare-and-set updates win', async () => {
  await col().insertOne({ _id: 'cas', v: 0, n: 0 });
  const results = await Promise.all(
    Array.from({ length: 20 }, () => col().updateOne({ _id: 'cas', v: 0 }, { $set: { v: 1 } })),
  );
  expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
});

it('keeps every one of many concurrent increments', async () => {
  await col().insertOne({ _id: 'inc', v: 0, n: 0 });
  await Promise.all(
    Array.from({ length: 100 }, () => col().updateOne({ _id: 'inc' }, { $inc: { n: 1 } })),
  );
  expect((await col().findOne({ _id: 'inc' }))?.n).toBe(100);
});

it('hands a document to exactly one of many concurrent findOneAndUpdate claims', async () => {
  await col().insertOne({ _id: 'claim', v: 0, n: 0 });
  const claims = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      col().findOneAndUpdate(
        { _id: 'claim', v: 0 },
        { $set: { v: i + 1 } },
        { returnDocument: 'after' },
      ),
    ),
  );
  expect(claims.filter((c) => c !== null)).toHaveLength(1);
});
