/**
 * The inbox: tasks from the engine, the lists, and everything staff do with a task —
 * claim, release, assign, delegate and resolve, substitutes, dates and priority,
 * comments, attachments, drafts, completion — each checked against who may see and
 * do it, versioned (a stale tab is refused, naming who changed the task), written to
 * the audit trail (the case's fascicolo) and to the task's own history.
 *
 * Domain only: no express here. The web pages and the REST API call these methods.
 */
import type { Connection } from 'mongoose';
import type { AuditTrail } from '../audit';
import { calendarForProvince, calendarSettings } from '../calendar';
import type { ProductConfig, ProvinceConfig, Settings } from '../config';
import type { FormRegistry, FieldError } from '../forms';
import { silentLogger, type Logger } from '../logging';
import type { ZeebeClient } from '../workers/runtime';
import { Attachments } from './attachments';
import { CaseNotes, type CaseAttachment, type CaseComment } from './case-notes';
import { displayName, type Directory } from './directory';
import { Drafts, type Draft } from './drafts';
import {
  inputError,
  StaleTaskError,
  TaskForbiddenError,
  TaskNotYoursError,
  TaskInputError,
  TaskNotFoundError,
  TaskStateError,
} from './errors';
import type { ProcessCatalog } from './process-catalog';
import { SavedViews } from './saved-views';
import { allColumns } from './settings';
import { ChangeFeed } from './store/change-feed';
import { VersionConflictError, VersionedStore, type Change } from './store/versioned-store';
import { Substitutes } from './substitutes';
import { taskFromJob, type UserTaskJob } from './task-from-job';
import {
  TaskIndex,
  toRow,
  visibleTo,
  type TaskPage,
  type TaskQuery,
  type TaskRow,
  type ViewName,
  type Viewer,
} from './task-index';
import { can, TASK_PERMISSIONS, type Actor, type InboxTask } from './types';

export interface InboxDeps {
  connection: Connection;
  config: ProductConfig;
  forms: FormRegistry;
  directory: Directory;
  zeebe: ZeebeClient;
  audit: AuditTrail;
  catalog?: ProcessCatalog;
  logger?: Logger;
  now?: () => Date;
  /** How often other processes' changes are read, ms (default 100). */
  feedPollMs?: number;
  /** The province's current settings (src/settings); engine-config when absent. */
  settingsOf?: (tenantId: string) => Promise<Settings>;
}

/** Something that happened to a task, for notifications (emitted by the process that did it). */
export type TaskEvent =
  | { type: 'created'; task: InboxTask }
  | { type: 'assigned'; task: InboxTask; to: string; by: string }
  | { type: 'completed'; task: InboxTask }
  | { type: 'cancelled'; task: InboxTask };

export type TaskEventListener = (event: TaskEvent) => void | Promise<void>;

export interface TaskAbilities {
  claim: boolean;
  release: boolean;
  assign: boolean;
  delegate: boolean;
  resolve: boolean;
  complete: boolean;
  manage: boolean;
  comment: boolean;
}

export interface OpenedTask {
  task: InboxTask;
  abilities: TaskAbilities;
  /** When the viewer works it as a stand-in: the absent colleague. */
  onBehalfOf?: string;
  draft: Draft | null;
  comments: CaseComment[];
  attachments: CaseAttachment[];
}

export interface BulkResult {
  id: string;
  ok: boolean;
  status?: number;
  error?: string;
  version?: number;
}

export type BulkAction =
  | { type: 'claim' }
  | { type: 'release' }
  | { type: 'assign'; userId: string }
  | { type: 'dates'; dueAt?: Date | null; followUpAt?: Date | null; priority?: number };

const OPEN = new Set(['open', 'completing']);
/** Collections the current tasks are spread over (see VersionedStoreOptions.shards). */
const TASK_SHARDS = 64;
const MAX_COMMENT = 4000;
const MIN_REASON = 3;

function isNotFound(err: unknown): boolean {
  const e = err as { code?: number; message?: string };
  return e?.code === 5 || /NOT_FOUND/.test(String(e?.message ?? ''));
}

export class Inbox {
  readonly feed: ChangeFeed;
  readonly tasks: VersionedStore<InboxTask>;
  readonly index: TaskIndex;
  readonly substitutes: Substitutes;
  readonly drafts: Drafts;
  readonly attachments: Attachments;
  readonly notes: CaseNotes;
  readonly views: SavedViews;
  readonly now: () => Date;
  private readonly logger: Logger;
  private readonly listeners: TaskEventListener[] = [];
  private started = false;

