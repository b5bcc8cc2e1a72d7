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

/**
 * Limits of one variables document (issue 9): a command's records must fit one log append
 * (they hold the document up to three times), so larger ones are refused up front.
 */
export const VARIABLE_DOCUMENT_LIMITS = { bytes: 1024 * 1024, variables: 1000 };

export function checkVariables(vars: unknown, field = 'variables'): Record<string, unknown> {
  if (vars === undefined || vars === null) return {};
  if (typeof vars !== 'object' || Array.isArray(vars)) {
    throw new EngineError('INVALID_ARGUMENT', `${field} must be a JSON object`);
  }
  const count = Object.keys(vars).length;
  if (count > VARIABLE_DOCUMENT_LIMITS.variables) {
    throw new EngineError(
      'RESOURCE_EXHAUSTED',
      `${field} holds ${count} variables; a variables document may hold at most ${VARIABLE_DOCUMENT_LIMITS.variables}`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(vars));
  if (bytes > VARIABLE_DOCUMENT_LIMITS.bytes) {
    throw new EngineError(
      'RESOURCE_EXHAUSTED',
      `${field} is ${bytes} bytes of JSON; a variables document may be at most ${VARIABLE_DOCUMENT_LIMITS.bytes} bytes (1 MiB)`,
    );
  }
  return vars as Record<string, unknown>;
}
