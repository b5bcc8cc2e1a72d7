/**
 * Rebuilding the partition's state: the latest snapshot, then every EVENT record after
 * it applied in order (commands are not processed again, so no side effect happens
 * twice). The parsed models are rebuilt from the deployed resources.
 */
import type mongoose from 'mongoose';
import type { DeployedModels } from '../state/deployed-models';
import { applyRecord } from '../state/appliers';
import { EngineState } from '../state/engine-state';
import { LogStore } from './log-store';
import { SnapshotStore } from './snapshot-store';

export interface RecoveredPartition {
  state: EngineState;
  logStore: LogStore;
  snapshots: SnapshotStore;
  /** Position of the snapshot the state was rebuilt from (0: none). */
  snapshotPosition: number;
}

export async function recoverPartition(
  connection: mongoose.Connection,
  partitionId: number,
  models: DeployedModels,
): Promise<RecoveredPartition> {
  const logStore = await LogStore.open(connection, { partitionId });
  const snapshots = await SnapshotStore.open(connection, { partitionId });
  const snapshot = await snapshots.loadLatest();
  const data = typeof snapshot?.state === 'string' ? JSON.parse(snapshot.state) : snapshot?.state;
  const state = snapshot ? EngineState.fromSnapshot(data) : new EngineState();
  models.clear();
  for (const p of state.processes.values()) {
    await models.loadProcess(p.key, p.bpmnProcessId, p.resource, p.resourceName);
  }
  for (const d of state.drgs.values()) await models.loadDrg(d.key, d.resource, d.resourceName);
  const ctx = { model: (key: number) => models.process(key) };
  let position = snapshot?.position ?? 0;
  for await (const record of logStore.readFrom(position)) {
    if (record.recordType === 'EVENT' && record.intent === 'CREATED') {
      const v = record.value as {
        resource?: string;
        resourceName?: string;
        bpmnProcessId?: string;
      };
      if (record.valueType === 'PROCESS') {
        await models.loadProcess(record.key, v.bpmnProcessId!, v.resource!, v.resourceName!);
      }
      if (record.valueType === 'DECISION_REQUIREMENTS') {
        await models.loadDrg(record.key, v.resource!, v.resourceName!);
      }
    }
    applyRecord(state, record, ctx);
    position = record.position;
  }
  state.position = position;
  state.newlyActivatable.clear();
  return { state, logStore, snapshots, snapshotPosition: snapshot?.position ?? 0 };
}