  constructor(readonly deps: InboxDeps) {
    this.now = deps.now ?? (() => new Date());
    this.logger = deps.logger ?? silentLogger;
    this.feed = new ChangeFeed(deps.connection, { pollMs: deps.feedPollMs, logger: this.logger });
    this.tasks = new VersionedStore<InboxTask>(deps.connection, 'inbox_tasks', this.feed, 'task', {
      shards: TASK_SHARDS,
    });
    this.index = new TaskIndex((tenantId) => {
      const province = deps.config.provinces.get(tenantId);
      return province
        ? allColumns(province)
            .filter((c) => c.searchable)
            .map((c) => c.variable)
        : [];
    });
    this.feed.on('task', (e) => e.doc && this.index.apply(e.doc as InboxTask));
    this.substitutes = new Substitutes(deps.connection, this.feed, deps.directory);
    this.drafts = new Drafts(deps.connection);
    this.attachments = new Attachments(deps.connection);
    this.notes = new CaseNotes(deps.connection, this.feed);
    this.views = new SavedViews(deps.connection, this.feed);
  }

  /** Loads the lists (one read of every task) and follows the feed from then on. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Read the feed's position first: changes made while loading are read again after.
    await this.feed.init();
    await Promise.all([this.substitutes.load(), this.views.load()]);
    for (const task of await this.tasks.loadAll()) this.index.apply(task);
    this.feed.start();
    this.logger.info({ tasks: this.index.size }, 'inbox lists loaded');
  }

  async stop(): Promise<void> {
    await this.feed.stop();
  }

  onEvent(listener: TaskEventListener): void {
    this.listeners.push(listener);
  }

  private emit(event: TaskEvent): void {
    for (const l of this.listeners) {
      Promise.resolve()
        .then(() => l(event))
        .catch((err: unknown) =>
          this.logger.warn({ err, type: event.type }, 'task event listener failed'),
        );
    }
  }

  province(tenantId: string): ProvinceConfig {
    const p = this.deps.config.provinces.get(tenantId);
    if (!p) throw new Error(`Unknown province ${tenantId}`);
    return p;
  }

  /** Who the actor is for the lists: with the colleagues they stand in for today. */
  viewer(actor: Actor): Viewer {
    const now = this.now();
    const actingFor = new Set([actor.username]);
    const groups = new Set(actor.roles);
    for (const absent of this.substitutes.coveredBy(actor.tenantId, actor.username, now)) {
      actingFor.add(absent);
      for (const role of this.deps.directory.person(actor.tenantId, absent)?.roles ?? [])
        groups.add(role);
    }
    const province = this.deps.config.provinces.get(actor.tenantId);
    const warn = province ? (calendarSettings(province).warnWorkingDays ?? 2) : 2;
    const dueSoonUntil = province
      ? calendarForProvince(province).addWorkingDays(now, warn).endOf('day').toMillis()
      : now.getTime();
    return {
      tenantId: actor.tenantId,
      username: actor.username,
      comune: actor.comune,
      actingFor,
      groups,
      viewAll: can(actor, TASK_PERMISSIONS.viewAll),
      provinceStaff: !actor.comune,
      now: now.getTime(),
      dueSoonUntil,
    };
  }

  list(actor: Actor, query: TaskQuery): TaskPage {
    return this.index.query(this.viewer(actor), query);
  }

  counts(actor: Actor): Record<ViewName, number> {
    return this.index.counts(this.viewer(actor));
  }

  // ---------------------------------------------------------------- reading a task

  /** The task if the actor may see it; otherwise TaskNotFoundError (404, never 403). */
  async get(actor: Actor, id: string): Promise<InboxTask> {
    if (!/^[0-9]{1,20}$/.test(id)) throw new TaskNotFoundError(id);
    const task = await this.tasks.get(id);
    if (!task || !visibleTo(this.rowOf(task), this.viewer(actor))) throw new TaskNotFoundError(id);
    return task;
  }

  private rowOf(task: InboxTask): TaskRow {
    return this.index.get(task._id)?.version === task.version
      ? this.index.get(task._id)!
      : toRow(task, []);
  }

  /** The assignee the actor acts as: themselves, or the absent colleague they stand in for. */
  private actingAs(
    actor: Actor,
    username: string | undefined,
  ): { ok: boolean; onBehalfOf?: string } {
    if (!username) return { ok: false };
    if (username === actor.username) return { ok: true };
    const covered = this.substitutes.coveredBy(actor.tenantId, actor.username, this.now());
    return covered.includes(username) ? { ok: true, onBehalfOf: username } : { ok: false };
  }

  private eligible(task: InboxTask, username: string): boolean {
    const person = this.deps.directory.person(task.tenantId, username);
    if (!person) return false;
    if (task.comune && person.comune && person.comune !== task.comune) return false;
    if (task.candidateUsers.includes(username)) return true;
    if (task.candidateGroups.some((g) => person.roles.includes(g))) return true;
    return task.candidateGroups.length === 0 && task.candidateUsers.length === 0 && !person.comune;
  }

