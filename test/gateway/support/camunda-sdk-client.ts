/** ScenarioClient over @camunda8/sdk's Zeebe gRPC client (the product's client). */
import { Camunda8 } from '@camunda8/sdk';
import {
  asObject,
  grpcCall,
  toDeployed,
  type ClientJob,
  type ScenarioClient,
  type Vars,
} from './scenario-client';

export function camundaSdkClient(address: string): ScenarioClient {
  const zbc = new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${address}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_LOG_LEVEL: 'none',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false },
  }).getZeebeGrpcApiClient();

  return {
    name: '@camunda8/sdk',
    topology: () =>
      grpcCall(async () => {
        const t = await zbc.topology();
        return { brokerCount: t.brokers.length, partitionsCount: t.partitionsCount };
      }),
    deploy: (fileName, content) =>
      grpcCall(async () => {
        const res = await zbc.deployResources([
          { name: fileName, ...resourceOf(fileName, content) },
        ]);
        return toDeployed(res);
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
          worker: 'sdk-test',
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
    completeJob: (jobKey, variables = {}) =>
      grpcCall(() => zbc.completeJob({ jobKey, variables: variables as never })),
    failJob: (jobKey, retries, errorMessage, retryBackOff) =>
      grpcCall(() =>
        zbc.failJob({ jobKey, retries, errorMessage, retryBackOff: retryBackOff ?? 0 }),
      ),
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

function resourceOf(fileName: string, content: string) {
  const buffer = Buffer.from(content);
  if (fileName.endsWith('.dmn')) return { decision: buffer };
  if (fileName.endsWith('.form')) return { form: buffer };
  return { process: buffer };
}
