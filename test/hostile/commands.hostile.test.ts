/**
 * Hostile input, family "commands": well-formed requests with hostile values — variable
 * documents nested 100,000 deep, `__proto__` names, ids of a mebibyte — on every RPC
 * that takes them. Each is refused with INVALID_ARGUMENT naming the field and the limit,
 * with an innocent instance completing alongside (answer times: `npm run bench`,
 * BENCH_SUITES=hostile).
 */
import * as grpc from '@grpc/grpc-js';
import { MAX_ID_LENGTH, MAX_VARIABLES_DEPTH } from '../../src/engine/gateway/values';
import { oneTaskProcess, procedureDecision } from '../gateway/support/models';
import { expectRefused, startHostileHarness, type HostileHarness } from './support/hostile-harness';

let h: HostileHarness;
let jobKey: string;
let elementInstanceKey: string;

beforeAll(async () => {
  h = await startHostileHarness();
  await h.raw.call('DeployResource', {
    resources: [
      { name: 'target.bpmn', content: Buffer.from(oneTaskProcess('target', 'target-work')) },
      { name: 'target.dmn', content: Buffer.from(procedureDecision('target_decision')) },
    ],
  });
  const created = await h.raw.call('CreateProcessInstance', {
    bpmnProcessId: 'target',
    version: -1,
  });
  elementInstanceKey = String(created.processInstanceKey);
  const [batch] = await h.raw.activate({
    type: 'target-work',
    worker: 'w',
    timeout: 600_000,
    maxJobsToActivate: 1,
    requestTimeout: 5000,
  });
  jobKey = String((batch.jobs as { key: string }[])[0].key);
});
afterAll(async () => {
  await h?.close();
});

const deep = (depth: number, open = '{"a":', close = '}') =>
  open.repeat(depth) + '1' + close.repeat(depth);

/** Every RPC that takes a variables document, with that document. */
const withVariables: [string, (variables: string) => Promise<unknown>][] = [
  [
    'CreateProcessInstance',
    (variables) =>
      h.raw.call('CreateProcessInstance', { bpmnProcessId: 'target', version: -1, variables }),
  ],
  [
    'CreateProcessInstanceWithResult',
    (variables) =>
      h.raw.call('CreateProcessInstanceWithResult', {
        request: { bpmnProcessId: 'target', version: -1, variables },
        requestTimeout: 1000,
      }),
  ],
  [
    'PublishMessage',
    (variables) => h.raw.call('PublishMessage', { name: 'm', correlationKey: 'k', variables }),
  ],
  ['BroadcastSignal', (variables) => h.raw.call('BroadcastSignal', { signalName: 's', variables })],
  ['CompleteJob', (variables) => h.raw.call('CompleteJob', { jobKey, variables })],
  ['FailJob', (variables) => h.raw.call('FailJob', { jobKey, retries: 3, variables })],
  ['ThrowError', (variables) => h.raw.call('ThrowError', { jobKey, errorCode: 'E', variables })],
  ['SetVariables', (variables) => h.raw.call('SetVariables', { elementInstanceKey, variables })],
  [
    'EvaluateDecision',
    (variables) => h.raw.call('EvaluateDecision', { decisionId: 'target_decision', variables }),
  ],
];

describe('variables nested too deep', () => {
  const documents: [string, string][] = [
    ['objects 100,000 deep', deep(100_000)],
    ['arrays 100,000 deep', `{"a":${deep(100_000, '[', ']')}}`],
    [`objects ${MAX_VARIABLES_DEPTH + 1} deep`, deep(MAX_VARIABLES_DEPTH + 1)],
  ];
  const cases = withVariables.flatMap(([rpc, send]) =>
    documents.map(([label, doc]) => [rpc, label, send, doc] as const),
  );
  test.each(cases)('%s with %s is INVALID_ARGUMENT', async (_rpc, _label, send, doc) => {
    await expectRefused(h, () => send(doc), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: ["variables'", `at most ${MAX_VARIABLES_DEPTH} levels`],
    });
  });

  test(`a document ${MAX_VARIABLES_DEPTH} levels deep is accepted and kept whole`, async () => {
    const doc = deep(MAX_VARIABLES_DEPTH - 1);
    const res = await h.raw.call('EvaluateDecision', {
      decisionId: 'target_decision',
      variables: JSON.stringify({ amount: 5, nested: JSON.parse(doc) }),
    });
    expect(res.decisionOutput).toBe('"affidamento diretto"');
  });
});

describe('variables named __proto__', () => {
  const documents: [string, string][] = [
    ['a top-level __proto__', '{"__proto__": {"x": 1}, "b": 2}'],
    ['a nested __proto__', '{"a": {"b": [{"__proto__": 1}]}}'],
  ];
  const cases = withVariables.flatMap(([rpc, send]) =>
    documents.map(([label, doc]) => [rpc, label, send, doc] as const),
  );
  test.each(cases)('%s with %s is INVALID_ARGUMENT', async (_rpc, _label, send, doc) => {
    await expectRefused(h, () => send(doc), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: ["variables'", '__proto__'],
    });
  });
});

describe('ids longer than the limit', () => {
  const huge = 'x'.repeat(1024 * 1024);
  const justOver = 'y'.repeat(MAX_ID_LENGTH + 1);
  const rpcs: [string, string, (id: string) => Promise<unknown>][] = [
    [
      'CreateProcessInstance',
      'bpmnProcessId',
      (id) => h.raw.call('CreateProcessInstance', { bpmnProcessId: id, version: -1 }),
    ],
    [
      'CreateProcessInstanceWithResult',
      'request.bpmnProcessId',
      (id) =>
        h.raw.call('CreateProcessInstanceWithResult', {
          request: { bpmnProcessId: id, version: -1 },
        }),
    ],
    ['EvaluateDecision', 'decisionId', (id) => h.raw.call('EvaluateDecision', { decisionId: id })],
    [
      'PublishMessage',
      'name',
      (id) => h.raw.call('PublishMessage', { name: id, correlationKey: 'k' }),
    ],
    ['BroadcastSignal', 'signalName', (id) => h.raw.call('BroadcastSignal', { signalName: id })],
    ['ThrowError', 'errorCode', (id) => h.raw.call('ThrowError', { jobKey, errorCode: id })],
    [
      'ActivateJobs',
      'type',
      (id) => h.raw.activate({ type: id, worker: 'w', timeout: 1000, maxJobsToActivate: 1 }),
    ],
    [
      'ActivateJobs',
      'worker',
      (id) => h.raw.activate({ type: 't', worker: id, timeout: 1000, maxJobsToActivate: 1 }),
    ],
    [
      'ModifyProcessInstance',
      'activateInstructions[0].elementId',
      (id) =>
        h.raw.call('ModifyProcessInstance', {
          processInstanceKey: elementInstanceKey,
          activateInstructions: [{ elementId: id }],
        }),
    ],
  ];
  const cases = rpcs.flatMap(([rpc, field, send]) =>
    [
      ['1 MiB', huge],
      [`${MAX_ID_LENGTH + 1} characters`, justOver],
    ].map(([label, id]) => [rpc, field, label, send, id] as const),
  );
  test.each(cases)('%s with a %s of %s is INVALID_ARGUMENT', async (_rpc, field, _l, send, id) => {
    await expectRefused(h, () => send(id), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: [`'${field}'`, `at most ${MAX_ID_LENGTH} characters`],
    });
  });
});
