/** Appliers for JOB events. */
import type { EngineState } from '../engine-state';
import type { Job } from '../types';
import type { Appliers } from './applier-context';

export function updateJob(state: EngineState, key: number, change: (job: Job) => void): void {
  const job = state.jobs.get(key);
  if (!job) return;
  const next = { ...job };
  change(next);
  state.putJob(next);
}

export const jobAppliers: Appliers<'JOB'> = {
  CREATED(state, record) {
    const v = record.value;
    state.putJob({ ...v, key: record.key, state: 'ACTIVATABLE' });
    const e = state.elementInstances.get(v.elementInstanceKey);
    if (e) e.jobKey = record.key;
  },
  ACTIVATED(state, record) {
    const v = record.value;
    updateJob(state, record.key, (j) => {
      j.state = 'ACTIVATED';
      j.worker = v.worker;
      j.deadline = v.deadline;
      j.timeout = v.timeout;
    });
  },
  COMPLETED(state, record) {
    state.removeJob(record.key);
  },
  CANCELED(state, record) {
    state.removeJob(record.key);
  },
  FAILED(state, record) {
    const v = record.value;
    updateJob(state, record.key, (j) => {
      j.retries = v.retries;
      j.errorMessage = v.errorMessage;
      j.retryBackoff = v.retryBackoff;
      j.recurringTime = v.recurringTime;
      j.worker = '';
      j.deadline = -1;
      j.state = v.retries > 0 && v.recurringTime <= 0 ? 'ACTIVATABLE' : 'FAILED';
    });
  },
  RECURRED_AFTER_BACKOFF(state, record) {
    updateJob(state, record.key, (j) => {
      j.state = 'ACTIVATABLE';
      j.recurringTime = -1;
    });
  },
  YIELDED(state, record) {
    updateJob(state, record.key, (j) => {
      j.state = 'ACTIVATABLE';
      j.worker = '';
      j.deadline = -1;
    });
  },
  TIMED_OUT(state, record) {
    updateJob(state, record.key, (j) => {
      j.state = 'ACTIVATABLE';
      j.worker = '';
      j.deadline = -1;
    });
  },
  RETRIES_UPDATED(state, record) {
    const v = record.value;
    updateJob(state, record.key, (j) => {
      j.retries = v.retries;
    });
  },
  TIMEOUT_UPDATED(state, record) {
    const v = record.value;
    updateJob(state, record.key, (j) => {
      j.deadline = v.deadline;
    });
  },
  MIGRATED(state, record) {
    const v = record.value;
    updateJob(state, record.key, (j) => {
      j.elementId = v.elementId;
      j.bpmnProcessId = v.bpmnProcessId;
      j.processDefinitionKey = v.processDefinitionKey;
      j.processDefinitionVersion = v.processDefinitionVersion;
    });
  },
  ERROR_THROWN(state, record) {
    const v = record.value;
    updateJob(state, record.key, (j) => {
      j.state = 'ERROR_THROWN';
      j.errorCode = v.errorCode;
      j.errorMessage = v.errorMessage;
    });
  },
};
