/**
 * The inbox, requests and case files through HTTP only, as an independent script would
 * use them (personal API tokens, then the no-JavaScript pages): a comune starts a request,
 * the SUA istruttore finds the task, claims it, a completion with invalid data gets 422
 * naming the field and changes nothing, a stale one 409 naming who changed the task, a
 * valid one moves the process on; people of another province or comune get 404 for the
 * task, its case, its attachments and documents. The list pages keep their whole state in
 * the URL; saved views live on the server; bulk actions answer per task.
 */
import { deployServiceProcesses } from '../../src/workers/demo/deploy-processes';
import { createZeebeClient } from '../../src/workers/runtime';
import { eventually } from '../support/eventually';
import { mailToSink, type MailSetup } from '../support/mail-sink';
import { PROCUREMENT_REQUEST } from '../support/idor/inbox-fixtures';
import {
  signIn,
  startTestProduct,
  tokenClient,
  type TestProduct,
  type TokenClient,
} from '../support/web';

jest.setTimeout(240_000);

interface TaskRow {
  id: string;
  name: string;
  state: string;
  version: number;
  processInstanceKey: string;
  assignee: string | null;
}

let product: TestProduct;
let mail: MailSetup;
let rup: TokenClient;
let istruttore: TokenClient;
let dirigente: TokenClient;

beforeAll(async () => {
  mail = await mailToSink();
  product = await startTestProduct({
    name: 'inbox_api',
    env: { WORKERS: 'true', ...mail.env },
  });
  for (const tenantId of ['039', '100']) {
    const zbc = createZeebeClient(product.env.zeebeAddress, { tenantId });
    try {
      await deployServiceProcesses(zbc, tenantId, ['procurement']);
    } finally {
      await zbc.close();
    }
  }
  rup = await tokenClient(product.url, 'rup.faenza');
  istruttore = await tokenClient(product.url, 'istruttore.ra');
  dirigente = await tokenClient(product.url, 'dirigente.ra');
});
afterAll(async () => {
  await product?.stop();
  await mail?.close();
});

async function request(subject: string): Promise<string> {
  const res = await rup.send('POST', '/api/v1/requests', {
    process: 'procurement',
    variables: { ...PROCUREMENT_REQUEST, subject },
  });
  expect(res.status).toBe(201);
  return res.json<{ processInstanceKey: string }>().processInstanceKey;
}

async function taskOf(client: TokenClient, key: string, view = 'office'): Promise<TaskRow> {
  return eventually(
    async () => {
      const res = await client.send('GET', `/api/v1/tasks?view=${view}`);
      return res.json<{ items: TaskRow[] }>().items.find((t) => t.processInstanceKey === key);
    },
    `a task of ${key} in ${view}`,
    30_000,
  );
}

