/**
 * Deploys the BPMN and DMN models of processes/ for a tenant (a province), only the
 * service lines the province has enabled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ZeebeClient } from '../runtime';

export const DEFAULT_PROCESSES_DIR = path.resolve(__dirname, '..', '..', '..', 'processes');

export const SERVICE_LINES = ['procurement', 'eu-funding', 'data-request', 'training'] as const;

export function modelFiles(
  lines: readonly string[],
  processesDir: string = DEFAULT_PROCESSES_DIR,
): string[] {
  return lines.flatMap((line) =>
    readdirSync(path.join(processesDir, line))
      .filter((f) => f.endsWith('.bpmn') || f.endsWith('.dmn'))
      .sort(
        (a, b) => Number(a.endsWith('.bpmn')) - Number(b.endsWith('.bpmn')) || a.localeCompare(b),
      )
      .map((f) => path.join(processesDir, line, f)),
  );
}

export async function deployServiceProcesses(
  client: ZeebeClient,
  tenantId: string,
  lines: readonly string[] = SERVICE_LINES,
  processesDir?: string,
): Promise<string[]> {
  const files = modelFiles(lines, processesDir);
  const resources = files.map((file) =>
    file.endsWith('.dmn')
      ? { name: path.basename(file), decision: readFileSync(file), tenantId }
      : { name: path.basename(file), process: readFileSync(file), tenantId },
  );
  await client.deployResources(resources, tenantId);
  return files.map((f) => path.relative(path.dirname(path.dirname(f)), f));
}