  abilities(actor: Actor, task: InboxTask): TaskAbilities {
    const open = task.state === 'open';
    const work = can(actor, TASK_PERMISSIONS.work);
    const mine = this.actingAs(actor, task.assignee).ok;
    const pending = task.delegation?.state === 'pending';
    const v = this.viewer(actor);
    const forMe =
      task.candidateGroups.some((g) => v.groups.has(g)) ||
      task.candidateUsers.some((u) => v.actingFor.has(u)) ||
      this.eligible(task, actor.username);
    return {
      claim: open && work && !task.assignee && forMe,
      release: open && work && mine && !pending,
      assign: open && can(actor, TASK_PERMISSIONS.assign),
      delegate: open && work && mine && !pending,
      resolve: open && work && mine && pending,
      complete: open && work && mine && !pending,
      manage: open && can(actor, TASK_PERMISSIONS.manage),
      comment: work,
    };
  }

  async open(actor: Actor, id: string): Promise<OpenedTask> {
    const task = await this.get(actor, id);
    const notes = await this.notes.get(task.tenantId, task.processInstanceKey);
    return {
      task,
      abilities: this.abilities(actor, task),
      onBehalfOf: this.actingAs(actor, task.assignee).onBehalfOf,
      draft: await this.drafts.get(task._id, actor.username),
      comments: notes.comments,
      attachments: notes.attachments,
    };
  }

  /** The task's history: every version with who changed it and how. */
  async history(actor: Actor, id: string) {
    const task = await this.get(actor, id);
    return (await this.tasks.history(task._id)).map((v) => ({
      version: v.version,
      change: v.change,
    }));
  }

  // ---------------------------------------------------------------- changing a task

  private change(
    actor: Actor | string,
    action: string,
    details?: Record<string, unknown>,
    onBehalfOf?: string,
  ): Change {
    return {
      action,
      actor: typeof actor === 'string' ? actor : actor.username,
      onBehalfOf,
      at: this.now(),
      details,
    };
  }

  private staleError(err: VersionConflictError<InboxTask>): StaleTaskError {
    const c = err.lastChange;
    return new StaleTaskError(
      err.current._id,
      err.current.version,
      c?.actor,
      displayName(this.deps.directory, err.current.tenantId, c?.actor),
      c?.at,
      c?.action,
    );
  }

  /** Applies a change to a visible task, with the version the user saw (if given). */
  private async mutate(
    actor: Actor,
    task: InboxTask,
    expectedVersion: number | undefined,
    change: Change,
    mutate: (t: InboxTask) => InboxTask,
  ): Promise<InboxTask> {
    if (expectedVersion !== undefined && expectedVersion !== task.version) {
      const last = await this.tasks.lastChange(task);
      throw this.staleError(new VersionConflictError(task, last));
    }
    try {
      const next = await this.tasks.update(
        task._id,
        expectedVersion ?? task.version,
        (t) => {
          const m = mutate(t);
          return {
            ...m,
            updatedAt: change.at,
            lastChange: {
              action: change.action,
              actor: change.actor,
              actorName: displayName(this.deps.directory, t.tenantId, change.actor),
              at: change.at,
            },
          };
        },
        change,
      );
      this.index.apply(next);
      return next;
    } catch (err) {
      if (err instanceof VersionConflictError)
        throw this.staleError(err as VersionConflictError<InboxTask>);
      throw err;
    }
  }

  private async audit(task: InboxTask, change: Change, summary: string): Promise<void> {
    await this.deps.audit.record({
      key: `task:${task._id}:${task.version}:${change.action}`,
      tenantId: task.tenantId,
      processInstanceKey: task.processInstanceKey,
      bpmnProcessId: task.bpmnProcessId,
      elementId: task.elementId,
      action: change.action,
      actor: change.actor,
      summary,
      details: {
        taskId: task._id,
        taskName: task.name,
        actorName: displayName(this.deps.directory, task.tenantId, change.actor),
        ...(change.onBehalfOf
          ? {
              onBehalfOf: change.onBehalfOf,
              onBehalfOfName: displayName(this.deps.directory, task.tenantId, change.onBehalfOf),
            }
          : {}),
        ...(change.details ?? {}),
      },
    });
  }

  private requireOpen(task: InboxTask): void {
    if (task.state !== 'open') {
      throw new TaskStateError(task._id, task.state, `Task ${task._id} is ${task.state}`);
    }
  }

  private requireWork(actor: Actor): void {
    if (!can(actor, TASK_PERMISSIONS.work)) {
      throw new TaskForbiddenError(
        'tasks.work',
        'Working on tasks needs the permission tasks.work',
      );
    }
  }

