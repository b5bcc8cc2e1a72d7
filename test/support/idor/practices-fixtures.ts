/**
 * IDOR fixtures of the good-practice catalogue, made through the product's own routes:
 * - 'practice': a published entry with a process package — readable by every signed-in
 *   person of every province ('network');
 * - 'practice-own': the same kind of entry, withdrawn — only its publishing province
 *   still sees it (and changes it), for the routes only the publisher may use;
 * - 'practice-document': a document of a published entry.
 */
import { randomBytes } from 'node:crypto';
import type { FixtureEnv, FixtureSite, IdorFixture } from './types';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

/** The province administrator of the site's province publishes. */
const publisher = (site: FixtureSite) => (site.tenantId === '039' ? 'admin.ra' : 'admin.po');

function entry(marker: string) {
  return {
    name: `Pratica ${marker}`,
    version: '1.0.0',
    licence: 'EUPL-1.2',
    maturity: 'beta',
    maintainer: { name: 'Ufficio innovazione' },
    languages: ['it'],
    serviceLine: 'procurement',
    theme: 'digitalisation',
    summary: `Sintesi della pratica ${marker} per la rete.`,
    problem: 'I tempi della procedura erano troppo lunghi per i comuni.',
    solution: 'Una tabella di decisione unica per scegliere la procedura.',
    results: 'Tempi ridotti e meno richieste incomplete nel primo anno.',
    figures: [{ label: 'Giorni medi', value: 30, unit: 'giorni' }],
    contacts: [{ name: 'Ufficio innovazione', email: 'innovazione@example.it' }],
  };
}

async function publish(env: FixtureEnv, site: FixtureSite, marker: string, withPackage: boolean) {
  const client = await env.client(publisher(site));
  const res = await client.postJson('/api/v1/practices', {
    ...entry(marker),
    ...(withPackage ? { package: { models: ['form:training-report'] } } : {}),
  });
  if (res.status !== 201)
    throw new Error(`practice fixture: ${res.status} ${res.text.slice(0, 300)}`);
  return res.json<{ id: string }>().id;
}

export const practiceFixture: IdorFixture = {
  kind: 'practice',
  visibility: 'network',
  sites: 'provinces',
  async create(env, site) {
    const marker = `IdorPratica${site.tenantId}${randomBytes(3).toString('hex')}`;
    return { id: await publish(env, site, marker, true), markers: [marker] };
  },
};

export const ownPracticeFixture: IdorFixture = {
  kind: 'practice-own',
  visibility: 'tenant',
  sites: 'provinces',
  async create(env, site) {
    const marker = `IdorRitirata${site.tenantId}${randomBytes(3).toString('hex')}`;
    const id = await publish(env, site, marker, false);
    const client = await env.client(publisher(site));
    const res = await client.postJson(`/api/v1/practices/${id}/withdrawal`, {
      reason: 'Ritirata per la prova IDOR',
    });
    if (res.status !== 200) throw new Error(`practice-own fixture: ${res.status} ${res.text}`);
    return { id, markers: [marker] };
  },
};

export const practiceDocumentFixture: IdorFixture = {
  kind: 'practice-document',
  visibility: 'network',
  sites: 'provinces',
  async create(env, site) {
    const marker = `IdorDocumento${site.tenantId}${randomBytes(3).toString('hex')}`;
    const client = await env.client(publisher(site));
    await client.get('/buone-pratiche/nuova');
    const form = new FormData();
    form.append('_csrf', client.csrfToken ?? '');
    const e = entry(marker);
    const fields: Record<string, string> = {
      name: e.name,
      version: e.version,
      licence: e.licence,
      maturity: e.maturity,
      maintainerName: e.maintainer.name,
      languages: 'it',
      serviceLine: e.serviceLine,
      theme: e.theme,
      summary: e.summary,
      problem: e.problem,
      solution: e.solution,
      results: e.results,
      figureLabel0: 'Giorni medi',
      figureValue0: '30',
      contactName0: 'Ufficio innovazione',
      contactEmail0: 'innovazione@example.it',
    };
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('documents', new Blob([PDF], { type: 'application/pdf' }), `${marker}.pdf`);
    const res = await client.request('/buone-pratiche', { method: 'POST', body: form });
    if (res.status !== 303)
      throw new Error(`practice-document fixture: ${res.status} ${res.text.slice(0, 500)}`);
    const page = await client.get(res.location!);
    const id =
      /href='\/buone-pratiche\/documenti\/([0-9a-f]{24})'/.exec(page.text)?.[1] ??
      /href="\/buone-pratiche\/documenti\/([0-9a-f]{24})"/.exec(page.text)?.[1];
    if (!id) throw new Error('practice-document fixture: no document link on the entry page');
    return { id, markers: [marker] };
  },
};
