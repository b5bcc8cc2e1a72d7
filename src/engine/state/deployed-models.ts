/**
 * The parsed models of deployed resources (BPMN processes, DMN decision requirements
 * graphs), by key. Parsing is asynchronous, so models are loaded before a command needs
 * them: at deploy time (already parsed) and when the state is rebuilt.
 */
import { parseDmn, type ParsedDrg } from '../dmn';
import { parseBpmn } from '../model/bpmn-parser';
import type { ExecutableProcess } from '../model/types';

export class DeployedModels {
  private readonly processes = new Map<number, ExecutableProcess>();
  private readonly drgs = new Map<number, ParsedDrg>();

  process(key: number): ExecutableProcess | undefined {
    return this.processes.get(key);
  }

  drg(key: number): ParsedDrg | undefined {
    return this.drgs.get(key);
  }

  putProcess(key: number, model: ExecutableProcess): void {
    this.processes.set(key, model);
  }

  putDrg(key: number, drg: ParsedDrg): void {
    this.drgs.set(key, drg);
  }

  clear(): void {
    this.processes.clear();
    this.drgs.clear();
  }

  async loadProcess(key: number, bpmnProcessId: string, xml: string, name: string): Promise<void> {
    const processes = await parseBpmn(xml, name);
    // A resource may hold several processes: pick the one this key stands for.
    const model = processes.find((m) => m.bpmnProcessId === bpmnProcessId);
    if (model) this.processes.set(key, model);
  }

  async loadDrg(key: number, xml: string, name: string): Promise<void> {
    this.drgs.set(key, await parseDmn(xml, name));
  }
}
