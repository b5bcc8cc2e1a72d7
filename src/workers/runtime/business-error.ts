/**
 * A business outcome a handler reports as a BPMN error (ThrowError): the process
 * catches it by error code with an error boundary or event, unlike a technical
 * failure, which fails the job and is retried.
 */
export class BusinessError extends Error {
  constructor(
    readonly errorCode: string,
    message?: string,
    /** Variables set on the scope of the catching error event. */
    readonly variables?: Record<string, unknown>,
  ) {
    super(message ?? errorCode);
    this.name = 'BusinessError';
  }
}
