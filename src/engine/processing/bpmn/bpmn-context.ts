/**
 * Everything the element processors need while one command is processed: the state,
 * the record batch, the parsed models and the shared behaviours. Follow-up steps run
 * from a queue, so one external command drives its instances to their next wait
 * state inside one atomic batch.
 */
import { EngineError } from '../../api';
import { elementOf, type ExecutableElement, type ExecutableProcess } from '../../model/types';
import type { EngineState } from '../../state/engine-state';
import type { DeployedProcess, ElementInstance } from '../../state/types';
import type { RecordBatch } from '../batch';
import { DecisionBehavior, type DecisionProvider } from './behavior/decisions';
import { ErrorBehavior } from './behavior/error-events';
import { EventSubscriptionBehavior } from './behavior/event-subscriptions';
import { EventTriggerBehavior } from './behavior/event-triggers';
import { IncidentBehavior } from './behavior/incidents';
import { JobBehavior } from './behavior/jobs';
import { Lifecycle } from './behavior/lifecycle';
import { VariableBehavior } from './behavior/variables';
import { innerInstanceCompleting } from './container/multi-instance-body';
import { joinSatisfied } from './gateway/join';
import { startNextBuffered } from './behavior/message-start';

export interface ModelLookup {
  model(processDefinitionKey: number): ExecutableProcess | undefined;
}

export interface EngineHooks extends DecisionProvider {
  hasResultWaiter(processInstanceKey: number): boolean;
  resultReady(processInstanceKey: number, variables: Record<string, unknown>): void;
}

/** Guards against models that loop without a wait state. */
const MAX_STEPS_PER_COMMAND = 100_000;

export class BpmnContext {
  private readonly queue: (() => void)[] = [];
  /** Run once the given element instance is terminated (interrupting events). */
  readonly afterTerminated = new Map<number, () => void>();
  /** Run once the given scope has no active children left (interrupting event sub-process). */
  readonly afterChildrenTerminated = new Map<number, () => void>();
  /** Variables of an event that activated the given element instance. */
  readonly triggerVariables = new Map<number, Record<string, unknown>>();
  /** Event variables for the element an event-based gateway activates (scopeKey:elementId). */
  readonly triggerByTarget = new Map<string, Record<string, unknown>>();
  /** Flows chosen by a gateway, taken when it completes. */
  readonly chosenFlows = new Map<number, string[]>();
  /** Scopes to complete even with tokens waiting at joins (terminate end event). */
  readonly forceComplete = new Set<number>();
  /** Inner multi-instance instances whose completion condition was met. */
  readonly completionConditionMet = new Set<number>();
  /** Variables of child process instances captured just before they completed. */
  readonly childResults = new Map<number, Record<string, unknown>>();
  /** How a container starts when it is not by its none start event. */
  readonly pendingStart = new Map<
    number,
    { startId?: string; elementIds?: string[]; variables?: Record<string, unknown> }
  >();

  readonly lifecycle: Lifecycle;
  readonly variables: VariableBehavior;
  readonly incidents: IncidentBehavior;
  readonly jobs: JobBehavior;
  readonly subscriptions: EventSubscriptionBehavior;
  readonly triggers: EventTriggerBehavior;
  readonly errors: ErrorBehavior;
  readonly decisions: DecisionBehavior;
  private steps = 0;

  constructor(
    readonly state: EngineState,
    readonly batch: RecordBatch,
    readonly models: ModelLookup,
    readonly hooks: EngineHooks,
  ) {
    this.lifecycle = new Lifecycle(this);
    this.variables = new VariableBehavior(this);
    this.incidents = new IncidentBehavior(this);
    this.jobs = new JobBehavior(this);
    this.subscriptions = new EventSubscriptionBehavior(this);
    this.triggers = new EventTriggerBehavior(this);
    this.errors = new ErrorBehavior(this);
    this.decisions = new DecisionBehavior(this, hooks);
  }

  get now(): number {
    return this.batch.now;
  }

