/**
 * Gives a test file its own real database on the server started by global-setup.
 * No mocked database anywhere: this is FerretDB (or MONGODB_URI).
 */
import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';

export interface TestDatabase {
  uri: string;
  name: string;
  connection: Connection;
  close(): Promise<void>;
}

export function testDatabaseUri(name: string): string {
  const base = process.env.TEST_MONGODB_URI;
  if (!base) throw new Error('TEST_MONGODB_URI is not set: run the tests with jest (global setup)');
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Opens a fresh, uniquely named database; drop it with close(). */
export async function openTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const uri = testDatabaseUri(name);
  const connection = await mongoose.createConnection(uri).asPromise();
  return {
    uri,
    name,
    connection,
    async close() {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
}
