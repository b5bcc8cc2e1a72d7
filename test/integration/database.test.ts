import { openTestDatabase, type TestDatabase } from '../support/database';

describe('the real test database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it('stores and reads back documents', async () => {
    const col = db.connection.collection('probe');
    await col.insertOne({ istat: '016', name: 'Bergamo' });
    const found = await col.findOne({ istat: '016' });
    expect(found?.name).toBe('Bergamo');
  });

  it('enforces a unique index', async () => {
    const col = db.connection.collection('unique_probe');
    await col.createIndex({ key: 1 }, { unique: true });
    await col.insertOne({ key: 'a' });
    await expect(col.insertOne({ key: 'a' })).rejects.toThrow(/duplicate key/i);
  });
});