describe('REST API', () => {
  let key = '';
  let task: TaskRow;

  test('a request of the comune becomes the SUA’s task; bad requests are refused naming the field', async () => {
    const bad = await rup.send('POST', '/api/v1/requests', {
      process: 'procurement',
      variables: { ...PROCUREMENT_REQUEST, subject: 'x', amount: 'molto' },
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const fields = bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['amount']));
    const otherComune = await rup.send('POST', '/api/v1/requests', {
      process: 'procurement',
      comune: '039012',
      variables: { ...PROCUREMENT_REQUEST, subject: 'Servizio di pulizia degli uffici' },
    });
    expect(otherComune.status).toBe(422);

    key = await request('Servizio di pulizia degli uffici comunali');
    const mine = await rup.send('GET', '/api/v1/requests');
    expect(
      mine
        .json<{ items: { processInstanceKey: string }[] }>()
        .items.map((r) => r.processInstanceKey),
    ).toContain(key);
    task = await taskOf(istruttore, key);
    expect(task).toMatchObject({ name: 'Verifica della documentazione', assignee: null });
    // The comune's RUP is not a candidate of the SUA's check.
    expect((await rup.send('GET', `/api/v1/tasks/${task.id}`)).status).toBe(404);
  });

  test('claim, 422 naming the field (nothing changes), 409 when stale, then completion', async () => {
    const opened = await istruttore.send('GET', `/api/v1/tasks/${task.id}`);
    expect(opened.status).toBe(200);
    const body = opened.json<{ version: number; form: { title: string }; context: object }>();
    expect(body.form.title).toBe('Verifica della documentazione');
    expect(body.context).toMatchObject({ subject: 'Servizio di pulizia degli uffici comunali' });

    const claimed = await istruttore.send('POST', `/api/v1/tasks/${task.id}/claim`, {
      version: body.version,
    });
    expect(claimed.status).toBe(200);
    const v = claimed.json<{ version: number; assignee: string }>();
    expect(v.assignee).toBe('istruttore.ra');

    const garbage = await istruttore.send('POST', `/api/v1/tasks/${task.id}/complete`, {
      garbage: true,
    });
    expect(garbage.status).toBe(422);
    const invalid = await istruttore.send('POST', `/api/v1/tasks/${task.id}/complete`, {
      variables: { documentsComplete: false },
      version: v.version,
    });
    expect(invalid.status).toBe(422);
    const problem = invalid.json<{ errors: { field: string; message: string }[] }>();
    expect(problem.errors.map((e) => e.field)).toEqual(['missingDocuments']);
    // Nothing changed: same version, still open, still assigned.
    const after = (await istruttore.send('GET', `/api/v1/tasks/${task.id}`)).json<{
      version: number;
      task: { state: string; assignee: string };
    }>();
    expect(after).toMatchObject({
      version: v.version,
      task: { state: 'open', assignee: 'istruttore.ra' },
    });

    // The office head raises its priority meanwhile: the old tab's completion is 409.
    const assigned = await dirigente.send('POST', `/api/v1/tasks/${task.id}/dates`, {
      priority: 80,
      version: v.version,
    });
    expect(assigned.status).toBe(200);
    const stale = await istruttore.send('POST', `/api/v1/tasks/${task.id}/complete`, {
      variables: { documentsComplete: true },
      version: v.version,
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Luca Neri');

    const current = assigned.json<{ version: number }>().version;
    const done = await istruttore.send('POST', `/api/v1/tasks/${task.id}/complete`, {
      variables: { documentsComplete: false, missingDocuments: 'Manca il capitolato' },
      version: current,
    });
    expect(done.status).toBe(200);
    // The process moved on: the comune's integration task.
    const next = await taskOf(rup, key);
    expect(next.name).toBe('Integrazione della documentazione');
    const file = await rup.send('GET', `/api/v1/cases/${key}`);
    expect(file.status).toBe(200);
    const actions = file
      .json<{ timeline: { action: string; actorName: string | null }[] }>()
      .timeline.filter((e) => e.action.startsWith('task.') || e.action.startsWith('request.'));
    expect(actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'request.started', actorName: 'Franco Marini' }),
        expect.objectContaining({ action: 'task.claimed', actorName: 'Giulia Verdi' }),
        expect.objectContaining({ action: 'task.completed', actorName: 'Giulia Verdi' }),
      ]),
    );
  });

  test('another province or comune gets 404 for the task, its case, attachments and documents', async () => {
    const file = (await istruttore.send('GET', `/api/v1/cases/${key}`)).json<{
      attachments: { id: string }[];
    }>();
    const po = await tokenClient(product.url, 'istruttore.po');
    const lugo = await tokenClient(product.url, 'ufficio.lugo');
    for (const client of [po, lugo]) {
      expect((await client.send('GET', `/api/v1/tasks/${task.id}`)).status).toBe(404);
      expect((await client.send('GET', `/api/v1/cases/${key}`)).status).toBe(404);
      expect(
        (await client.send('GET', '/api/v1/documents/00000000-0000-4000-8000-000000000000')).status,
      ).toBe(404);
      for (const a of file.attachments)
        expect((await client.send('GET', `/api/v1/attachments/${a.id}`)).status).toBe(404);
    }
    expect((await po.send('POST', `/api/v1/tasks/${task.id}/claim`, {})).status).toBe(404);
  });
});

