/**
 * A plain @grpc/grpc-js client of gateway.proto, for what the Zeebe client libraries
 * will not send (malformed JSON, deprecated RPCs, missing or foreign tokens).
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { gatewayProtoPath } from '../../../src/engine/gateway';

type Msg = Record<string, unknown>;

export interface RawClient {
  call(method: string, request: Msg, metadata?: Record<string, string>): Promise<Msg>;
  /** A server-streaming call left to the caller (e.g. to cancel it). */
  stream(
    method: string,
    request: Msg,
    metadata?: Record<string, string>,
  ): grpc.ClientReadableStream<Msg>;
  /** ActivateJobs: collects every response of the stream. */
  activate(request: Msg, metadata?: Record<string, string>): Promise<Msg[]>;
  close(): void;
}

export function rawClient(
  address: string,
  credentials = grpc.credentials.createInsecure(),
): RawClient {
  const def = protoLoader.loadSync(gatewayProtoPath(), {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
  };
  const client = new pkg.gateway_protocol.Gateway(address, credentials) as unknown as Record<
    string,
    (...args: unknown[]) => unknown
  > &
    grpc.Client;

  const meta = (m: Record<string, string> = {}) => {
    const md = new grpc.Metadata();
    for (const [k, v] of Object.entries(m)) md.set(k, v);
    return md;
  };

  return {
    call: (method, request, metadata) =>
      new Promise((resolve, reject) => {
        client[method].call(
          client,
          request,
          meta(metadata),
          (err: grpc.ServiceError | null, res: Msg) => (err ? reject(err) : resolve(res)),
        );
      }),
    stream: (method, request, metadata) =>
      client[method].call(client, request, meta(metadata)) as grpc.ClientReadableStream<Msg>,
    activate: (request, metadata) =>
      new Promise((resolve, reject) => {
        const responses: Msg[] = [];
        const stream = client.ActivateJobs.call(
          client,
          request,
          meta(metadata),
        ) as grpc.ClientReadableStream<Msg>;
        stream.on('data', (m: Msg) => responses.push(m));
        stream.on('error', reject);
        stream.on('end', () => resolve(responses));
      }),
    close: () => client.close(),
  };
}
