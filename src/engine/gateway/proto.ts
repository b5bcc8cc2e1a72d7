/**
 * Loads Zeebe's gateway.proto as shipped in @camunda8/sdk, at run time, so the gateway
 * always serves exactly the protocol the product's client speaks.
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

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

export function loadGatewayService(): grpc.ServiceDefinition {
  if (cached) return cached;
  const definition = protoLoader.loadSync(gatewayProtoPath(), PROTO_LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
  };
  cached = pkg.gateway_protocol.Gateway.service;
  return cached;
}
