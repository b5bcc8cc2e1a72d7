/**
 * The exporters of one partition: each resumes from its stored position by reading the
 * durable log, then follows the records the engine notifies once they are durable.
 * Exporting runs beside the processor and never holds it up.
 */
import type mongoose from 'mongoose';
import type { LogStore } from '../log/log-store';
import type { LogRecord } from '../log/record';
import type { Exporter } from './exporter';
import { ExporterPositions } from './exporter-positions';
import { ExporterRunner, type ExporterRunnerOptions } from './exporter-runner';
import { createHistoryExporter } from './history-exporter';

export type { Exporter } from './exporter';
export {
  createHistoryExporter,
  HISTORY_EXPORTER_ID,
  type HistoryExporterOptions,
} from './history-exporter';

export interface Exporters {
  /** Hand over records that are durable, in position order (every append's records). */
  notify(records: LogRecord[]): void;
  /** Resolves once every exporter has exported the log up to its current durable position. */
  flush(): Promise<void>;
  /** Finishes the exports in progress, then stops (call flush() first to export everything). */
  stop(): Promise<void>;
  /** Lowest position every exporter has passed: the log may be compacted up to it. */
  readonly minPosition: number;
}

/** While the engine is appending, an exporter write of d ms is followed by a pause of 3·d. */
const EXPORT_SHARE_WHEN_BUSY = 3;

export function defaultExporters(connection: mongoose.Connection, logStore: LogStore): Exporter[] {
  return [
    createHistoryExporter(connection, {
      pace: (writeMs) =>
        logStore.busy
          ? new Promise((resolve) => setTimeout(resolve, writeMs * EXPORT_SHARE_WHEN_BUSY))
          : Promise.resolve(),
    }),
  ];
}

export async function startExporters(
  connection: mongoose.Connection,
  logStore: LogStore,
  exporters: Exporter[] = defaultExporters(connection, logStore),
  opts: ExporterRunnerOptions = {},
): Promise<Exporters> {
  const positions = new ExporterPositions(connection, logStore.partitionId);
  const runners = exporters.map((e) => new ExporterRunner(e, logStore, positions, opts));
  for (const runner of runners) await runner.start();
  let stopped: Promise<void> | undefined;
  return {
    notify(records) {
      for (const runner of runners) runner.notify(records);
    },
    async flush() {
      const target = logStore.durablePosition;
      await Promise.all(runners.map((r) => r.exportedUpTo(target)));
    },
    stop() {
      stopped ??= Promise.all(runners.map((r) => r.stop())).then(() => undefined);
      return stopped;
    },
    get minPosition() {
      return runners.length
        ? Math.min(...runners.map((r) => r.position))
        : logStore.durablePosition;
    },
  };
}
