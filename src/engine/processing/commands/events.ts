/** Message publish / expiry, signal broadcast and timer triggers. */
import { DEFAULT_TENANT_ID, EngineError, type PublishMessageRequest } from '../../api';
import { k } from '../../state/engine-state';
import { nextCycleDue } from '../../scheduler/timer-dates';
import type { BpmnContext } from '../bpmn/bpmn-context';
import { broadcastSignal } from '../bpmn/behavior/signals';
import { tryStartByMessage } from '../bpmn/behavior/message-start';
import { checkVariables } from './command-context';

export function publishMessage(
  ctx: BpmnContext,
  req: PublishMessageRequest,
): { key: number; tenantId: string } {
  const { state, batch } = ctx;
  const tenantId = req.tenantId || DEFAULT_TENANT_ID;
  if (!req.name) throw new EngineError('INVALID_ARGUMENT', 'name must not be empty');
  const correlationKey = req.correlationKey ?? '';
  const ttl = Math.max(0, req.timeToLive ?? 0);
  const vars = checkVariables(req.variables);
  if (req.messageId && state.messageIds.has(k(tenantId, req.name, req.messageId))) {
    throw new EngineError(
      'ALREADY_EXISTS',
      `Expected to publish a new message with id '${req.messageId}', but a message with that id was already published`,
    );
  }
  const key = batch.nextKey();
  const value = {
    name: req.name,
    correlationKey,
    timeToLive: ttl,
    deadline: ctx.now + ttl,
    messageId: req.messageId ?? '',
    variables: vars,
    tenantId,
  };
  batch.command('MESSAGE', 'PUBLISH', -1, value);
  batch.event('MESSAGE', 'PUBLISHED', key, value);
  const message = state.messages.get(key)!;
  // Waiting subscriptions: at most one per process (bpmnProcessId).
  for (const subKey of [
    ...(state.subscriptionsByCorrelation.get(k(tenantId, req.name, correlationKey)) ?? []),
  ]) {
    const sub = state.messageSubscriptions.get(subKey);
    if (!sub || message.correlatedProcessIds.includes(sub.bpmnProcessId)) continue;
    ctx.triggers.correlate(sub, message);
  }
  // Message start events of the latest versions.
  for (const def of state.latestProcesses(tenantId)) tryStartByMessage(ctx, def, message);
  if (ttl <= 0) batch.event('MESSAGE', 'EXPIRED', key, value);
  return { key, tenantId };
}

export function expireMessage(ctx: BpmnContext, key: number): void {
  const m = ctx.state.messages.get(key);
  if (!m || m.deadline > ctx.now) return;
  const { correlatedProcessIds: _c, key: _k, ...value } = m;
  ctx.batch.command('MESSAGE', 'EXPIRE', key, value);
  ctx.batch.event('MESSAGE', 'EXPIRED', key, value);
}

export function broadcast(
  ctx: BpmnContext,
  name: string,
  variables: unknown,
  tenant?: string,
): { key: number; tenantId: string } {
  if (!name) throw new EngineError('INVALID_ARGUMENT', 'signalName must not be empty');
  const tenantId = tenant || DEFAULT_TENANT_ID;
  const vars = checkVariables(variables);
  ctx.batch.command('SIGNAL', 'BROADCAST', -1, { signalName: name, variables: vars, tenantId });
  return { key: broadcastSignal(ctx, tenantId, name, vars), tenantId };
}

export function triggerTimer(ctx: BpmnContext, key: number): void {
  const { state, batch } = ctx;
  const timer = state.timers.get(key);
  if (!timer || timer.dueDate > ctx.now) return;
  batch.command('TIMER', 'TRIGGER', key, { ...timer });
  batch.event('TIMER', 'TRIGGERED', key, { ...timer });
  const repeat = timer.interval && timer.repetitions !== 1;
  const again = () => {
    if (!repeat) return;
    const due = nextCycleDue(timer.dueDate, timer.interval!, ctx.now);
    batch.event('TIMER', 'CREATED', batch.nextKey(), {
      ...timer,
      dueDate: due,
      repetitions: timer.repetitions < 0 ? -1 : timer.repetitions - 1,
    });
  };
  if (timer.elementInstanceKey < 0) {
    const def = state.processes.get(timer.processDefinitionKey);
    if (!def) return;
    ctx.lifecycle.startProcessAt(def, timer.targetElementId, {});
    again();
    return;
  }
  const owner = ctx.instance(timer.elementInstanceKey);
  if (!owner) return;
  const model = ctx.model(owner);
  const target = model.elements.get(timer.targetElementId)!;
  // Non-interrupting cycles keep their subscription alive for the next repetition.
  const keepsOwner =
    !target.interrupting && target.id !== owner.elementId && owner.type !== 'EVENT_BASED_GATEWAY';
  if (ctx.triggers.trigger(owner, timer.targetElementId, {}) && keepsOwner) again();
}
