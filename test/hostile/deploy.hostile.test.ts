/**
 * Hostile input, family "deploy": resources the deploy must refuse with
 * INVALID_ARGUMENT naming the element and the problem, with an innocent instance
 * completing alongside, and nothing half-deployed (answer times: `npm run bench`,
 * BENCH_SUITES=hostile).
 */
import * as grpc from '@grpc/grpc-js';
import { bpmn, flow } from '../support/bpmn-xml';
import { procedureDecision } from '../gateway/support/models';
import { expectRefused, startHostileHarness, type HostileHarness } from './support/hostile-harness';

let h: HostileHarness;
beforeAll(async () => {
  h = await startHostileHarness();
});
afterAll(async () => {
  await h?.close();
});

const deploy = (resources: { name: string; content: string | Buffer }[]) => () =>
  h.raw.call('DeployResource', {
    resources: resources.map((r) => ({ name: r.name, content: Buffer.from(r.content) })),
    tenantId: 'hostile',
  });

/** Nothing of a refused deployment may exist afterwards. */
async function expectNotDeployed(processId: string): Promise<void> {
  await expect(
    h.raw.call('CreateProcessInstance', {
      bpmnProcessId: processId,
      version: -1,
      tenantId: 'hostile',
    }),
  ).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
}

const valid = (id: string) =>
  bpmn(id, `<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>${flow('f1', 'start', 'end')}`);

describe('XML that is not well-formed', () => {
  const cases: [string, (xml: string) => string, string][] = [
    [
      'text before the root element',
      (x) => x.replace('<bpmn:definitions', 'hello <bpmn:definitions'),
      'outside of root',
    ],
    [
      'an undefined entity',
      (x) => x.replace('id="end"/>', 'id="end" name="&undefinedEntity;"/>'),
      'undefined entity',
    ],
    ['&amp without ;', (x) => x.replace('id="end"/>', 'id="end" name="a &amp b"/>'), 'line'],
    [
      'the character reference &#0;',
      (x) => x.replace('id="end"/>', 'id="end" name="&#0;"/>'),
      'character',
    ],
    [
      'a raw NUL character',
      (x) => x.replace('id="end"/>', 'id="end" name="a\u0000b"/>'),
      'disallowed character',
    ],
    ['two root elements', (x) => `${x}<other/>`, 'root'],
    ['an unclosed element', (x) => x.replace('</bpmn:process>', ''), 'line'],
    ['text after the root element', (x) => `${x} trailing`, 'outside of root'],
  ];
  test.each(cases)('%s is refused', async (label, mutate, problem) => {
    const id = `bad_xml_${cases.findIndex((c) => c[0] === label)}`;
    await expectRefused(h, deploy([{ name: `${id}.bpmn`, content: mutate(valid(id)) }]), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: [`${id}.bpmn`, 'not well-formed', problem],
    });
    await expectNotDeployed(id);
  });

  test('the same defects in a DMN resource are refused', async () => {
    const dmn = procedureDecision('hostile_decision').replace(
      'name="Choose procedure"',
      'name="&nope;"',
    );
    await expectRefused(h, deploy([{ name: 'bad.dmn', content: dmn }]), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: ['bad.dmn', 'undefined entity'],
    });
  });
});

describe('models that cannot run', () => {
  test('a process without a start event is refused', async () => {
    const xml = bpmn(
      'no_start',
      `<bpmn:task id="t"/><bpmn:endEvent id="end"/>${flow('f1', 't', 'end')}`,
    );
    await expectRefused(h, deploy([{ name: 'no_start.bpmn', content: xml }]), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: ["'no_start'", 'start event'],
    });
    await expectNotDeployed('no_start');
  });

  test('a default flow that does not exist is refused', async () => {
    const xml = bpmn(
      'bad_default',
      `<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="gw" default="missing_flow"/>
       <bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>
       ${flow('f0', 'start', 'gw')}${flow('f1', 'gw', 'a', '=x &gt; 1')}${flow('f2', 'gw', 'b', '=x &lt;= 1')}`,
    );
    await expectRefused(h, deploy([{ name: 'bad_default.bpmn', content: xml }]), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: ["'gw'", 'missing_flow', 'does not exist'],
    });
    await expectNotDeployed('bad_default');
  });

  test('a default flow that leaves another element is refused', async () => {
    const xml = bpmn(
      'foreign_default',
      `<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="gw" default="f0"/>
       <bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>
       ${flow('f0', 'start', 'gw')}${flow('f1', 'gw', 'a', '=x &gt; 1')}${flow('f2', 'gw', 'b', '=x &lt;= 1')}`,
    );
    await expectRefused(h, deploy([{ name: 'foreign_default.bpmn', content: xml }]), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: ["'gw'", "default flow 'f0'"],
    });
  });

  test('a boundary event attached to an element that does not exist is refused', async () => {
    const xml = bpmn(
      'bad_attach',
      `<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>${flow('f1', 'start', 'end')}
       <bpmn:boundaryEvent id="late" attachedToRef="ghost"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>`,
    );
    await expectRefused(h, deploy([{ name: 'bad_attach.bpmn', content: xml }]), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: ["'late'", 'ghost'],
    });
  });
});

