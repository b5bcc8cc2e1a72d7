/**
 * What people rely on in long lists, over HTTP only (API tokens and the no-JavaScript
 * pages), on the real engine: cursor paging beyond the first 50 tasks (every task exactly
 * once, in a stable order while new tasks arrive); saved views shared with an office
 * (seen by a colleague of that office, not by another office or province) and pinned by
 * the administrator (seen by all the province); bulk assignment and bulk dates with one
 * result per task, where a task the person may not change is refused, the others change,
 * and a refused task is left exactly as it was.
 */
import { hashPassword } from '../../src/auth/passwords';
import { createZeebeClient } from '../../src/workers/runtime';
import { bpmn, flow } from '../support/bpmn-xml';
import { eventually } from '../support/eventually';
import {
  signIn,
  startTestProduct,
  tokenClient,
  type TestProduct,
  type TokenClient,
  type WebClient,
} from '../support/web';

jest.setTimeout(240_000);

interface Row {
  id: string;
  version: number;
  assignee: string | null;
  dueAt: string | null;
  followUpAt: string | null;
  processInstanceKey: string;
  createdAt: string;
}
interface Page {
  items: Row[];
  total: number;
  nextCursor: string | null;
}
interface BulkResult {
  id: string;
  ok: boolean;
  status?: number;
  version?: number;
}

const model = (id: string, group: string) =>
  bpmn(
    id,
    [
      '<bpmn:startEvent id="start" />',
      `<bpmn:userTask id="check" name="Controllo a campione"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="${group}" /></bpmn:extensionElements></bpmn:userTask>`,
      '<bpmn:endEvent id="end" />',
      flow('f1', 'start', 'check'),
      flow('f2', 'check', 'end'),
    ].join('\n'),
  );

let product: TestProduct;
let istruttore: TokenClient;
let dirigente: TokenClient;
let istruttorePo: TokenClient;
const zeebe: Record<string, ReturnType<typeof createZeebeClient>> = {};

beforeAll(async () => {
  product = await startTestProduct({ name: 'inbox_lists', env: { WORKERS: 'true' } });
  for (const tenantId of ['039', '100']) {
    zeebe[tenantId] = createZeebeClient(product.env.zeebeAddress, { tenantId });
    await zeebe[tenantId].deployResource({
      name: 'lists.bpmn',
      process: Buffer.from(model('paging-check', 'sua-officer')),
      tenantId,
    } as never);
    await zeebe[tenantId].deployResource({
      name: 'managers.bpmn',
      process: Buffer.from(model('managers-check', 'sua-manager')),
      tenantId,
    } as never);
  }
  istruttore = await tokenClient(product.url, 'istruttore.ra');
  dirigente = await tokenClient(product.url, 'dirigente.ra');
  istruttorePo = await tokenClient(product.url, 'istruttore.po');
});
afterAll(async () => {
  for (const c of Object.values(zeebe)) await c.close();
  await product?.stop();
});

async function start(tenantId: string, process: string, n: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await zeebe[tenantId].createProcessInstance({
      bpmnProcessId: process,
      tenantId,
      variables: { subject: `Controllo ${i + 1}` },
    } as never);
    keys.push(String(r.processInstanceKey));
  }
  return keys;
}

async function list(client: TokenClient, query: string): Promise<Page> {
  const res = await client.send('GET', `/api/v1/tasks?${query}`);
  expect(res.status).toBe(200);
  return res.json<Page>();
}

/** Waits until the list holds `total` tasks. */
function listed(client: TokenClient, query: string, total: number): Promise<Page> {
  return eventually(
    async () => {
      const page = await list(client, query);
      return page.total === total ? page : undefined;
    },
    `${total} tasks in ${query}`,
    60_000,
  );
}

async function task(client: TokenClient, id: string): Promise<Row & { state: string }> {
  const res = await client.send('GET', `/api/v1/tasks/${id}`);
  expect(res.status).toBe(200);
  return res.json<{ task: Row & { state: string } }>().task;
}

