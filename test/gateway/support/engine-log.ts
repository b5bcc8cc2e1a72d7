/**
 * Reads the engine's durable log (Zeebe's record model) from the test database, to
 * observe what clients cannot ask over gRPC: incident keys, completed and terminated
 * instances, failed jobs.
 */
import type { LogRecord } from '../../../src/engine/log/record';

/** The engine's own read of its durable log (Engine.readLog, exported for tests). */
export interface LogReader {
  readLog(after?: number): Promise<LogRecord[]>;
}

/** Waits (polling the durable log) for the first record matching `match`. */
export async function waitForRecord(
  engine: LogReader,
  match: (r: LogRecord) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<LogRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await engine.readLog()).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No log record for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Value = Record<string, unknown>;

export const isEvent = (r: LogRecord, valueType: string, intent: string) =>
  r.recordType === 'EVENT' && r.valueType === valueType && r.intent === intent;

export const ofInstance = (r: LogRecord, processInstanceKey: string) =>
  String((r.value as Value).processInstanceKey) === processInstanceKey;

/** The process instance itself (not one of its elements) reached `intent`. */
export const processInstanceEvent =
  (processInstanceKey: string, intent: string) => (r: LogRecord) =>
    isEvent(r, 'PROCESS_INSTANCE', intent) && String(r.key) === processInstanceKey;
