/** ScenarioClient over zeebe-node 8.3 (the community client others use). */
import { ZBClient } from 'zeebe-node';
import {
  asObject,
  grpcCall,
  toDeployed,
  type ClientJob,
  type ScenarioClient,
  type Vars,
} from './scenario-client';

export function zeebeNodeClient(address: string): ScenarioClient {
  const zbc = new ZBClient(address, { loglevel: 'NONE', retry: false, useTLS: false });

  return {
    name: 'zeebe-node',
    topology: () =>
      grpcCall(async () => {
        const t = await zbc.topology();
        return { brokerCount: t.brokers.length, partitionsCount: t.partitionsCount };
      }),
    deploy: (fileName, content) =>
      grpcCall(async () => {
        const buffer = Buffer.from(content);
        const res = fileName.endsWith('.dmn')
          ? await zbc.deployResource({ decision: buffer, name: fileName })
          : await zbc.deployResource({ process: buffer, name: fileName });
        return toDeployed(res as unknown as { key: unknown; deployments: unknown[] });
      }),
    createInstance: (bpmnProcessId, variables = {}) =>
      grpcCall(async () => {
        const r = await zbc.createProcessInstance({ bpmnProcessId, variables: variables as never });
        return { processInstanceKey: String(r.processInstanceKey), version: r.version };
      }),
    createInstanceWithResult: (bpmnProcessId, variables = {}, fetchVariables) =>
      grpcCall(async () => {
        const r = await zbc.createProcessInstanceWithResult({
          bpmnProcessId,
          variables: variables as never,
          fetchVariables,
          requestTimeout: 20_000,
        });
        return {
          processInstanceKey: String(r.processInstanceKey),
          variables: asObject(r.variables),
        };
      }),
    activateJobs: (type, maxJobs = 10) =>
      grpcCall(async () => {
        const jobs = await zbc.activateJobs({
          type,
          worker: 'zeebe-node-test',
          maxJobsToActivate: maxJobs,
          timeout: 60_000,
          requestTimeout: 5_000,
        });
        return jobs.map((j): ClientJob => ({
          key: String(j.key),
          type: j.type,
          processInstanceKey: String(j.processInstanceKey),
          elementInstanceKey: String(j.elementInstanceKey),
          elementId: j.elementId,
          retries: j.retries,
          variables: asObject(j.variables),
          customHeaders: asObject(j.customHeaders) as Record<string, string>,
        }));
      }),
    completeJob: (jobKey, variables = {}) => grpcCall(() => zbc.completeJob({ jobKey, variables })),
    failJob: (jobKey, retries, errorMessage, retryBackOff = 0) =>
      grpcCall(() => zbc.failJob({ jobKey, retries, errorMessage, retryBackOff })),
    throwError: (jobKey, errorCode, errorMessage) =>
      grpcCall(() => zbc.throwError({ jobKey, errorCode, errorMessage })),
    publishMessage: (name, correlationKey, variables = {}, timeToLive = 0) =>
      grpcCall(async () => {
        await zbc.publishMessage({
          name,
          correlationKey,
          variables: variables as never,
          timeToLive,
        });
      }),
    broadcastSignal: (signalName, variables = {}) =>
      grpcCall(async () => {
        await zbc.broadcastSignal({ signalName, variables: variables as never });
      }),
    setVariables: (elementInstanceKey, variables: Vars, local = false) =>
      grpcCall(() => zbc.setVariables({ elementInstanceKey, variables, local })),
    updateRetries: (jobKey, retries) => grpcCall(() => zbc.updateJobRetries({ jobKey, retries })),
    resolveIncident: (incidentKey) => grpcCall(() => zbc.resolveIncident({ incidentKey })),
    cancelInstance: (key) => grpcCall(() => zbc.cancelProcessInstance(key)),
    evaluateDecision: (decisionId, variables = {}) =>
      grpcCall(async () => {
        const r = await zbc.evaluateDecision({ decisionId, variables: variables as never });
        return { decisionId: r.decisionId, output: JSON.parse(r.decisionOutput) as unknown };
      }),
    close: async () => {
      await zbc.close();
    },
  };
}
