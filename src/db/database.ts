/**
 * Opens the product's database: MONGODB_URI when set, otherwise the embedded FerretDB.
 */
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../logging';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-ferretdb';

export interface Database {
  uri: string;
  connection: Connection;
  embedded: EmbeddedDatabase | undefined;
  /** 'ok' when the server answers ping. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  mongodbUri?: string;
  dataDir: string;
  log?: Logger;
  /** The embedded FerretDB died and could not be restarted (see SuperviseOptions). */
  onEmbeddedGiveUp?(err: Error): void;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let uri = opts.mongodbUri;
  if (!uri) {
    embedded = await startEmbeddedDatabase({
      dataDir: opts.dataDir,
      log: opts.log,
      supervise: { onGiveUp: opts.onEmbeddedGiveUp },
    });
    uri = embedded.uri;
  }
  let connection: Connection;
  try {
    connection = await mongoose
      .createConnection(uri, { serverSelectionTimeoutMS: 10_000, autoIndex: true })
      .asPromise();
  } catch (err) {
    await embedded?.stop();
    throw new Error(
      `Cannot connect to the database at ${redactUri(uri)}: ${(err as Error).message}`,
    );
  }
  return {
    uri,
    connection,
    embedded,
    async ping() {
      try {
        await connection.db!.admin().command({ ping: 1 });
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await connection.close().catch(() => undefined);
      await embedded?.stop();
    },
  };
}

/** Hides credentials when a URI is shown in a message. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
