/**
 * The model repository (src/modeling) on the real database, deploying through the real
 * Zeebe client to the real built-in engine behind its gateway.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConflictError, ForbiddenError, ValidationError } from '../../src/errors';
import {
  createModeling,
  DeployRefusedError,
  seedFiles,
  type Modeling,
  type ModelActor,
  type BpmnDiff,
  type DmnDiff,
} from '../../src/modeling';
import { SERVICE_HANDLERS } from '../../src/workers/service-workers';
import { createZeebeClient, type ZeebeClient } from '../../src/workers/runtime';
import { startEngineWithGateway, type RunningEngine } from '../support/engine-with-gateway';

const ROOT = path.resolve(__dirname, '../..');
let running: RunningEngine;
let zeebe: ZeebeClient;
let modeling: Modeling;

const analyst = (tenantId: string, permissions = ['models.edit', 'models.deploy']): ModelActor => ({
  tenantId,
  username: tenantId === '039' ? 'analista.ra' : 'analista.po',
  displayName: tenantId === '039' ? 'Analista Ravenna' : 'Analista Prato',
  permissions: new Set(permissions),
});
const ra = analyst('039');

beforeAll(async () => {
  running = await startEngineWithGateway();
  zeebe = createZeebeClient(running.address);
  modeling = createModeling({
    connection: running.db.connection,
    deployer: { zeebe, engine: 'built-in' },
  });
  await modeling.seed('039');
  await modeling.seed('100');
}, 120_000);

afterAll(async () => {
  await zeebe?.close();
  await running?.close();
});

async function modelId(
  tenantId: string,
  kind: 'bpmn' | 'dmn' | 'form',
  key: string,
): Promise<string> {
  const m = await modeling.repo.findByKey({ tenantId }, kind, key);
  if (!m) throw new Error(`no ${kind} ${key} for ${tenantId}`);
  return m._id;
}

describe('seed and tenancy', () => {
  it('seeds every province with the shared models, version 1, once', async () => {
    const list = await modeling.repo.list({ tenantId: '039' });
    const files = seedFiles();
    expect(list).toHaveLength(files.length);
    const keys = (kind: string) => list.filter((m) => m.kind === kind).map((m) => m.key);
    expect(keys('bpmn')).toEqual(
      expect.arrayContaining(['data-request', 'eu-call-scouting', 'eu-funding', 'procurement']),
    );
    expect(keys('dmn')).toEqual(
      expect.arrayContaining([
        'dataRequestClassification',
        'euCallMatching',
        'procurementProcedure',
      ]),
    );
    expect(keys('form')).toHaveLength(files.filter((f) => f.kind === 'form').length);
    const proc = list.find((m) => m.key === 'procurement')!;
    expect(proc).toMatchObject({
      origin: 'seed',
      line: 'procurement',
      latestVersion: { version: 1 },
    });
    expect(proc.latestVersion!.message).toBe(
      'Modello condiviso (processes/procurement/procurement.bpmn)',
    );
    expect(proc.draft.unsaved).toBe(false);
    expect(await modeling.seed('039')).toBe(0);
  });

  it('keeps a province’s edits to itself', async () => {
    const id = await modelId('039', 'bpmn', 'procurement');
    const xml = await modeling.repo.contentOf(ra, id, 'draft');
    await modeling.repo.saveDraft(
      ra,
      id,
      xml.replace('Richiesta del CIG', 'Richiesta CIG (Ravenna)'),
    );
    const prato = await modeling.repo.get(
      { tenantId: '100' },
      await modelId('100', 'bpmn', 'procurement'),
    );
    expect(prato.draftContent).toContain('Richiesta del CIG');
    expect(prato.draftContent).not.toContain('Ravenna');
    // Ravenna's model id is not found from Prato.
    await expect(modeling.repo.get({ tenantId: '100' }, id)).rejects.toThrow(/not found/);
  });
});

describe('drafts and versions', () => {
  it('autosaves drafts, even unfinished XML, and refuses a stale revision', async () => {
    const id = await modelId('039', 'dmn', 'euCallMatching');
    const before = await modeling.repo.get(ra, id);
    const saved = await modeling.repo.saveDraft(ra, id, '<definitions><unfinished', {
      expectedRevision: before.draft.revision,
    });
    expect(saved.revision).toBe(before.draft.revision + 1);
    expect((await modeling.repo.get(ra, id)).draftContent).toBe('<definitions><unfinished');
    await expect(
      modeling.repo.saveDraft(ra, id, 'other tab', { expectedRevision: before.draft.revision }),
    ).rejects.toBeInstanceOf(ConflictError);
    // A version must parse.
    const err = await modeling.repo
      .createVersion(ra, id, { message: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors[0].field).toBe('content');
    await expect(modeling.repo.saveDraft(analyst('039', []), id, 'x')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      modeling.repo.saveDraft(ra, id, '<!DOCTYPE x [<!ENTITY a "b">]><definitions/>'),
    ).rejects.toThrow(/DOCTYPE/);
  });

  it('saves named versions with author, date and message; the process id must stay', async () => {
    const id = await modelId('039', 'bpmn', 'data-request');
    const xml = await modeling.repo.contentOf(ra, id, 1);
    const renamed = xml.replace(/<bpmn:process id="data-request"/, '<bpmn:process id="other"');
    await expect(modeling.repo.createVersion(ra, id, { content: renamed })).rejects.toThrow(
      /must stay "data-request"/,
    );
    await expect(modeling.repo.createVersion(ra, id, { content: xml })).rejects.toThrow(
      /nothing changed/,
    );
    const edited = xml.replace('name="Classificazione della richiesta"', 'name="Classificazione"');
    expect(edited).not.toBe(xml);
    const { version, lint } = await modeling.repo.createVersion(ra, id, {
      content: edited,
      message: 'Nome più breve',
    });
    expect(version).toMatchObject({
      version: 2,
      message: 'Nome più breve',
      author: { username: 'analista.ra' },
    });
    expect(lint.errors).toBe(0);
    const versions = await modeling.repo.versions(ra, id);
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0].createdAt).toBeInstanceOf(Date);
    const detail = await modeling.repo.get(ra, id);
    expect(detail.draft).toMatchObject({ baseVersion: 2, unsaved: false });
  });
});

describe('lint and deploy', () => {
  const serviceTaskWithoutType = (xml: string) =>
    xml.replace(/<zeebe:taskDefinition type="procurement\.requestCig" retries="3" \/>/, '');

  it('lints with camunda-cloud-8-5: a service task without a job type is an error naming element and rule', async () => {
    const xml = readFileSync(path.join(ROOT, 'processes/procurement/procurement.bpmn'), 'utf8');
    expect((await modeling.lint('bpmn', xml)).errors).toBe(0);
    const report = await modeling.lint('bpmn', serviceTaskWithoutType(xml));
    expect(report.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          elementId: 'requestCig',
          elementName: 'Richiesta del CIG',
          rule: 'camunda-compat/implementation',
          category: 'error',
        }),
      ]),
    );
  });

  it('refuses to deploy a version with lint errors, naming element and rule; deploys nothing', async () => {
    const id = await modelId('039', 'bpmn', 'procurement');
    const xml = await modeling.repo.contentOf(ra, id, 1);
    const { version } = await modeling.repo.createVersion(ra, id, {
      content: serviceTaskWithoutType(xml),
      message: 'Senza tipo',
    });
    const err = await modeling.deploy(ra, id, version.version).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeployRefusedError);
    expect((err as DeployRefusedError).errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'content/requestCig',
          params: expect.objectContaining({
            element: 'requestCig',
            rule: 'camunda-compat/implementation',
          }),
        }),
      ]),
    );
    expect(await modeling.repo.deployments(ra, id)).toEqual([]);
  });

  it('deploys for the province only, records it, keeps running instances on their version and rolls back as a new version', async () => {
    // A variant: a process id only Ravenna has, so Prato cannot start it.
    const source = await modelId('039', 'bpmn', 'data-request');
    const variant = await modeling.createVariant(ra, source, {
      key: 'data-request-ra',
      name: 'Richiesta di dati (Ravenna)',
    });
    expect(variant).toMatchObject({
      origin: 'variant',
      variantOf: 'data-request',
      key: 'data-request-ra',
    });
    await expect(
      modeling.deploy(analyst('039', ['models.edit']), variant._id, 1),
    ).rejects.toBeInstanceOf(ForbiddenError);

    const first = await modeling.deploy(ra, variant._id, 1);
    expect(first.deployment).toMatchObject({
      engine: 'built-in',
      version: 1,
      definitionVersion: 1,
    });
    const pi1 = await zeebe.createProcessInstance({
      bpmnProcessId: 'data-request-ra',
      tenantId: '039',
      variables: { comuneIstat: '039010', datasetId: 'popolazione-eta' },
    });
    expect(pi1.version).toBe(1);
    await expect(
      zeebe.createProcessInstance({
        bpmnProcessId: 'data-request-ra',
        tenantId: '100',
        variables: {},
      }),
    ).rejects.toThrow(/NOT_FOUND|not found/i);

    const xml = await modeling.repo.contentOf(ra, variant._id, 1);
    const { version: v2 } = await modeling.repo.createVersion(ra, variant._id, {
      content: xml.replace(
        'name="Richiesta di dati (Ravenna)"',
        'name="Richiesta di dati - Ravenna"',
      ),
      message: 'v2',
    });
    const second = await modeling.deploy(ra, variant._id, v2.version);
    expect(second.deployment.definitionVersion).toBe(2);
    // The running instance keeps version 1; new instances get version 2.
    const pi2 = await zeebe.createProcessInstance({
      bpmnProcessId: 'data-request-ra',
      tenantId: '039',
      variables: { comuneIstat: '039010', datasetId: 'popolazione-eta' },
    });
    expect(pi2.version).toBe(2);
    const running1 = await waitFor(async () =>
      running.db.connection
        .db!.collection('history_process_instances_active')
        .findOne({ key: String(pi1.processInstanceKey) }),
    );
    expect(running1.version).toBe(1);

    const back = await modeling.rollback(ra, variant._id, 1);
    expect(back.version).toMatchObject({
      version: 3,
      restoredFrom: 1,
      message: 'Ripristino della versione 1',
    });
    expect(back.deployment.definitionVersion).toBe(3);
    const summary = (await modeling.repo.list(ra)).find((m) => m.id === variant._id)!;
    expect(summary.deployed).toEqual([
      expect.objectContaining({ engine: 'built-in', version: 3, definitionVersion: 3 }),
    ]);
  });
});

async function waitFor<T>(probe: () => Promise<T | null | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('diff', () => {
  it('shows changed elements with hidden properties (job type) and the XML diff', async () => {
    const id = await modelId('100', 'bpmn', 'procurement');
    const po = analyst('100');
    const xml = await modeling.repo.contentOf(po, id, 1);
    await modeling.repo.createVersion(po, id, {
      content: xml
        .replace('name="Richiesta del CIG"', 'name="Richiesta CIG all’ANAC"')
        .replace('type="procurement.selectOperators"', 'type="procurement.selectOperatorsV2"'),
      message: 'v2',
    });
    const diff = await modeling.diff(po, id, 1, 2);
    expect(diff.kind).toBe('bpmn');
    const semantic = diff.semantic as BpmnDiff;
    expect(semantic.changed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'requestCig',
          properties: [{ path: 'name', from: 'Richiesta del CIG', to: 'Richiesta CIG all’ANAC' }],
        }),
        expect.objectContaining({
          id: 'selectOperators',
          properties: [
            {
              path: 'extensionElements.zeebe:TaskDefinition.type',
              from: 'procurement.selectOperators',
              to: 'procurement.selectOperatorsV2',
            },
          ],
        }),
      ]),
    );
    expect(semantic.added).toEqual([]);
    expect(diff.text.patch).toContain(
      '+        <zeebe:taskDefinition type="procurement.selectOperatorsV2"',
    );
    expect(diff.text).toMatchObject({ added: 2, removed: 2 });
  });

  it('shows a decision table change as changed rules, cell by cell', async () => {
    const id = await modelId('100', 'dmn', 'procurementProcedure');
    const po = analyst('100');
    const xml = await modeling.repo.contentOf(po, id, 1);
    await modeling.repo.createVersion(po, id, {
      content: xml.replace('<text>operatorMinimums.negotiatedWorks</text>', '<text>6</text>'),
      message: 'sei operatori',
    });
    const diff = await modeling.diff(po, id, 1, 'draft');
    const table = (diff.semantic as DmnDiff).decisions.find(
      (d) => d.id === 'procurementProcedure',
    )!;
    expect(table.status).toBe('changed');
    expect(table.rules.changed).toEqual([
      expect.objectContaining({
        id: 'procurementProcedure_rule2',
        index: 2,
        cells: [
          {
            column: 'Operatori da invitare (minimo)',
            from: 'operatorMinimums.negotiatedWorks',
            to: '6',
          },
        ],
      }),
    ]);
  });
});

describe('decisions, forms, element templates', () => {
  it('evaluates a deployed decision through EvaluateDecision and reports the matched rule', async () => {
    const id = await modelId('039', 'dmn', 'procurementProcedure');
    await modeling.deploy(ra, id, 1);
    const result = await modeling.testDecision(ra, 'procurementProcedure', {
      contractType: 'works',
      amount: 600000,
      thresholds: {
        directAwardWorks: 150000,
        negotiatedWorksTenOperators: 1000000,
        euWorks: 5404000,
        directAwardServicesSupplies: 140000,
        euServicesSupplies: 216000,
      },
      operatorMinimums: {
        negotiatedWorks: 5,
        negotiatedWorksTenOperators: 10,
        negotiatedServicesSupplies: 5,
      },
    });
    expect(result.output).toMatchObject({ procedureType: 'negotiated', minOperators: 5 });
    expect(result.evaluated[0].matchedRules).toEqual([
      expect.objectContaining({ ruleId: 'procurementProcedure_rule2', ruleIndex: 2 }),
    ]);
    // Prato has not deployed it through the repository in this database: not found there.
    await expect(
      modeling.testDecision(analyst('100'), 'procurementProcedure', {}),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('validates a form schema on save and publishes a version for the inbox', async () => {
    const id = await modelId('039', 'form', 'procurement-document-check');
    const schema = JSON.parse(await modeling.repo.contentOf(ra, id, 1));
    const broken = {
      ...schema,
      properties: { ...schema.properties, checkNotes: { type: 'strnig' } },
    };
    await expect(
      modeling.repo.createVersion(ra, id, { content: JSON.stringify(broken) }),
    ).rejects.toThrow(/does not compile/);
    const edited = { ...schema, title: 'Verifica degli atti' };
    const { version } = await modeling.repo.createVersion(ra, id, {
      content: JSON.stringify(edited, null, 2),
      message: 'titolo',
    });
    expect(await modeling.activeForm('039', 'procurement-document-check')).toBeUndefined();
    await modeling.deploy(ra, id, version.version);
    expect(await modeling.activeForm('039', 'procurement-document-check')).toMatchObject({
      title: 'Verifica degli atti',
    });
    expect(await modeling.activeForm('100', 'procurement-document-check')).toBeUndefined();
  });

  it('generates an element template per worker job type', async () => {
    const templates = await modeling.elementTemplates('039');
    const cig = templates.find((t) => t.name === 'Richiesta CIG')!;
    expect(cig.properties).toEqual(
      expect.arrayContaining([
        {
          type: 'Hidden',
          value: 'procurement.requestCig',
          binding: { type: 'zeebe:taskDefinition', property: 'type' },
        },
        expect.objectContaining({
          value: 'cig',
          binding: { type: 'zeebe:output', source: '=cig' },
        }),
        expect.objectContaining({ binding: { type: 'zeebe:input', name: 'cpv' }, optional: true }),
      ]),
    );
    expect(templates).toHaveLength(Object.keys(SERVICE_HANDLERS).length);
  });
});
