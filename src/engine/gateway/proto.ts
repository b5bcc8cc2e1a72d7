/**
 * Loads Zeebe's gateway.proto as shipped in @camunda8/sdk, at run time, so the gateway
 * always serves exactly the protocol the product's client speaks.
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { indexMessages, wireProblem } from './wire-check';

export function gatewayProtoPath(): string {
  const sdkRoot = path.dirname(require.resolve('@camunda8/sdk/package.json'));
  return path.join(sdkRoot, 'dist', 'proto', 'zeebe.proto');
}

/**
 * int64 travel as decimal strings (`longs: String`) so 64-bit keys never lose
 * precision; enums as their names; defaults filled so absent fields read as Zeebe's
 * zero values.
 */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

let cached: grpc.ServiceDefinition | undefined;

/**
 * Set on a decoded request whose bytes were not a well-formed message: the service
 * answers it with INVALID_ARGUMENT naming the problem (a throwing deserializer would
 * make grpc-js answer INTERNAL).
 */
export const MALFORMED_REQUEST = Symbol('malformed request');

export function malformedRequestProblem(request: unknown): string | undefined {
  return request && typeof request === 'object'
    ? (request as { [MALFORMED_REQUEST]?: string })[MALFORMED_REQUEST]
    : undefined;
}

export function loadGatewayService(): grpc.ServiceDefinition {
  if (cached) return cached;
  const definition = protoLoader.loadSync(gatewayProtoPath(), PROTO_LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
  };
  const messages = indexMessages(definition, 'gateway_protocol');
  const service: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(pkg.gateway_protocol.Gateway.service)) {
    // proto-loader's method definitions carry the request's message descriptor.
    const requestName = (method as { requestType?: { type?: { name?: string } } }).requestType?.type
      ?.name;
    const decode = method.requestDeserialize;
    service[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        const problem = requestName ? wireProblem(bytes, requestName, messages) : undefined;
        if (problem) return { [MALFORMED_REQUEST]: `malformed request: ${problem}` };
        return decode(bytes);
      },
    };
  }
  cached = service;
  return cached;
}
