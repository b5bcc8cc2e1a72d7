/**
 * Names and diagrams of deployed processes, read through the Camunda 8 REST API v2
 * (GET /v2/process-definitions/{key}/xml) — served by the built-in engine and by any
 * Camunda 8.8+ cluster, so the inbox stays engine-agnostic. A job carries only element
 * ids; the task's name is the element's name in the model. Models never change once
 * deployed (a change is a new version with a new key), so each is read once.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { silentLogger, type Logger } from '../logging';

export interface ProcessInfo {
  processDefinitionKey: string;
  /** Process id → name, for every process of the deployed file. */
  processNames: Map<string, string>;
  /** Element id → name, for every element with a name. */
  elementNames: Map<string, string>;
  xml: string;
}

export interface ProcessCatalog {
  /**
   * The deployed model, or undefined when the REST API cannot tell (the task keeps ids).
   * `waitMs`: a model deployed a moment ago reaches the history a little later; ask
   * again until then.
   */
  get(processDefinitionKey: string, opts?: { waitMs?: number }): Promise<ProcessInfo | undefined>;
}

export interface ProcessCatalogOptions {
  /** Base URL of the REST API, e.g. http://127.0.0.1:8080 (no /v2). */
  restUrl: string;
  /** Bearer token when the REST API asks for one. */
  token?: string;
  logger?: Logger;
  timeoutMs?: number;
}

interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  flowElements?: ModdleElement[];
  rootElements?: ModdleElement[];
  participants?: { name?: string; processRef?: ModdleElement }[];
}

export async function readProcessModel(
  xml: string,
): Promise<{ processes: { id: string; name?: string }[]; elementNames: Map<string, string> }> {
  const moddle = new BpmnModdle();
  const { rootElement } = (await moddle.fromXML(xml)) as unknown as { rootElement: ModdleElement };
  const elementNames = new Map<string, string>();
  const processes: { id: string; name?: string }[] = [];
  const walk = (el: ModdleElement) => {
    if (el.id && el.name) elementNames.set(el.id, el.name);
    for (const child of el.flowElements ?? []) walk(child);
  };
  for (const root of rootElement.rootElements ?? []) {
    if (root.$type === 'bpmn:Process') {
      processes.push({ id: root.id!, name: root.name });
      walk(root);
    }
  }
  return { processes, elementNames };
}

export function createProcessCatalog(opts: ProcessCatalogOptions): ProcessCatalog {
  const logger = opts.logger ?? silentLogger;
  const cache = new Map<string, Promise<ProcessInfo | undefined>>();
  const load = async (key: string): Promise<ProcessInfo | undefined> => {
    const headers: Record<string, string> = { accept: 'text/xml' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(
      `${opts.restUrl}/v2/process-definitions/${encodeURIComponent(key)}/xml`,
      {
        headers,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      },
    );
    if (!res.ok) throw new Error(`REST API answered ${res.status} for process definition ${key}`);
    const xml = await res.text();
    const model = await readProcessModel(xml);
    return {
      processDefinitionKey: key,
      processNames: new Map(model.processes.filter((p) => p.name).map((p) => [p.id, p.name!])),
      elementNames: model.elementNames,
      xml,
    };
  };
  const once = (key: string): Promise<ProcessInfo | undefined> => {
    let p = cache.get(key);
    if (!p) {
      p = load(key).catch((err: Error) => {
        // Not cached: the REST API may be starting or not have the model yet.
        cache.delete(key);
        logger.debug?.(
          { err: err.message, processDefinitionKey: key },
          'process model not readable yet',
        );
        return undefined;
      });
      cache.set(key, p);
    }
    return p;
  };
  return {
    async get(key, opts = {}) {
      const deadline = Date.now() + (opts.waitMs ?? 0);
      for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
        const info = await once(key);
        if (info || Date.now() >= deadline) return info;
        await new Promise((r) => setTimeout(r, delay));
      }
    },
  };
}