describe('cursor paging beyond the first page', () => {
  test('every task exactly once across pages, in a stable order while new tasks arrive', async () => {
    const office = 'view=office&process=paging-check';
    const keys = await start('039', 'paging-check', 62);
    const newestFirst = `${office}&sort=created&order=desc`;
    const first = await listed(istruttore, newestFirst, 62);
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).toEqual(expect.any(String));

    // Five more arrive while the istruttore is on page 1: newer, so before the cursor.
    const later = await start('039', 'paging-check', 5);
    await listed(istruttore, newestFirst, 67);
    const second = await list(
      istruttore,
      `${newestFirst}&cursor=${encodeURIComponent(first.nextCursor!)}`,
    );
    expect(second.nextCursor).toBeNull();
    const seen = [...first.items, ...second.items].map((r) => r.processInstanceKey);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...keys].sort());
    expect(seen.some((k) => later.includes(k))).toBe(false);

    // Oldest first: the new ones come last; 67 tasks on pages of 50, 17, each once.
    const oldestFirst = `${office}&sort=created&order=asc`;
    const pages: Page[] = [await list(istruttore, oldestFirst)];
    while (pages[pages.length - 1].nextCursor) {
      const cursor = encodeURIComponent(pages[pages.length - 1].nextCursor!);
      pages.push(await list(istruttore, `${oldestFirst}&cursor=${cursor}`));
    }
    expect(pages.map((p) => p.items.length)).toEqual([50, 17]);
    const rows = pages.flatMap((p) => p.items);
    const all = rows.map((r) => r.processInstanceKey);
    expect(new Set(all).size).toBe(67);
    expect(all.slice(0, 62).sort()).toEqual([...keys].sort());
    expect(all.slice(62).sort()).toEqual([...later].sort());
    const created = rows.map((r) => r.createdAt);
    expect(created).toEqual([...created].sort());

    // The no-JavaScript page: 50 rows and a "next page" link that carries the cursor.
    const web = await signIn(product.url, 'istruttore.ra');
    const page1 = await web.get(`/attivita?${oldestFirst}`);
    const ids1 = rowIds(page1.text);
    expect(ids1).toHaveLength(50);
    const next = /href='([^']+)' rel='next' data-testid='next-page'/
      .exec(page1.text)?.[1]
      ?.replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    expect(next).toContain('cursor=');
    const page2 = await web.get(next!);
    const ids2 = rowIds(page2.text);
    expect(ids2).toHaveLength(17);
    expect(page2.text).not.toContain("data-testid='next-page'");
    expect(new Set([...ids1, ...ids2]).size).toBe(67);
    expect([...ids1, ...ids2]).toEqual(pages.flatMap((p) => p.items.map((r) => r.id)));

    // Another province's officer sees none of them.
    expect((await list(istruttorePo, office)).total).toBe(0);
  });
});

function rowIds(html: string): string[] {
  return [...html.matchAll(/data-testid='task-row' data-task-id='(\d+)'/g)].map((m) => m[1]);
}

/** The saved views in the list page's menu: name, and the id when it has a delete button. */
function savedViews(html: string): { name: string; deleteId?: string }[] {
  const block = /data-testid='saved-views'>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return block
    .split('<li')
    .slice(1)
    .map((li) => ({
      name: />([^<]+)<\/a>/.exec(li)?.[1] ?? '',
      deleteId: /\/attivita\/viste\/([0-9a-f-]+)\/eliminazione/.exec(li)?.[1],
    }));
}

const savedViewNames = (html: string) => savedViews(html).map((v) => v.name);

