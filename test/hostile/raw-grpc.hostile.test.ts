/**
 * Hostile input, family "raw gRPC": protobuf bytes no Zeebe client would send —
 * length-delimited fields that run past the end of the message (truncated), past the
 * end of their nested message, strings that are not UTF-8, broken varints, field
 * number 0, group wire types. The gateway refuses each whole with INVALID_ARGUMENT
 * naming the field while an innocent instance completes (answer times: `npm run bench`,
 * BENCH_SUITES=hostile).
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { gatewayProtoPath } from '../../src/engine/gateway';
import { PROTO_LOADER_OPTIONS } from '../../src/engine/gateway/proto';
import { noTaskProcess } from '../gateway/support/models';
import { expectRefused, startHostileHarness, type HostileHarness } from './support/hostile-harness';

let h: HostileHarness;
beforeAll(async () => {
  h = await startHostileHarness();
});
afterAll(async () => {
  await h?.close();
});

const definition = protoLoader.loadSync(gatewayProtoPath(), PROTO_LOADER_OPTIONS);
const methods = definition['gateway_protocol.Gateway'] as unknown as Record<
  string,
  { requestSerialize(value: object): Buffer }
>;
const encode = (method: string, request: object) => methods[method].requestSerialize(request);

/** Valid requests whose last field is length-delimited, so cutting bytes truncates it. */
const requests: [string, object, string][] = [
  [
    'PublishMessage',
    { name: 'hostile-message', correlationKey: 'key-1', variables: '{"a":"some value"}' },
    'variables',
  ],
  [
    'BroadcastSignal',
    { signalName: 'hostile-signal', variables: '{"a":"some value"}' },
    'variables',
  ],
  [
    'CreateProcessInstance',
    { bpmnProcessId: 'raw_target', version: -1, variables: '{"a":"some value"}' },
    'variables',
  ],
  ['EvaluateDecision', { decisionId: 'nothing', variables: '{"amount":5}' }, 'variables'],
  [
    'DeployResource',
    { resources: [{ name: 'raw.bpmn', content: Buffer.from(noTaskProcess('raw_deploy')) }] },
    'resources',
  ],
];

describe('truncated length-delimited fields', () => {
  const cuts = [1, 5];
  const cases = requests.flatMap(([method, request, field]) =>
    cuts.map((cut) => [method, cut, request, field] as const),
  );
  test.each(cases)(
    '%s cut short by %i bytes is INVALID_ARGUMENT',
    async (method, cut, request, field) => {
      const bytes = encode(method, request);
      await expectRefused(h, () => h.rawBytes(method, bytes.subarray(0, bytes.length - cut)), {
        code: grpc.status.INVALID_ARGUMENT,
        mentions: ['malformed request', `'${field}'`, 'truncated'],
      });
    },
  );

  test('the same requests, whole, are answered (control)', async () => {
    await h.raw.call('DeployResource', {
      resources: [{ name: 'raw_target.bpmn', content: Buffer.from(noTaskProcess('raw_target')) }],
    });
    const whole = requests.filter(([m]) => m !== 'EvaluateDecision');
    for (const [method, request] of whole) {
      const reply = await h.rawBytes(method, encode(method, request));
      expect(reply).toBeInstanceOf(Buffer);
    }
  });

  test('a nested message field that runs past its parent is INVALID_ARGUMENT', async () => {
    // DeployResource { resources: Resource { name, content } }: make `content` claim more
    // bytes than the Resource holds, while the outer length stays consistent.
    const content = Buffer.from('<x/>');
    const resource = Buffer.concat([
      Buffer.from([0x0a, 5]),
      Buffer.from('a.dmn'),
      Buffer.from([0x12, content.length + 20]),
      content,
    ]);
    const trailer = Buffer.from([0x12, 3, 0x30, 0x33, 0x39]); // tenantId = "039"
    const bytes = Buffer.concat([Buffer.from([0x0a, resource.length]), resource, trailer]);
    await expectRefused(h, () => h.rawBytes('DeployResource', bytes), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: ["Resource: field 'content'"],
    });
  });
});

describe('other malformed bytes', () => {
  const cases: [string, string, Buffer, string][] = [
    ['PublishMessage', 'a name that is not UTF-8', Buffer.from([0x0a, 2, 0xc3, 0x28]), 'UTF-8'],
    [
      'BroadcastSignal',
      'a varint that never ends',
      Buffer.from([0x0a, 0xff, 0xff, 0xff]),
      'truncated',
    ],
    ['PublishMessage', 'field number 0', Buffer.from([0x02, 0x01, 0x61]), 'field number 0'],
    ['PublishMessage', 'a group wire type', Buffer.from([0x0b, 0x0c]), 'wire type'],
    ['CreateProcessInstance', 'a fixed64 cut short', Buffer.from([0x19, 1, 2, 3]), 'truncated'],
  ];
  test.each(cases)('%s with %s is INVALID_ARGUMENT', async (method, _label, bytes, problem) => {
    await expectRefused(h, () => h.rawBytes(method, bytes), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: ['malformed request', problem],
    });
  });
});
