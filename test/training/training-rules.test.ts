/**
 * The training line's rules as pure functions: gaps per Syllabus area and mandatory
 * topic, certificates (attendance and final test thresholds from the settings), the
 * yearly hours against the target, and the first draft of the plan.
 */
import path from 'node:path';
import { loadProductConfig } from '../../src/config';
import {
  analyseNeeds,
  assessParticipants,
  AttendanceError,
  buildHoursReport,
  proposePlanActions,
  staffOf,
  trainingSettingsOf,
  type Assessment,
} from '../../src/training';

const config = loadProductConfig(path.resolve(__dirname, '..', '..', 'engine-config'));
const ravenna = config.provinces.get('039')!;
const settings = trainingSettingsOf(ravenna.settings);

const levels = (level: string) =>
  Object.fromEntries(
    ['c1_1', 'c1_2', 'c1_3', 'c2_1', 'c2_2', 'c3_1', 'c3_2', 'c4_1', 'c4_2', 'c5_1', 'c5_2'].map(
      (c) => [c, level],
    ),
  );

describe('settings come from engine-config with their sources', () => {
  it('reads the 40-hour target and the 80% / 2/3 certificate thresholds', () => {
    expect(settings.annualHoursTarget).toBe(40);
    expect(settings.certificate).toEqual({ minAttendancePercent: 80, minTestScorePercent: 66.67 });
    expect(settings.mandatoryTopics.map((t) => t.id)).toContain('anti-corruption');
  });
});

describe('staff registry', () => {
  it('lists the employees of the chosen comuni with the head of their office', () => {
    const faenza = staffOf(ravenna, ['039010']);
    expect(faenza.map((s) => s.username).sort()).toEqual([
      'dirigente.faenza',
      'rup.faenza',
      'tecnico.faenza',
    ]);
    expect(new Set(faenza.map((s) => s.head))).toEqual(new Set(['dirigente.faenza']));
  });
});

describe('needs analysis', () => {
  const person = (over: Partial<Assessment>): Assessment => ({
    username: 'x',
    comuneIstat: '039010',
    office: 'Ufficio tecnico',
    roleBand: 'istruttore',
    competences: levels('intermedio'),
    mandatoryTopicsDone: settings.mandatoryTopics.map((t) => t.id),
    ...over,
  });

  it('counts the gap in levels below the level required for the role band', () => {
    // istruttori must reach "intermedio"; "base" everywhere is one level below.
    const a = analyseNeeds([person({ username: 'a', competences: levels('base') })], settings);
    const data = a.gapRows.find((r) => r.area === 'data' && r.roleBand === 'istruttore')!;
    expect(data).toMatchObject({ gap: 1, shareWithGap: 1, employees: 1, mandatory: false });
  });

  it('has no gap above the required level, and averages over the people', () => {
    const a = analyseNeeds(
      [
        person({ username: 'a', competences: levels('avanzato') }),
        person({ username: 'b', competences: levels('none') }),
      ],
      settings,
    );
    const row = a.gapRows.find((r) => r.area === 'security' && r.roleBand === 'istruttore')!;
    expect(row).toMatchObject({ gap: 1, shareWithGap: 0.5, employees: 2 });
  });

  it('reports missing mandatory topics per role band and per comune and office', () => {
    const a = analyseNeeds(
      [
        person({ username: 'a', mandatoryTopicsDone: [] }),
        person({ username: 'b', comuneIstat: '039012', office: 'Servizi demografici' }),
      ],
      settings,
    );
    const safety = a.gapRows.find((r) => r.topic === 'safety')!;
    expect(safety).toMatchObject({ mandatory: true, shareWithGap: 0.5, employees: 2 });
    const faenza = a.details.find((d) => d.comuneIstat === '039010' && d.topic === 'safety')!;
    expect(faenza.employeesWithGap).toBe(1);
    const lugo = a.details.find((d) => d.comuneIstat === '039012' && d.topic === 'safety')!;
    expect(lugo.employeesWithGap).toBe(0);
  });

  it('drafts plan actions for the urgent needs only, mandatory topics with their source', () => {
    const actions = proposePlanActions(
      [
        {
          area: null,
          topic: 'safety',
          roleBand: 'istruttore',
          mandatory: true,
          gap: 0,
          shareWithGap: 0.5,
          employees: 4,
          priority: 'alta',
          rank: 1,
          reason: '',
        },
        {
          area: 'data',
          topic: null,
          roleBand: 'istruttore',
          mandatory: false,
          gap: 1,
          shareWithGap: 1,
          employees: 4,
          priority: 'media',
          rank: 2,
          reason: '',
        },
        {
          area: 'security',
          topic: null,
          roleBand: 'istruttore',
          mandatory: false,
          gap: 0.2,
          shareWithGap: 0.25,
          employees: 4,
          priority: 'bassa',
          rank: 3,
          reason: '',
        },
      ],
      settings,
      'webinar',
    );
    expect(actions).toHaveLength(2);
    expect(actions[0]).toMatchObject({
      mandatory: true,
      targetCount: 2,
      hoursPerCapita: settings.planning.mandatoryTopicHours,
    });
    expect(actions[0].title).toContain('D.Lgs. 81/2008');
    expect(actions[1]).toMatchObject({
      area: 'digital',
      resource: 'syllabus',
      hoursPerCapita: settings.planning.hoursPerGapLevel,
    });
  });
});

