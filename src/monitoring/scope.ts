/**
 * Whose data a monitoring call may see: one province (tenant). Every history search
 * carries the tenant filter and every answer is checked against it once more, so a
 * mistake in one place cannot show another province's data.
 */
export interface MonitoringScope {
  tenantId: string;
}

/** Thrown for anything outside the scope, exactly as for something that does not exist. */
export class NotFoundError extends Error {
  /** `message` is for users, e.g. "Istanza non trovata". */
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Bad input from the user: the message names the field. */
export class InvalidInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

export function inScope<T extends { tenantId: string }>(scope: MonitoringScope, items: T[]): T[] {
  return items.filter((i) => i.tenantId === scope.tenantId);
}