  private name(tenantId: string, username: string | undefined): string {
    return displayName(this.deps.directory, tenantId, username) ?? '';
  }

  async claim(actor: Actor, id: string, version?: number): Promise<InboxTask> {
    const task = await this.get(actor, id);
    this.requireWork(actor);
    this.requireOpen(task);
    if (task.assignee === actor.username) return task;
    if (task.assignee) {
      const last = await this.tasks.lastChange(task);
      throw this.staleError(new VersionConflictError(task, last));
    }
    if (!this.abilities(actor, task).claim) {
      throw new TaskNotYoursError('notCandidate', 'The task is not for your office');
    }
    const change = this.change(actor, 'task.claimed');
    const next = await this.mutate(actor, task, version, change, (t) => {
      if (t.assignee) throw new TaskStateError(t._id, t.state, 'already assigned');
      return { ...t, assignee: actor.username };
    });
    await this.audit(next, change, `${actor.name} ha preso in carico «${task.name}»`);
    return next;
  }

  async release(actor: Actor, id: string, version?: number): Promise<InboxTask> {
    const task = await this.get(actor, id);
    this.requireWork(actor);
    this.requireOpen(task);
    const as = this.actingAs(actor, task.assignee);
    if (!as.ok && !can(actor, TASK_PERMISSIONS.assign)) {
      throw new TaskNotYoursError('notAssignee', 'Only the assignee releases a task');
    }
    if (task.delegation?.state === 'pending') {
      throw new TaskStateError(task._id, task.state, 'A delegated task is resolved, not released');
    }
    const change = this.change(
      actor,
      'task.released',
      { previousAssignee: task.assignee },
      as.onBehalfOf,
    );
    const next = await this.mutate(actor, task, version, change, (t) => ({
      ...t,
      assignee: undefined,
      delegation: undefined,
    }));
    await this.audit(next, change, `${actor.name} ha rilasciato «${task.name}»`);
    return next;
  }

  async assign(actor: Actor, id: string, userId: string, version?: number): Promise<InboxTask> {
    const task = await this.get(actor, id);
    if (!can(actor, TASK_PERMISSIONS.assign)) {
      throw new TaskForbiddenError(
        'tasks.assign',
        'Assigning tasks to colleagues needs tasks.assign',
      );
    }
    this.requireOpen(task);
    if (typeof userId !== 'string' || !this.eligible(task, userId))
      throw inputError('userId', 'notEligible');
    const change = this.change(actor, 'task.assigned', {
      assignee: userId,
      assigneeName: this.name(task.tenantId, userId),
      previousAssignee: task.assignee,
    });
    const next = await this.mutate(actor, task, version, change, (t) => ({
      ...t,
      assignee: userId,
      delegation: undefined,
    }));
    await this.audit(
      next,
      change,
      `${actor.name} ha assegnato «${task.name}» a ${this.name(task.tenantId, userId)}`,
    );
    if (userId !== actor.username)
      this.emit({ type: 'assigned', task: next, to: userId, by: actor.username });
    return next;
  }

  /** Owner → delegate, with a mandatory reason; the delegate resolves it back. */
  async delegate(
    actor: Actor,
    id: string,
    userId: string,
    reason: string,
    version?: number,
  ): Promise<InboxTask> {
    const task = await this.get(actor, id);
    this.requireWork(actor);
    this.requireOpen(task);
    const as = this.actingAs(actor, task.assignee);
    if (!as.ok) throw new TaskNotYoursError('notAssignee', 'Only the assignee delegates a task');
    if (task.delegation?.state === 'pending') {
      throw new TaskStateError(task._id, task.state, 'The task is already delegated');
    }
    const text = typeof reason === 'string' ? reason.trim() : '';
    if (text.length < MIN_REASON) throw inputError('reason', 'reasonRequired');
    if (text.length > 1000) throw inputError('reason', 'tooLong');
    if (
      typeof userId !== 'string' ||
      userId === task.assignee ||
      !this.deps.directory.person(task.tenantId, userId)
    ) {
      throw inputError('userId', 'notEligible');
    }
    const delegate = this.deps.directory.person(task.tenantId, userId)!;
    if (task.comune && delegate.comune && delegate.comune !== task.comune)
      throw inputError('userId', 'notEligible');
    const owner = task.assignee!;
    const change = this.change(
      actor,
      'task.delegated',
      { owner, delegate: userId, delegateName: delegate.name, reason: text },
      as.onBehalfOf,
    );
    const next = await this.mutate(actor, task, version, change, (t) => ({
      ...t,
      assignee: userId,
      delegation: { state: 'pending', owner, delegate: userId, reason: text, at: change.at },
    }));
    await this.audit(
      next,
      change,
      `${actor.name} ha delegato «${task.name}» a ${delegate.name}: ${text}`,
    );
    this.emit({ type: 'assigned', task: next, to: userId, by: actor.username });
    return next;
  }

