/**
 * DEPLOYMENT CREATE: resources were parsed and validated before the command entered
 * the processor; here they get keys and versions. Identical content as the latest
 * version keeps that version. A new latest version replaces timer start events.
 */
import { createHash } from 'node:crypto';
import {
  EngineError,
  type DeployResourceResponse,
  type DeploymentMetadata,
  type ResourceInput,
} from '../../api';
import type { ParsedDrg } from '../../dmn';
import { MAX_RESOURCE_BYTES } from '../../model/safe-xml';
import type { ExecutableProcess } from '../../model/types';
import { evaluateExpressionOrStatic } from '../../feel';
import { scheduleTimer } from '../../scheduler/timer-dates';
import type { DeployedProcess } from '../../state/types';
import type { BpmnContext } from '../bpmn/bpmn-context';

export type ParsedResource =
  | { kind: 'bpmn'; name: string; xml: string; processes: ExecutableProcess[] }
  | { kind: 'dmn'; name: string; xml: string; drg: ParsedDrg }
  | { kind: 'form'; name: string; json: string; formId: string };

export interface ModelRegistry {
  putModel(processDefinitionKey: number, model: ExecutableProcess): void;
  putDrg(drgKey: number, drg: ParsedDrg): void;
}

/**
 * Limits of one deployment (issue 9), checked before anything is parsed: its records hold
 * every resource (a BPMN once per process it defines) and must fit one log append, and
 * parsing thousands of resources would hold up everybody else's commands.
 */
export const DEPLOYMENT_LIMITS = { resources: 100, bytes: 3 * 1024 * 1024 };

const sizeOf = (content: string | Buffer) =>
  typeof content === 'string' ? Buffer.byteLength(content) : content.length;

function refuseSize(bytes: number): never {
  throw new EngineError(
    'RESOURCE_EXHAUSTED',
    `the deployment's resources are ${bytes} bytes; a deployment may hold at most ${DEPLOYMENT_LIMITS.bytes} bytes (3 MiB, a BPMN resource counted once per process it defines)`,
  );
}

/** Refuses, before parsing, a deployment with too many or too large resources. */
export function checkDeploymentSize(resources: ResourceInput[]): void {
  if (resources.length > DEPLOYMENT_LIMITS.resources) {
    throw new EngineError(
      'RESOURCE_EXHAUSTED',
      `the deployment holds ${resources.length} resources; a deployment may hold at most ${DEPLOYMENT_LIMITS.resources}`,
    );
  }
  const sizes = resources.map((r) => sizeOf(r.content ?? ''));
  // A resource over its own limit is refused by parsing, naming the resource (INVALID_ARGUMENT).
  if (sizes.some((size) => size > MAX_RESOURCE_BYTES)) return;
  const bytes = sizes.reduce((sum, size) => sum + size, 0);
  if (bytes > DEPLOYMENT_LIMITS.bytes) refuseSize(bytes);
}

/** After parsing: the size the deployment's records will hold. */
export function checkStoredSize(resources: ParsedResource[]): void {
  let bytes = 0;
  for (const r of resources) {
    if (r.kind === 'bpmn') bytes += sizeOf(r.xml) * Math.max(1, r.processes.length);
    else bytes += sizeOf(r.kind === 'dmn' ? r.xml : r.json);
  }
  if (bytes > DEPLOYMENT_LIMITS.bytes) refuseSize(bytes);
}

const checksum = (text: string) => createHash('sha256').update(text).digest('hex');

