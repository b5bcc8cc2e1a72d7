import * as grpc from '@grpc/grpc-js';
import * as loader from '@grpc/proto-loader';
import { gatewayProtoPath } from '../src/engine/gateway';
const def = loader.loadSync(gatewayProtoPath(), { longs: String, defaults: true, keepCase: true });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const proto = grpc.loadPackageDefinition(def) as any;
const client = new proto.gateway_protocol.Gateway(process.argv[2], grpc.credentials.createInsecure());
const call = (m: string, req: unknown) => new Promise((res, rej) => client[m](req, (e: unknown, r: unknown) => (e ? rej(e) : res(r))));
async function main() {
  for (const [m, req] of [
    ['Topology', {}],
    ['CreateProcessInstance', { bpmnProcessId: 'empty', version: -1, variables: '{}' }],
    ['CreateProcessInstanceWithResult', { request: { bpmnProcessId: 'empty', version: -1, variables: '{}' }, requestTimeout: 10000 }],
  ] as const) {
    const lat: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = process.hrtime.bigint();
      await call(m, req);
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    lat.sort((a, b) => a - b);
    console.log(m, 'p50', lat[50].toFixed(2), 'p90', lat[90].toFixed(2));
  }
  client.close();
}
void main();