  /** The delegate hands the task back to its owner (with the delegate's draft). */
  async resolve(actor: Actor, id: string, version?: number): Promise<InboxTask> {
    const task = await this.get(actor, id);
    this.requireWork(actor);
    this.requireOpen(task);
    const d = task.delegation;
    const as = this.actingAs(actor, task.assignee);
    if (!d || d.state !== 'pending' || !as.ok) {
      throw new TaskNotYoursError('notDelegate', 'Only the delegate resolves a delegated task');
    }
    const change = this.change(
      actor,
      'task.resolved',
      { owner: d.owner, ownerName: this.name(task.tenantId, d.owner) },
      as.onBehalfOf,
    );
    const next = await this.mutate(actor, task, version, change, (t) => ({
      ...t,
      assignee: d.owner,
      delegation: { ...d, state: 'resolved', at: change.at },
    }));
    const draft = await this.drafts.get(task._id, task.assignee!);
    if (draft) {
      await this.drafts.save({
        ...draft,
        username: d.owner,
        savedAt: change.at,
        taskVersion: next.version,
      });
    }
    await this.audit(
      next,
      change,
      `${actor.name} ha restituito «${task.name}» a ${this.name(task.tenantId, d.owner)}`,
    );
    this.emit({ type: 'assigned', task: next, to: d.owner, by: actor.username });
    return next;
  }

  async setDates(
    actor: Actor,
    id: string,
    input: { dueAt?: Date | null; followUpAt?: Date | null; priority?: number },
    version?: number,
  ): Promise<InboxTask> {
    const task = await this.get(actor, id);
    this.requireOpen(task);
    const mine = this.actingAs(actor, task.assignee).ok;
    const onlyFollowUp = input.dueAt === undefined && input.priority === undefined;
    if (onlyFollowUp && input.followUpAt === undefined)
      throw inputError('dueAt', 'nothingToChange');
    // The assignee may park their own task (follow-up); deadlines and priority need tasks.manage.
    // Someone who works tasks, setting a follow-up on a task that is not theirs: the same
    // answer as the inbox's other actions on someone else's task (409), not a missing right.
    if (
      !can(actor, TASK_PERMISSIONS.manage) &&
      onlyFollowUp &&
      !mine &&
      can(actor, TASK_PERMISSIONS.work)
    )
      throw new TaskNotYoursError('notAssignee', 'Only the assignee sets the follow-up date');
    if (
      !can(actor, TASK_PERMISSIONS.manage) &&
      !(onlyFollowUp && mine && can(actor, TASK_PERMISSIONS.work))
    ) {
      throw new TaskForbiddenError(
        'tasks.manage',
        'Changing deadlines and priority needs tasks.manage',
      );
    }
    for (const [field, value] of [
      ['dueAt', input.dueAt],
      ['followUpAt', input.followUpAt],
    ] as const) {
      if (
        value !== undefined &&
        value !== null &&
        (!(value instanceof Date) || Number.isNaN(value.getTime()))
      ) {
        throw inputError(field, 'invalidDate');
      }
    }
    if (
      input.priority !== undefined &&
      (!Number.isInteger(input.priority) || input.priority < 0 || input.priority > 100)
    ) {
      throw inputError('priority', 'invalidPriority');
    }
    const details: Record<string, unknown> = {};
    if (input.dueAt !== undefined) details.dueAt = input.dueAt;
    if (input.followUpAt !== undefined) details.followUpAt = input.followUpAt;
    if (input.priority !== undefined) details.priority = input.priority;
    const change = this.change(actor, 'task.datesChanged', details);
    const next = await this.mutate(actor, task, version, change, (t) => ({
      ...t,
      dueAt: input.dueAt === undefined ? t.dueAt : (input.dueAt ?? undefined),
      followUpAt: input.followUpAt === undefined ? t.followUpAt : (input.followUpAt ?? undefined),
      priority: input.priority ?? t.priority,
      // A new deadline gets its own reminder and escalation.
      notified:
        input.dueAt === undefined
          ? t.notified
          : (t.notified ?? []).filter((k) => !/^(reminder|escalation):/.test(k)),
    }));
    await this.audit(
      next,
      change,
      `${actor.name} ha modificato scadenza, ripresa o priorità di «${task.name}»`,
    );
    return next;
  }

