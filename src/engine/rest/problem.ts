/**
 * Errors of the REST API as RFC 9457 problem details (application/problem+json), the
 * shape the Camunda 8 REST API answers with.
 */
export class RestProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'RestProblem';
  }
}

export const badRequest = (detail: string) => new RestProblem(400, 'INVALID_ARGUMENT', detail);
export const notFound = (detail: string) => new RestProblem(404, 'NOT_FOUND', detail);

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
}

export function problemBody(problem: RestProblem, instance: string): ProblemBody {
  return {
    type: 'about:blank',
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance,
  };
}

/** The engine's error codes as HTTP statuses (the codes mirror gRPC's). */
export const HTTP_STATUS_OF_ENGINE_CODE: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  FAILED_PRECONDITION: 409,
  ALREADY_EXISTS: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 503,
  DEADLINE_EXCEEDED: 504,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};
