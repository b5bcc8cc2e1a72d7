/**
 * The case file (fascicolo) of one process instance: a summary of its business data,
 * the timeline from the audit trail (who did what, when), the documents the workers
 * generated and the attachments people uploaded (both downloadable), the tasks done
 * and open, and the process diagram with the current activities.
 *
 * Who may open it: people of the same province — comune staff only for their own
 * comune — holding `cases.read`, or working one of its tasks. Anyone else gets 404,
 * exactly as for a case that does not exist.
 */
import type { AuditEntry, AuditTrail } from '../audit';
import type { ProductConfig } from '../config';
import type { DocumentStore, StoredDocument } from '../documents';
import {
  can,
  displayName,
  processSettings,
  TaskNotFoundError,
  TASK_PERMISSIONS,
  visibleTo,
  type Actor,
  type CaseAttachment,
  type CaseComment,
  type Directory,
  type Inbox,
  type ProcessCatalog,
  type StoredAttachment,
  type TaskRow,
} from '../tasks';
import type { ElementInstanceInfo, EngineHistory, ProcessInstanceInfo } from './engine-history';
import type { RequestRecord, Requests } from './requests';

export interface SummaryField {
  label: string;
  value: unknown;
  type?: string;
}

export interface TimelineEntry extends AuditEntry {
  actorName?: string;
}

export interface CaseFile {
  tenantId: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  processName?: string;
  state: string;
  startedAt?: string;
  endedAt?: string;
  comune?: string;
  comuneName?: string;
  caseNumber?: string;
  subject?: string;
  summary: SummaryField[];
  request?: RequestRecord;
  timeline: TimelineEntry[];
  documents: StoredDocument[];
  attachments: CaseAttachment[];
  comments: CaseComment[];
  openTasks: TaskRow[];
  doneTasks: TaskRow[];
  /** Element ids for the diagram: running now, and already passed. */
  activeElements: string[];
  completedElements: string[];
  elements: ElementInstanceInfo[];
}

export interface CaseFilesDeps {
  config: ProductConfig;
  inbox: Inbox;
  requests: Requests;
  history: EngineHistory;
  catalog: ProcessCatalog;
  documents: DocumentStore;
  audit: AuditTrail;
  directory: Directory;
}

const KEY = /^[0-9]{1,20}$/;

interface CaseAccess {
  instance: ProcessInstanceInfo;
  variables: Record<string, unknown>;
  comune?: string;
}

export class CaseFiles {
  constructor(private readonly deps: CaseFilesDeps) {}

  /** The case if the actor may open it; TaskNotFoundError (404) otherwise. */
  async access(actor: Actor, processInstanceKey: string): Promise<CaseAccess> {
    if (!KEY.test(processInstanceKey)) throw new TaskNotFoundError(processInstanceKey);
    const instance = await this.deps.history.instance(actor.tenantId, processInstanceKey);
    if (!instance) throw new TaskNotFoundError(processInstanceKey);
    const variables = await this.deps.history.variables(actor.tenantId, processInstanceKey);
    const request = this.deps.requests.get(actor.tenantId, processInstanceKey);
    const tasks = this.deps.inbox.index.tasksOfInstance(actor.tenantId, processInstanceKey);
    const comune =
      request?.comune ??
      (typeof variables.comuneIstat === 'string' ? variables.comuneIstat : undefined) ??
      tasks.find((t) => t.comune)?.comune;
    if (actor.comune && comune !== actor.comune) throw new TaskNotFoundError(processInstanceKey);
    const viewer = this.deps.inbox.viewer(actor);
    const works = tasks.some((t) => visibleTo(t, viewer));
    if (!can(actor, TASK_PERMISSIONS.readCases) && !works)
      throw new TaskNotFoundError(processInstanceKey);
    return { instance, variables, comune };
  }

