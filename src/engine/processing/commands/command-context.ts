/** Helpers shared by command processors: tenant checks and rejections. */
import { EngineError, type CallContext } from '../../api';

export function checkTenant(tenantId: string, call: CallContext | undefined, what: string): void {
  const allowed = call?.authorizedTenants;
  if (allowed && !allowed.includes(tenantId)) {
    throw new EngineError('NOT_FOUND', `${what} not found`);
  }
}

export function requireTenantAccess(tenantId: string, call: CallContext | undefined): void {
  const allowed = call?.authorizedTenants;
  if (allowed && !allowed.includes(tenantId)) {
    throw new EngineError('PERMISSION_DENIED', `not authorized for tenant '${tenantId}'`);
  }
}

export function parseKey(text: string | number | undefined, field: string): number {
  const n = typeof text === 'number' ? text : Number(text);
  // A well-formed int64 beyond the keys this engine issues cannot exist: not found, as Zeebe says.
  if (typeof text === 'string' && /^[1-9][0-9]{0,18}$/.test(text) && !Number.isSafeInteger(n)) {
    throw new EngineError('NOT_FOUND', `${field} '${text}' not found`);
  }
  if (text === undefined || text === '' || !Number.isSafeInteger(n) || n <= 0) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `${field} must be a positive key, got '${String(text)}'`,
    );
  }
  return n;
}

export function checkVariables(vars: unknown, field = 'variables'): Record<string, unknown> {
  if (vars === undefined || vars === null) return {};
  if (typeof vars !== 'object' || Array.isArray(vars)) {
    throw new EngineError('INVALID_ARGUMENT', `${field} must be a JSON object`);
  }
  return vars as Record<string, unknown>;
}