describe('timer values', () => {
  const timerElements = {
    'a timer start event': (def: string) =>
      `<bpmn:startEvent id="timer_el">${def}</bpmn:startEvent><bpmn:endEvent id="end"/>${flow('f1', 'timer_el', 'end')}`,
    'an intermediate timer catch event': (def: string) =>
      `<bpmn:startEvent id="start"/><bpmn:intermediateCatchEvent id="timer_el">${def}</bpmn:intermediateCatchEvent><bpmn:endEvent id="end"/>${flow('f1', 'start', 'timer_el')}${flow('f2', 'timer_el', 'end')}`,
    'a timer boundary event': (def: string) =>
      `<bpmn:startEvent id="start"/><bpmn:userTask id="task"/><bpmn:endEvent id="end"/>${flow('f1', 'start', 'task')}${flow('f2', 'task', 'end')}
       <bpmn:boundaryEvent id="timer_el" attachedToRef="task" cancelActivity="false">${def}</bpmn:boundaryEvent>`,
  };
  const timer = (kind: string, value: string) =>
    `<bpmn:timerEventDefinition><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;
  const values: [string, string, string][] = [
    ['timeDuration', 'PTfooS', 'PTfooS'],
    ['timeDuration', 'yesterday-ish', 'yesterday-ish'],
    ['timeDate', 'yesterday-ish', 'yesterday-ish'],
    ['timeDate', '2026-02-30T10:00:00Z', '2026-02-30'],
    ['timeCycle', 'R-5/PT1S', 'R-5/PT1S'],
    ['timeCycle', 'R/PT0S', 'zero'],
    ['timeCycle', 'R5/PT0S', 'zero'],
    ['timeCycle', 'R/PT0.001S', 'for ever'],
    ['timeCycle', 'yesterday-ish', 'yesterday-ish'],
  ];
  const cases = Object.entries(timerElements).flatMap(([where, build]) =>
    values
      // A timer start event takes no duration; that is a different refusal.
      .filter(([kind]) => !(where === 'a timer start event' && kind === 'timeDuration'))
      .map(([kind, value, problem]) => [where, kind, value, problem, build] as const),
  );
  let n = 0;
  test.each(cases)('%s with %s %s is refused', async (_where, kind, value, problem, build) => {
    const id = `bad_timer_${n++}`;
    const xml = bpmn(id, build(timer(kind, value)));
    await expectRefused(h, deploy([{ name: `${id}.bpmn`, content: xml }]), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: ["'timer_el'", problem],
    });
    await expectNotDeployed(id);
  });

  test('valid literal timers deploy', async () => {
    const xml = bpmn(
      'good_timers',
      `<bpmn:startEvent id="start"/><bpmn:intermediateCatchEvent id="t1">${timer('timeDuration', 'PT1H')}</bpmn:intermediateCatchEvent>
       <bpmn:intermediateCatchEvent id="t2">${timer('timeDate', '2030-01-01T09:00:00+01:00')}</bpmn:intermediateCatchEvent>
       <bpmn:userTask id="task"/><bpmn:boundaryEvent id="t3" attachedToRef="task" cancelActivity="false">${timer('timeCycle', 'R3/PT10M')}</bpmn:boundaryEvent>
       <bpmn:endEvent id="end"/>${flow('f1', 'start', 't1')}${flow('f2', 't1', 't2')}${flow('f3', 't2', 'task')}${flow('f4', 'task', 'end')}`,
    );
    const res = await deploy([{ name: 'good_timers.bpmn', content: xml }])();
    expect(res.deployments).toHaveLength(1);
  });
});

describe('duplicates across the resources of one deployment', () => {
  test('the same process id in two resources is refused, and neither is deployed', async () => {
    await expectRefused(
      h,
      deploy([
        { name: 'first.bpmn', content: valid('twice') },
        { name: 'second.bpmn', content: valid('twice') },
      ]),
      { code: grpc.status.INVALID_ARGUMENT, mentions: ["'twice'", 'first.bpmn', 'second.bpmn'] },
    );
    await expectNotDeployed('twice');
  });

  test('the same decision id in two DMN resources is refused', async () => {
    const other = procedureDecision('same_decision').replace(
      'id="drg_same_decision"',
      'id="drg_other"',
    );
    await expectRefused(
      h,
      deploy([
        { name: 'a.dmn', content: procedureDecision('same_decision') },
        { name: 'b.dmn', content: other },
      ]),
      { code: grpc.status.INVALID_ARGUMENT, mentions: ["'same_decision'", 'a.dmn', 'b.dmn'] },
    );
    await expect(
      h.raw.call('EvaluateDecision', {
        decisionId: 'same_decision',
        variables: '{"amount":1}',
        tenantId: 'hostile',
      }),
    ).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });
});
