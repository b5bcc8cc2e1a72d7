/**
 * The built-in engine's typed in-process API.
 *
 * It mirrors the Zeebe gateway API (gateway.proto) one call per RPC, so that the
 * gRPC gateway (src/engine/gateway) is a thin translation layer. Keys are Zeebe-style
 * 64-bit keys carried as decimal strings (partition id in the high bits). Variables
 * are plain JSON objects. Every failure is an EngineError whose code maps 1:1 to a
 * gRPC status code and whose message names the offending field or element.
 *
 * The engine imports nothing from the rest of the product.
 */

export type EngineErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'FAILED_PRECONDITION'
  | 'ALREADY_EXISTS'
  | 'RESOURCE_EXHAUSTED'
  | 'PERMISSION_DENIED'
  | 'DEADLINE_EXCEEDED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Zeebe's default tenant id, used when a request carries none. */
export const DEFAULT_TENANT_ID = '<default>';

export type Variables = Record<string, unknown>;

/**
 * Who is calling. `authorizedTenants` undefined means "all tenants" (the product's
 * own trusted process); otherwise the engine refuses to touch other tenants' data
 * and answers as if it did not exist (NOT_FOUND), as Zeebe does.
 */
export interface CallContext {
  authorizedTenants?: string[];
}

// ---------------------------------------------------------------- deployment

export interface ResourceInput {
  name: string;
  content: Buffer | string;
}

export interface DeployResourceRequest {
  resources: ResourceInput[];
  tenantId?: string;
}

export type DeploymentMetadata =
  | {
      process: {
        bpmnProcessId: string;
        version: number;
        processDefinitionKey: string;
        resourceName: string;
        tenantId: string;
      };
    }
  | {
      decision: {
        dmnDecisionId: string;
        dmnDecisionName: string;
        version: number;
        decisionKey: string;
        dmnDecisionRequirementsId: string;
        decisionRequirementsKey: string;
        tenantId: string;
      };
    }
  | {
      decisionRequirements: {
        dmnDecisionRequirementsId: string;
        dmnDecisionRequirementsName: string;
        version: number;
        decisionRequirementsKey: string;
        resourceName: string;
        tenantId: string;
      };
    }
  | {
      form: {
        formId: string;
        version: number;
        formKey: string;
        resourceName: string;
        tenantId: string;
      };
    };

export interface DeployResourceResponse {
  key: string;
  deployments: DeploymentMetadata[];
  tenantId: string;
}

export interface DeleteResourceRequest {
  resourceKey: string;
}

// ---------------------------------------------------------------- instances

export interface CreateProcessInstanceRequest {
  /** Either processDefinitionKey, or bpmnProcessId (+ optional version; -1/undefined = latest). */
  processDefinitionKey?: string;
  bpmnProcessId?: string;
  version?: number;
  variables?: Variables;
  startInstructions?: { elementId: string }[];
  tenantId?: string;
}

export interface CreateProcessInstanceResponse {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  processInstanceKey: string;
  tenantId: string;
}

export interface CreateProcessInstanceWithResultRequest {
  request: CreateProcessInstanceRequest;
  /** How long to wait for completion; DEADLINE_EXCEEDED after it. */
  requestTimeoutMs?: number;
  /** Only these variables are returned; empty/undefined = all. */
  fetchVariables?: string[];
}

export interface CreateProcessInstanceWithResultResponse extends CreateProcessInstanceResponse {
  variables: Variables;
}

export interface CancelProcessInstanceRequest {
  processInstanceKey: string;
}

export interface SetVariablesRequest {
  elementInstanceKey: string;
  variables: Variables;
  local?: boolean;
}

export interface ModifyProcessInstanceRequest {
  processInstanceKey: string;
  activateInstructions?: {
    elementId: string;
    /** '0' or undefined = let the engine find the flow scope instance. */
    ancestorElementInstanceKey?: string;
    variableInstructions?: { variables: Variables; scopeId?: string }[];
  }[];
  terminateInstructions?: { elementInstanceKey: string }[];
}

export interface MigrateProcessInstanceRequest {
  processInstanceKey: string;
  migrationPlan: {
    targetProcessDefinitionKey: string;
    mappingInstructions: { sourceElementId: string; targetElementId: string }[];
  };
}

// ---------------------------------------------------------------- jobs

export interface ActivateJobsRequest {
  type: string;
  worker?: string;
  /** Job lock timeout in ms. */
  timeout: number;
  maxJobsToActivate: number;
  fetchVariable?: string[];
  /** Long polling: wait up to this long for at least one job (0 = answer at once). */
  requestTimeoutMs?: number;
  tenantIds?: string[];
}

export interface ActivatedJob {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: Record<string, string>;
  worker: string;
  retries: number;
  /** Epoch ms. */
  deadline: number;
  variables: Variables;
  tenantId: string;
}

export interface StreamActivatedJobsRequest {
  type: string;
  worker?: string;
  timeout: number;
  fetchVariable?: string[];
  tenantIds?: string[];
}

export interface CompleteJobRequest {
  jobKey: string;
  variables?: Variables;
}

export interface FailJobRequest {
  jobKey: string;
  retries: number;
  errorMessage?: string;
  /** ms before the job can be activated again. */
  retryBackOff?: number;
  variables?: Variables;
}

export interface ThrowErrorRequest {
  jobKey: string;
  errorCode: string;
  errorMessage?: string;
  variables?: Variables;
}

export interface UpdateJobRetriesRequest {
  jobKey: string;
  retries: number;
}

