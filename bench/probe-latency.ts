import { createWorkerRegistry, createZeebeClient } from '../src/workers/runtime';
const addr = '127.0.0.1:26778';
const xml = `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x"><bpmn:process id="probe" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/><bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="probe-work"/></bpmn:extensionElements></bpmn:serviceTask><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/><bpmn:endEvent id="e"/></bpmn:process><bpmn:process id="empty" isExecutable="true"><bpmn:startEvent id="s2"/><bpmn:sequenceFlow id="g1" sourceRef="s2" targetRef="e2"/><bpmn:endEvent id="e2"/></bpmn:process></bpmn:definitions>`;
async function main() {
  const zbc = createZeebeClient(addr);
  await zbc.deployResource({ name: 'probe.bpmn', process: Buffer.from(xml) } as never);
  const reg = createWorkerRegistry({ gatewayAddress: addr });
  reg.register({ type: 'probe-work', handler: async () => ({}) });
  reg.start();
  await new Promise((r) => setTimeout(r, 1000));
  for (const id of ['empty', 'probe']) {
    const lat: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = process.hrtime.bigint();
      await zbc.createProcessInstanceWithResult({ bpmnProcessId: id, variables: {}, requestTimeout: 10000 } as never);
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    lat.sort((a, b) => a - b);
    console.log(id, 'p50', lat[30].toFixed(1), 'p90', lat[54].toFixed(1), 'max', lat[59].toFixed(1));
  }
  const lat: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t = process.hrtime.bigint();
    await zbc.topology();
    lat.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  lat.sort((a, b) => a - b);
  console.log('topology p50', lat[30].toFixed(1));
  await reg.stop();
  await zbc.close();
}
void main();
