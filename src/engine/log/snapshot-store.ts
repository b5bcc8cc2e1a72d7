/**
 * Snapshots of the processor's state, so that a restart replays only the log tail.
 *
 * A snapshot may be tens of MB, above the 16 MiB document limit, so it is stored as
 * gzip-compressed JSON in chunks. Its manifest is written first as "writing" (naming
 * every chunk it will have, so an interrupted save can be cleaned up) and marked
 * complete last: a crash mid-save leaves the previous snapshot as the latest complete
 * one. Chunks are read back by _id equality, the one lookup FerretDB v1 pushes down.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import mongoose from 'mongoose';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

export interface SnapshotStoreOptions {
  partitionId?: number;
  /** Chunk size in bytes (after compression). */
  chunkBytes?: number;
}

interface ManifestDocument {
  _id: string;
  position: number;
  chunks: number;
  bytes: number;
  sha256: string;
  complete: boolean;
  createdAt: Date;
}

interface ChunkDocument {
  _id: string;
  snapshotId: string;
  seq: number;
  data: mongoose.mongo.Binary;
}

const DEFAULT_CHUNK_BYTES = 1024 * 1024;

export class SnapshotStore {
  /** Saves run one at a time: each removes the snapshots before it. */
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly manifests: mongoose.mongo.Collection<ManifestDocument>,
    private readonly chunks: mongoose.mongo.Collection<ChunkDocument>,
    private readonly chunkBytes: number,
  ) {}

  static async open(
    connection: mongoose.Connection,
    opts: SnapshotStoreOptions = {},
  ): Promise<SnapshotStore> {
    const partitionId = opts.partitionId ?? 1;
    const db = connection.db;
    if (!db) throw new Error('SnapshotStore.open needs an open connection');
    return new SnapshotStore(
      db.collection<ManifestDocument>(`engine_snapshot_manifests_p${partitionId}`),
      db.collection<ChunkDocument>(`engine_snapshot_chunks_p${partitionId}`),
      opts.chunkBytes ?? DEFAULT_CHUNK_BYTES,
    );
  }

  /**
   * Stores `state` (plain JSON-able data holding exactly the events up to `position`) and
   * then removes older snapshots. Resolves once the snapshot is the latest complete one.
   */
  save(position: number, state: unknown): Promise<void> {
    // Serialise at once: the caller's state may change right after this call.
    return this.saveJson(position, JSON.stringify(state));
  }

  /** Like save(), for a caller that already holds the state as JSON. */
  saveJson(position: number, json: string): Promise<void> {
    const run = this.saving.then(() => this.write(position, json));
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async write(position: number, json: string): Promise<void> {
    // Compression runs on libuv's thread pool, off the processor's thread.
    const data = await gzip(Buffer.from(json), { level: 1 });
    const id = `${String(position).padStart(16, '0')}-${randomBytes(4).toString('hex')}`;
    const chunkCount = Math.max(1, Math.ceil(data.length / this.chunkBytes));
    const manifest: ManifestDocument = {
      _id: id,
      position,
      chunks: chunkCount,
      bytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      complete: false,
      createdAt: new Date(),
    };
    await this.manifests.insertOne(manifest);
    for (let seq = 0; seq < chunkCount; seq++) {
      const part = data.subarray(seq * this.chunkBytes, (seq + 1) * this.chunkBytes);
      await this.chunks.insertOne({
        _id: chunkId(id, seq),
        snapshotId: id,
        seq,
        data: new mongoose.mongo.Binary(part),
      });
    }
    await this.manifests.updateOne(
      { _id: id },
      { $set: { complete: true } },
      { writeConcern: { w: 1, journal: true } },
    );
    await this.removeAllBut(id);
  }

  /** The newest complete snapshot, or undefined when there is none. */
  async loadLatest(): Promise<{ position: number; state: unknown } | undefined> {
    const complete = (await this.manifests.find({}).toArray())
      .filter((m) => m.complete)
      .sort((a, b) => b.position - a.position);
    const latest = complete[0];
    if (!latest) return undefined;
    const parts: Buffer[] = [];
    for (let seq = 0; seq < latest.chunks; seq++) {
      const chunk = await this.chunks.findOne({ _id: chunkId(latest._id, seq) });
      if (!chunk) throw new Error(`Snapshot ${latest._id} is missing chunk ${seq}`);
      parts.push(Buffer.from(chunk.data.buffer));
    }
    const data = Buffer.concat(parts);
    const sha256 = createHash('sha256').update(data).digest('hex');
    if (data.length !== latest.bytes || sha256 !== latest.sha256) {
      throw new Error(`Snapshot ${latest._id} is corrupt (checksum mismatch)`);
    }
    const state: unknown = JSON.parse((await gunzip(data)).toString());
    return { position: latest.position, state };
  }

  /** Removes every snapshot but `keepId`, manifests first so none is ever half there. */
  private async removeAllBut(keepId: string): Promise<void> {
    const others = (await this.manifests.find({}).toArray()).filter((m) => m._id !== keepId);
    for (const m of others) {
      await this.manifests.deleteOne({ _id: m._id });
      for (let seq = 0; seq < m.chunks; seq++) {
        await this.chunks.deleteOne({ _id: chunkId(m._id, seq) });
      }
    }
  }
}

function chunkId(snapshotId: string, seq: number): string {
  return `${snapshotId}:${seq}`;
}