  model(inst: { processDefinitionKey: number }): ExecutableProcess {
    const model = this.models.model(inst.processDefinitionKey);
    if (!model)
      throw new EngineError(
        'INTERNAL',
        `process definition ${inst.processDefinitionKey} is not loaded`,
      );
    return model;
  }

  element(inst: ElementInstance): ExecutableElement {
    const el = elementOf(this.model(inst), inst);
    if (!el) throw new EngineError('INTERNAL', `element '${inst.elementId}' not found`);
    return el;
  }

  instance(key: number): ElementInstance | undefined {
    return this.state.elementInstances.get(key);
  }

  enqueue(step: () => void): void {
    this.queue.push(step);
  }

  /** Runs queued follow-up steps until every path reached a wait state. */
  drain(): void {
    for (let step = this.queue.shift(); step; step = this.queue.shift()) {
      if (++this.steps > MAX_STEPS_PER_COMMAND) {
        throw new EngineError(
          'FAILED_PRECONDITION',
          'the command did not reach a wait state (a loop without wait states in the model?)',
        );
      }
      step();
    }
  }

  multiInstanceInnerCompleting(
    inner: ElementInstance,
    body: ElementInstance,
    el: ExecutableElement,
  ): boolean {
    return innerInstanceCompleting(this, inner, body, el);
  }

  joinSatisfied(scope: ElementInstance, gateway: ExecutableElement): boolean {
    return joinSatisfied(this, scope, gateway);
  }

  /** Starts a new instance of `def` at an event start (message, timer, signal). */
  startProcessAt(
    def: DeployedProcess,
    startId: string,
    variables: Record<string, unknown>,
  ): ElementInstance {
    const key = this.batch.nextKey();
    this.pendingStart.set(key, { startId, variables });
    return this.lifecycle.activateProcess(def, { key });
  }

  captureProcessResult(inst: ElementInstance): void {
    if (inst.parentElementInstanceKey > 0 || this.hooks.hasResultWaiter(inst.key)) {
      this.childResults.set(inst.key, this.state.visibleVariables(inst.key));
    }
  }

  /** A message-started instance ended: the next buffered message for its key may start one. */
  private releaseMessageStart(pi: ElementInstance): void {
    if (!pi.messageStartKey) return;
    const [tenantId, bpmnProcessId, correlationKey] = pi.messageStartKey.split('\u0000');
    this.enqueue(() => startNextBuffered(this, tenantId, bpmnProcessId, correlationKey));
  }

  processCompleted(pi: ElementInstance): void {
    this.releaseMessageStart(pi);
    const vars = this.childResults.get(pi.key) ?? {};
    this.childResults.delete(pi.key);
    if (this.hooks.hasResultWaiter(pi.key)) {
      this.batch.event('PROCESS_INSTANCE_RESULT', 'COMPLETED', pi.key, {
        bpmnProcessId: pi.bpmnProcessId,
        processDefinitionKey: pi.processDefinitionKey,
        processInstanceKey: pi.key,
        version: pi.version,
        variables: vars,
        tenantId: pi.tenantId,
      });
      this.batch.afterCommit.push(() => this.hooks.resultReady(pi.key, vars));
    }
    if (pi.parentElementInstanceKey <= 0) return;
    const caller = this.instance(pi.parentElementInstanceKey);
    if (!caller || caller.state !== 'ACTIVATED') return;
    const el = this.element(caller);
    // Output mappings always see the child's variables (as locals of the call activity).
    if (el.calledElement?.propagateAllChildVariables || el.outputMappings.length > 0) {
      this.variables.setEventVariables(caller, el, vars);
    }
    this.lifecycle.complete(caller);
  }

  processTerminated(pi: ElementInstance): void {
    this.releaseMessageStart(pi);
    if (pi.parentElementInstanceKey <= 0) return;
    const caller = this.instance(pi.parentElementInstanceKey);
    if (caller?.state === 'TERMINATING') this.lifecycle.finishTermination(caller);
  }
}
