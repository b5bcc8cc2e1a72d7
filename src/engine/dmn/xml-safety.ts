import { DmnValidationError } from './errors';

export const DEFAULT_MAX_DMN_BYTES = 4 * 1024 * 1024;

/**
 * Refuses XML that could expand entities or reach external ones, and oversized input.
 * DMN never needs a DTD, so any DOCTYPE or ENTITY declaration is rejected outright
 * rather than trusting the parser to ignore it.
 */
export function assertSafeXml(xml: string, resourceName: string, maxBytes: number): void {
  const size = Buffer.byteLength(xml, 'utf8');
  if (size > maxBytes) {
    throw new DmnValidationError(
      resourceName,
      undefined,
      `resource is ${size} bytes, above the limit of ${maxBytes} bytes`,
    );
  }
  if (/<!DOCTYPE/i.test(xml)) {
    throw new DmnValidationError(
      resourceName,
      undefined,
      'DOCTYPE declarations are not allowed (no DTDs, no entities)',
    );
  }
  if (/<!ENTITY/i.test(xml)) {
    throw new DmnValidationError(resourceName, undefined, 'ENTITY declarations are not allowed');
  }
}
