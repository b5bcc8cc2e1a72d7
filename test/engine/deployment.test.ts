import { bpmn, chain, deploy, serviceTask, startTestEngine, type TestEngine } from './support';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t.close();
});

describe('deployment validation', () => {
  it('rejects any DOCTYPE (no external entities, no entity expansion)', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${bpmn('p', '<bpmn:startEvent id="s" />').replace(/^<\?xml[^>]*>/, '')}`;
    await expect(deploy(t.engine, 'evil.bpmn', xml)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/DOCTYPE/),
    });
  });

  it('rejects oversized resources', async () => {
    const xml = bpmn('big', `<bpmn:startEvent id="s" /><!-- ${'x'.repeat(5 * 1024 * 1024)} -->`);
    await expect(deploy(t.engine, 'big.bpmn', xml)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/limit/),
    });
  });

  it('names the element and the problem', async () => {
    const xml = bpmn(
      'bad',
      `<bpmn:startEvent id="s" /><bpmn:serviceTask id="noType" />${chain(['s', 'noType'])}`,
    );
    await expect(deploy(t.engine, 'bad.bpmn', xml)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(
        /element 'noType': must have a zeebe:taskDefinition with a type/,
      ),
    });
    const xml2 = bpmn(
      'bad2',
      `<bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="gw" /><bpmn:endEvent id="a" /><bpmn:endEvent id="b" />
      <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="gw" /><bpmn:sequenceFlow id="fa" sourceRef="gw" targetRef="a" /><bpmn:sequenceFlow id="fb" sourceRef="gw" targetRef="b" />`,
    );
    await expect(deploy(t.engine, 'bad2.bpmn', xml2)).rejects.toMatchObject({
      message: expect.stringMatching(/element 'fa'.*condition/),
    });
    await expect(deploy(t.engine, 'x.bpmn', 'not xml')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const xml3 = bpmn(
      'bad3',
      `<bpmn:startEvent id="s" />${serviceTask('calc', 'x', '<zeebe:ioMapping><zeebe:input source="=a +" target="b" /></zeebe:ioMapping>')}${chain(['s', 'calc'])}`,
    );
    await expect(deploy(t.engine, 'bad3.bpmn', xml3)).rejects.toMatchObject({
      message: expect.stringMatching(/element 'calc': invalid FEEL expression '=a \+'/),
    });
    // nothing half-written
    await expect(t.engine.createProcessInstance({ bpmnProcessId: 'bad' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('deploys several processes from one file, and forms', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
  <bpmn:process id="one" isExecutable="true"><bpmn:startEvent id="s1" /></bpmn:process>
  <bpmn:process id="two" isExecutable="true"><bpmn:startEvent id="s2" /></bpmn:process>
</bpmn:definitions>`;
    const res = await t.engine.deployResource({
      resources: [
        { name: 'two.bpmn', content: xml },
        { name: 'domanda.form', content: JSON.stringify({ id: 'domanda', components: [] }) },
      ],
    });
    expect(res.deployments).toEqual([
      { process: expect.objectContaining({ bpmnProcessId: 'one', version: 1 }) },
      { process: expect.objectContaining({ bpmnProcessId: 'two', version: 1 }) },
      { form: expect.objectContaining({ formId: 'domanda', version: 1 }) },
    ]);
  });

  it('deletes a process definition without running instances', async () => {
    const res = await deploy(
      t.engine,
      'del.bpmn',
      bpmn('del', `<bpmn:startEvent id="s" />${serviceTask('t', 'del')}${chain(['s', 't'])}`),
    );
    const key =
      'process' in res.deployments[0] ? res.deployments[0].process.processDefinitionKey : '';
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'del' });
    await expect(t.engine.deleteResource({ resourceKey: key })).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    await t.engine.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
    await t.engine.deleteResource({ resourceKey: key });
    await expect(t.engine.createProcessInstance({ bpmnProcessId: 'del' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("deploys the product's models in processes/", async () => {
    const root = path.join(__dirname, '../../processes');
    const files: { name: string; content: string }[] = [];
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      const dir = entry.name;
      if (!entry.isDirectory() || dir === 'tools') continue;
      for (const f of readdirSync(path.join(root, dir))) {
        if (/\.(bpmn|dmn)$/.test(f))
          files.push({ name: f, content: readFileSync(path.join(root, dir, f), 'utf8') });
      }
    }
    if (files.length === 0) return;
    const res = await t.engine.deployResource({ resources: files });
    expect(res.deployments.length).toBeGreaterThanOrEqual(files.length);
  });
});

describe('deployment validation of ids', () => {
  let t2: TestEngine;
  beforeAll(async () => {
    t2 = await startTestEngine();
  });
  afterAll(async () => {
    await t2.close();
  });

  it('rejects duplicate ids instead of silently dropping elements', async () => {
    const xml = bpmn(
      'dup',
      `<bpmn:startEvent id="s" /><bpmn:subProcess id="dup"><bpmn:startEvent id="ss" /></bpmn:subProcess>${chain(['s', 'dup'])}`,
    );
    await expect(deploy(t2.engine, 'dup.bpmn', xml)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/duplicate ID <dup>/),
    });
  });
});
