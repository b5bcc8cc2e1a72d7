/** Appliers for deployed resources (PROCESS, DECISION, DECISION_REQUIREMENTS, FORM). */
import type { Appliers } from './applier-context';

export const processAppliers: Appliers<'PROCESS'> = {
  CREATED(state, record) {
    const v = record.value;
    state.addProcess({
      key: record.key,
      bpmnProcessId: v.bpmnProcessId,
      version: v.version,
      tenantId: v.tenantId,
      resourceName: v.resourceName,
      checksum: v.checksum,
      resource: v.resource,
      deploymentKey: v.deploymentKey ?? -1,
    });
    state.bumpVersion('process', v.tenantId, v.bpmnProcessId, v.version);
  },
  DELETED(state, record) {
    state.removeProcess(record.key);
  },
};

export const decisionRequirementsAppliers: Appliers<'DECISION_REQUIREMENTS'> = {
  CREATED(state, record) {
    const v = record.value;
    state.addDrg({
      key: record.key,
      decisionRequirementsId: v.decisionRequirementsId,
      decisionRequirementsName: v.decisionRequirementsName,
      version: v.decisionRequirementsVersion,
      tenantId: v.tenantId,
      resourceName: v.resourceName,
      checksum: v.checksum,
      resource: v.resource,
    });
    state.bumpVersion('drg', v.tenantId, v.decisionRequirementsId, v.decisionRequirementsVersion);
  },
  DELETED(state, record) {
    state.drgs.delete(record.key);
    removeFromVersionIndex(state.drgVersions, record.key);
  },
};

export const decisionAppliers: Appliers<'DECISION'> = {
  CREATED(state, record) {
    const v = record.value;
    state.addDecision({
      key: record.key,
      decisionId: v.decisionId,
      decisionName: v.decisionName,
      version: v.version,
      tenantId: v.tenantId,
      decisionRequirementsKey: v.decisionRequirementsKey,
      decisionRequirementsId: v.decisionRequirementsId,
    });
    state.bumpVersion('decision', v.tenantId, v.decisionId, v.version);
  },
  DELETED(state, record) {
    state.decisions.delete(record.key);
    removeFromVersionIndex(state.decisionVersions, record.key);
  },
};

export const formAppliers: Appliers<'FORM'> = {
  CREATED(state, record) {
    const v = record.value;
    state.addForm({
      key: record.key,
      formId: v.formId,
      version: v.version,
      tenantId: v.tenantId,
      resourceName: v.resourceName,
      checksum: v.checksum,
      resource: v.resource,
    });
    state.bumpVersion('form', v.tenantId, v.formId, v.version);
  },
  DELETED(state, record) {
    state.forms.delete(record.key);
    removeFromVersionIndex(state.formVersions, record.key);
  },
};

/** Drops a deleted resource's key from a (tenant, id) → keys-by-version index. */
function removeFromVersionIndex(index: Map<string, number[]>, key: number): void {
  for (const [vk, keys] of index) {
    const rest = keys.filter((k) => k !== key);
    if (rest.length) index.set(vk, rest);
    else index.delete(vk);
  }
}
