/**
 * Where each exporter has got to in each partition's log: the position of the last
 * record it exported. One small document per (partition, exporter).
 */
import type mongoose from 'mongoose';

interface PositionDocument {
  _id: string;
  partitionId: number;
  exporterId: string;
  position: number;
  updatedAt: Date;
}

export const EXPORTER_POSITIONS_COLLECTION = 'engine_exporter_positions';

export class ExporterPositions {
  private readonly collection: mongoose.mongo.Collection<PositionDocument>;

  constructor(
    connection: mongoose.Connection,
    private readonly partitionId: number,
  ) {
    const db = connection.db;
    if (!db) throw new Error('ExporterPositions needs an open connection');
    this.collection = db.collection<PositionDocument>(EXPORTER_POSITIONS_COLLECTION);
  }

  /** The stored position, 0 when the exporter never exported anything. */
  async load(exporterId: string): Promise<number> {
    const doc = await this.collection.findOne({ _id: this.id(exporterId) });
    return doc?.position ?? 0;
  }

  async store(exporterId: string, position: number): Promise<void> {
    await this.collection.updateOne(
      { _id: this.id(exporterId) },
      {
        $set: {
          partitionId: this.partitionId,
          exporterId,
          position,
          updatedAt: new Date(),
        },
      },
      { upsert: true },
    );
  }

  private id(exporterId: string): string {
    return `p${this.partitionId}:${exporterId}`;
  }
}
