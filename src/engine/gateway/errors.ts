/**
 * Turns whatever a handler threw into a gRPC status. EngineError codes map 1:1 to
 * gRPC codes; anything else is INTERNAL with a generic message, so stack traces and
 * internals never reach a client.
 */
import { status, type ServiceError, Metadata } from '@grpc/grpc-js';
import { EngineError, type EngineErrorCode } from '../api';

const CODES: Record<EngineErrorCode, status> = {
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
  PERMISSION_DENIED: status.PERMISSION_DENIED,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  UNAVAILABLE: status.UNAVAILABLE,
  INTERNAL: status.INTERNAL,
};

/** An error raised by the gateway itself (validation, auth, back-pressure). */
export class GatewayError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export function invalidArgument(message: string): GatewayError {
  return new GatewayError(status.INVALID_ARGUMENT, message);
}

export interface MappedError {
  code: status;
  details: string;
  /** True when the failure is ours, not the caller's: worth logging. */
  internal: boolean;
}

export function mapError(err: unknown): MappedError {
  if (err instanceof GatewayError) return { code: err.code, details: err.message, internal: false };
  if (err instanceof EngineError) {
    const code = CODES[err.code] ?? status.INTERNAL;
    return { code, details: err.message, internal: code === status.INTERNAL };
  }
  return {
    code: status.INTERNAL,
    details: 'Internal error in the engine gateway; see the server log.',
    internal: true,
  };
}

export function toServiceError(mapped: MappedError): Partial<ServiceError> {
  return { code: mapped.code, details: mapped.details, metadata: new Metadata() };
}
