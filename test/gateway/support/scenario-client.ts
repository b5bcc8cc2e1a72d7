/**
 * One small interface over the three real Zeebe clients the gateway must serve
 * (@camunda8/sdk, zeebe-node 8.3, the zbctl CLI), so that the same scenarios run with
 * each. Errors are normalised to ClientCallError carrying the gRPC status code.
 */
import { status } from '@grpc/grpc-js';

export type Vars = Record<string, unknown>;

export interface ClientJob {
  key: string;
  type: string;
  processInstanceKey: string;
  elementInstanceKey: string;
  elementId: string;
  retries: number;
  variables: Vars;
  customHeaders: Record<string, string>;
}

export interface DeployedResources {
  key: string;
  processes: { bpmnProcessId: string; processDefinitionKey: string; version: number }[];
  decisions: { dmnDecisionId: string; decisionKey: string }[];
}

export interface ScenarioClient {
  readonly name: string;
  topology(): Promise<{ brokerCount: number; partitionsCount: number }>;
  deploy(fileName: string, content: string): Promise<DeployedResources>;
  createInstance(
    bpmnProcessId: string,
    variables?: Vars,
  ): Promise<{ processInstanceKey: string; version: number }>;
  createInstanceWithResult(
    bpmnProcessId: string,
    variables?: Vars,
    fetchVariables?: string[],
  ): Promise<{ processInstanceKey: string; variables: Vars }>;
  activateJobs(type: string, maxJobs?: number): Promise<ClientJob[]>;
  completeJob(jobKey: string, variables?: Vars): Promise<void>;
  failJob(
    jobKey: string,
    retries: number,
    errorMessage: string,
    retryBackOffMs?: number,
  ): Promise<void>;
  throwError(jobKey: string, errorCode: string, errorMessage: string): Promise<void>;
  publishMessage(
    name: string,
    correlationKey: string,
    variables?: Vars,
    ttlMs?: number,
  ): Promise<void>;
  broadcastSignal(signalName: string, variables?: Vars): Promise<void>;
  setVariables(elementInstanceKey: string, variables: Vars, local?: boolean): Promise<void>;
  updateRetries(jobKey: string, retries: number): Promise<void>;
  resolveIncident(incidentKey: string): Promise<void>;
  cancelInstance(processInstanceKey: string): Promise<void>;
  evaluateDecision(
    decisionId: string,
    variables?: Vars,
  ): Promise<{ decisionId: string; output: unknown }>;
  close(): Promise<void>;
}

export class ClientCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ClientCallError';
  }
}

/** Error from a grpc-based client → ClientCallError (numeric code kept). */
export function normaliseGrpcError(err: unknown): ClientCallError {
  const e = err as { code?: unknown; details?: string; message?: string };
  let code = typeof e.code === 'number' ? e.code : NaN;
  if (Number.isNaN(code)) {
    const m = /(\d+) ([A-Z_]+):/.exec(e.message ?? '');
    code = m ? Number(m[1]) : status.UNKNOWN;
  }
  return new ClientCallError(code, e.details ?? e.message ?? String(err));
}

export async function grpcCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw normaliseGrpcError(err);
  }
}

/** Parses JSON fields that some clients hand back as strings. */
export function asObject(value: unknown): Vars {
  if (typeof value === 'string') return value === '' ? {} : (JSON.parse(value) as Vars);
  return (value ?? {}) as Vars;
}

interface LooseDeployment {
  process?: { bpmnProcessId: string; processDefinitionKey: unknown; version: number };
  decision?: { dmnDecisionId: string; decisionKey: unknown };
}

/** DeployResourceResponse (as any client decodes it) → DeployedResources. */
export function toDeployed(res: { key: unknown; deployments: unknown[] }): DeployedResources {
  const deployments = res.deployments as LooseDeployment[];
  return {
    key: String(res.key),
    processes: deployments.flatMap((d) =>
      d.process
        ? [
            {
              bpmnProcessId: d.process.bpmnProcessId,
              processDefinitionKey: String(d.process.processDefinitionKey),
              version: d.process.version,
            },
          ]
        : [],
    ),
    decisions: deployments.flatMap((d) =>
      d.decision
        ? [{ dmnDecisionId: d.decision.dmnDecisionId, decisionKey: String(d.decision.decisionKey) }]
        : [],
    ),
  };
}
