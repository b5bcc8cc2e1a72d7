/**
 * Whose data a monitoring call may see: one province (tenant). Every history search
 * carries the tenant filter and every answer is checked against it once more, so a
 * mistake in one place cannot show another province's data.
 */
export interface MonitoringScope {
  tenantId: string;
}

import { NotFoundError, ValidationError } from '../errors';

/** Thrown for anything outside the scope, exactly as for something that does not exist. */
export { NotFoundError };

/** Bad input from the user: names the field; the message is shown to people (Italian). */
export class InvalidInputError extends ValidationError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message, [{ field, message }]);
    this.name = 'InvalidInputError';
  }
}

export function inScope<T extends { tenantId: string }>(scope: MonitoringScope, items: T[]): T[] {
  return items.filter((i) => i.tenantId === scope.tenantId);
}
