/**
 * The in-memory state of one partition: deployed resources and everything active.
 * Only appliers (state/appliers) change it; processors read it. Completed instances,
 * jobs and messages are removed, so memory follows the active workload.
 */
import { CompensationSubscriptions } from './compensation-subscriptions';
import type {
  CompensationSubscription,
  DeployedDecision,
  DeployedDrg,
  DeployedForm,
  DeployedProcess,
  ElementInstance,
  Incident,
  Job,
  Message,
  MessageSubscription,
  PostponedWork,
  SignalSubscription,
  Timer,
} from './types';
import { DueDateIndex } from './due-dates';

const SEP = '\u0000';
export const k = (...parts: (string | number)[]) => parts.join(SEP);

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}
function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

export class EngineState {
  keyCounter = 0;
  /** Position of the last applied event (for snapshots). */
  position = 0;

  readonly processes = new Map<number, DeployedProcess>();
  readonly drgs = new Map<number, DeployedDrg>();
  readonly decisions = new Map<number, DeployedDecision>();
  readonly forms = new Map<number, DeployedForm>();
  readonly elementInstances = new Map<number, ElementInstance>();
  readonly variables = new Map<number, Map<string, unknown>>();
  readonly jobs = new Map<number, Job>();
  readonly incidents = new Map<number, Incident>();
  readonly messages = new Map<number, Message>();
  readonly messageSubscriptions = new Map<number, MessageSubscription>();
  readonly timers = new Map<number, Timer>();
  readonly signalSubscriptions = new Map<number, SignalSubscription>();
  /** tenant|bpmnProcessId|correlationKey → process instance started by a message start. */
  readonly messageStartInstances = new Map<string, number>();
  /** Completed activities that can still be compensated. */
  readonly compensation = new CompensationSubscriptions();
  /** Work postponed by commands that used up their step budget, by key. */
  readonly postponed = new Map<number, PostponedWork>();

  // ------------------------------------------------------------ derived indexes
  /** tenant|bpmnProcessId → process keys by version order. */
  readonly processVersions = new Map<string, number[]>();
  readonly processByChecksum = new Map<string, number>();
  readonly decisionVersions = new Map<string, number[]>();
  readonly drgVersions = new Map<string, number[]>();
  readonly formVersions = new Map<string, number[]>();
  readonly children = new Map<number, Set<number>>();
  readonly activatableJobs = new Map<string, Set<number>>();
  readonly jobsByInstance = new Map<number, number>();
  readonly incidentsByElement = new Map<number, Set<number>>();
  readonly incidentsByJob = new Map<number, number>();
  readonly messagesByCorrelation = new Map<string, Set<number>>();
  readonly messageIds = new Map<string, number>();
  readonly subscriptionsByCorrelation = new Map<string, Set<number>>();
  readonly subscriptionsByOwner = new Map<number, Set<number>>();
  readonly timersByOwner = new Map<number, Set<number>>();
  readonly signalsByName = new Map<string, Set<number>>();
  readonly signalsByOwner = new Map<number, Set<number>>();
  /** Job types that became activatable while processing the current batch. */
  readonly newlyActivatable = new Set<string>();
  /** What becomes due when (timers, job deadlines and back-offs, message TTLs). */
  readonly dueDates = new DueDateIndex();

  nextKey(partitionId: number): number {
    this.keyCounter += 1;
    return partitionId * 2 ** 51 + this.keyCounter;
  }

  observeKey(key: number): void {
    if (key <= 0) return;
    const counter = key % 2 ** 51;
    if (counter > this.keyCounter) this.keyCounter = counter;
  }

  // ------------------------------------------------------------ deployments
  addProcess(p: DeployedProcess): void {
    this.processes.set(p.key, p);
    const vk = k(p.tenantId, p.bpmnProcessId);
    const list = this.processVersions.get(vk) ?? [];
    list.push(p.key);
    list.sort((a, b) => this.processes.get(a)!.version - this.processes.get(b)!.version);
    this.processVersions.set(vk, list);
    this.processByChecksum.set(k(p.tenantId, p.bpmnProcessId, p.checksum), p.key);
  }

  removeProcess(key: number): void {
    const p = this.processes.get(key);
    if (!p) return;
    this.processes.delete(key);
    const vk = k(p.tenantId, p.bpmnProcessId);
    const list = (this.processVersions.get(vk) ?? []).filter((x) => x !== key);
    if (list.length) this.processVersions.set(vk, list);
    else this.processVersions.delete(vk);
    this.processByChecksum.delete(k(p.tenantId, p.bpmnProcessId, p.checksum));
  }

