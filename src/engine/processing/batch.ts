/**
 * Collects the records one command produces. Events are applied to the state the
 * moment they are written, so later steps of the same command see their effects;
 * the whole batch is then appended to the log in one atomic call.
 */
import type { LogRecord, RecordType, ValueType } from '../log/record';
import type { RecordValue } from '../log/record-values';
import type { EngineState } from '../state/engine-state';
import { applyRecord, type ApplierContext } from '../state/appliers';

/** The fields of a record besides its value, as JSON characters (roughly). */
const RECORD_OVERHEAD = 200;

export type PendingRecord = Omit<LogRecord, 'position'>;

export class RecordBatch {
  readonly records: PendingRecord[] = [];
  /** Work to do once the batch is durable (responses, job pushes, ...). */
  readonly afterCommit: (() => void)[] = [];
  /** About how large the batch is (JSON characters of its values), for the step budget. */
  size = 0;

  constructor(
    private readonly state: EngineState,
    private readonly applierCtx: ApplierContext,
    readonly partitionId: number,
    readonly now: number,
  ) {}

  nextKey(): number {
    return this.state.nextKey(this.partitionId);
  }

  private push(
    recordType: RecordType,
    valueType: ValueType,
    intent: string,
    key: number,
    value: object,
  ): PendingRecord {
    const record: PendingRecord = {
      sourceRecordPosition: -1,
      partitionId: this.partitionId,
      recordType,
      valueType,
      intent,
      key,
      timestamp: this.now,
      value: value as Record<string, unknown>,
    };
    this.records.push(record);
    this.size += JSON.stringify(value).length + RECORD_OVERHEAD;
    return record;
  }

  command(valueType: ValueType, intent: string, key: number, value: object): void {
    this.push('COMMAND', valueType, intent, key, value);
  }

  event<T extends ValueType>(
    valueType: T,
    intent: string,
    key: number,
    value: RecordValue<T>,
  ): void {
    const record = this.push('EVENT', valueType, intent, key, value);
    applyRecord(this.state, record, this.applierCtx);
  }
}