export interface UpdateJobTimeoutRequest {
  jobKey: string;
  /** New timeout in ms, counted from now. */
  timeout: number;
}

// ---------------------------------------------------------------- messages, signals, incidents

export interface PublishMessageRequest {
  name: string;
  correlationKey?: string;
  /** ms; 0 = correlate only to waiting subscriptions. */
  timeToLive?: number;
  messageId?: string;
  variables?: Variables;
  tenantId?: string;
}

export interface PublishMessageResponse {
  key: string;
  tenantId: string;
}

export interface BroadcastSignalRequest {
  signalName: string;
  variables?: Variables;
  tenantId?: string;
}

export interface BroadcastSignalResponse {
  key: string;
  tenantId: string;
}

export interface ResolveIncidentRequest {
  incidentKey: string;
}

// ---------------------------------------------------------------- decisions

export interface EvaluateDecisionRequest {
  decisionKey?: string;
  decisionId?: string;
  variables?: Variables;
  tenantId?: string;
}

export interface EvaluatedDecision {
  decisionKey: string;
  decisionId: string;
  decisionName: string;
  decisionVersion: number;
  decisionType: string;
  /** JSON-encoded output, as Zeebe returns it. */
  decisionOutput: string;
  matchedRules: {
    ruleId: string;
    ruleIndex: number;
    evaluatedOutputs: { outputId: string; outputName: string; outputValue: string }[];
  }[];
  evaluatedInputs: { inputId: string; inputName: string; inputValue: string }[];
  tenantId: string;
}

export interface EvaluateDecisionResponse {
  decisionKey: string;
  decisionId: string;
  decisionName: string;
  decisionVersion: number;
  decisionRequirementsId: string;
  decisionRequirementsKey: string;
  /** JSON-encoded output. */
  decisionOutput: string;
  evaluatedDecisions: EvaluatedDecision[];
  failedDecisionId: string;
  failureMessage: string;
  tenantId: string;
  decisionInstanceKey: string;
}

// ---------------------------------------------------------------- topology

export interface TopologyResponse {
  brokers: {
    nodeId: number;
    host: string;
    port: number;
    partitions: {
      partitionId: number;
      role: 'LEADER' | 'FOLLOWER' | 'INACTIVE';
      health: 'HEALTHY' | 'UNHEALTHY' | 'DEAD';
    }[];
    version: string;
  }[];
  clusterSize: number;
  partitionsCount: number;
  replicationFactor: number;
  gatewayVersion: string;
}

/** Health as the product's /health endpoint reports it. */
export interface EngineHealth {
  status: 'ok' | 'starting' | 'degraded' | 'stopped';
  logPosition: number;
  activeProcessInstances: number;
  pendingCommands: number;
  /** Recoveries (reload of snapshot + log after a failed append) since the engine started. */
  recoveries: number;
}

// ---------------------------------------------------------------- the engine

export interface EngineApi {
  topology(): TopologyResponse;
  health(): EngineHealth;

  deployResource(req: DeployResourceRequest, ctx?: CallContext): Promise<DeployResourceResponse>;
  deleteResource(req: DeleteResourceRequest, ctx?: CallContext): Promise<void>;

  createProcessInstance(
    req: CreateProcessInstanceRequest,
    ctx?: CallContext,
  ): Promise<CreateProcessInstanceResponse>;
  createProcessInstanceWithResult(
    req: CreateProcessInstanceWithResultRequest,
    ctx?: CallContext,
  ): Promise<CreateProcessInstanceWithResultResponse>;
  cancelProcessInstance(req: CancelProcessInstanceRequest, ctx?: CallContext): Promise<void>;
  setVariables(req: SetVariablesRequest, ctx?: CallContext): Promise<{ key: string }>;
  modifyProcessInstance(req: ModifyProcessInstanceRequest, ctx?: CallContext): Promise<void>;
  migrateProcessInstance(req: MigrateProcessInstanceRequest, ctx?: CallContext): Promise<void>;

  /** Resolves with ≥1 job, or [] when requestTimeoutMs passes; rejects if `signal` aborts. */
  activateJobs(
    req: ActivateJobsRequest,
    ctx?: CallContext,
    signal?: AbortSignal,
  ): Promise<ActivatedJob[]>;
  /** Pushes jobs to `onJob` as they become activatable until `signal` aborts. */
  streamActivatedJobs(
    req: StreamActivatedJobsRequest,
    onJob: (job: ActivatedJob) => void,
    signal: AbortSignal,
    ctx?: CallContext,
  ): void;
  completeJob(req: CompleteJobRequest, ctx?: CallContext): Promise<void>;
  failJob(req: FailJobRequest, ctx?: CallContext): Promise<void>;
  throwError(req: ThrowErrorRequest, ctx?: CallContext): Promise<void>;
  updateJobRetries(req: UpdateJobRetriesRequest, ctx?: CallContext): Promise<void>;
  updateJobTimeout(req: UpdateJobTimeoutRequest, ctx?: CallContext): Promise<void>;

  publishMessage(req: PublishMessageRequest, ctx?: CallContext): Promise<PublishMessageResponse>;
  broadcastSignal(req: BroadcastSignalRequest, ctx?: CallContext): Promise<BroadcastSignalResponse>;
  resolveIncident(req: ResolveIncidentRequest, ctx?: CallContext): Promise<void>;

  evaluateDecision(
    req: EvaluateDecisionRequest,
    ctx?: CallContext,
  ): Promise<EvaluateDecisionResponse>;

  /** Stops accepting commands, flushes the log, stops timers. */
  close(): Promise<void>;
}