  latestProcess(tenantId: string, bpmnProcessId: string): DeployedProcess | undefined {
    const list = this.processVersions.get(k(tenantId, bpmnProcessId));
    return list?.length ? this.processes.get(list[list.length - 1]) : undefined;
  }

  /** Highest version ever given (versions are not reused after a deletion). */
  versionCounters = new Map<string, number>();

  nextVersion(kind: string, tenantId: string, id: string): number {
    return (this.versionCounters.get(k(kind, tenantId, id)) ?? 0) + 1;
  }

  bumpVersion(kind: string, tenantId: string, id: string, version: number): void {
    const vk = k(kind, tenantId, id);
    if ((this.versionCounters.get(vk) ?? 0) < version) this.versionCounters.set(vk, version);
  }

  latestProcesses(tenantId: string): DeployedProcess[] {
    const out: DeployedProcess[] = [];
    for (const [vk, list] of this.processVersions) {
      if (vk.startsWith(tenantId + SEP) && list.length)
        out.push(this.processes.get(list[list.length - 1])!);
    }
    return out;
  }

  addDecision(d: DeployedDecision): void {
    this.decisions.set(d.key, d);
    pushVersion(this.decisionVersions, k(d.tenantId, d.decisionId), d.key);
  }

  addDrg(d: DeployedDrg): void {
    this.drgs.set(d.key, d);
    pushVersion(this.drgVersions, k(d.tenantId, d.decisionRequirementsId), d.key);
  }

  addForm(f: DeployedForm): void {
    this.forms.set(f.key, f);
    pushVersion(this.formVersions, k(f.tenantId, f.formId), f.key);
  }

  latestDecision(tenantId: string, decisionId: string): DeployedDecision | undefined {
    const list = this.decisionVersions.get(k(tenantId, decisionId));
    return list?.length ? this.decisions.get(list[list.length - 1]) : undefined;
  }

  latestDrg(tenantId: string, id: string): DeployedDrg | undefined {
    const list = this.drgVersions.get(k(tenantId, id));
    return list?.length ? this.drgs.get(list[list.length - 1]) : undefined;
  }

  latestForm(tenantId: string, id: string): DeployedForm | undefined {
    const list = this.formVersions.get(k(tenantId, id));
    return list?.length ? this.forms.get(list[list.length - 1]) : undefined;
  }

  // ------------------------------------------------------------ element instances
  addElementInstance(e: ElementInstance): void {
    this.elementInstances.set(e.key, e);
    if (e.type === 'PROCESS') this.processInstanceCount += 1;
    if (e.flowScopeKey > 0) {
      addTo(this.children, e.flowScopeKey, e.key);
      const scope = this.elementInstances.get(e.flowScopeKey);
      if (scope) scope.childCount += 1;
    }
  }

  removeElementInstance(key: number): void {
    const e = this.elementInstances.get(key);
    if (!e) return;
    this.elementInstances.delete(key);
    if (e.type === 'PROCESS') this.processInstanceCount -= 1;
    this.variables.delete(key);
    this.children.delete(key);
    if (e.flowScopeKey > 0) {
      removeFrom(this.children, e.flowScopeKey, key);
      const scope = this.elementInstances.get(e.flowScopeKey);
      if (scope) scope.childCount -= 1;
    }
  }

  childrenOf(key: number): ElementInstance[] {
    const set = this.children.get(key);
    if (!set) return [];
    return [...set].map((c) => this.elementInstances.get(c)!).filter(Boolean);
  }

  private processInstanceCount = 0;

  activeProcessInstances(): number {
    return this.processInstanceCount;
  }

  // ------------------------------------------------------------ variables
  setVariable(scopeKey: number, name: string, value: unknown): void {
    let scope = this.variables.get(scopeKey);
    if (!scope) this.variables.set(scopeKey, (scope = new Map()));
    scope.set(name, value);
  }

  getLocal(scopeKey: number, name: string): unknown {
    return this.variables.get(scopeKey)?.get(name);
  }

  hasLocal(scopeKey: number, name: string): boolean {
    return this.variables.get(scopeKey)?.has(name) ?? false;
  }

