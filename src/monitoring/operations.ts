/**
 * Operator actions on running instances, sent through the Zeebe gRPC client (the same
 * commands work on the built-in engine and on Zeebe): retry incidents (raise the job's
 * retries, then resolve), change a variable, cancel an instance, move a token
 * (ModifyProcessInstance) and migrate instances to another version
 * (MigrateProcessInstance). Each target is first looked up through the history API
 * within the operator's province; anything outside it is "not found". Every action,
 * done or failed, is recorded in the operator log with who, when and why; bulk actions
 * answer with the result of each item.
 */
import type { ZeebeGrpcClient } from '@camunda8/sdk/dist/zeebe';
import type {
  ElementInstanceItem,
  HistoryClient,
  IncidentItem,
  ProcessDefinitionItem,
  ProcessInstanceItem,
  VariableItem,
} from './history-client';
import type { Operator, OperatorAction, OperatorLog } from './operator-log';
import { InvalidInputError, NotFoundError, inScope, type MonitoringScope } from './scope';

export interface ItemResult {
  key: string;
  ok: boolean;
  /** The engine's or our own explanation when not ok. */
  error?: string;
}

export interface OperationsDeps {
  history: HistoryClient;
  zeebe: Pick<
    ZeebeGrpcClient,
    | 'updateJobRetries'
    | 'resolveIncident'
    | 'setVariables'
    | 'cancelProcessInstance'
    | 'modifyProcessInstance'
    | 'migrateProcessInstance'
  >;
  log: OperatorLog;
  now?: () => Date;
}

const MAX_REASON = 500;
const MAX_BULK = 500;

export function checkReason(reason: unknown): string {
  const r = typeof reason === 'string' ? reason.trim() : '';
  if (!r) throw new InvalidInputError('reason', 'Indicare il motivo dell’operazione');
  if (r.length > MAX_REASON) {
    throw new InvalidInputError('reason', `Il motivo può avere al più ${MAX_REASON} caratteri`);
  }
  return r;
}

function checkKeys(keys: unknown, field: string): string[] {
  const list = Array.isArray(keys) ? keys : [keys];
  const valid = list.filter((k): k is string => typeof k === 'string' && /^\d{1,19}$/.test(k));
  if (!valid.length || valid.length !== list.length) {
    throw new InvalidInputError(field, 'Selezionare almeno un elemento valido');
  }
  if (valid.length > MAX_BULK) {
    throw new InvalidInputError(field, `Al più ${MAX_BULK} elementi per operazione`);
  }
  return [...new Set(valid)];
}

const messageOf = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).replace(/^\d+ [A-Z_]+: /, '');

export class MonitoringOperations {
  private readonly now: () => Date;