describe('saved views shared with an office and pinned for the province', () => {
  let colleague: WebClient;
  let owner: WebClient;

  beforeAll(async () => {
    // A second person of the SUA office of Ravenna.
    await product.auth.accounts.create(
      {
        username: 'istruttore2.ra',
        displayName: 'Sara Russo',
        email: 'sua2@demo.provincia.ra.it',
        tenantId: '039',
        roles: ['sua-officer'],
        office: 'Stazione Unica Appaltante',
      },
      { passwordHash: await hashPassword('collega-sua-2026') },
    );
    owner = await signIn(product.url, 'istruttore.ra');
    colleague = await signIn(product.url, 'istruttore2.ra', 'collega-sua-2026');
  });

  test('a view shared with the office is seen by a colleague of that office only; the administrator’s pinned view by everyone of the province', async () => {
    const shared = await owner.postForm('/attivita/viste', {
      name: 'Controlli a campione (ufficio)',
      scope: 'office',
      office: 'sua-officer',
      query: 'view=office&process=paging-check&sort=created',
    });
    expect(shared.status).toBe(303);
    const personal = await owner.postForm('/attivita/viste', {
      name: 'Solo per me',
      scope: 'personal',
      query: 'view=mine',
    });
    expect(personal.status).toBe(303);

    const seenByColleague = await colleague.get('/attivita');
    expect(savedViewNames(seenByColleague.text)).toEqual(['Controlli a campione (ufficio)']);
    // The shared view opens the same list for the colleague.
    expect(seenByColleague.text.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=')).toContain(
      "href='/attivita?view=office&process=paging-check&sort=created'",
    );
    // Not their view: no delete button, and deleting it is refused; it stays.
    expect(savedViews(seenByColleague.text)[0].deleteId).toBeUndefined();
    const sharedId = savedViews((await owner.get('/attivita')).text).find(
      (v) => v.name === 'Controlli a campione (ufficio)',
    )?.deleteId;
    expect(sharedId).toBeDefined();
    const refused = await colleague.postForm(`/attivita/viste/${sharedId}/eliminazione`, {});
    expect(refused.status).toBe(403);
    expect(savedViewNames((await colleague.get('/attivita')).text)).toContain(
      'Controlli a campione (ufficio)',
    );

    // Another office of the same province, another province's SUA officer: not shown.
    const sape = await signIn(product.url, 'sape.ra');
    expect(savedViewNames((await sape.get('/attivita')).text)).toEqual([]);
    const prato = await signIn(product.url, 'istruttore.po');
    expect(savedViewNames((await prato.get('/attivita')).text)).toEqual([]);
    // Sharing with an office one is not part of is refused, naming the field.
    const notMine = await sape.postForm('/attivita/viste', {
      name: 'Per la SUA',
      scope: 'office',
      office: 'sua-officer',
      query: 'view=office',
    });
    expect(notMine.status).toBe(422);

    // Pinning needs views.pin: refused for the istruttore, done by the administrator.
    const notPinned = await owner.postForm('/attivita/viste', {
      name: 'Scadute (tutti)',
      scope: 'pinned',
      query: 'view=overdue',
    });
    expect(notPinned.status).toBe(403);
    const admin = await signIn(product.url, 'admin.ra');
    const pinned = await admin.postForm('/attivita/viste', {
      name: 'Scadute della provincia',
      scope: 'pinned',
      query: 'view=overdue&sort=due',
    });
    expect(pinned.status).toBe(303);
    // Everyone of the province sees it, first; nobody of another province.
    expect(savedViewNames((await owner.get('/attivita')).text)).toEqual([
      'Scadute della provincia',
      'Controlli a campione (ufficio)',
      'Solo per me',
    ]);
    expect(savedViewNames((await colleague.get('/attivita')).text)).toEqual([
      'Scadute della provincia',
      'Controlli a campione (ufficio)',
    ]);
    expect(savedViewNames((await sape.get('/attivita')).text)).toEqual(['Scadute della provincia']);
    const rup = await signIn(product.url, 'rup.faenza');
    expect(savedViewNames((await rup.get('/attivita')).text)).toEqual(['Scadute della provincia']);
    expect(savedViewNames((await prato.get('/attivita')).text)).toEqual([]);
  });
});

