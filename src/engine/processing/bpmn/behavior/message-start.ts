/**
 * Message start events: a message creates an instance of the latest version, at most
 * once per process, and at most one active instance per correlation key; when that
 * instance ends, the next buffered message with the key may start one.
 */
import { k } from '../../../state/engine-state';
import type { DeployedProcess, Message } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';

export function messageStartEventOf(ctx: BpmnContext, def: DeployedProcess, messageName: string) {
  const model = ctx.models.model(def.key);
  return model?.eventStartIds
    .map((id) => model.elements.get(id)!)
    .find((s) => s.eventType === 'MESSAGE' && s.message?.name === messageName);
}

/** Returns true if the message started an instance of `def`. */
export function tryStartByMessage(
  ctx: BpmnContext,
  def: DeployedProcess,
  message: Message,
): boolean {
  if (message.correlatedProcessIds.includes(def.bpmnProcessId)) return false;
  const start = messageStartEventOf(ctx, def, message.name);
  if (!start) return false;
  const { correlationKey, tenantId } = message;
  if (
    correlationKey &&
    ctx.state.messageStartInstances.has(k(tenantId, def.bpmnProcessId, correlationKey))
  ) {
    return false;
  }
  const pi = ctx.lifecycle.startProcessAt(def, start.id, message.variables);
  ctx.batch.event('MESSAGE_START_EVENT_SUBSCRIPTION', 'CORRELATED', ctx.batch.nextKey(), {
    processDefinitionKey: def.key,
    bpmnProcessId: def.bpmnProcessId,
    startEventId: start.id,
    messageName: message.name,
    messageKey: message.key,
    correlationKey,
    processInstanceKey: pi.key,
    variables: message.variables,
    tenantId,
  });
  return true;
}

/** After a message-started instance ended: start the next buffered message for its key. */
export function startNextBuffered(
  ctx: BpmnContext,
  tenantId: string,
  bpmnProcessId: string,
  correlationKey: string,
): void {
  const def = ctx.state.latestProcess(tenantId, bpmnProcessId);
  if (!def) return;
  const model = ctx.models.model(def.key);
  for (const startId of model?.eventStartIds ?? []) {
    const start = model!.elements.get(startId)!;
    if (start.eventType !== 'MESSAGE' || !start.message) continue;
    const keys = ctx.state.messagesByCorrelation.get(
      k(tenantId, start.message.name, correlationKey),
    );
    for (const key of keys ?? []) {
      const message = ctx.state.messages.get(key)!;
      if (message.deadline < ctx.now) continue;
      if (tryStartByMessage(ctx, def, message)) return;
    }
  }
}
