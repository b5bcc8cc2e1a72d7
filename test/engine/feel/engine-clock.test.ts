/**
 * FEEL's now() and today() in a process read the engine's clock (EngineOptions.now) at
 * the time of the command, not the machine's clock: a script task evaluating now()
 * stores the command's time, in the engine's zone (Europe/Rome).
 */
import {
  bpmn,
  chain,
  deploy,
  eventually,
  records,
  startTestEngine,
  type TestEngine,
} from '../support';

// 2030-01-15T08:30:00Z is 09:30 in Rome
let clock = Date.parse('2030-01-15T08:30:00Z');
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ now: () => clock });
});
afterAll(async () => {
  await t.close();
});

async function variable(processInstanceKey: string, name: string): Promise<unknown> {
  const record = await eventually(async () =>
    (await records(t.engine, { valueType: 'VARIABLE', intent: 'CREATED' })).find(
      (r) => String(r.value.processInstanceKey) === processInstanceKey && r.value.name === name,
    ),
  );
  return JSON.parse(String(record.value.value));
}

it('now() and today() are the engine clock at the command, in Europe/Rome', async () => {
  const script = (id: string, expression: string, result: string) =>
    `<bpmn:scriptTask id="${id}"><bpmn:extensionElements><zeebe:script expression="${expression}" resultVariable="${result}" /></bpmn:extensionElements></bpmn:scriptTask>`;
  await deploy(
    t.engine,
    'clock.bpmn',
    bpmn(
      'clock',
      `<bpmn:startEvent id="s" />${script('n', '=now()', 'at')}${script('d', '=today()', 'day')}<bpmn:endEvent id="e" />${chain(['s', 'n', 'd', 'e'])}`,
    ),
  );
  const first = await t.engine.createProcessInstance({ bpmnProcessId: 'clock' });
  expect(await variable(first.processInstanceKey, 'at')).toBe(
    '2030-01-15T09:30:00+01:00[Europe/Rome]',
  );
  expect(await variable(first.processInstanceKey, 'day')).toBe('2030-01-15');

  clock = Date.parse('2030-07-01T22:15:00Z'); // already July 2nd in Rome, summer time
  const second = await t.engine.createProcessInstance({ bpmnProcessId: 'clock' });
  expect(await variable(second.processInstanceKey, 'at')).toBe(
    '2030-07-02T00:15:00+02:00[Europe/Rome]',
  );
  expect(await variable(second.processInstanceKey, 'day')).toBe('2030-07-02');
});
