/**
 * One inbox task from one `io.camunda.zeebe:userTask` job: Zeebe's well-known headers
 * (form key, assignee, candidate groups and users, due and follow-up dates), the
 * business columns the process declares, the deadline in working days when the model
 * sets none, and only the variables the form shows — never the whole process data.
 */
import type { ProvinceConfig } from '../config';
import type { WorkingCalendar } from '../calendar';
import type { FormRegistry } from '../forms';
import type { ProcessInfo } from './process-catalog';
import { processSettings } from './settings';
import type { InboxTask } from './types';

export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';
const H = 'io.camunda.zeebe:';

/** What the inbox needs of an activated job (the SDK's job has more). */
export interface UserTaskJob {
  key: string;
  tenantId: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionVersion: number;
  bpmnProcessId: string;
  elementId: string;
  elementInstanceKey: string;
  variables: Record<string, unknown>;
  customHeaders: Record<string, unknown>;
}

/** Candidate lists come as a JSON array (Zeebe 8.x) or, from older models, comma separated. */
export function headerList(value: unknown): string[] {
  if (typeof value !== 'string' || value.trim() === '') return [];
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String).filter(Boolean);
    } catch {
      // fall through to the comma list
    }
  }
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function headerDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Lower case, no accents, single spaces: what free-text search compares. */
export function normalizeSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function searchTextOf(
  task: Pick<InboxTask, 'name' | 'caseNumber' | 'subject' | 'business'>,
  searchable: string[],
): string {
  const parts = [task.name, task.caseNumber, task.subject];
  for (const v of searchable) {
    const value = task.business[v];
    if (typeof value === 'string' || typeof value === 'number') parts.push(String(value));
  }
  return normalizeSearch(parts.filter(Boolean).join(' '));
}

export interface TaskFromJobDeps {
  province: ProvinceConfig;
  forms: FormRegistry;
  calendar: WorkingCalendar;
  process?: ProcessInfo;
  now: Date;
}

export function taskFromJob(job: UserTaskJob, deps: TaskFromJobDeps): InboxTask {
  const { province, forms, calendar, process, now } = deps;
  const headers = job.customHeaders;
  const vars = job.variables;
  const settings = processSettings(province, job.bpmnProcessId);
  const taskSettings = settings.tasks?.[job.elementId] ?? {};
  const formKey =
    typeof headers[`${H}formKey`] === 'string' ? String(headers[`${H}formKey`]) : undefined;

  const business: Record<string, unknown> = {};
  for (const column of settings.columns ?? []) {
    if (vars[column.variable] !== undefined) business[column.variable] = vars[column.variable];
  }
  const context: Record<string, unknown> = {};
  if (formKey && forms.has(formKey)) {
    const form = forms.get(formKey);
    for (const f of form['x-ui']?.context ?? []) {
      if (vars[f.variable] !== undefined) context[f.variable] = vars[f.variable];
    }
    for (const field of Object.keys(form.properties)) {
      if (vars[field] !== undefined) context[field] = vars[field];
    }
  }
  const comuneVariable = settings.comuneVariable ?? 'comuneIstat';
  const comune =
    typeof vars[comuneVariable] === 'string' ? String(vars[comuneVariable]) : undefined;
  const comuneName =
    (typeof vars.comuneName === 'string' ? vars.comuneName : undefined) ??
    province.comuni.find((c) => c.istat === comune)?.name;
  const subjectValue = vars[settings.subjectVariable ?? 'subject'];
  const priorityHeader = Number(headers[`${H}priority`]);
  const dueAt =
    headerDate(headers[`${H}dueDate`]) ??
    (taskSettings.dueInWorkingDays !== undefined
      ? calendar.dueAt(now, taskSettings.dueInWorkingDays)
      : undefined);
  const assignee =
    typeof headers[`${H}assignee`] === 'string' && headers[`${H}assignee`]
      ? String(headers[`${H}assignee`])
      : undefined;

  const task: InboxTask = {
    _id: job.key,
    version: 1,
    jobKey: job.key,
    tenantId: job.tenantId,
    comune,
    comuneName,
    processInstanceKey: job.processInstanceKey,
    processDefinitionKey: job.processDefinitionKey,
    processDefinitionVersion: job.processDefinitionVersion,
    bpmnProcessId: job.bpmnProcessId,
    processName: process?.processNames.get(job.bpmnProcessId),
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    name: process?.elementNames.get(job.elementId) ?? job.elementId,
    formKey,
    state: 'open',
    assignee,
    candidateGroups: headerList(headers[`${H}candidateGroups`]),
    candidateUsers: headerList(headers[`${H}candidateUsers`]),
    dueAt,
    followUpAt: headerDate(headers[`${H}followUpDate`]),
    priority: Number.isInteger(priorityHeader)
      ? Math.min(100, Math.max(0, priorityHeader))
      : (taskSettings.priority ?? 50),
    caseNumber: typeof vars.caseNumber === 'string' ? vars.caseNumber : undefined,
    subject: typeof subjectValue === 'string' ? subjectValue : undefined,
    business,
    context,
    comments: [],
    attachments: [],
    createdAt: now,
    updatedAt: now,
    notified: [],
  };
  return task;
}