describe('certificates: attendance threshold and final test', () => {
  const course = { hours: 20, testQuestions: 45 };
  const thresholds = settings.certificate;

  it('gives no certificate at 75% attendance even with a passed test', () => {
    const [o] = assessParticipants(
      ['a'],
      [{ username: 'a', attendedHours: 15, correctAnswers: 40 }],
      course,
      thresholds,
    );
    expect(o).toMatchObject({
      attendancePercent: 75,
      passedTest: true,
      certified: false,
      certifiedHours: 0,
    });
  });

  it('certifies the course hours at 85% attendance with at least 2/3 correct answers', () => {
    const [o] = assessParticipants(
      ['a'],
      [{ username: 'a', attendedHours: 17, correctAnswers: 30 }],
      course,
      thresholds,
    );
    expect(o).toMatchObject({
      attendancePercent: 85,
      passedTest: true,
      certified: true,
      certifiedHours: 20,
    });
  });

  it('fails the test below 2/3 (29 of 45) and counts a missing participant as absent', () => {
    const out = assessParticipants(
      ['a', 'b'],
      [{ username: 'a', attendedHours: 20, correctAnswers: 29 }],
      course,
      thresholds,
    );
    expect(out[0]).toMatchObject({ passedTest: false, certified: false });
    expect(out[1]).toMatchObject({ username: 'b', attendedHours: 0, certified: false });
  });

  it('refuses a register that does not add up, naming each problem', () => {
    expect(() =>
      assessParticipants(
        ['a'],
        [
          { username: 'a', attendedHours: 21, correctAnswers: 46 },
          { username: 'z', attendedHours: 1, correctAnswers: 1 },
        ],
        course,
        thresholds,
      ),
    ).toThrow(AttendanceError);
    try {
      assessParticipants(
        ['a'],
        [{ username: 'z', attendedHours: 1, correctAnswers: 1 }],
        course,
        thresholds,
      );
    } catch (err) {
      expect((err as Error).message).toContain('"z" non è tra i partecipanti');
    }
  });
});

describe('yearly report of certified hours', () => {
  it('totals hours per employee against the target, per comune and office', () => {
    const staff = staffOf(ravenna);
    const report = buildHoursReport(2026, 40, staff, [
      { username: 'tecnico.faenza', hours: 24 },
      { username: 'tecnico.faenza', hours: 20 },
      { username: 'rup.faenza', hours: 12 },
    ]);
    const tecnico = report.employees.find((e) => e.username === 'tecnico.faenza')!;
    expect(tecnico).toMatchObject({ certifiedHours: 44, meetsTarget: true, missingHours: 0 });
    expect(report.employees.find((e) => e.username === 'rup.faenza')).toMatchObject({
      certifiedHours: 12,
      missingHours: 28,
    });
    const office = report.perOffice.find(
      (o) => o.comuneIstat === '039010' && o.office === 'Ufficio tecnico',
    )!;
    expect(office).toMatchObject({ employees: 3, certifiedHours: 56, employeesMeetingTarget: 1 });
    expect(report.totals.employees).toBe(staff.length);
  });
});