describe('list pages without JavaScript', () => {
  test('the URL holds the list state; saved views on the server; cursor paging; bulk results per task', async () => {
    const keys = [];
    for (let i = 0; i < 3; i++) keys.push(await request(`Fornitura di cancelleria lotto ${i + 1}`));
    for (const k of keys) await taskOf(istruttore, k);
    const web = await signIn(product.url, 'istruttore.ra');

    const page = await web.get('/attivita?view=office&q=cancelleria&sort=created&order=asc');
    expect(page.status).toBe(200);
    const links = [...page.text.matchAll(/href='\/attivita\/(\d+)\?torna=([^']+)'/g)];
    expect(links).toHaveLength(3);
    // Opening a task keeps the list's address for the way back.
    const back = decodeURIComponent(links[0][2]);
    expect(back).toContain('q=cancelleria');
    const opened = await web.get(`/attivita/${links[0][1]}?torna=${links[0][2]}`);
    const backLink = /href='([^']+)' data-testid='back-to-list'/.exec(opened.text)?.[1] ?? '';
    expect(backLink.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=')).toBe(back);

    // A personal saved view, listed with its address.
    const saved = await web.postForm('/attivita/viste', {
      name: 'Cancelleria',
      scope: 'personal',
      query: 'view=office&q=cancelleria',
    });
    expect(saved.status).toBe(303);
    const withView = await web.get('/attivita');
    expect(withView.text).toContain('Cancelleria');
    expect(withView.text.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=')).toContain(
      '/attivita?view=office&q=cancelleria',
    );

    // Bulk claim: one result per task.
    const ids = links.map((l) => l[1]);
    const bulk = await web.postForm('/attivita/massiva', { ids, action: 'claim' });
    expect(bulk.status).toBe(200);
    expect(bulk.text.match(/data-testid='bulk-result'/g)?.length ?? 0).toBe(3);
    const mine = await istruttore.send('GET', '/api/v1/tasks?view=mine&q=cancelleria');
    expect(mine.json<{ items: TaskRow[] }>().items).toHaveLength(3);
  });
});

describe('working a task without JavaScript', () => {
  test('open, claim, a refused completion shows the error summary, a stale one names who, a valid one returns to the list', async () => {
    const key = await request('Servizio di trasporto scolastico');
    const task = await taskOf(istruttore, key);
    const web = await signIn(product.url, 'istruttore.ra');
    const back = '/attivita?view=office&q=trasporto';
    const page = await web.get(`/attivita/${task.id}?torna=${encodeURIComponent(back)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Servizio di trasporto scolastico');
    const version = (text: string) =>
      /name=["']version["'] value=["'](\d+)["']/.exec(text)?.[1] ?? '';
    const claimed = await web.postForm(`/attivita/${task.id}/presa-in-carico`, {
      version: version(page.text) || String(task.version),
      torna: back,
    });
    expect(claimed.status).toBe(303);
    const form = await web.get(claimed.location!);
    expect(form.text).toContain('Giulia Verdi');
    const seen = version(form.text);
    expect(seen).not.toBe('');

    const refused = await web.postForm(`/attivita/${task.id}`, {
      version: seen,
      torna: back,
      documentsComplete: 'false',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('data-pc-error-summary');
    expect(refused.text).toContain('href="#f-missingDocuments"');

    // The office head changes the priority meanwhile: the old page's completion is refused.
    const head = await signIn(product.url, 'dirigente.ra');
    const headPage = await head.get(`/attivita/${task.id}`);
    expect(
      (
        await head.postForm(`/attivita/${task.id}/date`, {
          version: version(headPage.text),
          priority: '90',
        })
      ).status,
    ).toBe(303);
    const stale = await web.postForm(`/attivita/${task.id}`, {
      version: seen,
      torna: back,
      documentsComplete: 'true',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Luca Neri');

    const fresh = await web.get(`/attivita/${task.id}`);
    const done = await web.postForm(`/attivita/${task.id}`, {
      version: version(fresh.text),
      torna: back,
      documentsComplete: 'true',
      checkNotes: 'Tutto regolare',
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe(back);
    const after = await istruttore.send('GET', `/api/v1/tasks/${task.id}`);
    expect(after.json<{ task: { state: string } }>().task.state).toMatch(/completed|completing/);
  });
});
