/**
 * Hostile input, family "commands" and "deploy": valid but large payloads (issue 9,
 * items 2 and 3). A variables document over 1 MiB or over 1,000 variables, a deployment of
 * more than 100 resources or 3 MiB are refused up front with RESOURCE_EXHAUSTED naming the
 * limit (before, they pushed the engine into a recovery: "Cannot append … records"); a
 * multi-instance activity over more items than its limit gets an incident naming the
 * element and the limit (before, it stalled the engine); at the limit it runs
 * (test/engine/step-budget.test.ts).
 */
import * as grpc from '@grpc/grpc-js';
import { bpmn, chain } from '../support/bpmn-xml';
import { eventually, incidents, records } from '../engine/support';
import { oneTaskProcess } from '../gateway/support/models';
import { expectRefused, startHostileHarness, type HostileHarness } from './support/hostile-harness';

let h: HostileHarness;

const multiInstance = (sequential: boolean) =>
  bpmn(
    sequential ? 'mi_sequential' : 'mi_parallel',
    `<bpmn:startEvent id="s" />
     <bpmn:manualTask id="each">
       <bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}">
         <bpmn:extensionElements>
           <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=item" />
         </bpmn:extensionElements>
       </bpmn:multiInstanceLoopCharacteristics>
     </bpmn:manualTask>
     <bpmn:endEvent id="e" />
     ${chain(['s', 'each', 'e'])}`,
  );

beforeAll(async () => {
  h = await startHostileHarness();
  await h.raw.call('DeployResource', {
    resources: [
      { name: 'target.bpmn', content: Buffer.from(oneTaskProcess('target', 'target-work')) },
      { name: 'mi-parallel.bpmn', content: Buffer.from(multiInstance(false)) },
    ],
    tenantId: 'hostile',
  });
});
afterAll(async () => {
  await h?.close();
});
// Never a recovery caused by a request.
afterEach(() => expect(h.running.engine.health()).toMatchObject({ status: 'ok', recoveries: 0 }));

const create = (variables: string) =>
  h.raw.call('CreateProcessInstance', {
    bpmnProcessId: 'target',
    version: -1,
    tenantId: 'hostile',
    variables,
  });

describe('large variables documents', () => {
  it('refuses 1.5 MiB of variables with RESOURCE_EXHAUSTED naming the limit', async () => {
    const variables = JSON.stringify({ blob: 'x'.repeat(1.5 * 1024 * 1024) });
    await expectRefused(h, () => create(variables), {
      code: grpc.status.RESOURCE_EXHAUSTED,
      mentions: ['1048576 bytes'],
    });
  });

  it('refuses 10,000 variables in one document with RESOURCE_EXHAUSTED naming the limit', async () => {
    const doc: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) doc[`v${i}`] = i;
    await expectRefused(h, () => create(JSON.stringify(doc)), {
      code: grpc.status.RESOURCE_EXHAUSTED,
      mentions: ['10000 variables', 'at most 1000'],
    });
  });

  it('accepts a document at the limits', async () => {
    const doc: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) doc[`v${i}`] = 'x'.repeat(900);
    const created = await create(JSON.stringify(doc));
    expect(String(created.processInstanceKey)).toMatch(/^\d+$/);
  });
});

describe('large deployments', () => {
  it('refuses more than 100 resources with RESOURCE_EXHAUSTED naming the limit', async () => {
    const resources = Array.from({ length: 150 }, (_, i) => ({
      name: `p${i}.bpmn`,
      content: Buffer.from(oneTaskProcess(`many_${i}`, 'many-work')),
    }));
    await expectRefused(h, () => h.raw.call('DeployResource', { resources, tenantId: 'hostile' }), {
      code: grpc.status.RESOURCE_EXHAUSTED,
      mentions: ['150 resources', 'at most 100'],
    });
  });

  it('refuses a valid BPMN of 3.5 MiB with RESOURCE_EXHAUSTED naming the limit', async () => {
    const padding = `<bpmn:documentation>${'x'.repeat(3.5 * 1024 * 1024)}</bpmn:documentation>`;
    const big = bpmn('big', `${padding}<bpmn:startEvent id="s" />`);
    await expectRefused(
      h,
      () =>
        h.raw.call('DeployResource', {
          resources: [{ name: 'big.bpmn', content: Buffer.from(big) }],
          tenantId: 'hostile',
        }),
      { code: grpc.status.RESOURCE_EXHAUSTED, mentions: ['3145728 bytes'] },
    );
  });
});

describe('a multi-instance activity over many items', () => {
  const start = (items: number) =>
    h.raw.call('CreateProcessInstance', {
      bpmnProcessId: 'mi_parallel',
      version: -1,
      tenantId: 'hostile',
      variables: JSON.stringify({ items: Array.from({ length: items }, (_, i) => i) }),
    });

  it('over the limit: an incident naming the element and the limit, before any item runs', async () => {
    const [created] = await Promise.all([start(5000), h.innocentInstance()]);
    const key = String(created.processInstanceKey);
    const [incident] = await eventually(async () => {
      const open = await incidents(h.running.engine, key);
      return open.length > 0 ? open : undefined;
    });
    expect(incident.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'each' });
    expect(String(incident.value.errorMessage)).toMatch(/at most 1000 items.*5000/);
    // Refused up front: the multi-instance body was activated, not one of the 5,000 items.
    const each = (await records(h.running.engine, { valueType: 'PROCESS_INSTANCE' })).filter(
      (r) =>
        String(r.value.processInstanceKey) === key &&
        r.value.elementId === 'each' &&
        r.intent === 'ELEMENT_ACTIVATING',
    );
    const body = each.filter((r) => r.value.bpmnElementType === 'MULTI_INSTANCE_BODY');
    const inner = each.filter((r) => r.value.bpmnElementType !== 'MULTI_INSTANCE_BODY');
    expect(body).toHaveLength(1);
    expect(inner).toEqual([]);
  });
});