  async load(actor: Actor, processInstanceKey: string): Promise<CaseFile> {
    const { instance, variables, comune } = await this.access(actor, processInstanceKey);
    const tenantId = actor.tenantId;
    const province = this.deps.config.provinces.get(tenantId)!;
    const [entries, documents, notes, elements, process] = await Promise.all([
      this.deps.audit.fascicolo(tenantId, processInstanceKey),
      this.deps.documents.listForInstance(tenantId, processInstanceKey),
      this.deps.inbox.notes.get(tenantId, processInstanceKey),
      this.deps.history.elements(tenantId, processInstanceKey),
      this.deps.catalog.get(String(instance.processDefinitionKey)),
    ]);
    const settings = processSettings(province, instance.processDefinitionId);
    const summary: SummaryField[] = (settings.columns ?? [])
      .filter((c) => variables[c.variable] !== undefined)
      .map((c) => ({ label: c.label, value: variables[c.variable], type: c.type }));
    const tasks = this.deps.inbox.index
      .tasksOfInstance(tenantId, processInstanceKey)
      .sort((a, b) => a.createdAt - b.createdAt);
    const subjectVariable = settings.subjectVariable ?? 'subject';
    return {
      tenantId,
      processInstanceKey,
      processDefinitionKey: String(instance.processDefinitionKey),
      bpmnProcessId: instance.processDefinitionId,
      processName:
        process?.processNames.get(instance.processDefinitionId) ?? instance.processDefinitionName,
      state: instance.state,
      startedAt: instance.startDate,
      endedAt: instance.endDate,
      comune,
      comuneName: province.comuni.find((c) => c.istat === comune)?.name,
      caseNumber: typeof variables.caseNumber === 'string' ? variables.caseNumber : undefined,
      subject:
        typeof variables[subjectVariable] === 'string'
          ? String(variables[subjectVariable])
          : undefined,
      summary,
      request: this.deps.requests.get(tenantId, processInstanceKey),
      timeline: entries.map((e) => ({
        ...e,
        actorName:
          (e.details?.actorName as string | undefined) ??
          (e.actor.startsWith('system:')
            ? undefined
            : displayName(this.deps.directory, tenantId, e.actor)),
      })),
      documents,
      attachments: notes.attachments,
      comments: notes.comments,
      openTasks: tasks.filter((t) => t.state === 'open' || t.state === 'completing'),
      doneTasks: tasks.filter((t) => t.state === 'completed' || t.state === 'cancelled'),
      activeElements: [
        ...new Set(elements.filter((e) => e.state === 'ACTIVE').map((e) => e.elementId)),
      ],
      completedElements: [
        ...new Set(elements.filter((e) => e.state === 'COMPLETED').map((e) => e.elementId)),
      ],
      elements,
    };
  }

  /** The BPMN XML of the case's process (for the diagram viewer). */
  async diagram(
    actor: Actor,
    processInstanceKey: string,
  ): Promise<{ xml: string; active: string[]; completed: string[] }> {
    const { instance } = await this.access(actor, processInstanceKey);
    const [process, elements] = await Promise.all([
      this.deps.catalog.get(String(instance.processDefinitionKey)),
      this.deps.history.elements(actor.tenantId, processInstanceKey),
    ]);
    if (!process) throw new TaskNotFoundError(processInstanceKey);
    return {
      xml: process.xml,
      active: [...new Set(elements.filter((e) => e.state === 'ACTIVE').map((e) => e.elementId))],
      completed: [
        ...new Set(elements.filter((e) => e.state === 'COMPLETED').map((e) => e.elementId)),
      ],
    };
  }

  /** A generated document, if the actor may open its case. */
  async document(actor: Actor, documentId: string): Promise<StoredDocument> {
    if (!/^[0-9a-f-]{36}$/.test(documentId)) throw new TaskNotFoundError(documentId);
    const doc = await this.deps.documents.get(actor.tenantId, documentId);
    if (!doc) throw new TaskNotFoundError(documentId);
    await this.access(actor, doc.processInstanceKey);
    return doc;
  }

  /** An attachment's description, if the actor may open its case. */
  async attachment(actor: Actor, attachmentId: string): Promise<StoredAttachment> {
    const meta = await this.deps.inbox.attachments.describe(actor.tenantId, attachmentId);
    if (!meta) throw new TaskNotFoundError(attachmentId);
    await this.access(actor, meta.meta.processInstanceKey);
    return meta;
  }
}
