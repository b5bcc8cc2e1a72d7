/** Appliers for INCIDENT events (a job incident also changes its job's state). */
import type { Appliers } from './applier-context';
import { updateJob } from './job';

export const incidentAppliers: Appliers<'INCIDENT'> = {
  CREATED(state, record) {
    const v = record.value;
    state.addIncident({ ...v, key: record.key });
    if (v.jobKey > 0) {
      updateJob(state, v.jobKey, (j) => {
        j.state = 'INCIDENT';
      });
    }
  },
  RESOLVED(state, record) {
    const incident = state.incidents.get(record.key);
    state.removeIncident(record.key);
    if (incident && incident.jobKey > 0) {
      updateJob(state, incident.jobKey, (j) => {
        j.state = 'ACTIVATABLE';
        j.worker = '';
        j.deadline = -1;
      });
    }
  },
};
