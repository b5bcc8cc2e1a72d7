/**
 * Multi-tenancy (one tenant per province) and DMN decisions, through the gateway.
 */
import { createZeebeClient } from '../../src/workers/runtime';
import {
  activate,
  bpmn,
  chain,
  deploy,
  serviceTask,
  startEngineHarness,
  type EngineHarness,
} from '../support/engine-harness';

const DMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="procedure" name="Scelta della procedura" namespace="http://province.example/dmn">
  <decision id="procedureType" name="Tipo di procedura">
    <decisionTable id="table" hitPolicy="FIRST">
      <input id="inType" label="Tipo"><inputExpression id="ieType" typeRef="string"><text>contractType</text></inputExpression></input>
      <input id="inAmount" label="Importo"><inputExpression id="ieAmount" typeRef="number"><text>amount</text></inputExpression></input>
      <output id="out" name="procedure" typeRef="string"/>
      <rule id="r1"><inputEntry id="r1a"><text>"works"</text></inputEntry><inputEntry id="r1b"><text>&lt; 150000</text></inputEntry><outputEntry id="r1o"><text>"affidamento diretto"</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="r2a"><text>"works"</text></inputEntry><inputEntry id="r2b"><text>&lt; 5404000</text></inputEntry><outputEntry id="r2o"><text>"procedura negoziata"</text></outputEntry></rule>
      <rule id="r3"><inputEntry id="r3a"><text>"services","supplies"</text></inputEntry><inputEntry id="r3b"><text>&lt; 140000</text></inputEntry><outputEntry id="r3o"><text>"affidamento diretto"</text></outputEntry></rule>
      <rule id="r4"><inputEntry id="r4a"><text>-</text></inputEntry><inputEntry id="r4b"><text>-</text></inputEntry><outputEntry id="r4o"><text>"procedura aperta"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;

describe('tenants and decisions', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h.stop());

  it('keeps each province’s processes, instances and jobs to itself', async () => {
    const xml = bpmn(
      'tenant-proc',
      `<bpmn:startEvent id="s"/>${serviceTask('t', 'tenant-work')}<bpmn:endEvent id="e"/>${chain(['s', 't', 'e'])}`,
    );
    const deployed = await deploy(h.zbc, 'tenant.bpmn', xml, '039');
    expect(deployed.tenantId).toBe('039');
    await expect(
      h.zbc.createProcessInstance({
        bpmnProcessId: 'tenant-proc',
        variables: {},
        tenantId: '100',
      } as never),
    ).rejects.toThrow(/NOT_FOUND|not found/i);
    const created = await h.zbc.createProcessInstance({
      bpmnProcessId: 'tenant-proc',
      variables: {},
      tenantId: '039',
    } as never);
    expect(created.tenantId).toBe('039');
    // The SDK sends the client's configured tenant with ActivateJobs, as a province's worker would.
    const prato = createZeebeClient(h.address, { tenantId: '100' });
    const ravenna = createZeebeClient(h.address, { tenantId: '039' });
    try {
      const other = await prato.activateJobs({
        type: 'tenant-work',
        worker: 't',
        maxJobsToActivate: 5,
        timeout: 10_000,
        requestTimeout: -1,
      } as never);
      expect(other).toHaveLength(0);
      const [job] = await activate(ravenna, 'tenant-work', 5);
      expect(job.tenantId).toBe('039');
      expect(job.processInstanceKey).toBe(created.processInstanceKey);
      await ravenna.completeJob({ jobKey: job.key, variables: {} });
    } finally {
      await prato.close();
      await ravenna.close();
    }
  });

  it('versions a process per tenant and keeps the version for identical content', async () => {
    const xml = bpmn(
      'versioned',
      `<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${chain(['s', 'e'])}`,
    );
    const v1 = await deploy(h.zbc, 'v.bpmn', xml, '039');
    const again = await deploy(h.zbc, 'v.bpmn', xml, '039');
    const changed = await deploy(
      h.zbc,
      'v.bpmn',
      xml.replace('<bpmn:endEvent id="e"/>', '<bpmn:endEvent id="e" name="Fine"/>'),
      '039',
    );
    const otherTenant = await deploy(h.zbc, 'v.bpmn', xml, '100');
    const version = (d: { deployments: unknown[] }) =>
      (d.deployments[0] as { process: { version: number } }).process.version;
    expect(version(v1)).toBe(1);
    expect(version(again)).toBe(1);
    expect(version(changed)).toBe(2);
    expect(version(otherTenant)).toBe(1);
  });

  it('evaluates a decision on its own and from a business rule task', async () => {
    await h.zbc.deployResource({ name: 'procedure.dmn', decision: Buffer.from(DMN) } as never);
    const evaluated = await h.zbc.evaluateDecision({
      decisionId: 'procedureType',
      variables: { contractType: 'works', amount: 600000 },
    } as never);
    expect(JSON.parse(evaluated.decisionOutput)).toBe('procedura negoziata');
    expect(evaluated.evaluatedDecisions[0].matchedRules[0].ruleId).toBe('r2');

    const brt = `<bpmn:businessRuleTask id="choose"><bpmn:extensionElements><zeebe:calledDecision decisionId="procedureType" resultVariable="procedure"/></bpmn:extensionElements></bpmn:businessRuleTask>`;
    await deploy(
      h.zbc,
      'brt.bpmn',
      bpmn(
        'brt',
        `<bpmn:startEvent id="s"/>${brt}<bpmn:endEvent id="e"/>${chain(['s', 'choose', 'e'])}`,
      ),
    );
    const done = await h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'brt',
      variables: { contractType: 'services', amount: 90000 },
      requestTimeout: 20_000,
    });
    expect(done.variables.procedure).toBe('affidamento diretto');
  });

  it('rejects a model with an external entity, naming the problem', async () => {
    const evil = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${bpmn('evil', '<bpmn:startEvent id="s"/>').replace(/^<\?xml[^>]*\?>/, '')}`;
    await expect(deploy(h.zbc, 'evil.bpmn', evil)).rejects.toThrow(
      /INVALID_ARGUMENT|DOCTYPE|entit/i,
    );
  });

  it('rejects an invalid model, naming the element', async () => {
    const broken = bpmn(
      'broken',
      `<bpmn:startEvent id="s"/><bpmn:serviceTask id="noType"/><bpmn:endEvent id="e"/>${chain(['s', 'noType', 'e'])}`,
    );
    await expect(deploy(h.zbc, 'broken.bpmn', broken)).rejects.toThrow(/noType/);
  });
});
