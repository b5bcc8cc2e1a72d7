/**
 * The course catalogue on the real database: seats and waiting lists without
 * transactions, repeated and concurrent enrolments, withdrawal with promotion.
 */
import {
  createTrainingStore,
  type CourseRecord,
  type StaffMember,
  type TrainingStore,
} from '../../src/training';
import { openTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
let store: TrainingStore;
beforeAll(async () => {
  db = await openTestDatabase('training');
  store = createTrainingStore(db.connection);
});
afterAll(() => db?.close());

const person = (username: string): StaffMember => ({
  username,
  name: username,
  comuneIstat: '039010',
  office: 'Ufficio tecnico',
  roleBand: 'istruttore',
  head: 'dirigente.faenza',
});

function course(code: string, seats: number, tenantId = '039'): CourseRecord {
  return {
    _id: `${tenantId}:${code}`,
    tenantId,
    processInstanceKey: `pi-${code}`,
    courseCode: code,
    title: `Corso ${code}`,
    source: 'own',
    area: 'administrative',
    mandatory: false,
    mode: 'classroom',
    hours: 10,
    sessions: [{ date: '2027-02-01', hours: 10 }],
    seats,
    testQuestions: 10,
    cost: 0,
    fundingSource: 'own',
    tutorUsername: 'formazione.ra',
    year: 2027,
    enrolmentClosesAt: new Date('2027-01-20T22:59:59Z'),
    status: 'open',
    createdAt: new Date(),
  };
}

it('fills the seats, then the waiting list, and answers the same when asked again', async () => {
  await store.openCourse(course('SEATS-1', 2));
  const now = new Date();
  expect(await store.enrol('039', 'SEATS-1', person('a'), 'p1', now)).toBe('confirmed');
  expect(await store.enrol('039', 'SEATS-1', person('b'), 'p2', now)).toBe('confirmed');
  expect(await store.enrol('039', 'SEATS-1', person('c'), 'p3', now)).toBe('waiting');
  // A redelivered job enrols nobody twice.
  expect(await store.enrol('039', 'SEATS-1', person('a'), 'p1', now)).toBe('confirmed');
  expect(await store.enrol('039', 'SEATS-1', person('c'), 'p3', now)).toBe('waiting');
  expect(await store.seatHolders('039', 'SEATS-1')).toEqual(['a', 'b']);
  expect(await store.waitingList('039', 'SEATS-1')).toEqual(['c']);
});

it('never gives more seats than there are to concurrent enrolments', async () => {
  await store.openCourse(course('RACE-1', 3));
  const names = Array.from({ length: 12 }, (_, i) => `u${i}`);
  const answers = await Promise.all(
    names.map((n) => store.enrol('039', 'RACE-1', person(n), `p-${n}`, new Date())),
  );
  expect(answers.filter((a) => a === 'confirmed')).toHaveLength(3);
  const holders = await store.seatHolders('039', 'RACE-1');
  expect(holders).toHaveLength(3);
  expect(new Set([...holders, ...(await store.waitingList('039', 'RACE-1'))])).toEqual(
    new Set(names),
  );
});

it('gives a freed seat to the first person waiting', async () => {
  await store.openCourse(course('WITHDRAW-1', 1));
  await store.enrol('039', 'WITHDRAW-1', person('first'), 'p1', new Date());
  await store.enrol('039', 'WITHDRAW-1', person('second'), 'p2', new Date());
  await store.enrol('039', 'WITHDRAW-1', person('third'), 'p3', new Date());
  expect(await store.withdraw('039', 'WITHDRAW-1', 'first')).toEqual({ promoted: 'second' });
  const { participants, waiting } = await store.closeEnrolment('039', 'WITHDRAW-1');
  expect(participants.map((p) => p.username)).toEqual(['second']);
  expect(waiting.map((p) => p.username)).toEqual(['third']);
});

it('refuses enrolment after closing, and keeps provinces apart', async () => {
  await store.openCourse(course('CLOSED-1', 5));
  await store.closeEnrolment('039', 'CLOSED-1');
  expect(await store.enrol('039', 'CLOSED-1', person('late'), 'p', new Date())).toBe('waiting');
  expect(await store.course('100', 'CLOSED-1')).toBeNull();
  await expect(store.enrol('100', 'CLOSED-1', person('x'), 'p', new Date())).rejects.toThrow(
    /not in the catalogue of province 100/,
  );
});

it('refuses a course code already used by another course of the same province', async () => {
  await store.openCourse(course('DUP-1', 5));
  await expect(
    store.openCourse({ ...course('DUP-1', 5), processInstanceKey: 'other' }),
  ).rejects.toThrow(/già usato/);
  // The same course opened again by a redelivered job is fine.
  await expect(store.openCourse(course('DUP-1', 5))).resolves.toMatchObject({
    courseCode: 'DUP-1',
  });
  // Another province may use the same code.
  await expect(store.openCourse(course('DUP-1', 5, '100'))).resolves.toMatchObject({
    tenantId: '100',
  });
});

it('records the progress of each comune of a campaign', async () => {
  await store.createCampaign({
    _id: 'campaign-1',
    tenantId: '039',
    caseNumber: 'FORM-039-2026-000001',
    title: 'Rilevazione',
    year: 2027,
    deadlineAt: new Date('2027-01-31T22:59:59Z'),
    comuni: [
      { comuneIstat: '039010', comuneName: 'Faenza', employees: 3, status: 'open' },
      { comuneIstat: '039012', comuneName: 'Lugo', employees: 3, status: 'open' },
    ],
    status: 'surveying',
    createdAt: new Date(),
  });
  const at = new Date('2027-01-10T10:00:00Z');
  await store.updateComune('039', 'campaign-1', '039012', { status: 'completed', completedAt: at });
  await store.updateComune('039', 'campaign-1', '039010', { remindedAt: at });
  const c = await store.campaign('039', 'campaign-1');
  expect(c?.comuni).toEqual([
    expect.objectContaining({ comuneIstat: '039010', status: 'open', remindedAt: at }),
    expect.objectContaining({ comuneIstat: '039012', status: 'completed', completedAt: at }),
  ]);
  await expect(
    store.updateComune('039', 'campaign-1', '039014', { status: 'missed' }),
  ).rejects.toThrow(/not part of campaign/);
  // Another province cannot touch it.
  await expect(
    store.updateComune('100', 'campaign-1', '039010', { status: 'missed' }),
  ).rejects.toThrow();
});
