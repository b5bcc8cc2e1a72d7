/**
 * What the element processors work with while one command is processed: the state, the
 * record batch, the parsed models, the shared behaviours and the queue of follow-up steps.
 * Steps run one after the other, so one external command drives its instances to their
 * next wait state inside one atomic batch.
 */
import { EngineError } from '../../api';
import { elementOf, type ExecutableElement, type ExecutableProcess } from '../../model/types';
import type { EngineState } from '../../state/engine-state';
import type { ElementInstance } from '../../state/types';
import type { RecordBatch } from '../batch';
import { DecisionBehavior, type DecisionProvider } from './behavior/decisions';
import { ErrorBehavior } from './behavior/error-events';
import { EventSubscriptionBehavior } from './behavior/event-subscriptions';
import { EventTriggerBehavior } from './behavior/event-triggers';
import { IncidentBehavior } from './behavior/incidents';
import { JobBehavior } from './behavior/jobs';
import { Lifecycle } from './behavior/lifecycle';
import { VariableBehavior } from './behavior/variables';
import { runStep, type Step } from './steps';

export interface ModelLookup {
  model(processDefinitionKey: number): ExecutableProcess | undefined;
}

export interface EngineHooks extends DecisionProvider {
  hasResultWaiter(processInstanceKey: number): boolean;
  resultReady(processInstanceKey: number, variables: Record<string, unknown>): void;
}

/**
 * How much follow-up work one command may do (issue 9: a loop without a wait state must
 * never stall the engine). What is left when one bound is reached is postponed to a later
 * command (processing/commands/postponed-work.ts), after the commands queued meanwhile.
 */
export const STEP_BUDGET = {
  steps: 1000,
  records: 2000,
  /** JSON characters of the records' values (the log stores at most 12 MiB per append). */
  size: 1024 * 1024,
};

export class BpmnContext {
  private readonly queue: Step[] = [];
  /** Steps run by this command. */
  stepsRun = 0;
  /** Steps run before this command by the postponed work it continues. */
  chainSteps = 0;

  readonly lifecycle: Lifecycle;
  readonly variables: VariableBehavior;
  readonly incidents: IncidentBehavior;
  readonly jobs: JobBehavior;
  readonly subscriptions: EventSubscriptionBehavior;
  readonly triggers: EventTriggerBehavior;
  readonly errors: ErrorBehavior;
  readonly decisions: DecisionBehavior;

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

  enqueue(step: Step): void {
    this.queue.push(step);
  }

  /**
   * Runs queued follow-up steps until every path reached a wait state or the step budget
   * is used up; returns the steps left (to be postponed), in order.
   */
  drain(): Step[] {
    while (this.queue.length > 0) {
      if (
        this.stepsRun >= STEP_BUDGET.steps ||
        this.batch.records.length >= STEP_BUDGET.records ||
        this.batch.size >= STEP_BUDGET.size
      ) {
        return this.queue.splice(0);
      }
      this.stepsRun++;
      runStep(this, this.queue.shift()!);
    }
    return [];
  }
}