  /** All variables visible from a scope (inner scopes shadow outer ones). */
  visibleVariables(scopeKey: number): Record<string, unknown> {
    const chain: number[] = [];
    let key = scopeKey;
    while (key > 0) {
      chain.push(key);
      const e = this.elementInstances.get(key);
      if (!e || e.type === 'PROCESS') break;
      key = e.flowScopeKey;
    }
    const out: Record<string, unknown> = {};
    for (let i = chain.length - 1; i >= 0; i--) {
      const vars = this.variables.get(chain[i]);
      if (vars) for (const [n, v] of vars) out[n] = v;
    }
    return out;
  }

  // ------------------------------------------------------------ jobs
  putJob(job: Job): void {
    const old = this.jobs.get(job.key);
    if (old?.state === 'ACTIVATABLE') removeFrom(this.activatableJobs, old.type, job.key);
    this.jobs.set(job.key, job);
    this.jobsByInstance.set(job.elementInstanceKey, job.key);
    if (job.state === 'ACTIVATABLE') {
      addTo(this.activatableJobs, job.type, job.key);
      this.newlyActivatable.add(job.type);
    }
    if (job.state === 'ACTIVATED') this.dueDates.set('jobDeadline', job.key, job.deadline);
    else this.dueDates.delete('jobDeadline', job.key);
    if (job.state === 'FAILED' && job.retries > 0 && job.recurringTime > 0) {
      this.dueDates.set('jobBackoff', job.key, job.recurringTime);
    } else this.dueDates.delete('jobBackoff', job.key);
  }

  removeJob(key: number): void {
    const job = this.jobs.get(key);
    if (!job) return;
    if (job.state === 'ACTIVATABLE') removeFrom(this.activatableJobs, job.type, key);
    this.jobs.delete(key);
    this.dueDates.delete('jobDeadline', key);
    this.dueDates.delete('jobBackoff', key);
    if (this.jobsByInstance.get(job.elementInstanceKey) === key) {
      this.jobsByInstance.delete(job.elementInstanceKey);
    }
  }

  // ------------------------------------------------------------ incidents
  addIncident(i: Incident): void {
    this.incidents.set(i.key, i);
    addTo(this.incidentsByElement, i.elementInstanceKey, i.key);
    if (i.jobKey > 0) this.incidentsByJob.set(i.jobKey, i.key);
  }

  removeIncident(key: number): void {
    const i = this.incidents.get(key);
    if (!i) return;
    this.incidents.delete(key);
    removeFrom(this.incidentsByElement, i.elementInstanceKey, key);
    if (i.jobKey > 0) this.incidentsByJob.delete(i.jobKey);
  }

  // ------------------------------------------------------------ messages
  addMessage(m: Message): void {
    this.messages.set(m.key, m);
    addTo(this.messagesByCorrelation, k(m.tenantId, m.name, m.correlationKey), m.key);
    if (m.messageId) this.messageIds.set(k(m.tenantId, m.name, m.messageId), m.key);
    this.dueDates.set('messageTtl', m.key, m.deadline);
  }

  removeMessage(key: number): void {
    const m = this.messages.get(key);
    if (!m) return;
    this.messages.delete(key);
    this.dueDates.delete('messageTtl', key);
    removeFrom(this.messagesByCorrelation, k(m.tenantId, m.name, m.correlationKey), key);
    if (m.messageId && this.messageIds.get(k(m.tenantId, m.name, m.messageId)) === key) {
      this.messageIds.delete(k(m.tenantId, m.name, m.messageId));
    }
  }

  addSubscription(s: MessageSubscription): void {
    this.messageSubscriptions.set(s.key, s);
    addTo(this.subscriptionsByCorrelation, k(s.tenantId, s.messageName, s.correlationKey), s.key);
    addTo(this.subscriptionsByOwner, s.elementInstanceKey, s.key);
  }

  removeSubscription(key: number): void {
    const s = this.messageSubscriptions.get(key);
    if (!s) return;
    this.messageSubscriptions.delete(key);
    removeFrom(
      this.subscriptionsByCorrelation,
      k(s.tenantId, s.messageName, s.correlationKey),
      key,
    );
    removeFrom(this.subscriptionsByOwner, s.elementInstanceKey, key);
  }

  // ------------------------------------------------------------ timers, signals
  addTimer(t: Timer): void {
    this.timers.set(t.key, t);
    addTo(this.timersByOwner, t.elementInstanceKey, t.key);
    this.dueDates.set('timer', t.key, t.dueDate);
  }

