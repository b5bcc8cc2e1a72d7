/**
 * Requests from the comuni (start forms): a comune officer or RUP starts a procurement
 * request, an EU-funding expression of interest or a data request for their own
 * comune. The data is validated with the process's start form; the instance is created
 * through the Zeebe client with the province as tenant and the comune in its variables;
 * the comune then follows its requests in "Le mie richieste".
 */
import type { Connection } from 'mongoose';
import type { AuditTrail } from '../audit';
import type { ProductConfig, Settings } from '../config';
import type { FormRegistry } from '../forms';
import { isProcessEnabled, processIdFor } from '../settings/process-variants';
import {
  can,
  inputError,
  TaskForbiddenError,
  TaskInputError,
  TaskNotFoundError,
  TASK_PERMISSIONS,
  VersionedStore,
  type Actor,
  type CaseAttachment,
  type ChangeFeed,
  type Inbox,
} from '../tasks';
import type { ZeebeClient } from '../workers/runtime';

export interface RequestType {
  /** The shared process id (a province may run a variant of it, see src/settings). */
  process: string;
  /** The service line it belongs to (engine-config enabledProcesses). */
  line: string;
  /** The start form (forms/<formKey>.json). */
  formKey: string;
}

export const REQUEST_TYPES: RequestType[] = [
  { process: 'procurement', line: 'procurement', formKey: 'procurement-request' },
  { process: 'eu-funding', line: 'eu-funding', formKey: 'eu-funding-interest' },
  { process: 'data-request', line: 'data-request', formKey: 'data-request' },
];

export interface RequestRecord {
  /** "<tenantId>:<processInstanceKey>" */
  _id: string;
  version: number;
  tenantId: string;
  comune: string;
  processInstanceKey: string;
  process: string;
  bpmnProcessId: string;
  formKey: string;
  requestedBy: string;
  requestedByName: string;
  requestedAt: Date;
  subject?: string;
}

export interface RequestsDeps {
  connection: Connection;
  config: ProductConfig;
  forms: FormRegistry;
  zeebe: ZeebeClient;
  audit: AuditTrail;
  inbox: Inbox;
  feed: ChangeFeed;
  /** The province's current settings (src/settings); engine-config when absent. */
  settingsOf?: (tenantId: string) => Promise<Settings>;
  now?: () => Date;
}

export class Requests {
  readonly store: VersionedStore<RequestRecord>;
  private readonly records = new Map<string, RequestRecord>();

  constructor(private readonly deps: RequestsDeps) {
    this.store = new VersionedStore<RequestRecord>(
      deps.connection,
      'requests',
      deps.feed,
      'request',
    );
    deps.feed.on('request', (e) => e.doc && this.apply(e.doc as RequestRecord));
  }

  private apply(r: RequestRecord): void {
    const held = this.records.get(r._id);
    if (!held || held.version < r.version) this.records.set(r._id, r);
  }

  async load(): Promise<void> {
    for (const r of await this.store.loadAll()) this.apply(r);
  }

  private async settings(tenantId: string): Promise<Settings> {
    if (this.deps.settingsOf) return this.deps.settingsOf(tenantId);
    return this.deps.config.provinces.get(tenantId)!.settings;
  }

  /** The request types the actor may start (their province runs the service line). */
  async typesFor(actor: Actor): Promise<RequestType[]> {
    if (!can(actor, TASK_PERMISSIONS.startRequests) || !actor.comune) return [];
    const province = this.deps.config.provinces.get(actor.tenantId);
    if (!province) return [];
    const settings = await this.settings(actor.tenantId);
    return REQUEST_TYPES.filter(
      (t) => province.enabledProcesses.includes(t.line) && isProcessEnabled(settings, t.line),
    );
  }

  async type(actor: Actor, process: string): Promise<RequestType> {
    const type = (await this.typesFor(actor)).find((t) => t.process === process);
    if (!type) throw new TaskNotFoundError(process);
    return type;
  }

