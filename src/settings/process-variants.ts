/**
 * Which process runs for a comune: a province may run its own variant of a shared
 * process for some comuni (or all of them). Whoever starts an instance for a comune
 * (the request pages, the demo data) asks here for the BPMN process id.
 */
import type { Settings } from '../config';

export interface ProcessVariant {
  process: string;
  variant: string;
  /** Empty or missing: every comune of the province. */
  comuni?: string[];
}

export function processVariants(settings: Settings): ProcessVariant[] {
  const processes = settings.processes as { variants?: ProcessVariant[] } | undefined;
  return processes?.variants ?? [];
}

/**
 * The process id to start for `process` (the shared process id, e.g. "procurement")
 * on behalf of `comuneIstat`: a variant listing the comune wins over a province-wide
 * variant, which wins over the shared process.
 */
export function processIdFor(settings: Settings, process: string, comuneIstat?: string): string {
  const variants = processVariants(settings).filter((v) => v.process === process);
  const forComune = comuneIstat
    ? variants.find((v) => (v.comuni ?? []).includes(comuneIstat))
    : undefined;
  const provinceWide = variants.find((v) => (v.comuni ?? []).length === 0);
  return (forComune ?? provinceWide)?.variant ?? process;
}

/** Whether a service line is enabled for the province (settings processes/enabled). */
export function isProcessEnabled(settings: Settings, line: string): boolean {
  const enabled = (settings.processes as { enabled?: string[] } | undefined)?.enabled;
  return !enabled || enabled.includes(line);
}