export function processDeployment(
  ctx: BpmnContext,
  registry: ModelRegistry,
  tenantId: string,
  resources: ParsedResource[],
): DeployResourceResponse {
  const { state, batch } = ctx;
  const deploymentKey = batch.nextKey();
  batch.command('DEPLOYMENT', 'CREATE', -1, {
    resources: resources.map((r) => ({ resourceName: r.name })),
    tenantId,
  });
  const deployments: DeploymentMetadata[] = [];
  for (const res of resources) {
    if (res.kind === 'bpmn') {
      for (const model of res.processes) {
        const sum = checksum(`${model.bpmnProcessId}\n${res.xml}`);
        const latest = state.latestProcess(tenantId, model.bpmnProcessId);
        let def: DeployedProcess;
        if (latest && latest.checksum === sum) {
          def = latest;
        } else {
          const key = batch.nextKey();
          const version = state.nextVersion('process', tenantId, model.bpmnProcessId);
          registry.putModel(key, model);
          batch.event('PROCESS', 'CREATED', key, {
            bpmnProcessId: model.bpmnProcessId,
            version,
            processDefinitionKey: key,
            resourceName: res.name,
            checksum: sum,
            resource: res.xml,
            deploymentKey,
            tenantId,
          });
          def = state.processes.get(key)!;
          replaceStartTimers(ctx, latest, def, model);
        }
        deployments.push({
          process: {
            bpmnProcessId: def.bpmnProcessId,
            version: def.version,
            processDefinitionKey: String(def.key),
            resourceName: def.resourceName,
            tenantId,
          },
        });
      }
    } else if (res.kind === 'dmn') {
      const sum = checksum(res.xml);
      const latest = state.latestDrg(tenantId, res.drg.id);
      let drgKey: number;
      let drgVersion: number;
      if (latest && latest.checksum === sum) {
        drgKey = latest.key;
        drgVersion = latest.version;
      } else {
        drgKey = batch.nextKey();
        drgVersion = state.nextVersion('drg', tenantId, res.drg.id);
        registry.putDrg(drgKey, res.drg);
        batch.event('DECISION_REQUIREMENTS', 'CREATED', drgKey, {
          decisionRequirementsId: res.drg.id,
          decisionRequirementsName: res.drg.name,
          decisionRequirementsVersion: drgVersion,
          decisionRequirementsKey: drgKey,
          namespace: res.drg.namespace ?? '',
          resourceName: res.name,
          checksum: sum,
          resource: res.xml,
          tenantId,
        });
        for (const d of res.drg.decisions) {
          const key = batch.nextKey();
          batch.event('DECISION', 'CREATED', key, {
            decisionId: d.id,
            decisionName: d.name,
            version: state.nextVersion('decision', tenantId, d.id),
            decisionKey: key,
            decisionRequirementsId: res.drg.id,
            decisionRequirementsKey: drgKey,
            tenantId,
          });
        }
      }
      deployments.push({
        decisionRequirements: {
          dmnDecisionRequirementsId: res.drg.id,
          dmnDecisionRequirementsName: res.drg.name,
          version: drgVersion,
          decisionRequirementsKey: String(drgKey),
          resourceName: res.name,
          tenantId,
        },
      });
      for (const d of state.decisions.values()) {
        if (d.decisionRequirementsKey !== drgKey) continue;
        deployments.push({
          decision: {
            dmnDecisionId: d.decisionId,
            dmnDecisionName: d.decisionName,
            version: d.version,
            decisionKey: String(d.key),
            dmnDecisionRequirementsId: d.decisionRequirementsId,
            decisionRequirementsKey: String(drgKey),
            tenantId,
          },
        });
      }
    } else {
      const sum = checksum(res.json);
      const latest = state.latestForm(tenantId, res.formId);
      let form = latest;
      if (!latest || latest.checksum !== sum) {
        const key = batch.nextKey();
        batch.event('FORM', 'CREATED', key, {
          formId: res.formId,
          version: state.nextVersion('form', tenantId, res.formId),
          formKey: key,
          resourceName: res.name,
          checksum: sum,
          resource: res.json,
          tenantId,
        });
        form = state.forms.get(key)!;
      }
      deployments.push({
        form: {
          formId: form!.formId,
          version: form!.version,
          formKey: String(form!.key),
          resourceName: form!.resourceName,
          tenantId,
        },
      });
    }
  }
  batch.event('DEPLOYMENT', 'CREATED', deploymentKey, {
    resources: resources.map((r) => ({ resourceName: r.name })),
    processesMetadata: deployments
      .filter((d) => 'process' in d)
      .map((d) => ('process' in d ? d.process : null)),
    tenantId,
  });
  return { key: String(deploymentKey), deployments, tenantId };
}

/** Timer start events belong to the latest version only. */
export function replaceStartTimers(
  ctx: BpmnContext,
  previous: DeployedProcess | undefined,
  next: DeployedProcess | undefined,
  model: ExecutableProcess | undefined,
): void {
  const { state, batch } = ctx;
  if (previous) {
    for (const key of [...(state.timersByOwner.get(-1) ?? [])]) {
      const t = state.timers.get(key)!;
      if (t.processDefinitionKey === previous.key) batch.event('TIMER', 'CANCELED', key, { ...t });
    }
  }
  if (!next || !model) return;
  for (const startId of model.eventStartIds) {
    const start = model.elements.get(startId)!;
    if (start.eventType !== 'TIMER' || !start.timer) continue;
    let schedule;
    try {
      const text = evaluateExpressionOrStatic(start.timer.expression, {});
      schedule = scheduleTimer(start.timer.kind, String(text), ctx.now);
    } catch {
      continue; // validated at parse time as far as possible; an unusable timer never fires
    }
    batch.event('TIMER', 'CREATED', batch.nextKey(), {
      elementInstanceKey: -1,
      processInstanceKey: -1,
      processDefinitionKey: next.key,
      targetElementId: startId,
      dueDate: schedule.dueDate,
      repetitions: schedule.repetitions,
      interval: schedule.interval,
      tenantId: next.tenantId,
      bpmnProcessId: next.bpmnProcessId,
    });
  }
}