  /**
   * Starts a request. `comuneIstat` is always the actor's comune: another comune in the
   * data is refused (422 naming the field), as is any invalid field; nothing starts then.
   */
  async start(
    actor: Actor,
    process: string,
    variables: unknown,
    files: { field: string; fileName: string; content: Buffer }[] = [],
  ): Promise<RequestRecord> {
    if (!can(actor, TASK_PERMISSIONS.startRequests)) {
      throw new TaskForbiddenError('requests.start', 'Starting requests needs requests.start');
    }
    if (!actor.comune)
      throw new TaskForbiddenError('requests.start', 'Only comune staff start requests');
    const type = await this.type(actor, process);
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
      throw inputError('variables', 'notAnObject');
    }
    const data = { ...(variables as Record<string, unknown>) };
    if (data.comuneIstat !== undefined && data.comuneIstat !== actor.comune) {
      throw inputError('comuneIstat', 'notYourComune');
    }
    data.comuneIstat = actor.comune;
    const result = this.deps.forms.validate(type.formKey, data);
    if (!result.valid) throw new TaskInputError(result.errors);
    for (const f of files) await this.deps.inbox.attachments.check(f.content, f.field);

    const now = this.deps.now?.() ?? new Date();
    const settings = await this.settings(actor.tenantId);
    const bpmnProcessId = processIdFor(settings, type.process, actor.comune);
    const created = await this.deps.zeebe.createProcessInstance({
      bpmnProcessId,
      tenantId: actor.tenantId,
      variables: { ...data, requestedBy: actor.username, requestedByName: actor.name } as never,
    });
    const processInstanceKey = String(created.processInstanceKey);
    const subjectField = ['subject', 'callTitle', 'description'].find(
      (f) => typeof data[f] === 'string',
    );
    const record: RequestRecord = {
      _id: `${actor.tenantId}:${processInstanceKey}`,
      version: 1,
      tenantId: actor.tenantId,
      comune: actor.comune,
      processInstanceKey,
      process: type.process,
      bpmnProcessId,
      formKey: type.formKey,
      requestedBy: actor.username,
      requestedByName: actor.name,
      requestedAt: now,
      subject: subjectField ? String(data[subjectField]).slice(0, 300) : undefined,
    };
    const change = { action: 'request.started', actor: actor.username, at: now };
    await this.deps.audit.record({
      key: `request:${actor.tenantId}:${processInstanceKey}`,
      tenantId: actor.tenantId,
      processInstanceKey,
      bpmnProcessId,
      action: 'request.started',
      actor: actor.username,
      summary: `${actor.name} ha inviato la richiesta`,
      details: {
        actorName: actor.name,
        comune: actor.comune,
        formKey: type.formKey,
        variables: data,
      },
    });
    const { doc } = await this.store.create(record, change);
    this.apply(doc);
    for (const f of files) await this.attachToRequest(actor, doc, f);
    return doc;
  }

  private async attachToRequest(
    actor: Actor,
    request: RequestRecord,
    file: { field: string; fileName: string; content: Buffer },
  ): Promise<CaseAttachment> {
    const stored = await this.deps.inbox.attachments.store(
      file.fileName,
      file.content,
      {
        tenantId: request.tenantId,
        processInstanceKey: request.processInstanceKey,
        field: file.field,
        uploadedBy: actor.username,
      },
      file.field,
    );
    const ref: CaseAttachment = {
      id: stored.id,
      fileName: stored.fileName,
      contentType: stored.contentType,
      size: stored.size,
      uploadedBy: actor.username,
      uploadedByName: actor.name,
      at: stored.uploadedAt,
      field: file.field,
    };
    const change = { action: 'request.attached', actor: actor.username, at: stored.uploadedAt };
    await this.deps.inbox.notes.addAttachment(
      request.tenantId,
      request.processInstanceKey,
      ref,
      change,
    );
    await this.deps.audit.record({
      key: `attachment:${ref.id}`,
      tenantId: request.tenantId,
      processInstanceKey: request.processInstanceKey,
      bpmnProcessId: request.bpmnProcessId,
      action: 'request.attached',
      actor: actor.username,
      summary: `${actor.name} ha allegato «${ref.fileName}» alla richiesta`,
      details: {
        actorName: actor.name,
        attachmentId: ref.id,
        fileName: ref.fileName,
        size: ref.size,
      },
    });
    return ref;
  }

  /** The requests of the actor's comune (comune staff) — newest first. */
  mine(actor: Actor): RequestRecord[] {
    if (!actor.comune) return [];
    return [...this.records.values()]
      .filter((r) => r.tenantId === actor.tenantId && r.comune === actor.comune)
      .sort((a, b) => new Date(b.requestedAt).getTime() - new Date(a.requestedAt).getTime());
  }

  get(tenantId: string, processInstanceKey: string): RequestRecord | undefined {
    return this.records.get(`${tenantId}:${processInstanceKey}`);
  }
}