describe('bulk assignment and bulk dates', () => {
  test('one result per task: a task the person may not change is refused and left as it was, the others change', async () => {
    const [a, b, c] = await start('039', 'paging-check', 3);
    const [managers] = await start('039', 'managers-check', 1);
    const [elsewhere] = await start('100', 'paging-check', 1);
    const find = (client: TokenClient, view: string, key: string) =>
      eventually(
        async () =>
          (await list(client, `view=${view}&limit=200&sort=created&order=desc`)).items.find(
            (r) => r.processInstanceKey === key,
          ),
        `the task of ${key}`,
        60_000,
      );
    const [ta, tb, tc] = await Promise.all([a, b, c].map((k) => find(istruttore, 'office', k)));
    const tm = await find(dirigente, 'office', managers);
    const tp = await find(istruttorePo, 'office', elsewhere);

    // The office head assigns four tasks to the istruttore: the one of the managers' office
    // (the istruttore is not a candidate) and the one of another province are refused.
    const assign = await dirigente.send('POST', '/api/v1/tasks/bulk', {
      action: 'assign',
      userId: 'istruttore.ra',
      ids: [ta.id, tm.id, tp.id, tb.id],
    });
    expect(assign.status).toBe(200);
    const results = assign.json<{ results: BulkResult[] }>().results;
    expect(results.map((r) => [r.id, r.ok, r.status ?? 200])).toEqual([
      [ta.id, true, 200],
      [tm.id, false, 422],
      [tp.id, false, 404],
      [tb.id, true, 200],
    ]);
    for (const t of [ta, tb]) {
      const now = await task(istruttore, t.id);
      expect(now).toMatchObject({ assignee: 'istruttore.ra', version: t.version + 1 });
    }
    // Refused: exactly as before (same version, nobody assigned, no history entry).
    expect(await task(dirigente, tm.id)).toMatchObject({ assignee: null, version: tm.version });
    expect(await task(istruttorePo, tp.id)).toMatchObject({ assignee: null, version: tp.version });
    const timeline = (key: string) =>
      eventually(
        async () => {
          const res = await dirigente.send('GET', `/api/v1/cases/${key}`);
          return res.status === 200
            ? res.json<{ timeline: { action: string }[] }>().timeline.map((e) => e.action)
            : undefined;
        },
        `the case file of ${key}`,
        30_000,
      );
    expect(await timeline(a)).toEqual(expect.arrayContaining(['task.created', 'task.assigned']));
    expect(await timeline(managers)).toContain('task.created');
    expect(await timeline(managers)).not.toContain('task.assigned');

    // Bulk due date by the office head: the task of another province is refused.
    const due = '2026-12-18T16:00:00.000Z';
    const dates = await dirigente.send('POST', '/api/v1/tasks/bulk', {
      action: 'dates',
      dueAt: due,
      ids: [ta.id, tp.id, tc.id],
    });
    expect(
      dates.json<{ results: BulkResult[] }>().results.map((r) => [r.id, r.ok, r.status ?? 200]),
    ).toEqual([
      [ta.id, true, 200],
      [tp.id, false, 404],
      [tc.id, true, 200],
    ]);
    expect((await task(istruttore, ta.id)).dueAt).toBe(due);
    expect((await task(istruttore, tc.id)).dueAt).toBe(due);
    expect(await task(istruttorePo, tp.id)).toMatchObject({ dueAt: null, version: tp.version });

    // A date that is not a date: the request is refused naming the field (the API's
    // schema check, 400), no task changed.
    const before = await Promise.all([ta, tc].map((t) => task(istruttore, t.id)));
    const bad = await dirigente.send('POST', '/api/v1/tasks/bulk', {
      action: 'dates',
      dueAt: 'venerdì prossimo',
      ids: [ta.id, tc.id],
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('dueAt');
    const after = await Promise.all([ta, tc].map((t) => task(istruttore, t.id)));
    expect(after.map((t) => [t.version, t.dueAt])).toEqual(before.map((t) => [t.version, t.dueAt]));

    // The istruttore may park only their own tasks: a is theirs, c is nobody's (409);
    // changing a deadline needs tasks.assign (403) and changes nothing.
    const followUp = '2026-12-10T08:00:00.000Z';
    const park = await istruttore.send('POST', '/api/v1/tasks/bulk', {
      action: 'dates',
      followUpAt: followUp,
      ids: [ta.id, tc.id],
    });
    expect(
      park.json<{ results: BulkResult[] }>().results.map((r) => [r.id, r.ok, r.status ?? 200]),
    ).toEqual([
      [ta.id, true, 200],
      [tc.id, false, 409],
    ]);
    expect((await task(istruttore, ta.id)).followUpAt).toBe(followUp);
    expect((await task(istruttore, tc.id)).followUpAt).toBeNull();
    const deadline = await istruttore.send('POST', '/api/v1/tasks/bulk', {
      action: 'dates',
      dueAt: '2027-01-15T16:00:00.000Z',
      ids: [tb.id],
    });
    expect(deadline.json<{ results: BulkResult[] }>().results).toEqual([
      expect.objectContaining({ id: tb.id, ok: false, status: 403 }),
    ]);
    expect((await task(istruttore, tb.id)).dueAt).toBeNull();
  });
});
