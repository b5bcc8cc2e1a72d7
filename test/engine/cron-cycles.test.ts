/**
 * Cron time cycles in Zeebe's format (Spring's six-field CronExpression, evaluated in UTC),
 * as the "Timer events" page documents them, and their refusal at deploy.
 */
import { nextCronDue } from '../../src/engine/scheduler/cron-cycles';
import { nextCycleDue, scheduleTimer } from '../../src/engine/scheduler/timer-dates';
import { parseBpmn } from '../../src/engine/model/bpmn-parser';
import { bpmn, chain, deploy, eventually, records, serviceTask, startTestEngine } from './support';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('cron time cycles', () => {
  it('follow the docs example in UTC: every hour on the hour from 9 to 17, Monday to Friday', () => {
    const expr = '0 0 9-17 * * MON-FRI';
    // Friday 2026-03-27 16:30 UTC (17:30 in Rome): the next is 17:00 UTC, then Monday 9:00.
    let t = nextCronDue(expr, at('2026-03-27T16:30:00Z'));
    expect(iso(t)).toBe('2026-03-27T17:00:00.000Z');
    t = nextCronDue(expr, t);
    expect(iso(t)).toBe('2026-03-30T09:00:00.000Z');
  });

  it('count seconds in the first field and are not shifted by daylight saving time', () => {
    expect(iso(nextCronDue('*/15 * * * * *', at('2026-03-29T00:59:50Z')))).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    // 2026-03-29 is the spring-forward day in Europe/Rome; UTC noon stays noon.
    expect(iso(nextCronDue('0 0 12 * * *', at('2026-03-28T12:00:00Z')))).toBe(
      '2026-03-29T12:00:00.000Z',
    );
  });

  it('read Spring notation: names, ?, L, W, #, last weekday, Sunday as 0 or 7, macros', () => {
    const from = at('2026-03-27T10:00:00Z'); // a Friday
    const next = (e: string) => iso(nextCronDue(e, from));
    expect(next('0 0 12 ? * MON')).toBe('2026-03-30T12:00:00.000Z');
    expect(next('0 0 12 L * ?')).toBe('2026-03-31T12:00:00.000Z');
    expect(next('0 0 12 15W * *')).toBe('2026-04-15T12:00:00.000Z');
    expect(next('0 0 12 * * FRI#2')).toBe('2026-04-10T12:00:00.000Z');
    expect(next('0 0 12 * * 5L')).toBe('2026-03-27T12:00:00.000Z');
    expect(next('0 0 0 * * 7')).toBe('2026-03-29T00:00:00.000Z');
    expect(next('0 0 0 * * 0')).toBe('2026-03-29T00:00:00.000Z');
    expect(next('@monthly')).toBe('2026-04-01T00:00:00.000Z');
    expect(next('@hourly')).toBe('2026-03-27T11:00:00.000Z');
  });

  it('need both day-of-month and day-of-week to match, as Spring does', () => {
    // The 1st of a month that is a Monday: June 2026, then February 2027.
    const first = nextCronDue('0 0 0 1 * MON', at('2026-03-27T00:00:00Z'));
    expect(iso(first)).toBe('2026-06-01T00:00:00.000Z');
    expect(iso(nextCronDue('0 0 0 1 * MON', first))).toBe('2027-02-01T00:00:00.000Z');
  });

  it('repeat without end and skip the occurrences missed while the engine was down', () => {
    const first = scheduleTimer('cycle', '0 */10 * * * *', at('2026-03-27T10:01:00Z'));
    expect(first).toEqual({
      dueDate: at('2026-03-27T10:10:00Z'),
      repetitions: -1,
      interval: '0 */10 * * * *',
    });
    expect(iso(nextCycleDue(first.dueDate, first.interval!, first.dueDate))).toBe(
      '2026-03-27T10:20:00.000Z',
    );
    // Triggered an hour late: the next one is the next occurrence after now.
    expect(iso(nextCycleDue(first.dueDate, first.interval!, at('2026-03-27T11:05:00Z')))).toBe(
      '2026-03-27T11:10:00.000Z',
    );
  });

  it('leave ISO-8601 cycles to their interval', () => {
    const iso8601 = scheduleTimer('cycle', 'R3/PT10S', at('2026-03-27T10:00:00Z'));
    expect(iso8601).toEqual({
      dueDate: at('2026-03-27T10:00:10Z'),
      repetitions: 3,
      interval: 'PT10S',
    });
    expect(iso(nextCycleDue(iso8601.dueDate, 'PT10S', iso8601.dueDate))).toBe(
      '2026-03-27T10:00:20.000Z',
    );
  });

  it('are refused with a clear message when they are not Zeebe cron expressions', () => {
    expect(() => nextCronDue('0 9 * * MON', 0)).toThrow(/needs 6 fields.*found 5/);
    expect(() => nextCronDue('0 0 0 * * * 2030', 0)).toThrow(/needs 6 fields.*found 7/);
    expect(() => nextCronDue('0 0 25 * * *', 0)).toThrow(/not a valid cron expression/);
    expect(() => nextCronDue('0 0 0 30 2 *', 0)).toThrow(/never matches/);
  });

  it('are checked at deploy, naming the element', async () => {
    const model = (cycle: string) =>
      bpmn(
        'cron-deploy',
        `<bpmn:startEvent id="tick"><bpmn:timerEventDefinition><bpmn:timeCycle>${cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
         ${serviceTask('t', 'cron-work')}<bpmn:endEvent id="e"/>${chain(['tick', 't', 'e'])}`,
      );
    await expect(parseBpmn(model('0 0 9 * * MON-FRI'), 'ok.bpmn')).resolves.toHaveLength(1);
    await expect(parseBpmn(model('=cronExpression'), 'expr.bpmn')).resolves.toHaveLength(1);
    await expect(parseBpmn(model('0 0 9 * MON-FRI'), 'bad.bpmn')).rejects.toThrow(
      /element 'tick': '0 0 9 \* MON-FRI' is not a valid cron expression: it needs 6 fields/,
    );
    await expect(parseBpmn(model('R/PX1'), 'bad-iso.bpmn')).rejects.toThrow(
      /element 'tick': 'PX1' is not a valid ISO-8601 duration/,
    );
  });
});

