/**
 * Binds a service handler to the worker runtime: runs it with the context, then
 * appends the step to the audit trail (idempotent: key "<jobKey>:<jobType>").
 */
import { createAuditTrail } from '../../audit';
import type { ServiceContext, ServiceHandler, ServiceJob, Variables } from '../context';

export async function runAudited(
  handler: ServiceHandler,
  job: ServiceJob,
  ctx: ServiceContext,
): Promise<Variables> {
  const result = await handler(job, ctx);
  await createAuditTrail(ctx.connection, ctx.now).record({
    key: `${job.key}:${job.type}`,
    tenantId: job.tenantId,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    elementId: job.elementId,
    action: job.type,
    actor: `system:${job.type}`,
    summary: result.summary,
    details: result.details ?? {},
  });
  ctx.logger.info(
    {
      type: job.type,
      jobKey: job.key,
      processInstanceKey: job.processInstanceKey,
      tenantId: job.tenantId,
    },
    result.summary,
  );
  return result.variables;
}
