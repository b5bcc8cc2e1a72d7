import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db';
import { createEngine } from '../src/engine';
const xml = `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x"><bpmn:process id="empty" isExecutable="true"><bpmn:startEvent id="s2"/><bpmn:sequenceFlow id="g1" sourceRef="s2" targetRef="e2"/><bpmn:endEvent id="e2"/></bpmn:process></bpmn:definitions>`;
async function main() {
  const db = await openDatabase({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'probe-')) });
  const col = db.connection.collection('raw');
  let lat: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = process.hrtime.bigint();
    await col.insertOne({ i, payload: 'x'.repeat(2000) });
    lat.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  lat.sort((a, b) => a - b);
  console.log('raw insert p50', lat[50].toFixed(2), 'p90', lat[90].toFixed(2));
  const engine = await createEngine({ connection: db.connection, exporters: process.env.HIST !== 'false' } as never);
  await engine.deployResource({ resources: [{ name: 'e.bpmn', content: xml }] });
  for (const mode of ['create', 'withResult']) {
    lat = [];
    for (let i = 0; i < 100; i++) {
      const t = process.hrtime.bigint();
      if (mode === 'create') await engine.createProcessInstance({ bpmnProcessId: 'empty' });
      else await engine.createProcessInstanceWithResult({ request: { bpmnProcessId: 'empty' }, requestTimeoutMs: 5000 });
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    lat.sort((a, b) => a - b);
    console.log(mode, 'p50', lat[50].toFixed(2), 'p90', lat[90].toFixed(2));
  }
  await engine.close();
  await db.close();
}
void main();
