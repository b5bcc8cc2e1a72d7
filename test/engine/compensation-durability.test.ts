/**
 * Compensation state is durable: a restart (from a snapshot, or replaying the log alone)
 * in the middle of a compensation keeps the subscriptions and the waiting throw event,
 * invokes no handler twice and leaves no subscription behind when the instance ends.
 */
import {
  bpmn,
  chain,
  deploy,
  eventually,
  isCompleted,
  records,
  serviceTask,
  startTestEngine,
  type TestEngine,
} from './support';

const compensated = (id: string, type: string) =>
  `${serviceTask(id, `${type}-do`)}
   <bpmn:boundaryEvent id="${id}_comp" attachedToRef="${id}"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
   <bpmn:serviceTask id="undo_${id}" isForCompensation="true"><bpmn:extensionElements><zeebe:taskDefinition type="${type}-undo"/></bpmn:extensionElements></bpmn:serviceTask>
   <bpmn:association id="${id}_a" sourceRef="${id}_comp" targetRef="undo_${id}"/>`;

const MODEL = bpmn(
  'comp-durable',
  `<bpmn:startEvent id="s"/>${compensated('a', 'dur-a')}${compensated('b', 'dur-b')}
   <bpmn:intermediateThrowEvent id="undoA"><bpmn:compensateEventDefinition activityRef="a"/></bpmn:intermediateThrowEvent>
   <bpmn:endEvent id="undoRest"><bpmn:compensateEventDefinition/></bpmn:endEvent>
   ${chain(['s', 'a', 'b', 'undoA', 'undoRest'])}`,
);

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await deploy(t.engine, 'comp-durable.bpmn', MODEL);
});
afterAll(() => t.close());

async function one(type: string) {
  const jobs = await t.engine.activateJobs({
    type,
    worker: 'dur',
    timeout: 60_000,
    maxJobsToActivate: 5,
    requestTimeoutMs: 5000,
  });
  expect(jobs).toHaveLength(1);
  return jobs[0];
}

async function none(type: string) {
  expect(
    await t.engine.activateJobs({ type, worker: 'dur', timeout: 60_000, maxJobsToActivate: 5 }),
  ).toEqual([]);
}

it.each([
  ['from a snapshot', true],
  ['replaying the log only', false],
])('continues a compensation across a restart %s', async (_how, snapshot) => {
  const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'comp-durable' });
  await t.engine.completeJob({ jobKey: (await one('dur-a-do')).key });
  await t.engine.completeJob({ jobKey: (await one('dur-b-do')).key });
  const undoA = await one('dur-a-undo');
  if (snapshot) await t.engine.takeSnapshot();
  await t.restart();

  // The throw event still waits for the handler it invoked; nothing ran twice.
  await none('dur-b-undo');
  await t.engine.completeJob({ jobKey: undoA.key });
  // b's subscription survived the restart: the end event compensates it, a's is gone.
  const undoB = await one('dur-b-undo');
  await none('dur-a-undo');
  if (snapshot) await t.engine.takeSnapshot();
  await t.restart();
  await t.engine.completeJob({ jobKey: undoB.key });
  await eventually(() => isCompleted(t.engine, pi.processInstanceKey));

  const mine = (rs: Awaited<ReturnType<typeof records>>) =>
    rs.filter((r) => String(r.value.processInstanceKey) === pi.processInstanceKey);
  const handlerJobs = mine(await records(t.engine, { valueType: 'JOB', intent: 'CREATED' }))
    .map((r) => r.value.elementId)
    .filter((id) => String(id).startsWith('undo_'));
  expect(handlerJobs).toEqual(['undo_a', 'undo_b']);
  const subscriptions = mine(
    await records(t.engine, { valueType: 'COMPENSATION_SUBSCRIPTION', recordType: 'EVENT' }),
  );
  expect(subscriptions.map((r) => `${String(r.value.compensableActivityId)}:${r.intent}`)).toEqual([
    'a:CREATED',
    'b:CREATED',
    'a:TRIGGERED',
    'a:COMPLETED',
    'b:TRIGGERED',
    'b:COMPLETED',
  ]);
});

it('drops the subscriptions of an instance that ends before compensating', async () => {
  const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'comp-durable' });
  await t.engine.completeJob({ jobKey: (await one('dur-a-do')).key });
  await t.engine.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
  const deleted = (
    await records(t.engine, { valueType: 'COMPENSATION_SUBSCRIPTION', intent: 'DELETED' })
  ).filter((r) => String(r.value.processInstanceKey) === pi.processInstanceKey);
  expect(deleted.map((r) => r.value.compensableActivityId)).toEqual(['a']);
  await t.restart();
  await none('dur-b-do');
});
