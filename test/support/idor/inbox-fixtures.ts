/**
 * IDOR fixtures of the inbox, requests and case files: a procurement request of each demo
 * comune (through POST /api/v1/requests, as the comune's own user) gives the case, its
 * first task (the SUA's document check), a generated document and an attachment.
 */
import { randomBytes } from 'node:crypto';
import { permissionsOf } from '../../../src/auth';
import { createDocumentStore } from '../../../src/documents';
import { deployServiceProcesses } from '../../../src/workers/demo/deploy-processes';
import { createZeebeClient } from '../../../src/workers/runtime';
import type { DemoUser } from '../web';
import type { FixtureEnv, FixtureSite, IdorFixture } from './types';
import { waitFor } from '../wait-for';

export const PROCUREMENT_REQUEST = {
  contractType: 'services',
  amount: 180000,
  cpv: '77310000-6',
  awardCriterion: 'lowestPrice',
  determinaNumber: '101/2026',
  determinaDate: '2026-11-03',
  rupName: 'Franco Marini',
  rupCodiceFiscale: 'RSSMRA80A01H501U',
  rupEmail: 'rup@demo.comune.faenza.ra.it',
  fundingSource: 'ownFunds',
  documents: ['determina.pdf'],
};

const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n');

interface SiteCase {
  processInstanceKey: string;
  subject: string;
  taskId: string;
}

