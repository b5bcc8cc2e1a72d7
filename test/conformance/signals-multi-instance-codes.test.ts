/**
 * Zeebe 8.5 data flow details through the gateway: a signal throw event passes its local
 * variables ("Signal events"), the multi-instance output element is local to each inner
 * instance ("Multi-instance"), and error / escalation codes of throw events may be FEEL
 * expressions ("Error events", "Escalation events").
 */
import { DEFAULT_TENANT_ID } from '../../src/engine';
import { searchIncidents } from '../../src/engine/history';
import {
  activate,
  bpmn,
  chain,
  deploy,
  flow,
  serviceTask,
  startEngineHarness,
  type EngineHarness,
} from '../support/engine-harness';

const script = (id: string, expression: string, result: string) =>
  `<bpmn:scriptTask id="${id}"><bpmn:extensionElements><zeebe:script expression="${expression}" resultVariable="${result}"/></bpmn:extensionElements></bpmn:scriptTask>`;

describe('Zeebe 8.5 data flow of signals, multi-instance and thrown codes', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h.stop());

  const run = (bpmnProcessId: string, variables: Record<string, unknown> = {}) =>
    h.zbc.createProcessInstanceWithResult({
      bpmnProcessId,
      variables,
      requestTimeout: 20_000,
    } as never);

  /** Polls the history until the instance has an active incident. */
  async function incidentOf(processInstanceKey: string) {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const found = await searchIncidents(h.db.connection, {
        tenantIds: [DEFAULT_TENANT_ID],
        processInstanceKey,
        state: 'ACTIVE',
      });
      if (found.items.length > 0) return found.items[0];
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no incident for ${processInstanceKey}`);
  }

  describe('signal events: a throw event passes its local variables', () => {
    const defs = `<bpmn:signal id="sigWithdrawn" name="=&quot;domanda ritirata &quot; + tipo"/>`;
    const mapping = `<bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=pratica" target="pratica"/><zeebe:input source="=&quot;ritiro&quot;" target="motivo"/></zeebe:ioMapping></bpmn:extensionElements>`;

    beforeAll(async () => {
      const startDefs = `<bpmn:signal id="sigStart" name="domanda ritirata SUA"/>`;
      await deploy(
        h.zbc,
        'sig-start.bpmn',
        bpmn(
          'sig-started',
          `<bpmn:startEvent id="s"><bpmn:signalEventDefinition signalRef="sigStart"/></bpmn:startEvent>${serviceTask('archive', 'sig-archive')}<bpmn:endEvent id="e"/>${chain(['s', 'archive', 'e'])}`,
          startDefs,
        ),
      );
      await deploy(
        h.zbc,
        'sig-catch.bpmn',
        bpmn(
          'sig-waiting',
          `<bpmn:startEvent id="s"/>${serviceTask('review', 'sig-review')}
           <bpmn:boundaryEvent id="withdrawn" attachedToRef="review"><bpmn:signalEventDefinition signalRef="sigStart"/></bpmn:boundaryEvent>
           <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>${chain(['s', 'review', 'e1'])}${flow('f', 'withdrawn', 'e2')}`,
          startDefs,
        ),
      );
    });

    it('from an intermediate throw event to a signal start event and a boundary event', async () => {
      const waiting = run('sig-waiting', { pratica: 'vecchia' });
      await activate(h.zbc, 'sig-review');
      await deploy(
        h.zbc,
        'sig-throw.bpmn',
        bpmn(
          'sig-thrower',
          `<bpmn:startEvent id="s"/><bpmn:intermediateThrowEvent id="tell">${mapping}<bpmn:signalEventDefinition signalRef="sigWithdrawn"/></bpmn:intermediateThrowEvent><bpmn:endEvent id="e"/>${chain(['s', 'tell', 'e'])}`,
          defs,
        ),
      );
      await run('sig-thrower', { pratica: 'SUA-2024-17', tipo: 'SUA', riservato: 'no' });
      // The signal carried the throw event's local variables, not the process's others.
      const [archive] = await activate(h.zbc, 'sig-archive');
      expect(archive.variables).toEqual({ pratica: 'SUA-2024-17', motivo: 'ritiro' });
      await h.zbc.completeJob({ jobKey: archive.key, variables: {} } as never);
      expect((await waiting).variables).toEqual({ pratica: 'SUA-2024-17', motivo: 'ritiro' });
    });

    it('from a signal end event to an intermediate catch event', async () => {
      const catchDefs = `<bpmn:signal id="sigDone" name="verifica conclusa"/>`;
      await deploy(
        h.zbc,
        'sig-catch2.bpmn',
        bpmn(
          'sig-catcher',
          `<bpmn:startEvent id="s"/>${serviceTask('ready', 'sig-ready')}<bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="sigDone"/></bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>${chain(['s', 'ready', 'wait', 'e'])}`,
          catchDefs,
        ),
      );
      const waiting = run('sig-catcher', { id: 1 });
      // Once its job is completed the instance waits (subscribed) at the catch event.
      const [ready] = await activate(h.zbc, 'sig-ready');
      await h.zbc.completeJob({ jobKey: ready.key, variables: {} } as never);
      const endMapping = `<bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=esito" target="esito"/></zeebe:ioMapping></bpmn:extensionElements>`;
      await deploy(
        h.zbc,
        'sig-end.bpmn',
        bpmn(
          'sig-ender',
          `<bpmn:startEvent id="s"/><bpmn:endEvent id="e">${endMapping}<bpmn:signalEventDefinition signalRef="sigDone"/></bpmn:endEvent>${chain(['s', 'e'])}`,
          catchDefs,
        ),
      );
      await run('sig-ender', { esito: 'positivo', altro: 1 });
      expect((await waiting).variables).toEqual({ id: 1, esito: 'positivo' });
    });
  });

  describe('multi-instance: the output element is local to each inner instance', () => {
    const loop = (sequential: boolean) =>
      `<bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=lotti" inputElement="lotto" outputCollection="offerte" outputElement="=offerta"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`;

    it('collects each instance’s own result and null for an instance that sets none', async () => {
      const task = `<bpmn:serviceTask id="bid"><bpmn:extensionElements><zeebe:taskDefinition type="mi-bid"/></bpmn:extensionElements>${loop(false)}</bpmn:serviceTask>`;
      await deploy(
        h.zbc,
        'mi-out.bpmn',
        bpmn(
          'mi-output',
          `<bpmn:startEvent id="s"/>${task}<bpmn:endEvent id="e"/>${chain(['s', 'bid', 'e'])}`,
        ),
      );
      const result = run('mi-output', { lotti: ['L1', 'L2', 'L3'] });
      const jobs = [];
      while (jobs.length < 3) jobs.push(...(await activate(h.zbc, 'mi-bid')));
      const byLot = new Map(jobs.map((j) => [j.variables.lotto as string, j]));
      // Each instance starts with its own (null) output element.
      expect(jobs.every((j) => j.variables.offerta === null)).toBe(true);
      await h.zbc.completeJob({
        jobKey: byLot.get('L3')!.key,
        variables: { offerta: 300 },
      } as never);
      await h.zbc.completeJob({
        jobKey: byLot.get('L1')!.key,
        variables: { offerta: 100 },
      } as never);
      await h.zbc.completeJob({ jobKey: byLot.get('L2')!.key, variables: {} } as never);
      const done = await result;
      expect(done.variables.offerte).toEqual([100, null, 300]);
      // The output element stayed local: it did not reach the process scope.
      expect(done.variables).not.toHaveProperty('offerta');
    });

    it('keeps the output element local in a sequential multi-instance sub-process', async () => {
      const sub = `<bpmn:subProcess id="evaluate">${loop(true)}
        <bpmn:startEvent id="ss"/><bpmn:exclusiveGateway id="g" default="skip"/>
        ${script('price', '=lotto + &quot;-ok&quot;', 'offerta')}<bpmn:endEvent id="se1"/><bpmn:endEvent id="se2"/>
        ${chain(['ss', 'g'])}${flow('priced', 'g', 'price', '=lotto != &quot;L2&quot;')}${flow('skip', 'g', 'se2')}${chain(['price', 'se1'])}
      </bpmn:subProcess>`;
      await deploy(
        h.zbc,
        'mi-seq.bpmn',
        bpmn(
          'mi-output-seq',
          `<bpmn:startEvent id="s"/>${sub}<bpmn:endEvent id="e"/>${chain(['s', 'evaluate', 'e'])}`,
        ),
      );
      const done = await run('mi-output-seq', { lotti: ['L1', 'L2', 'L3'] });
      expect(done.variables.offerte).toEqual(['L1-ok', null, 'L3-ok']);
      expect(done.variables).not.toHaveProperty('offerta');
    });
  });

  describe('error and escalation codes as FEEL expressions on throw events', () => {
    beforeAll(async () => {
      const defs = `<bpmn:error id="errDyn" errorCode="=&quot;ESITO_&quot; + esito"/><bpmn:error id="errAppeal" errorCode="ESITO_RICORSO"/><bpmn:error id="errExcluded" errorCode="ESITO_ESCLUSIONE"/>`;
      const body = `<bpmn:startEvent id="s"/>
        <bpmn:subProcess id="check"><bpmn:startEvent id="cs"/><bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="errDyn"/></bpmn:endEvent>${chain(['cs', 'fail'])}</bpmn:subProcess>
        <bpmn:boundaryEvent id="onAppeal" attachedToRef="check"><bpmn:errorEventDefinition errorRef="errAppeal"/></bpmn:boundaryEvent>
        <bpmn:boundaryEvent id="onExcluded" attachedToRef="check"><bpmn:errorEventDefinition errorRef="errExcluded"/></bpmn:boundaryEvent>
        ${script('appeal', '=&quot;ricorso&quot;', 'path')}${script('excluded', '=&quot;esclusione&quot;', 'path')}
        <bpmn:endEvent id="e0"/><bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
        ${chain(['s', 'check', 'e0'])}${chain(['onAppeal', 'appeal', 'e1'])}${chain(['onExcluded', 'excluded', 'e2'])}`;
      await deploy(h.zbc, 'err-expr.bpmn', bpmn('error-code-expression', body, defs));
    });

    it('evaluates the error code when the error end event is reached', async () => {
      expect((await run('error-code-expression', { esito: 'RICORSO' })).variables.path).toBe(
        'ricorso',
      );
      expect((await run('error-code-expression', { esito: 'ESCLUSIONE' })).variables.path).toBe(
        'esclusione',
      );
    });

    it('raises an incident when the error code expression fails or nothing catches the code', async () => {
      const failing = await h.zbc.createProcessInstance({
        bpmnProcessId: 'error-code-expression',
        variables: { esito: { non: 'testo' } },
      } as never);
      expect((await incidentOf(failing.processInstanceKey)).errorType).toBe('EXTRACT_VALUE_ERROR');
      const uncaught = await h.zbc.createProcessInstance({
        bpmnProcessId: 'error-code-expression',
        variables: { esito: 'SCONOSCIUTO' },
      } as never);
      const incident = await incidentOf(uncaught.processInstanceKey);
      expect(incident.errorType).toBe('UNHANDLED_ERROR_EVENT');
      expect(incident.errorMessage).toContain('ESITO_SCONOSCIUTO');
    });

    it('evaluates the escalation code of an intermediate throw event', async () => {
      const defs = `<bpmn:escalation id="escDyn" escalationCode="=livello"/><bpmn:escalation id="escHigh" escalationCode="ALTO"/>`;
      const body = `<bpmn:startEvent id="s"/>
        <bpmn:subProcess id="work"><bpmn:startEvent id="ws"/><bpmn:intermediateThrowEvent id="raise"><bpmn:escalationEventDefinition escalationRef="escDyn"/></bpmn:intermediateThrowEvent>
          ${script('carryOn', '=true', 'continued')}<bpmn:endEvent id="we"/>${chain(['ws', 'raise', 'carryOn', 'we'])}</bpmn:subProcess>
        <bpmn:boundaryEvent id="onHigh" attachedToRef="work" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="escHigh"/></bpmn:boundaryEvent>
        ${script('alert', '=true', 'alerted')}<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
        ${chain(['s', 'work', 'e1'])}${chain(['onHigh', 'alert', 'e2'])}`;
      await deploy(h.zbc, 'esc-expr.bpmn', bpmn('escalation-code-expression', body, defs));
      const high = await run('escalation-code-expression', { livello: 'ALTO' });
      expect(high.variables).toMatchObject({ alerted: true, continued: true });
      const low = await run('escalation-code-expression', { livello: 'BASSO' });
      expect(low.variables).toMatchObject({ continued: true });
      expect(low.variables).not.toHaveProperty('alerted');
    });

    it('refuses an expression as the code of a catch event', async () => {
      const defs = `<bpmn:error id="errDyn" errorCode="=codice"/>`;
      const body = `<bpmn:startEvent id="s"/>${serviceTask('t', 'never')}
        <bpmn:boundaryEvent id="catchDyn" attachedToRef="t"><bpmn:errorEventDefinition errorRef="errDyn"/></bpmn:boundaryEvent>
        <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>${chain(['s', 't', 'e1'])}${flow('f', 'catchDyn', 'e2')}`;
      await expect(
        deploy(h.zbc, 'bad-code.bpmn', bpmn('bad-catch-code', body, defs)),
      ).rejects.toThrow(/'catchDyn'.*static errorCode/);
    });
  });
});
