/**
 * Element names (the BPMN `name` attributes) per process definition, for the API's
 * `processDefinitionName` and `elementName` fields. History documents carry element ids
 * only; the names come from the definition's XML, parsed once per definition and kept in
 * a small LRU cache (definitions never change once deployed).
 */
import type mongoose from 'mongoose';
import { parseBpmn } from '../model/bpmn-parser';
import { PROCESS_SCOPE } from '../model/types';
import { findByKey } from './search-executor';

export interface DefinitionNames {
  processName: string;
  /** element id → name (elements without a name are absent). */
  elements: Map<string, string>;
}

const CACHE_SIZE = 200;

export class ElementNames {
  private readonly cache = new Map<string, Promise<DefinitionNames>>();

  constructor(private readonly connection: mongoose.Connection) {}

  of(processDefinitionKey: string): Promise<DefinitionNames> {
    const hit = this.cache.get(processDefinitionKey);
    if (hit) {
      this.cache.delete(processDefinitionKey);
      this.cache.set(processDefinitionKey, hit);
      return hit;
    }
    const loading = this.load(processDefinitionKey);
    this.cache.set(processDefinitionKey, loading);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    // A failed load is not cached: the definition may reach history a moment later.
    loading.catch(() => this.cache.delete(processDefinitionKey));
    return loading;
  }

  private async load(key: string): Promise<DefinitionNames> {
    const doc = await findByKey(this.connection, 'processDefinitions', key);
    if (!doc) {
      // Not in history yet (the exporter writes it a moment later): ask again next time.
      this.cache.delete(key);
      return { processName: '', elements: new Map() };
    }
    const elements = new Map<string, string>();
    let processName = typeof doc.name === 'string' ? doc.name : '';
    try {
      const processes = await parseBpmn(String(doc.resource), String(doc.resourceName));
      const process = processes.find((p) => p.bpmnProcessId === doc.bpmnProcessId);
      for (const [id, el] of process?.elements ?? []) {
        if (id !== PROCESS_SCOPE && el.name) elements.set(id, el.name);
      }
      processName = process?.name ?? processName;
    } catch {
      // Deployed models parsed at deploy time; an unreadable one simply has no names.
    }
    return { processName, elements };
  }
}