  removeTimer(key: number): void {
    const t = this.timers.get(key);
    if (!t) return;
    this.timers.delete(key);
    this.dueDates.delete('timer', key);
    removeFrom(this.timersByOwner, t.elementInstanceKey, key);
  }

  addSignalSubscription(s: SignalSubscription): void {
    this.signalSubscriptions.set(s.key, s);
    addTo(this.signalsByName, k(s.tenantId, s.signalName), s.key);
    addTo(this.signalsByOwner, s.elementInstanceKey, s.key);
  }

  removeSignalSubscription(key: number): void {
    const s = this.signalSubscriptions.get(key);
    if (!s) return;
    this.signalSubscriptions.delete(key);
    removeFrom(this.signalsByName, k(s.tenantId, s.signalName), key);
    removeFrom(this.signalsByOwner, s.elementInstanceKey, key);
  }

  // ------------------------------------------------------------ snapshots
  toSnapshot(): unknown {
    return {
      keyCounter: this.keyCounter,
      position: this.position,
      versionCounters: [...this.versionCounters],
      processes: [...this.processes.values()],
      drgs: [...this.drgs.values()],
      decisions: [...this.decisions.values()],
      forms: [...this.forms.values()],
      elementInstances: [...this.elementInstances.values()],
      variables: [...this.variables].map(([scope, vars]) => [scope, [...vars]]),
      jobs: [...this.jobs.values()],
      incidents: [...this.incidents.values()],
      messages: [...this.messages.values()],
      messageSubscriptions: [...this.messageSubscriptions.values()],
      timers: [...this.timers.values()],
      signalSubscriptions: [...this.signalSubscriptions.values()],
      messageStartInstances: [...this.messageStartInstances],
      compensationSubscriptions: this.compensation.toSnapshot(),
      postponed: [...this.postponed.values()],
    };
  }

  static fromSnapshot(data: unknown): EngineState {
    const s = data as ReturnType<typeof _snapshotShape>;
    const state = new EngineState();
    state.keyCounter = s.keyCounter;
    state.position = s.position;
    for (const [vk, v] of s.versionCounters) state.versionCounters.set(vk, v);
    for (const p of s.processes) state.addProcess(p);
    for (const d of s.drgs) state.addDrg(d);
    for (const d of s.decisions) state.addDecision(d);
    for (const f of s.forms) state.addForm(f);
    // Parents first does not matter: child counts are stored, not recomputed.
    for (const e of s.elementInstances) {
      state.elementInstances.set(e.key, e);
      if (e.type === 'PROCESS') state.processInstanceCount += 1;
      if (e.flowScopeKey > 0) addTo(state.children, e.flowScopeKey, e.key);
    }
    for (const [scope, vars] of s.variables) state.variables.set(scope, new Map(vars));
    for (const j of s.jobs) state.putJob(j);
    for (const i of s.incidents) state.addIncident(i);
    for (const m of s.messages) state.addMessage(m);
    for (const sub of s.messageSubscriptions) state.addSubscription(sub);
    for (const t of s.timers) state.addTimer(t);
    for (const sig of s.signalSubscriptions) state.addSignalSubscription(sig);
    for (const [mk, v] of s.messageStartInstances) state.messageStartInstances.set(mk, v);
    state.compensation.load(s.compensationSubscriptions);
    // Snapshots taken before postponed work existed have none.
    for (const w of s.postponed ?? []) state.postponed.set(w.key, w);
    state.newlyActivatable.clear();
    return state;
  }
}

function pushVersion(index: Map<string, number[]>, key: string, value: number): void {
  const list = index.get(key) ?? [];
  list.push(value);
  index.set(key, list);
}

// Only used for typing the snapshot shape.
function _snapshotShape() {
  return {
    keyCounter: 0,
    position: 0,
    versionCounters: [] as [string, number][],
    processes: [] as DeployedProcess[],
    drgs: [] as DeployedDrg[],
    decisions: [] as DeployedDecision[],
    forms: [] as DeployedForm[],
    elementInstances: [] as ElementInstance[],
    variables: [] as [number, [string, unknown][]][],
    jobs: [] as Job[],
    incidents: [] as Incident[],
    messages: [] as Message[],
    messageSubscriptions: [] as MessageSubscription[],
    timers: [] as Timer[],
    signalSubscriptions: [] as SignalSubscription[],
    messageStartInstances: [] as [string, number][],
    compensationSubscriptions: [] as CompensationSubscription[] | undefined,
    postponed: [] as PostponedWork[] | undefined,
  };
}