  constructor(private readonly deps: OperationsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  private async activeInstance(scope: MonitoringScope, key: string) {
    const instance = /^\d{1,19}$/.test(key)
      ? await this.deps.history.get<ProcessInstanceItem>('process-instances', key)
      : undefined;
    if (!instance || instance.tenantId !== scope.tenantId)
      throw new NotFoundError('Istanza non trovata');
    if (instance.state !== 'ACTIVE') {
      throw new InvalidInputError('processInstanceKey', 'L’istanza non è più attiva');
    }
    return instance;
  }

  private async record(
    scope: MonitoringScope,
    operator: Operator,
    reason: string,
    action: Omit<OperatorAction, 'operator' | 'tenantId' | 'reason' | 'at'>,
  ) {
    await this.deps.log.record({
      ...action,
      operator,
      tenantId: scope.tenantId,
      reason,
      at: this.now(),
    });
  }

  /** For each incident: give its job `retries` again (job incidents), then resolve it. */
  async retryIncidents(
    scope: MonitoringScope,
    operator: Operator,
    incidentKeys: unknown,
    reasonText: unknown,
    retries = 1,
  ): Promise<ItemResult[]> {
    const reason = checkReason(reasonText);
    const keys = checkKeys(incidentKeys, 'incidentKeys');
    const found = inScope(
      scope,
      await this.deps.history.searchAll<IncidentItem>('incidents', {
        filter: { tenantId: scope.tenantId, incidentKey: { $in: keys } },
      }),
    );
    const byKey = new Map(found.map((i) => [i.incidentKey, i]));
    const results: ItemResult[] = [];
    for (const key of keys) {
      const incident = byKey.get(key);
      if (!incident) {
        results.push({ key, ok: false, error: 'Incidente non trovato' });
        continue;
      }
      if (incident.state !== 'ACTIVE') {
        results.push({ key, ok: false, error: 'Incidente già risolto' });
        continue;
      }
      let error: string | undefined;
      try {
        if (incident.jobKey) {
          await this.deps.zeebe.updateJobRetries({ jobKey: incident.jobKey, retries });
        }
        await this.deps.zeebe.resolveIncident({ incidentKey: key });
      } catch (err) {
        error = messageOf(err);
      }
      results.push({ key, ok: !error, error });
      await this.record(scope, operator, reason, {
        action: 'monitoring.incident.retry',
        processInstanceKey: incident.processInstanceKey,
        bpmnProcessId: incident.processDefinitionId,
        elementId: incident.elementId,
        details: {
          incidentKey: key,
          jobKey: incident.jobKey ?? null,
          retries: incident.jobKey ? retries : null,
          errorType: incident.errorType,
          errorMessage: incident.errorMessage,
        },
        outcome: error ? 'failed' : 'ok',
        error,
      });
    }
    return results;
  }

  /** Sets one variable in a scope of a running instance (the instance or one of its elements). */
  async updateVariable(
    scope: MonitoringScope,
    operator: Operator,
    input: { processInstanceKey: string; scopeKey?: string; name: unknown; value: unknown },
    reasonText: unknown,
  ): Promise<void> {
    const reason = checkReason(reasonText);
    const instance = await this.activeInstance(scope, input.processInstanceKey);
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!/^[A-Za-z_][\w-]{0,99}$/.test(name)) {
      throw new InvalidInputError('name', 'Nome di variabile non valido');
    }
    let value: unknown;
    try {
      value = JSON.parse(String(input.value));
    } catch {
      throw new InvalidInputError(
        'value',
        'Il valore deve essere JSON valido (es. "testo" tra virgolette, 42, true, {"a":1})',
      );
    }
    const scopeKey = input.scopeKey || instance.processInstanceKey;
    if (scopeKey !== instance.processInstanceKey) {
      const element = await this.deps.history.get<ElementInstanceItem>(
        'element-instances',
        scopeKey,
      );
      if (
        !element ||
        element.tenantId !== scope.tenantId ||
        element.processInstanceKey !== instance.processInstanceKey ||
        element.state !== 'ACTIVE'
      ) {
        throw new InvalidInputError('scopeKey', 'Ambito della variabile non valido');
      }
    }
    const [previous] = inScope(
      scope,
      (
        await this.deps.history.search<VariableItem>('variables', {
          filter: { tenantId: scope.tenantId, scopeKey, name },
        })
      ).items,
    );
    let error: string | undefined;
    try {
      await this.deps.zeebe.setVariables({
        elementInstanceKey: scopeKey,
        variables: { [name]: value },
        local: true,
      });
    } catch (err) {
      error = messageOf(err);
    }
    await this.record(scope, operator, reason, {
      action: 'monitoring.variable.update',
      processInstanceKey: instance.processInstanceKey,
      bpmnProcessId: instance.processDefinitionId,
      details: {
        scopeKey,
        name,
        before: previous?.value ?? null,
        after: JSON.stringify(value),
      },
      outcome: error ? 'failed' : 'ok',
      error,
    });
    if (error) throw new InvalidInputError('value', `Il motore ha rifiutato la modifica: ${error}`);
  }

  async cancelInstances(
    scope: MonitoringScope,
    operator: Operator,
    processInstanceKeys: unknown,
    reasonText: unknown,
  ): Promise<ItemResult[]> {
    const reason = checkReason(reasonText);
    const results: ItemResult[] = [];
    for (const key of checkKeys(processInstanceKeys, 'processInstanceKeys')) {
      let instance: ProcessInstanceItem;
      try {
        instance = await this.activeInstance(scope, key);
      } catch (err) {
        results.push({ key, ok: false, error: messageOf(err) });
        continue;
      }
      let error: string | undefined;
      try {
        await this.deps.zeebe.cancelProcessInstance(key);
      } catch (err) {
        error = messageOf(err);
      }
      results.push({ key, ok: !error, error });
      await this.record(scope, operator, reason, {
        action: 'monitoring.instance.cancel',
        processInstanceKey: key,
        bpmnProcessId: instance.processDefinitionId,
        details: {},
        outcome: error ? 'failed' : 'ok',
        error,
      });
    }
    return results;
  }

