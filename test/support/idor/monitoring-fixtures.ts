/** IDOR fixtures of monitoring and analytics: process instances and alert thresholds. */
import { randomBytes } from 'node:crypto';
import { AlertStore } from '../../../src/analytics';
import { createHistoryClient } from '../../../src/monitoring';
import { createZeebeClient } from '../../../src/workers/runtime';
import { bpmn, chain, serviceTask } from '../bpmn-xml';
import type { IdorFixture } from './types';
import { waitFor } from '../wait-for';

export const processInstanceFixture: IdorFixture = {
  kind: 'process-instance',
  visibility: 'tenant',
  sites: 'comuni',
  async create(env, site) {
    const marker = `IdorProcesso${site.comune}${randomBytes(3).toString('hex')}`;
    const processId = `idor-${site.comune}-${randomBytes(3).toString('hex')}`;
    const xml = bpmn(
      processId,
      `<bpmn:startEvent id="s"/>${serviceTask('t', `idor-${processId}`)}<bpmn:endEvent id="e"/>${chain(['s', 't', 'e'])}`,
    ).replace(`id="${processId}"`, `id="${processId}" name="${marker}"`);
    const zbc = createZeebeClient(env.product.env.zeebeAddress, { tenantId: site.tenantId });
    try {
      await zbc.deployResource({
        name: `${processId}.bpmn`,
        process: Buffer.from(xml),
        tenantId: site.tenantId,
      } as never);
      const created = await zbc.createProcessInstance({
        bpmnProcessId: processId,
        variables: { comuneIstat: site.comune, caseNumber: marker },
        tenantId: site.tenantId,
      } as never);
      const history = createHistoryClient({ baseUrl: env.product.env.engineRestUrl });
      await waitFor(
        'the fixture instance in history',
        () => history.get('process-instances', created.processInstanceKey),
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      return { id: created.processInstanceKey, markers: [marker] };
    } finally {
      await zbc.close();
    }
  },
};

export const alertFixture: IdorFixture = {
  kind: 'alert',
  visibility: 'tenant',
  sites: 'comuni',
  async create(env, site) {
    const marker = `IdorAllarme${site.comune}${randomBytes(3).toString('hex')}`;
    const alert = await new AlertStore(env.product.db.connection).create(site.tenantId, 'idor', {
      name: marker,
      indicator: 'openIncidents',
      comparator: 'gt',
      threshold: 1000,
      recipients: 'idor@example.it',
    });
    return { id: alert._id, markers: [marker] };
  },
};
