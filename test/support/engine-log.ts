/**
 * Reads the engine's durable log (Zeebe's record model) to observe what clients cannot
 * ask over gRPC: subscriptions opened, incidents, completed and terminated instances.
 * The awaited record is polled for with the bounded helper (wait-for.ts).
 */
import type { LogRecord } from '../../src/engine/log/record';
import { waitFor } from './wait-for';

/** The engine's own read of its durable log (Engine.readLog, exported for tests). */
export interface LogReader {
  readLog(after?: number): Promise<LogRecord[]>;
}

/** Waits (polling the durable log) for the first record matching `match`. */
export function waitForRecord(
  engine: LogReader,
  match: (r: LogRecord) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<LogRecord> {
  return waitFor(`a log record for: ${what}`, async () => (await engine.readLog()).find(match), {
    timeoutMs,
    intervalMs: 25,
  });
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

/** A message subscription was opened for this correlation key (the instance waits). */
export const messageSubscriptionOpened = (correlationKey: string) => (r: LogRecord) =>
  isEvent(r, 'PROCESS_MESSAGE_SUBSCRIPTION', 'CREATED') &&
  (r.value as Value).correlationKey === correlationKey;