  /** Terminates the active instances of one element and activates another (same scope). */
  async moveToken(
    scope: MonitoringScope,
    operator: Operator,
    input: { processInstanceKey: string; fromElementId: unknown; toElementId: unknown },
    reasonText: unknown,
  ): Promise<void> {
    const reason = checkReason(reasonText);
    const instance = await this.activeInstance(scope, input.processInstanceKey);
    const from = typeof input.fromElementId === 'string' ? input.fromElementId : '';
    const to = typeof input.toElementId === 'string' ? input.toElementId.trim() : '';
    if (!to) throw new InvalidInputError('toElementId', 'Indicare l’elemento di destinazione');
    const active = inScope(
      scope,
      await this.deps.history.searchAll<ElementInstanceItem>('element-instances', {
        filter: {
          tenantId: scope.tenantId,
          processInstanceKey: instance.processInstanceKey,
          elementId: from,
          state: 'ACTIVE',
        },
      }),
    );
    if (!active.length) {
      throw new InvalidInputError('fromElementId', 'Nessun token attivo sull’elemento di partenza');
    }
    const xml = await this.deps.history.processDefinitionXml(instance.processDefinitionKey);
    if (!/^[\w.-]{1,200}$/.test(to) || !xml?.includes(` id="${to}"`)) {
      throw new InvalidInputError(
        'toElementId',
        'Elemento di destinazione inesistente nel diagramma',
      );
    }
    let error: string | undefined;
    try {
      await this.deps.zeebe.modifyProcessInstance({
        processInstanceKey: instance.processInstanceKey,
        terminateInstructions: active.map((e) => ({ elementInstanceKey: e.elementInstanceKey })),
        activateInstructions: [
          { elementId: to, ancestorElementInstanceKey: '-1', variableInstructions: [] },
        ],
      });
    } catch (err) {
      error = messageOf(err);
    }
    await this.record(scope, operator, reason, {
      action: 'monitoring.instance.modify',
      processInstanceKey: instance.processInstanceKey,
      bpmnProcessId: instance.processDefinitionId,
      elementId: to,
      details: {
        fromElementId: from,
        toElementId: to,
        terminated: active.map((e) => e.elementInstanceKey),
      },
      outcome: error ? 'failed' : 'ok',
      error,
    });
    if (error)
      throw new InvalidInputError('toElementId', `Il motore ha rifiutato lo spostamento: ${error}`);
  }

  /** Migrates running instances to another version of their process with an element mapping. */
  async migrateInstances(
    scope: MonitoringScope,
    operator: Operator,
    input: {
      processInstanceKeys: unknown;
      targetProcessDefinitionKey: unknown;
      mapping: { sourceElementId: string; targetElementId: string }[];
    },
    reasonText: unknown,
  ): Promise<ItemResult[]> {
    const reason = checkReason(reasonText);
    const keys = checkKeys(input.processInstanceKeys, 'processInstanceKeys');
    const targetKey = String(input.targetProcessDefinitionKey ?? '');
    const target = /^\d{1,19}$/.test(targetKey)
      ? await this.deps.history.get<ProcessDefinitionItem>('process-definitions', targetKey)
      : undefined;
    if (!target || target.tenantId !== scope.tenantId) {
      throw new InvalidInputError(
        'targetProcessDefinitionKey',
        'Versione di destinazione non trovata',
      );
    }
    const mapping = input.mapping.filter((m) => m.sourceElementId && m.targetElementId);
    if (!mapping.length) {
      throw new InvalidInputError('mapping', 'Indicare almeno una corrispondenza tra elementi');
    }
    const results: ItemResult[] = [];
    for (const key of keys) {
      let instance: ProcessInstanceItem;
      try {
        instance = await this.activeInstance(scope, key);
      } catch (err) {
        results.push({ key, ok: false, error: messageOf(err) });
        continue;
      }
      let error: string | undefined;
      try {
        await this.deps.zeebe.migrateProcessInstance({
          processInstanceKey: key,
          migrationPlan: {
            targetProcessDefinitionKey: targetKey,
            mappingInstructions: mapping,
          },
        });
      } catch (err) {
        error = messageOf(err);
      }
      results.push({ key, ok: !error, error });
      await this.record(scope, operator, reason, {
        action: 'monitoring.instance.migrate',
        processInstanceKey: key,
        bpmnProcessId: instance.processDefinitionId,
        details: {
          fromProcessDefinitionKey: instance.processDefinitionKey,
          fromVersion: instance.processDefinitionVersion,
          toProcessDefinitionKey: targetKey,
          toVersion: target.version,
          mapping,
        },
        outcome: error ? 'failed' : 'ok',
        error,
      });
    }
    return results;
  }
}
