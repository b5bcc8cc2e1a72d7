/**
 * What the inbox pages show of a task: names instead of usernames, the deadline's
 * traffic light in working days, the state, the business columns of the province.
 */
import { calendarForProvince, calendarSettings, deadlineState } from '../../calendar';
import type { ProvinceConfig } from '../../config';
import { allColumns, displayName, type Directory, type InboxTask, type TaskRow } from '../../tasks';

export interface DeadlineView {
  light: string;
  /** i18n key of the light's text, with `days`. */
  key: string;
  days?: number;
}

export function deadlineView(
  province: ProvinceConfig,
  dueAt: number | Date | undefined,
  now: Date,
): DeadlineView {
  const due = dueAt === undefined ? undefined : new Date(dueAt);
  const state = deadlineState(
    calendarForProvince(province),
    due,
    now,
    calendarSettings(province).warnWorkingDays ?? 2,
  );
  const days = state.workingDaysLeft;
  const key =
    state.light === 'none'
      ? 'inbox.deadline.none'
      : state.light === 'red'
        ? 'inbox.deadline.late'
        : days === 0
          ? 'inbox.deadline.today'
          : days === 1
            ? 'inbox.deadline.oneDay'
            : 'inbox.deadline.days';
  return { light: state.light, key, days: days === undefined ? undefined : Math.abs(days) };
}

export interface RowView {
  id: string;
  name: string;
  processName?: string;
  caseNumber?: string;
  subject?: string;
  comuneName?: string;
  state: string;
  assignee?: string;
  assigneeName?: string;
  dueAt?: number;
  priority: number;
  priorityKey: string;
  createdAt: number;
  deadline: DeadlineView;
  columns: { value: unknown; type?: string }[];
  delegatedTo?: string;
  processInstanceKey: string;
  version: number;
  suspendedUntil?: number;
}

/** Priority labels as Camunda's: low ≤ 25, medium ≤ 50, high ≤ 75, critical. */
export function priorityKey(priority: number): string {
  if (priority <= 25) return 'inbox.priority.low';
  if (priority <= 50) return 'inbox.priority.medium';
  if (priority <= 75) return 'inbox.priority.high';
  return 'inbox.priority.critical';
}

export function rowView(
  row: TaskRow,
  province: ProvinceConfig,
  directory: Directory,
  now: Date,
  columns = allColumns(province),
): RowView {
  return {
    id: row.id,
    name: row.name,
    processName: row.processName,
    caseNumber: row.caseNumber,
    subject: row.subject,
    comuneName: row.comuneName,
    state: row.state,
    assignee: row.assignee,
    assigneeName: displayName(directory, row.tenantId, row.assignee),
    dueAt: row.dueAt,
    priority: row.priority,
    priorityKey: priorityKey(row.priority),
    createdAt: row.createdAt,
    deadline: deadlineView(province, row.dueAt, now),
    columns: columns.map((c) => ({ value: row.business[c.variable], type: c.type })),
    delegatedTo:
      row.delegation?.state === 'pending'
        ? displayName(directory, row.tenantId, row.delegation.delegate)
        : undefined,
    processInstanceKey: row.processInstanceKey,
    version: row.version,
    suspendedUntil: row.followUpAt && row.followUpAt > now.getTime() ? row.followUpAt : undefined,
  };
}

/** The task as the API returns it: only the declared variables, never the whole process data. */
export function taskJson(task: InboxTask, directory: Directory) {
  return {
    id: task._id,
    name: task.name,
    state: task.state,
    version: task.version,
    tenantId: task.tenantId,
    comune: task.comune ?? null,
    comuneName: task.comuneName ?? null,
    processInstanceKey: task.processInstanceKey,
    bpmnProcessId: task.bpmnProcessId,
    processName: task.processName ?? null,
    elementId: task.elementId,
    formKey: task.formKey ?? null,
    assignee: task.assignee ?? null,
    assigneeName: displayName(directory, task.tenantId, task.assignee) ?? null,
    candidateGroups: task.candidateGroups,
    candidateUsers: task.candidateUsers,
    delegation: task.delegation
      ? {
          state: task.delegation.state,
          owner: task.delegation.owner,
          delegate: task.delegation.delegate,
          reason: task.delegation.reason,
        }
      : null,
    dueAt: task.dueAt ? new Date(task.dueAt).toISOString() : null,
    followUpAt: task.followUpAt ? new Date(task.followUpAt).toISOString() : null,
    priority: task.priority,
    caseNumber: task.caseNumber ?? null,
    subject: task.subject ?? null,
    business: task.business,
    createdAt: new Date(task.createdAt).toISOString(),
    completedAt: task.completedAt ? new Date(task.completedAt).toISOString() : null,
    completedBy: task.completedBy ?? null,
    lastChange: task.lastChange
      ? {
          action: task.lastChange.action,
          by: task.lastChange.actor,
          byName: task.lastChange.actorName ?? null,
          at: new Date(task.lastChange.at).toISOString(),
        }
      : null,
  };
}

export function rowJson(row: TaskRow, directory: Directory) {
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    version: row.version,
    processInstanceKey: row.processInstanceKey,
    bpmnProcessId: row.bpmnProcessId,
    processName: row.processName ?? null,
    comune: row.comune ?? null,
    comuneName: row.comuneName ?? null,
    assignee: row.assignee ?? null,
    assigneeName: displayName(directory, row.tenantId, row.assignee) ?? null,
    candidateGroups: row.candidateGroups,
    dueAt: row.dueAt ? new Date(row.dueAt).toISOString() : null,
    followUpAt: row.followUpAt ? new Date(row.followUpAt).toISOString() : null,
    priority: row.priority,
    caseNumber: row.caseNumber ?? null,
    subject: row.subject ?? null,
    business: row.business,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
