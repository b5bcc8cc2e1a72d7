/**
 * The in-memory task lists: views, visibility (province, comune, office, substitutes),
 * filters, sorting, cursor paging and free-text search.
 */
import {
  decodeCursor,
  InvalidCursorError,
  parseListQuery,
  TaskIndex,
  type InboxTask,
  type Viewer,
} from '../../../src/tasks';
import { inView, toRow, VIEWS } from '../../../src/tasks/task-index';

const NOW = Date.parse('2026-11-26T10:00:00Z');
const DAY = 86400_000;

let seq = 0;
function task(over: Partial<InboxTask> = {}): InboxTask {
  seq++;
  return {
    _id: String(1000 + seq),
    version: 1,
    jobKey: String(1000 + seq),
    tenantId: '039',
    comune: '039010',
    processInstanceKey: String(5000 + seq),
    processDefinitionKey: '1',
    processDefinitionVersion: 1,
    bpmnProcessId: 'procurement',
    elementId: 'checkDocuments',
    elementInstanceKey: '1',
    name: 'Verifica della documentazione',
    state: 'open',
    candidateGroups: ['sua-officer'],
    candidateUsers: [],
    priority: 50,
    business: {},
    context: {},
    comments: [],
    attachments: [],
    createdAt: new Date(NOW - seq * 1000),
    updatedAt: new Date(NOW),
    ...over,
  };
}

function viewer(over: Partial<Viewer> = {}): Viewer {
  return {
    tenantId: '039',
    username: 'istruttore.ra',
    actingFor: new Set(['istruttore.ra']),
    groups: new Set(['sua-officer']),
    viewAll: false,
    provinceStaff: true,
    now: NOW,
    dueSoonUntil: NOW + 2 * DAY,
    ...over,
  };
}

