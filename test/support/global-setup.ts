/**
 * Starts one real database for the whole test run: MONGODB_URI when set, otherwise
 * the embedded FerretDB in a fresh temporary folder. Test files share the server
 * but each gets its own database (see test/support/database.ts).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildBundles } from '../../scripts/build-bundles';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded-ferretdb';

declare global {
  var __EMBEDDED_DB__: EmbeddedDatabase | undefined;
}

export default async function globalSetup(): Promise<void> {
  // Browser tests load the front-end bundles: rebuild them when a source changed.
  await buildBundles();
  if (process.env.MONGODB_URI) {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pc-test-db-'));
  const db = await startEmbeddedDatabase({ dataDir, dbName: 'test' });
  globalThis.__EMBEDDED_DB__ = db;
  process.env.TEST_MONGODB_URI = db.uri;
  process.env.TEST_DB_DATA_DIR = dataDir;
}
