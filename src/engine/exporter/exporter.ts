import type { LogRecord } from '../log/record';

/**
 * Something that turns log records into another store (history, search, metrics).
 * export() is given records in position order, at least once: after a crash the records
 * since the last stored position come again, so writes must be idempotent (upserts keyed
 * by record key or position).
 */
export interface Exporter {
  /** Stable id: the exporter's position is stored under it. */
  id: string;
  /** Called once before the first export (create indexes, ...). */
  open?(): Promise<void>;
  export(records: LogRecord[]): Promise<void>;
}