describe('task lists', () => {
  test('the views: mine, office, to assign, due soon, overdue, suspended, completed', () => {
    const index = new TaskIndex();
    const mine = task({ assignee: 'istruttore.ra' });
    const colleague = task({ assignee: 'altro.ra' });
    const free = task();
    const soon = task({ dueAt: new Date(NOW + DAY) });
    const late = task({ dueAt: new Date(NOW - DAY), assignee: 'istruttore.ra' });
    const parked = task({ followUpAt: new Date(NOW + 3 * DAY), assignee: 'istruttore.ra' });
    const done = task({
      state: 'completed',
      completedBy: 'istruttore.ra',
      assignee: 'istruttore.ra',
    });
    const cancelled = task({ state: 'cancelled', assignee: 'istruttore.ra' });
    const manager = task({ candidateGroups: ['sua-manager'] });
    for (const t of [mine, colleague, free, soon, late, parked, done, cancelled, manager])
      index.apply(t);
    const ids = (view: Parameters<TaskIndex['query']>[1]['view']) =>
      index
        .query(viewer(), { view })
        .items.map((r) => r.id)
        .sort();
    expect(ids('mine')).toEqual([mine._id, late._id].sort());
    expect(ids('office')).toEqual([mine._id, colleague._id, free._id, soon._id, late._id].sort());
    expect(ids('unassigned')).toEqual([free._id, soon._id].sort());
    expect(ids('dueSoon')).toEqual([soon._id]);
    expect(ids('overdue')).toEqual([late._id]);
    expect(ids('suspended')).toEqual([parked._id]);
    expect(ids('completed')).toEqual([done._id, cancelled._id].sort());
    expect(index.counts(viewer())).toMatchObject({
      mine: 2,
      office: 5,
      unassigned: 2,
      dueSoon: 1,
      overdue: 1,
      suspended: 1,
      completed: 2,
      all: 0,
    });
  });

  test('province, comune and substitutes decide who sees a task', () => {
    const index = new TaskIndex();
    const faenza = task({ candidateGroups: ['comune-rup'] });
    const lugo = task({ candidateGroups: ['comune-rup'], comune: '039012' });
    const prato = task({ tenantId: '100', comune: '100005', candidateGroups: ['comune-rup'] });
    const assignedToAbsent = task({ assignee: 'istruttore.ra' });
    for (const t of [faenza, lugo, prato, assignedToAbsent]) index.apply(t);
    const rup = viewer({
      username: 'rup.faenza',
      actingFor: new Set(['rup.faenza']),
      groups: new Set(['comune-rup']),
      comune: '039010',
      provinceStaff: false,
    });
    expect(index.query(rup, { view: 'office' }).items.map((r) => r.id)).toEqual([faenza._id]);
    const standIn = viewer({
      username: 'dati.ra',
      actingFor: new Set(['dati.ra', 'istruttore.ra']),
      groups: new Set(['data-officer', 'sua-officer']),
    });
    expect(index.query(standIn, { view: 'mine' }).items.map((r) => r.id)).toEqual([
      assignedToAbsent._id,
    ]);
    const admin = viewer({
      username: 'admin.ra',
      actingFor: new Set(['admin.ra']),
      groups: new Set(),
      viewAll: true,
    });
    expect(index.query(admin, { view: 'all' }).total).toBe(3);
  });

  test('sorting and cursor paging: every task once, in order, across pages', () => {
    const index = new TaskIndex();
    const all: InboxTask[] = [];
    for (let i = 0; i < 130; i++) {
      const t = task({
        priority: i % 7,
        dueAt: i % 5 === 0 ? undefined : new Date(NOW + (i % 13) * DAY),
        business: { amount: (i * 37) % 101 },
      });
      all.push(t);
      index.apply(t);
    }
    for (const sort of ['due', 'priority', 'created', 'business.amount'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = index.query(viewer(), { view: 'office', sort, cursor });
        expect(page.total).toBe(130);
        expect(page.items.length).toBeLessThanOrEqual(50);
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(130);
      if (sort === 'priority') {
        const priorities = seen.map((id) => index.get(id)!.priority);
        expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
      }
      if (sort === 'due') {
        const dues = seen.map((id) => index.get(id)!.dueAt);
        const withDue = dues.filter((d) => d !== undefined) as number[];
        expect(withDue).toEqual([...withDue].sort((a, b) => a - b));
        // Tasks without a due date come last.
        expect(dues.slice(withDue.length).every((d) => d === undefined)).toBe(true);
      }
    }
    expect(() => decodeCursor('not-a-cursor')).toThrow(InvalidCursorError);
  });

  test('free-text search on case number, subject and task name, accents ignored', () => {
    const index = new TaskIndex(() => ['cig']);
    const a = task({
      caseNumber: 'SUA-039-2026-0042',
      subject: 'Riqualificazione energetica del municipio',
    });
    const b = task({ subject: 'Fornitura di arredi scolastici', business: { cig: 'B1234567AA' } });
    const c = task({ name: 'Attività di verifica', subject: 'Città più sicura' });
    for (const t of [a, b, c]) index.apply(t);
    const search = (q: string) =>
      index.query(viewer(), { view: 'office', q }).items.map((r) => r.id);
    expect(search('0042')).toEqual([a._id]);
    expect(search('ENERGETICA municipio')).toEqual([a._id]);
    expect(search('b1234567')).toEqual([b._id]);
    expect(search('citta piu')).toEqual([c._id]);
    expect(search('verifica').length).toBe(3);
  });

  test('an older version from the feed never overwrites a newer one', () => {
    const index = new TaskIndex();
    const t = task();
    index.apply({ ...t, version: 3, assignee: 'istruttore.ra' });
    expect(index.apply({ ...t, version: 2 })).toBe(false);
    expect(index.get(t._id)?.assignee).toBe('istruttore.ra');
  });

  test('list parameters from the URL, with errors naming the parameter', () => {
    expect(
      parseListQuery({ view: 'office', sort: 'business.amount', order: 'desc', q: ' scuola ' }),
    ).toMatchObject({
      view: 'office',
      sort: 'business.amount',
      order: 'desc',
      q: 'scuola',
    });
    expect(parseListQuery({ dueTo: '2026-07-31' }).dueTo?.toISOString()).toBe(
      '2026-07-31T21:59:59.999Z',
    );
    expect(() => parseListQuery({ view: 'everything' })).toThrow(/view: unknownView/);
    expect(() => parseListQuery({ sort: 'password' })).toThrow(/sort: unknownSort/);
    expect(() => parseListQuery({ dueFrom: '31/07/2026' })).toThrow(/dueFrom: invalidDate/);
  });

  test('lists read from the buckets hold exactly what a scan of every task finds, also after changes', () => {
    const index = new TaskIndex();
    const people = ['istruttore.ra', 'altro.ra', 'rup.faenza', undefined];
    const groups = [['sua-officer'], ['sua-manager'], [], ['comune-rup', 'sua-officer']];
    const all: InboxTask[] = [];
    for (let i = 0; i < 400; i++) {
      const t = task({
        comune: i % 5 === 0 ? undefined : i % 2 ? '039010' : '039014',
        assignee: people[i % 4],
        candidateGroups: groups[(i >> 2) % 4],
        candidateUsers: i % 13 === 0 ? ['rup.faenza'] : [],
        delegation:
          i % 11 === 0
            ? {
                state: 'pending',
                owner: 'istruttore.ra',
                delegate: 'altro.ra',
                reason: 'ferie',
                at: new Date(NOW),
              }
            : undefined,
        state: i % 9 === 0 ? 'completed' : i % 17 === 0 ? 'cancelled' : 'open',
        completedBy: i % 9 === 0 ? people[(i >> 1) % 4] : undefined,
        dueAt: i % 3 === 0 ? undefined : new Date(NOW + ((i % 7) - 3) * DAY),
        followUpAt: i % 8 === 0 ? new Date(NOW + DAY) : undefined,
        priority: i % 100,
      } as Partial<InboxTask>);
      all.push(t);
      index.apply(t);
    }
    // Reassign some: the row must leave its old buckets.
    for (const t of all.slice(0, 60)) {
      const moved = { ...t, version: 2, assignee: t.assignee ? undefined : 'istruttore.ra' };
      all[all.indexOf(t)] = moved;
      index.apply(moved);
    }
    const viewers = [
      viewer(),
      viewer({ viewAll: true, username: 'dirigente.ra', actingFor: new Set(['dirigente.ra']) }),
      viewer({
        username: 'rup.faenza',
        comune: '039010',
        provinceStaff: false,
        actingFor: new Set(['rup.faenza']),
        groups: new Set(['comune-rup']),
      }),
      // Standing in for a colleague: their tasks and groups too.
      viewer({
        actingFor: new Set(['istruttore.ra', 'altro.ra']),
        groups: new Set(['sua-officer', 'sua-manager']),
      }),
    ];
    for (const v of viewers) {
      const counts = index.counts(v);
      for (const view of VIEWS) {
        const expected = all
          .map((t) => toRow(t, []))
          .filter((r) => inView(view, r, v))
          .map((r) => r.id)
          .sort();
        const page = index.query(v, { view, limit: 200 });
        const seen = page.items.map((r) => r.id);
        for (let c = page.nextCursor; c;) {
          const next = index.query(v, { view, limit: 200, cursor: c });
          seen.push(...next.items.map((r) => r.id));
          c = next.nextCursor;
        }
        expect([`${v.username} ${view}`, seen.sort()]).toEqual([`${v.username} ${view}`, expected]);
        expect([view, counts[view]]).toEqual([view, expected.length]);
        expect(page.total).toBe(expected.length);
      }
    }
  });
});
