import {
  addDuration,
  addDurationToDate,
  daysBetween,
  parseDateTime,
  parseDuration,
} from '../../src/time';

describe('ISO-8601 durations and date-times (src/time)', () => {
  it('applies calendar units in Europe/Rome, across the change to summer time', () => {
    // 2027-03-28 02:00 CET → 03:00 CEST: one calendar day is 23 hours there.
    const before = Date.parse('2027-03-27T12:00:00+01:00');
    expect(new Date(addDuration(before, 'P1D')).toISOString()).toBe('2027-03-28T10:00:00.000Z');
    expect(new Date(addDuration(before, 'PT24H')).toISOString()).toBe('2027-03-28T11:00:00.000Z');
    const deadline = new Date('2027-03-31T15:00:00Z');
    expect(addDurationToDate(deadline, 'P10D', -1).toISOString()).toBe('2027-03-21T16:00:00.000Z');
  });

  it('reads fractions, weeks and a leading minus sign', () => {
    expect(parseDuration('PT0.5S').as('milliseconds')).toBe(500);
    expect(parseDuration('P1W').as('days')).toBe(7);
    expect(parseDuration('-PT1M').as('seconds')).toBe(-60);
  });

  it.each(['P', 'PT', 'P1DT', 'PTfooS', 'P-1D', 'R5/PT1S', '', '1D'])(
    'refuses %p naming the value',
    (text) => {
      expect(() => parseDuration(text)).toThrow(`'${text}' is not a valid ISO-8601 duration`);
    },
  );

  it('reads date-times with an offset, a zone id, or as Rome local time', () => {
    expect(parseDateTime('2026-07-01T10:00:00Z')).toBe(Date.parse('2026-07-01T10:00:00Z'));
    expect(parseDateTime('2026-07-01T10:00:00')).toBe(Date.parse('2026-07-01T08:00:00Z'));
    expect(parseDateTime('2026-01-01T10:00:00[Europe/Rome]')).toBe(
      Date.parse('2026-01-01T09:00:00Z'),
    );
    expect(() => parseDateTime('yesterday-ish')).toThrow(/not a valid ISO-8601 date-time/);
    expect(() => parseDateTime('2026-01-01T00:00:00[Mars/Olympus]')).toThrow(/date-time/);
  });

  it('counts days between instants', () => {
    expect(daysBetween(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-11T12:00:00Z'))).toBe(
      10.5,
    );
  });
});
