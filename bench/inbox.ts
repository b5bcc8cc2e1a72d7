/**
 * Inbox speed (part of `npm run bench`, never a test). BENCH_INBOX_TASKS (100,000) open
 * tasks across the two demo provinces are written to the inbox's collection, the product
 * is started on them (its lists load at start), and the list pages are read over HTTP
 * as the demo users would: each view, a search, a sort on a business column and the
 * second page, BENCH_INBOX_REPS (30) times each. Target: p99 < 100 ms.
 * Then BENCH_INBOX_COMPLETIONS (30) times: a process with two user tasks for the same
 * person; the first is completed through the REST API and the time until the second is
 * in that person's "Le mie attività" is measured. Target: p99 < 1 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningProduct } from '../src/product';
import type { InboxTask } from '../src/tasks';
import { createZeebeClient } from '../src/workers/runtime';
import { Session, startBenchProduct } from './web-product';
import { round, summarize, type LatencySummary } from './stats';

const TASKS = Number(process.env.BENCH_INBOX_TASKS ?? 100_000);
const REPS = Number(process.env.BENCH_INBOX_REPS ?? 30);
const COMPLETIONS = Number(process.env.BENCH_INBOX_COMPLETIONS ?? 30);
const DAY = 86_400_000;

export interface InboxBenchRow {
  call: string;
  latency: LatencySummary;
  items: number;
}

export interface InboxBenchResult {
  tasks: number;
  lists: InboxBenchRow[];
  nextTaskVisible: LatencySummary;
  productRssMb: number;
  loadSeconds: number;
}

const SITES = [
  {
    tenantId: '039',
    comuni: [
      ['039010', 'Faenza'],
      ['039012', 'Lugo'],
      ['039014', 'Ravenna'],
    ],
  },
  {
    tenantId: '100',
    comuni: [
      ['100003', 'Montemurlo'],
      ['100006', 'Vaiano'],
      ['100005', 'Prato'],
    ],
  },
];
const GROUPS = ['sua-officer', 'sua-manager', 'sape-officer', 'data-officer', 'comune-rup'];
const ASSIGNEES: Record<string, (string | undefined)[]> = {
  '039': ['istruttore.ra', 'dirigente.ra', undefined, undefined],
  '100': ['istruttore.po', 'dirigente.po', undefined, undefined],
};

export function syntheticTask(i: number, now: number): InboxTask {
  const site = SITES[i % 2];
  const [comune, comuneName] = site.comuni[i % 3];
  const id = String(9_000_000_000_000 + i);
  const created = new Date(now - (i % 60) * DAY);
  const caseNumber = `SUA-${site.tenantId}-2026-${String(i).padStart(6, '0')}`;
  const subject = `Affidamento del servizio n. ${i} per il Comune di ${comuneName}`;
  return {
    _id: id,
    version: 1,
    jobKey: id,
    tenantId: site.tenantId,
    comune,
    comuneName,
    processInstanceKey: String(8_000_000_000_000 + i),
    processDefinitionKey: '1',
    processDefinitionVersion: 1,
    bpmnProcessId: 'procurement',
    processName: 'Stazione Unica Appaltante - Procedura di affidamento',
    elementId: 'checkDocuments',
    elementInstanceKey: id,
    name: 'Verifica della documentazione',
    formKey: 'procurement-document-check',
    state: 'open',
    assignee: ASSIGNEES[site.tenantId][i % 4],
    candidateGroups: [GROUPS[i % GROUPS.length]],
    candidateUsers: [],
    dueAt: new Date(now + ((i % 21) - 5) * DAY),
    ...(i % 17 === 0 ? { followUpAt: new Date(now + 3 * DAY) } : {}),
    priority: (i * 7) % 101,
    caseNumber,
    subject,
    business: { caseNumber, comuneName, subject, amount: 1000 + (i % 500) * 1000 },
    context: { caseNumber, comuneName, subject },
    comments: [],
    attachments: [],
    createdAt: created,
    updatedAt: created,
  };
}

const TWO_TASKS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="bench-two-tasks" name="Bench: due attività" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:userTask id="first" name="Prima attività"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="istruttore.ra"/></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="second" name="Seconda attività"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="istruttore.ra"/></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="first"/>
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="second"/>
    <bpmn:sequenceFlow id="f3" sourceRef="second" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>`;

function start(dataDir: string): Promise<RunningProduct> {
  return startBenchProduct(dataDir, {
    WORKERS: 'true',
    // The synthetic tasks have no jobs: do not let the worker mark them cancelled.
    INBOX_PROBES_PER_SECOND: '0',
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function runInboxBench(): Promise<InboxBenchResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pc-bench-inbox-'));
  let product: RunningProduct | undefined;
  try {
    // First start: the database and the demo accounts; then the tasks, then the real start.
    product = await start(dataDir);
    // Into the collections the inbox keeps its current tasks in (one per shard).
    const store = product.inbox.inbox.tasks;
    const now = Date.now();
    for (let from = 0; from < TASKS; from += 2000) {
      const byShard = new Map<string, InboxTask[]>();
      for (let i = from; i < Math.min(TASKS, from + 2000); i++) {
        const task = syntheticTask(i, now);
        const name = store.docs(task._id).collectionName;
        byShard.set(name, [...(byShard.get(name) ?? []), task]);
      }
      for (const batch of byShard.values())
        await store.docs(batch[0]._id).insertMany(batch as never, { ordered: false });
    }
    await product.stop();
    const t0 = performance.now();
    product = await start(dataDir);
    const loadSeconds = round((performance.now() - t0) / 1000, 1);
    console.log(`bench inbox: ${TASKS} open tasks loaded, product up in ${loadSeconds} s`);

    const lists: InboxBenchRow[] = [];
    const calls: [string, string, string][] = [
      ['istruttore.ra', 'Le mie attività', '/attivita?view=mine'],
      ['istruttore.ra', 'Del mio ufficio', '/attivita?view=office'],
      ['istruttore.ra', 'Da assegnare', '/attivita?view=unassigned'],
      ['istruttore.ra', 'In scadenza', '/attivita?view=dueSoon'],
      ['istruttore.ra', 'Scadute', '/attivita?view=overdue'],
      ['istruttore.ra', 'Sospese', '/attivita?view=suspended'],
      ['istruttore.ra', 'ricerca (numero pratica)', '/attivita?view=office&q=SUA-039-2026-0123'],
      ['istruttore.ra', 'ordine per importo', '/attivita?view=office&sort=business.amount'],
      ['dirigente.ra', 'Tutte (dirigente)', '/attivita?view=all&sort=priority'],
      ['rup.faenza', 'Del mio ufficio (RUP comune)', '/attivita?view=office'],
      ['istruttore.po', 'Del mio ufficio (Prato)', '/attivita?view=office'],
    ];
    const sessions = new Map<string, Session>();
    for (const [user, name, url] of calls) {
      let s = sessions.get(user);
      if (!s) sessions.set(user, (s = await Session.signIn(product.url, user)));
      const api = await s.json('GET', url.replace('/attivita', '/api/v1/tasks'));
      const items = (JSON.parse(api.text) as { total: number }).total;
      const samples: number[] = [];
      for (let i = 0; i < REPS; i++) {
        samples.push(
          await timed(async () => {
            const r = await s.request(url);
            if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
          }),
        );
      }
      const latency = summarize(samples);
      lists.push({ call: name, latency, items });
      console.log(
        `bench inbox: ${name} (${items} tasks): p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms`,
      );
    }
    // Page 2 of the office list (cursor).
    {
      const s = sessions.get('istruttore.ra')!;
      const first = JSON.parse((await s.json('GET', '/api/v1/tasks?view=office')).text) as {
        nextCursor: string;
        total: number;
      };
      const url = `/attivita?view=office&cursor=${encodeURIComponent(first.nextCursor)}`;
      const samples: number[] = [];
      for (let i = 0; i < REPS; i++) samples.push(await timed(() => s.request(url)));
      const latency = summarize(samples);
      lists.push({ call: 'Del mio ufficio, pagina 2', latency, items: first.total });
      console.log(`bench inbox: page 2: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms`);
    }

    // Completion → the next task in the assignee's list.
    const zbc = createZeebeClient(product.env.zeebeAddress, { tenantId: '039' });
    const officer = sessions.get('istruttore.ra')!;
    const nextTask: number[] = [];
    try {
      await zbc.deployResource({
        name: 'bench-two-tasks.bpmn',
        process: Buffer.from(TWO_TASKS),
        tenantId: '039',
      } as never);
      const find = async (key: string, element: string) => {
        const r = await officer.json('GET', '/api/v1/tasks?view=mine&sort=created&order=desc');
        const items = (
          JSON.parse(r.text) as {
            items: { id: string; version: number; processInstanceKey: string; name: string }[];
          }
        ).items;
        return items.find((t) => t.processInstanceKey === key && t.name === element);
      };
      for (let i = 0; i < COMPLETIONS; i++) {
        const created = await zbc.createProcessInstance({
          bpmnProcessId: 'bench-two-tasks',
          tenantId: '039',
          variables: {},
        } as never);
        const key = String(created.processInstanceKey);
        let first;
        for (let w = 0; w < 400 && !(first = await find(key, 'Prima attività')); w++)
          await new Promise((r) => setTimeout(r, 25));
        if (!first) throw new Error('the first task did not arrive');
        const t0 = performance.now();
        const done = await officer.json('POST', `/api/v1/tasks/${first.id}/complete`, {
          variables: {},
          version: first.version,
        });
        if (done.status !== 200) throw new Error(`complete: ${done.status} ${done.text}`);
        while (!(await find(key, 'Seconda attività'))) {
          if (performance.now() - t0 > 30_000) throw new Error('the second task did not arrive');
          await new Promise((r) => setTimeout(r, 10));
        }
        nextTask.push(performance.now() - t0);
      }
    } finally {
      await zbc.close();
    }
    const nextTaskVisible = summarize(nextTask);
    console.log(
      `bench inbox: completion → next task in "Le mie attività": p50 ${nextTaskVisible.p50Ms} ms, p99 ${nextTaskVisible.p99Ms} ms`,
    );
    const productRssMb = round(process.memoryUsage().rss / 1e6, 0);
    return { tasks: TASKS, lists, nextTaskVisible, productRssMb, loadSeconds };
  } finally {
    await product?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runInboxBench()
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