describe('cron time cycles across restarts', () => {
  it.each([
    ['from a snapshot', true],
    ['replaying the log only', false],
  ])('keep firing once per occurrence after a restart %s', async (_how, snapshot) => {
    const t = await startTestEngine();
    try {
      await deploy(
        t.engine,
        'cron-restart.bpmn',
        bpmn(
          'cron-restart',
          `<bpmn:startEvent id="tick"><bpmn:timerEventDefinition><bpmn:timeCycle>*/1 * * * * *</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
           ${serviceTask('work', 'cron-restart-work')}<bpmn:endEvent id="e"/>${chain(['tick', 'work', 'e'])}`,
        ),
      );
      const started = async () =>
        (
          await records(t.engine, { valueType: 'PROCESS_INSTANCE', intent: 'ELEMENT_ACTIVATED' })
        ).filter((r) => r.value.bpmnElementType === 'PROCESS').length;
      await eventually(async () => (await started()) >= 1, 10_000);
      if (snapshot) await t.engine.takeSnapshot();
      await t.restart();
      const before = await started();
      await eventually(async () => (await started()) >= before + 2, 15_000);
      // Every occurrence fired once: distinct due dates, whole seconds, one instance each.
      const log = await records(t.engine);
      const fired = log.filter((r) => r.valueType === 'TIMER' && r.intent === 'TRIGGERED');
      const due = fired.map((r) => Number(r.value.dueDate));
      expect(new Set(due).size).toBe(due.length);
      expect(due.every((d) => d % 1000 === 0)).toBe(true);
      expect(fired.every((r) => r.value.interval === '*/1 * * * * *')).toBe(true);
      const instances = log.filter(
        (r) => r.intent === 'ELEMENT_ACTIVATED' && r.value.bpmnElementType === 'PROCESS',
      );
      expect(instances).toHaveLength(fired.length);
    } finally {
      await t.close();
    }
  });
});
