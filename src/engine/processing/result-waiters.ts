/**
 * CreateProcessInstanceWithResult: the caller waits until the instance completes (the
 * PROCESS_INSTANCE_RESULT record is durable) or its request time-out passes on the clock.
 */
import {
  EngineError,
  type CallContext,
  type CreateProcessInstanceWithResultRequest,
  type CreateProcessInstanceWithResultResponse,
} from '../api';
import type { Clock } from '../scheduler/clock';
import type { EngineHooks } from './bpmn/bpmn-context';
import { createProcessInstance } from './commands/instances';
import type { StreamProcessor } from './stream-processor';

/** Wait when the request gives no time-out (Zeebe's default request time-out is longer). */
const DEFAULT_RESULT_TIMEOUT_MS = 30_000;

type Variables = Record<string, unknown>;

export class ResultWaiters implements Pick<EngineHooks, 'hasResultWaiter' | 'resultReady'> {
  private readonly waiters = new Map<number, (vars: Variables) => void>();

  constructor(
    private readonly processor: StreamProcessor,
    private readonly clock: Clock,
  ) {}

  hasResultWaiter(processInstanceKey: number): boolean {
    return this.waiters.has(processInstanceKey);
  }

  resultReady(processInstanceKey: number, variables: Variables): void {
    const w = this.waiters.get(processInstanceKey);
    this.waiters.delete(processInstanceKey);
    w?.(variables);
  }

  async createWithResult(
    req: CreateProcessInstanceWithResultRequest,
    call?: CallContext,
  ): Promise<CreateProcessInstanceWithResultResponse> {
    let settle!: (vars: Variables) => void;
    const result = new Promise<Variables>((resolve) => (settle = resolve));
    let key = 0;
    const created = await this.processor.submit((c) => {
      const res = createProcessInstance(c, req.request, call);
      key = Number(res.processInstanceKey);
      this.waiters.set(key, settle);
      return res;
    });
    const timeoutMs =
      req.requestTimeoutMs && req.requestTimeoutMs > 0
        ? req.requestTimeoutMs
        : DEFAULT_RESULT_TIMEOUT_MS;
    let cancel: (() => void) | undefined;
    const timeout = new Promise<never>((_, reject) => {
      cancel = this.clock.schedule(this.clock.now() + timeoutMs, () => {
        this.waiters.delete(key);
        reject(
          new EngineError(
            'DEADLINE_EXCEEDED',
            `process instance ${key} did not complete within ${timeoutMs} ms`,
          ),
        );
      });
    });
    try {
      let variables = await Promise.race([result, timeout]);
      if (req.fetchVariables?.length) {
        variables = Object.fromEntries(
          req.fetchVariables.filter((n) => n in variables).map((n) => [n, variables[n]]),
        );
      }
      return { ...created, variables };
    } finally {
      cancel?.();
    }
  }
}
