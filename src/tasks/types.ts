/**
 * The inbox's data: one task per user-task job of the engine, and who is acting.
 */
import type { Versioned } from './store/versioned-store';

export type TaskState = 'open' | 'completing' | 'completed' | 'cancelled';

export interface TaskComment {
  id: string;
  author: string;
  authorName: string;
  onBehalfOf?: string;
  text: string;
  at: Date;
}

export interface TaskAttachmentRef {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedBy: string;
  at: Date;
  /** The form field it was uploaded for, if any. */
  field?: string;
}

export interface Delegation {
  /** pending: the delegate works on it; resolved: handed back to the owner. */
  state: 'pending' | 'resolved';
  owner: string;
  delegate: string;
  reason: string;
  at: Date;
}

export interface InboxTask extends Versioned {
  /** = the job key: one task per job. */
  _id: string;
  jobKey: string;
  tenantId: string;
  /** ISTAT code of the comune the case is for. */
  comune?: string;
  comuneName?: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionVersion: number;
  bpmnProcessId: string;
  processName?: string;
  elementId: string;
  elementInstanceKey: string;
  /** The user task's name (falls back to its element id). */
  name: string;
  formKey?: string;
  state: TaskState;
  assignee?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  delegation?: Delegation;
  dueAt?: Date;
  followUpAt?: Date;
  priority: number;
  caseNumber?: string;
  subject?: string;
  /** The business columns the process declares (engine-config inbox.processes). */
  business: Record<string, unknown>;
  /** Variables the form shows read-only (x-ui.context) and its own fields' current values. */
  context: Record<string, unknown>;
  comments: TaskComment[];
  attachments: TaskAttachmentRef[];
  createdAt: Date;
  updatedAt: Date;
  /** Last change, for the "changed meanwhile by X" message and the lists. */
  lastChange?: { action: string; actor: string; actorName?: string; at: Date };
  completion?: { variables: Record<string, unknown>; by: string; onBehalfOf?: string; at: Date };
  completedAt?: Date;
  completedBy?: string;
  cancelledAt?: Date;
  cancelReason?: string;
  /** Notifications already sent for this task (keys), so each goes out once. */
  notified?: string[];
}

/** The person acting, as the web layer knows them after sign-in. */
export interface Actor {
  tenantId: string;
  username: string;
  name: string;
  /** Roles = candidate groups in the models. */
  roles: string[];
  /** A comune user's comune (ISTAT); province staff have none. */
  comune?: string;
  permissions: ReadonlySet<string>;
}

/** Permission names the inbox checks (the auth room's table grants them to roles). */
export const TASK_PERMISSIONS = {
  work: 'tasks.work',
  /** Assign to colleagues, set due dates and priority (office heads). */
  assign: 'tasks.assign',
  manage: 'tasks.assign',
  viewAll: 'tasks.viewAll',
  shareViews: 'views.share',
  pinViews: 'views.pin',
  startRequests: 'requests.start',
  readCases: 'cases.read',
} as const;

export function can(actor: Actor, permission: string): boolean {
  return actor.permissions.has(permission);
}