  async comment(actor: Actor, id: string, text: string): Promise<CaseComment> {
    const task = await this.get(actor, id);
    this.requireWork(actor);
    const body = typeof text === 'string' ? text.trim() : '';
    if (!body) throw inputError('text', 'commentRequired');
    if (body.length > MAX_COMMENT) throw inputError('text', 'tooLong');
    const onBehalfOf = this.actingAs(actor, task.assignee).onBehalfOf;
    const change = this.change(actor, 'task.commented', { text: body }, onBehalfOf);
    const comment = await this.notes.addComment(
      task.tenantId,
      task.processInstanceKey,
      {
        taskId: task._id,
        author: actor.username,
        authorName: actor.name,
        onBehalfOf,
        text: body,
        at: change.at,
      },
      change,
    );
    await this.deps.audit.record({
      key: `comment:${comment.id}`,
      tenantId: task.tenantId,
      processInstanceKey: task.processInstanceKey,
      bpmnProcessId: task.bpmnProcessId,
      elementId: task.elementId,
      action: 'task.commented',
      actor: actor.username,
      summary: `${actor.name} ha commentato «${task.name}»`,
      details: {
        taskId: task._id,
        taskName: task.name,
        actorName: actor.name,
        text: body,
        onBehalfOf,
      },
    });
    return comment;
  }

  /** Stores a file (checked by content, 20 MiB at most) on the task's case. */
  async attach(
    actor: Actor,
    id: string,
    file: { fileName: string; content: Buffer },
    field?: string,
  ): Promise<CaseAttachment> {
    const task = await this.get(actor, id);
    this.requireWork(actor);
    return this.attachToCase(actor, task, file, field);
  }

  private async attachToCase(
    actor: Actor,
    task: InboxTask,
    file: { fileName: string; content: Buffer },
    field?: string,
  ): Promise<CaseAttachment> {
    const stored = await this.attachments.store(
      file.fileName,
      file.content,
      {
        tenantId: task.tenantId,
        processInstanceKey: task.processInstanceKey,
        taskId: task._id,
        field,
        uploadedBy: actor.username,
      },
      field ?? 'file',
    );
    const onBehalfOf = this.actingAs(actor, task.assignee).onBehalfOf;
    const ref: CaseAttachment = {
      id: stored.id,
      fileName: stored.fileName,
      contentType: stored.contentType,
      size: stored.size,
      uploadedBy: actor.username,
      uploadedByName: actor.name,
      onBehalfOf,
      at: stored.uploadedAt,
      field,
      taskId: task._id,
    };
    const change = this.change(
      actor,
      'task.attached',
      { attachmentId: ref.id, fileName: ref.fileName, size: ref.size },
      onBehalfOf,
    );
    await this.notes.addAttachment(task.tenantId, task.processInstanceKey, ref, change);
    await this.deps.audit.record({
      key: `attachment:${ref.id}`,
      tenantId: task.tenantId,
      processInstanceKey: task.processInstanceKey,
      bpmnProcessId: task.bpmnProcessId,
      elementId: task.elementId,
      action: 'task.attached',
      actor: actor.username,
      summary: `${actor.name} ha allegato «${ref.fileName}» a «${task.name}»`,
      details: {
        taskId: task._id,
        taskName: task.name,
        actorName: actor.name,
        attachmentId: ref.id,
        fileName: ref.fileName,
        contentType: ref.contentType,
        size: ref.size,
        onBehalfOf,
      },
    });
    return ref;
  }

  // ---------------------------------------------------------------- drafts and completion

  private form(task: InboxTask) {
    return task.formKey && this.deps.forms.has(task.formKey)
      ? this.deps.forms.get(task.formKey)
      : undefined;
  }

