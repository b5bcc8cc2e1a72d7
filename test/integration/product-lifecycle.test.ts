/**
 * `npm start` as a user runs it: the product starts with its embedded database,
 * reports healthy, stops cleanly on SIGTERM without leaving FerretDB behind, keeps
 * its data across restarts, and refuses to start on a broken province file.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createZeebeClient } from '../../src/workers/runtime';
import {
  processesMentioning,
  startProductProcess,
  waitForHealthy,
} from '../support/product-process';

jest.setTimeout(240_000);

const PROCESS_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.org">
  <bpmn:process id="lifecycle-probe" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <bpmn:serviceTask id="work" name="Lavoro">
      <bpmn:extensionElements><zeebe:taskDefinition type="lifecycle-work"/></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>`;

const zeebeClient = (address: string) => createZeebeClient(address);

describe('the product process', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pc-product-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts healthy, stops on SIGTERM leaving no FerretDB, and keeps its data across a restart', async () => {
    const first = await startProductProcess(dataDir);
    const health = (await waitForHealthy(first)) as Record<
      string,
      { status: string; kind?: string }
    >;
    expect(health.database).toMatchObject({ status: 'ok', kind: 'embedded-ferretdb' });
    expect(health.engine.status).toBe('ok');
    expect(await processesMentioning(dataDir)).not.toHaveLength(0);

    const home = await fetch(first.url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Provincia di Ravenna');

    // Write through the product's public API: deploy and start an instance.
    const zbc = zeebeClient(first.zeebeAddress);
    await zbc.deployResource({ name: 'probe.bpmn', process: Buffer.from(PROCESS_XML) });
    const created = await zbc.createProcessInstance({
      bpmnProcessId: 'lifecycle-probe',
      variables: { comune: '039014' },
    });
    await zbc.close();

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(await processesMentioning(dataDir)).toEqual([]);

    // Restart on the same data: the instance created before is still waiting for its job.
    const second = await startProductProcess(dataDir);
    await waitForHealthy(second);
    const zbc2 = zeebeClient(second.zeebeAddress);
    const jobs = await zbc2.activateJobs({
      type: 'lifecycle-work',
      worker: 'test',
      maxJobsToActivate: 10,
      timeout: 30_000,
      requestTimeout: 5_000,
    });
    expect(jobs.map((j) => j.processInstanceKey)).toContain(created.processInstanceKey);
    expect(
      jobs.find((j) => j.processInstanceKey === created.processInstanceKey)?.variables,
    ).toMatchObject({ comune: '039014' });
    await zbc2.close();

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(await processesMentioning(dataDir)).toEqual([]);
  });

  it('leaves no FerretDB behind when the product is killed with SIGKILL', async () => {
    const p = await startProductProcess(dataDir);
    await waitForHealthy(p);
    p.child.kill('SIGKILL');
    await p.exited;
    const deadline = Date.now() + 10_000;
    while ((await processesMentioning(dataDir)).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await processesMentioning(dataDir)).toEqual([]);
  });

  it('refuses to start on a broken province file, naming the file and the field', async () => {
    const configDir = mkdtempSync(path.join(os.tmpdir(), 'pc-badconf-'));
    cpSync(path.resolve(__dirname, '../../engine-config'), configDir, { recursive: true });
    const file = path.join(configDir, 'provinces/039.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('name: Provincia di Ravenna', 'name: 42'),
    );
    const p = await startProductProcess(dataDir, { CONFIG_DIR: configDir });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/provinces\/039\.yaml:\d+: field "province\.name"/);
    expect(await processesMentioning(dataDir)).toEqual([]);
    rmSync(configDir, { recursive: true, force: true });
  });
});
