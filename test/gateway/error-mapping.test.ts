/**
 * How failures reach Zeebe clients: engine error codes map 1:1 to gRPC status codes,
 * and anything unexpected is INTERNAL with a message that leaks nothing.
 */
import { status } from '@grpc/grpc-js';
import { EngineError, type EngineErrorCode } from '../../src/engine/api';
import { mapError } from '../../src/engine/gateway/errors';
import { parseVariables } from '../../src/engine/gateway/values';

test.each<[EngineErrorCode, status]>([
  ['INVALID_ARGUMENT', status.INVALID_ARGUMENT],
  ['NOT_FOUND', status.NOT_FOUND],
  ['FAILED_PRECONDITION', status.FAILED_PRECONDITION],
  ['ALREADY_EXISTS', status.ALREADY_EXISTS],
  ['RESOURCE_EXHAUSTED', status.RESOURCE_EXHAUSTED],
  ['PERMISSION_DENIED', status.PERMISSION_DENIED],
  ['DEADLINE_EXCEEDED', status.DEADLINE_EXCEEDED],
  ['UNAVAILABLE', status.UNAVAILABLE],
  ['INTERNAL', status.INTERNAL],
])('EngineError %s becomes gRPC status %i with its message', (code, grpcCode) => {
  const mapped = mapError(new EngineError(code, `Expected job 42 to exist (${code})`));
  expect(mapped.code).toBe(grpcCode);
  expect(mapped.details).toBe(`Expected job 42 to exist (${code})`);
});

test('an unexpected error is INTERNAL without its message or stack', () => {
  const err = new TypeError("Cannot read properties of undefined (reading 'secret')");
  const mapped = mapError(err);
  expect(mapped.code).toBe(status.INTERNAL);
  expect(mapped.details).not.toContain('secret');
  expect(mapped.details).not.toContain('at ');
  expect(mapped.internal).toBe(true);
});

test('variables must be a JSON object; the message names the field', () => {
  expect(parseVariables('{"a":1}', 'variables')).toEqual({ a: 1 });
  expect(parseVariables('', 'variables')).toBeUndefined();
  expect(() => parseVariables('"text"', 'request.variables')).toThrow(/'request.variables'/);
  expect(() => parseVariables('null', 'variables')).toThrow(/object/);
});