  /** Saves a draft after partial validation: nothing required, but no unknown field or wrong type. */
  async saveDraft(
    actor: Actor,
    id: string,
    values: unknown,
  ): Promise<{ draft: Draft; warnings: FieldError[] }> {
    const task = await this.get(actor, id);
    this.requireWork(actor);
    this.requireOpen(task);
    if (!this.actingAs(actor, task.assignee).ok) {
      throw new TaskNotYoursError('notAssignee', 'Only the assignee saves drafts of a task');
    }
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw inputError('variables', 'notAnObject');
    }
    let warnings: FieldError[] = [];
    if (task.formKey && this.deps.forms.has(task.formKey)) {
      const partial = this.deps.forms.validate(task.formKey, values, { partial: true });
      if (!partial.valid) {
        const structural = partial.errors.filter(
          (e) => e.keyword === 'additionalProperties' || e.keyword === 'type',
        );
        if (structural.length)
          throw new TaskInputError(structural, 'The draft does not fit the form');
        warnings = partial.errors;
      }
    } else if (Object.keys(values).length) {
      throw inputError('variables', 'noForm');
    }
    if (JSON.stringify(values).length > 512 * 1024) throw inputError('variables', 'tooLong');
    const draft = await this.drafts.save({
      taskId: task._id,
      tenantId: task.tenantId,
      username: actor.username,
      values: values as Record<string, unknown>,
      savedAt: this.now(),
      taskVersion: task.version,
    });
    return { draft, warnings };
  }

  /** Validates the whole submission; nothing reaches the engine unless it is valid. */
  validateCompletion(task: InboxTask, variables: unknown): Record<string, unknown> {
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
      throw inputError('variables', 'notAnObject');
    }
    if (!task.formKey) {
      if (Object.keys(variables).length) throw inputError('variables', 'noForm');
      return {};
    }
    if (!this.deps.forms.has(task.formKey)) throw new Error(`Form ${task.formKey} is missing`);
    const result = this.deps.forms.validate(task.formKey, variables);
    if (!result.valid) throw new TaskInputError(result.errors);
    return variables as Record<string, unknown>;
  }

  /**
   * Completes the task: checks who and which version, validates the data, marks the task
   * "completing" (the commit point: a second completion is refused), completes the job
   * in the engine, then marks it completed, audits it and deletes the draft.
   */
  async complete(
    actor: Actor,
    id: string,
    variables: unknown,
    version: number | undefined,
    files?: { field: string; fileName: string; content: Buffer }[],
  ): Promise<InboxTask> {
    const task = await this.get(actor, id);
    this.requireWork(actor);
    if (version === undefined || !Number.isInteger(version))
      throw inputError('version', 'versionRequired');
    if (task.version !== version) {
      const last = await this.tasks.lastChange(task);
      throw this.staleError(new VersionConflictError(task, last));
    }
    this.requireOpen(task);
    const as = this.actingAs(actor, task.assignee);
    if (!as.ok) throw new TaskNotYoursError('notAssignee', 'Only the assignee completes a task');
    if (task.delegation?.state === 'pending') {
      throw new TaskNotYoursError(
        'delegationPending',
        'A delegated task is resolved to its owner, who completes it',
      );
    }
    const data = this.validateCompletion(task, variables);
    // Every file is checked before any is stored: a refused one leaves nothing behind.
    for (const f of files ?? []) await this.attachments.check(f.content, f.field);
    for (const f of files ?? []) await this.attachToCase(actor, task, f, f.field);
    const change = this.change(actor, 'task.completing', undefined, as.onBehalfOf);
    const completing = await this.mutate(actor, task, version, change, (t) => ({
      ...t,
      state: 'completing',
      completion: { variables: data, by: actor.username, onBehalfOf: as.onBehalfOf, at: change.at },
    }));
    return this.driveCompletion(completing);
  }

  /**
   * Completes a task without a person: the demo data's first steps ("system:demo").
   * Same validation, state change, engine call and audit as a person's completion.
   */
  async completeAsSystem(id: string, variables: unknown, actor: string): Promise<InboxTask> {
    if (!actor.startsWith('system:')) throw new Error('completeAsSystem is for system actors');
    const task = await this.tasks.get(id);
    if (!task) throw new TaskNotFoundError(id);
    this.requireOpen(task);
    const data = this.validateCompletion(task, variables);
    const change = this.change(actor, 'task.completing');
    const completing = await this.tasks.update(
      task._id,
      task.version,
      (t) => ({
        ...t,
        state: 'completing',
        completion: { variables: data, by: actor, at: change.at },
        updatedAt: change.at,
      }),
      change,
    );
    this.index.apply(completing);
    return this.driveCompletion(completing);
  }

  /** Completes the job in the engine for a task in state "completing" (also after a crash). */
  async driveCompletion(given: InboxTask, recovering = false): Promise<InboxTask> {
    const task = recovering ? await this.tasks.get(given._id) : given;
    if (!task || task.state !== 'completing' || !task.completion) return task ?? given;
    const completion = task.completion;
    try {
      await this.deps.zeebe.completeJob({
        jobKey: task.jobKey,
        variables: completion.variables as never,
      });
    } catch (err) {
      if (!isNotFound(err)) {
        // Unknown outcome (engine unreachable): stays "completing"; the keeper tries again.
        this.logger.warn({ err, taskId: task._id }, 'job completion failed; will retry');
        throw err;
      }
      if (!recovering) return this.cancel(task, 'jobGone');
      // A retry that finds no job: the first attempt went through before its answer was lost.
    }
    const change: Change = {
      action: 'task.completed',
      actor: completion.by,
      onBehalfOf: completion.onBehalfOf,
      at: this.now(),
      details: { variables: completion.variables },
    };
    let done: InboxTask;
    try {
      // Only from the "completing" version: whoever finishes first records it, once.
      done = await this.tasks.update(
        task._id,
        task.version,
        (t) => ({
          ...t,
          state: 'completed',
          completedAt: change.at,
          completedBy: completion.by,
          updatedAt: change.at,
          lastChange: {
            action: change.action,
            actor: change.actor,
            actorName: this.name(t.tenantId, change.actor),
            at: change.at,
          },
        }),
        change,
      );
    } catch (err) {
      if (err instanceof VersionConflictError)
        return (err as VersionConflictError<InboxTask>).current;
      throw err;
    }
    this.index.apply(done);
    await this.audit(
      done,
      change,
      `${this.name(task.tenantId, completion.by)} ha completato «${task.name}»`,
    );
    await this.drafts.delete(task._id, completion.by);
    this.emit({ type: 'completed', task: done });
    return done;
  }

  /** The job is gone (instance cancelled, interrupting event): the task is "annullata". */
  async cancel(task: InboxTask, reason: string): Promise<InboxTask> {
    if (!OPEN.has(task.state)) return task;
    const change: Change = {
      action: 'task.cancelled',
      actor: 'system:inbox',
      at: this.now(),
      details: { reason },
    };
    let next: InboxTask;
    try {
      next = await this.tasks.update(
        task._id,
        task.version,
        (t) => ({
          ...t,
          state: 'cancelled',
          cancelledAt: change.at,
          cancelReason: reason,
          updatedAt: change.at,
          lastChange: { action: change.action, actor: change.actor, at: change.at },
        }),
        change,
      );
    } catch (err) {
      if (!(err instanceof VersionConflictError)) throw err;
      // Changed meanwhile (a claim, a completion): decide again on the newer version.
      const current = (err as VersionConflictError<InboxTask>).current;
      return current.state === 'open' ? this.cancel(current, reason) : current;
    }
    this.index.apply(next);
    await this.audit(next, change, `Attività «${task.name}» annullata dal processo`);
    this.emit({ type: 'cancelled', task: next });
    return next;
  }

  // ---------------------------------------------------------------- bulk

  async bulk(actor: Actor, ids: string[], action: BulkAction): Promise<BulkResult[]> {
    if (!Array.isArray(ids) || ids.length === 0) throw inputError('ids', 'idsRequired');
    if (ids.length > 200) throw inputError('ids', 'tooMany');
    const results: BulkResult[] = [];
    for (const id of ids) {
      try {
        let t: InboxTask;
        switch (action.type) {
          case 'claim':
            t = await this.claim(actor, id);
            break;
          case 'release':
            t = await this.release(actor, id);
            break;
          case 'assign':
            t = await this.assign(actor, id, action.userId);
            break;
          case 'dates':
            t = await this.setDates(actor, id, action);
            break;
          default:
            throw inputError('action', 'unknownAction');
        }
        results.push({ id, ok: true, version: t.version });
      } catch (err) {
        const e = err as { status?: number; message?: string; errors?: FieldError[] };
        if (!e.status) throw err;
        results.push({
          id,
          ok: false,
          status: e.status,
          error: e.errors?.[0]?.problem ?? e.message,
        });
      }
    }
    return results;
  }

  // ---------------------------------------------------------------- from the engine

  /** A user-task job arrived: one task per job (a second activation finds the task). */
  async taskArrived(job: UserTaskJob): Promise<{ task: InboxTask; created: boolean }> {
    const configured = this.province(job.tenantId);
    // The deadlines and columns of the province's current (saved) settings.
    const province = this.deps.settingsOf
      ? { ...configured, settings: await this.deps.settingsOf(job.tenantId) }
      : configured;
    // A model deployed a moment ago reaches the engine's history shortly after.
    const process = this.deps.catalog
      ? await this.deps.catalog.get(job.processDefinitionKey, { waitMs: 15_000 })
      : undefined;
    if (this.deps.catalog && !process) {
      this.logger.warn(
        { processDefinitionKey: job.processDefinitionKey },
        'process model not readable: the task keeps element ids for names',
      );
    }
    const candidate = taskFromJob(job, {
      province,
      forms: this.deps.forms,
      calendar: calendarForProvince(province),
      process,
      now: this.now(),
    });
    const change: Change = {
      action: 'task.created',
      actor: 'system:inbox',
      at: candidate.createdAt,
    };
    const { created, doc } = await this.tasks.create(candidate, change);
    this.index.apply(doc);
    if (created) {
      await this.audit(doc, change, `Nuova attività «${doc.name}»`);
      this.emit({ type: 'created', task: doc });
      if (doc.assignee)
        this.emit({ type: 'assigned', task: doc, to: doc.assignee, by: 'system:inbox' });
    }
    return { task: doc, created };
  }
}