const cases = new WeakMap<object, Map<string, Promise<SiteCase>>>();
const deployed = new WeakMap<object, Map<string, Promise<void>>>();

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const box = await waitFor(
    `IDOR fixture: ${what}`,
    async () => {
      const v = await probe();
      return v === undefined ? undefined : { v };
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  return box.v;
}

function deploy(env: FixtureEnv, tenantId: string): Promise<void> {
  let byTenant = deployed.get(env.product);
  if (!byTenant) deployed.set(env.product, (byTenant = new Map()));
  let p = byTenant.get(tenantId);
  if (!p) {
    p = (async () => {
      const zbc = createZeebeClient(env.product.env.zeebeAddress, { tenantId });
      try {
        await deployServiceProcesses(zbc, tenantId, ['procurement']);
      } finally {
        await zbc.close();
      }
    })();
    byTenant.set(tenantId, p);
  }
  return p;
}

/** The SUA officer of a province (candidate of the document check). */
function suaOfficer(env: FixtureEnv, tenantId: string): string {
  const p = env.product.config.provinces.get(tenantId)!;
  return p.users.find((u) => u.roles.includes('sua-officer'))!.username;
}

/** One procurement request per comune site, shared by the fixtures below. */
function caseOf(env: FixtureEnv, site: FixtureSite): Promise<SiteCase> {
  let bySite = cases.get(env.product);
  if (!bySite) cases.set(env.product, (bySite = new Map()));
  const key = `${site.tenantId}/${site.comune}`;
  let p = bySite.get(key);
  if (!p) {
    p = (async () => {
      await deploy(env, site.tenantId);
      const subject = `Oggetto IDOR ${site.comune} ${randomBytes(3).toString('hex')}`;
      const rup = await env.client(site.owner.username);
      const res = await rup.postJson('/api/v1/requests', {
        process: 'procurement',
        variables: { ...PROCUREMENT_REQUEST, subject },
      });
      if (res.status !== 201) throw new Error(`request refused: ${res.status} ${res.text}`);
      const { processInstanceKey } = res.json<{ processInstanceKey: string }>();
      const officer = await env.client(suaOfficer(env, site.tenantId));
      const taskId = await until('the document check in the inbox', async () => {
        const list = await officer.get(
          `/api/v1/tasks?view=office&q=${encodeURIComponent(subject)}`,
          { accept: 'application/json' },
        );
        const items = list.json<{ items: { id: string; processInstanceKey: string }[] }>().items;
        return items.find((t) => t.processInstanceKey === processInstanceKey)?.id;
      });
      await until('the case in the engine history', async () => {
        const c = await rup.get(`/api/v1/cases/${processInstanceKey}`, {
          accept: 'application/json',
        });
        return c.status === 200 ? true : undefined;
      });
      return { processInstanceKey, subject, taskId };
    })();
    bySite.set(key, p);
  }
  return p;
}

export const caseFixture: IdorFixture = {
  kind: 'case',
  visibility: 'comune',
  sites: 'comune-per-province',
  needsWorkers: true,
  async create(env, site) {
    const c = await caseOf(env, site);
    return { id: c.processInstanceKey, markers: [c.subject] };
  },
};

/**
 * The document check of the SUA: seen by the SUA officers (its candidates) and by those who
 * see every task of the province (tasks.viewAll); not by the comune's staff. Its marker is
 * a draft note of the officer (shown on the task page only, not in the case file).
 */
export const taskFixture: IdorFixture = {
  kind: 'task',
  visibility: 'comune',
  visibleTo: (caller: DemoUser, site: FixtureSite) =>
    caller.tenantId === site.tenantId &&
    !caller.comune &&
    (caller.roles.includes('sua-officer') || permissionsOf(caller.roles).has('tasks.viewAll')),
  sites: 'comune-per-province',
  needsWorkers: true,
  async create(env, site) {
    const c = await caseOf(env, site);
    const note = `Bozza IDOR ${site.comune} ${randomBytes(3).toString('hex')}`;
    const officer = await env.client(suaOfficer(env, site.tenantId));
    const task = await officer.get(`/api/v1/tasks/${c.taskId}`, { accept: 'application/json' });
    const { version } = task.json<{ version: number }>();
    const claimed = await officer.postJson(`/api/v1/tasks/${c.taskId}/claim`, { version });
    if (claimed.status !== 200) throw new Error(`claim: ${claimed.status} ${claimed.text}`);
    const draft = await officer.postJson(`/api/v1/tasks/${c.taskId}/draft`, {
      variables: { checkNotes: note },
    });
    if (draft.status !== 200) throw new Error(`draft: ${draft.status} ${draft.text}`);
    return { id: c.taskId, markers: [note] };
  },
};

export const documentFixture: IdorFixture = {
  kind: 'document',
  visibility: 'comune',
  sites: 'comune-per-province',
  needsWorkers: true,
  async create(env, site) {
    const c = await caseOf(env, site);
    const marker = `Documento IDOR ${site.comune} ${randomBytes(3).toString('hex')}`;
    const { document } = await createDocumentStore(env.product.db.connection).createOnce({
      key: `idor-${randomBytes(6).toString('hex')}`,
      tenantId: site.tenantId,
      processInstanceKey: c.processInstanceKey,
      kind: 'idor',
      title: marker,
      fileName: 'idor.txt',
      contentType: 'text/plain; charset=utf-8',
      content: marker,
    });
    return { id: document.documentId, markers: [marker] };
  },
};

export const attachmentFixture: IdorFixture = {
  kind: 'attachment',
  visibility: 'comune',
  sites: 'comune-per-province',
  needsWorkers: true,
  async create(env, site) {
    const c = await caseOf(env, site);
    const fileName = `allegato-idor-${site.comune}-${randomBytes(3).toString('hex')}.pdf`;
    const officer = await env.client(suaOfficer(env, site.tenantId));
    await officer.get(`/attivita/${c.taskId}`); // the CSRF token of the page
    const form = new FormData();
    form.append('_csrf', officer.csrfToken ?? '');
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), fileName);
    const res = await officer.request(`/attivita/${c.taskId}/allegati`, {
      method: 'POST',
      body: form,
    });
    if (res.status !== 303) throw new Error(`upload: ${res.status} ${res.text.slice(0, 300)}`);
    const file = await officer.get(`/api/v1/cases/${c.processInstanceKey}`, {
      accept: 'application/json',
    });
    const a = file
      .json<{ attachments: { id: string; fileName: string }[] }>()
      .attachments.find((x) => x.fileName === fileName);
    if (!a) throw new Error('the attachment is not in the case file');
    return { id: a.id, markers: [fileName] };
  },
};
