/**
 * Makes incidents visible in the log: polls the engine's REST API (Camunda 8 REST API
 * v2, POST /v2/incidents/search — the built-in engine or a Camunda 8.8+ cluster) for
 * open incidents of the product's provinces and logs each new one once, at warn, with
 * the province, the instance, the element, the job and the error.
 */
import type { Logger } from '../../logging';

export interface IncidentWatch {
  /** One poll now (also what the timer runs); resolves when it is done. */
  poll(): Promise<void>;
  stop(): void;
}

interface IncidentItem {
  incidentKey?: string;
  processInstanceKey?: string;
  processDefinitionId?: string;
  elementId?: string;
  elementInstanceKey?: string;
  jobKey?: string;
  errorType?: string;
  errorMessage?: string;
  tenantId?: string;
}

export function watchIncidents(
  restUrl: string,
  tenantIds: string[],
  log: Logger,
  everyMs = 5000,
): IncidentWatch {
  const seen = new Set<string>();
  let failing = false;
  let stopped = false;

  async function poll(): Promise<void> {
    for (const tenantId of tenantIds) {
      let items: IncidentItem[];
      try {
        const res = await fetch(`${restUrl}/v2/incidents/search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            filter: { state: 'ACTIVE', tenantId },
            sort: [{ field: 'incidentKey', order: 'DESC' }],
            page: { limit: 100 },
          }),
          signal: AbortSignal.timeout(5000),
        });
        if (!res.ok) throw new Error(`incident search answered ${res.status}`);
        items = ((await res.json()) as { items?: IncidentItem[] }).items ?? [];
        failing = false;
      } catch (err) {
        // Say it once, not every five seconds.
        if (!failing) log.warn({ err: (err as Error).message }, 'cannot read open incidents');
        failing = true;
        return;
      }
      for (const i of items) {
        const key = String(i.incidentKey);
        if (seen.has(key)) continue;
        seen.add(key);
        log.warn(
          {
            tenantId: i.tenantId ?? tenantId,
            incidentKey: key,
            processInstanceKey: i.processInstanceKey,
            bpmnProcessId: i.processDefinitionId,
            elementId: i.elementId,
            jobKey: i.jobKey,
            errorType: i.errorType,
            error: i.errorMessage,
          },
          `incident in ${i.processDefinitionId ?? '?'} at element ${i.elementId ?? '?'}: ${i.errorMessage ?? i.errorType ?? ''}`,
        );
      }
    }
  }

  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => void poll().finally(loop), everyMs);
    timer.unref();
  };
  loop();
  return {
    poll,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
