/**
 * Domain errors every room may throw; the web layer maps each kind to one HTTP status
 * (src/web/core/errors.ts) and, for /api, to an RFC 9457 problem+json body. Rooms never
 * speak HTTP themselves: they say *what* went wrong, the web layer says how to answer.
 */

/**
 * One invalid field: its path (e.g. "roles/0" or "password"), an English message for
 * logs and API clients, and optionally an i18n key (+ params) the web layer shows to
 * people in their language.
 */
export interface FieldError {
  field: string;
  message: string;
  key?: string;
  params?: Record<string, unknown>;
}

export abstract class DomainError extends Error {
  abstract readonly kind:
    | 'not-found'
    | 'forbidden'
    | 'unauthenticated'
    | 'invalid'
    | 'conflict'
    | 'too-many-requests'
    | 'unavailable';
}

/** The resource does not exist *for this caller* (other tenant or comune included). */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found' as const;
  constructor(message = 'Not found') {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Signed in, but this action needs a permission the caller lacks. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
  constructor(
    message = 'Forbidden',
    readonly permission?: string,
  ) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated' as const;
  constructor(message = 'Authentication required') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/** Bad input: `errors` names every invalid field; nothing was written. */
export class ValidationError extends DomainError {
  readonly kind = 'invalid' as const;
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** The resource changed meanwhile (stale version, already done, duplicate name). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

export class TooManyRequestsError extends DomainError {
  readonly kind = 'too-many-requests' as const;
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'TooManyRequestsError';
  }
}

/** A system this one depends on (e.g. the engine's history API) does not answer now. */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable' as const;
  constructor(
    message: string,
    /** An i18n key saying what is unavailable, for people. */
    readonly key?: string,
    readonly retryAfterSeconds = 30,
  ) {
    super(message);
    this.name = 'UnavailableError';
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
