/**
 * The inbox settings of a province (engine-config: `inbox`, `calendar`), with defaults.
 */
import type { ProvinceConfig } from '../config';

export interface ColumnSetting {
  variable: string;
  label: string;
  type?: 'text' | 'currency' | 'number' | 'date';
  searchable?: boolean;
}

export interface ProcessInboxSettings {
  comuneVariable?: string;
  subjectVariable?: string;
  columns?: ColumnSetting[];
  tasks?: Record<string, { dueInWorkingDays?: number; priority?: number }>;
}

export interface InboxSettings {
  officeHeads: Record<string, string>;
  reminderWorkingDaysBefore: number;
  digestHour: number;
  processes: Record<string, ProcessInboxSettings>;
}

export function inboxSettings(province: ProvinceConfig): InboxSettings {
  const s = (province.settings.inbox ?? {}) as Partial<InboxSettings>;
  return {
    officeHeads: s.officeHeads ?? {},
    reminderWorkingDaysBefore: s.reminderWorkingDaysBefore ?? 1,
    digestHour: s.digestHour ?? 8,
    processes: s.processes ?? {},
  };
}

export function processSettings(
  province: ProvinceConfig,
  bpmnProcessId: string,
): ProcessInboxSettings {
  return inboxSettings(province).processes[bpmnProcessId] ?? {};
}

/** Every business column declared by any process of the province (for list columns and sorting). */
export function allColumns(province: ProvinceConfig): ColumnSetting[] {
  const seen = new Map<string, ColumnSetting>();
  for (const p of Object.values(inboxSettings(province).processes)) {
    for (const c of p.columns ?? []) if (!seen.has(c.variable)) seen.set(c.variable, c);
  }
  return [...seen.values()];
}
