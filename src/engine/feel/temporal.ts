/**
 * Temporal values where feelin differs from Zeebe: zone-aware arithmetic (feelin
 * subtracts wall clocks, so 14:00@Europe/Berlin - 12:00Z is PT2H there, PT0S in Zeebe),
 * durations times and divided by numbers, `+01:00[Europe/Berlin]` texts, the timezone
 * argument of `date and time`, and the engine's clock and zone for now() and today().
 * Calendar and zone rules come from luxon; feelin's values are built from ISO texts.
 */
import {
  duration as parseDurationText,
  FeelDate,
  FeelDateTime,
  FeelDuration,
  FeelTime,
  parseDate,
  parseDateTime,
  parseTime,
} from 'feelin';
import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import { decimal, isFeelNumber, toNumber } from './decimal';
import { currentTime, warn } from './frame';

/** The zone of now() and today(), and of local date-times converted to a zone. */
export const DEFAULT_ZONE = 'Europe/Rome';

// ---------------------------------------------------------------------------------
// Zones

type ZoneSpec =
  | { kind: 'local' }
  | { kind: 'utc' }
  | { kind: 'offset'; text: string }
  | { kind: 'iana'; id: string };

const OFFSET = /([+-]\d{2}:\d{2})$/;

function splitZone(text: string): { local: string; zone: ZoneSpec } {
  const at = text.indexOf('@');
  if (at >= 0) return { local: text.slice(0, at), zone: { kind: 'iana', id: text.slice(at + 1) } };
  if (text.endsWith('Z')) return { local: text.slice(0, -1), zone: { kind: 'utc' } };
  const offset = OFFSET.exec(text);
  if (offset && text.length > 6) {
    return { local: text.slice(0, -6), zone: { kind: 'offset', text: offset[1] } };
  }
  return { local: text, zone: { kind: 'local' } };
}

/** The luxon zone used to compute with a value; local values compute on a UTC wall clock. */
function luxonZone(zone: ZoneSpec): Zone {
  switch (zone.kind) {
    case 'local':
    case 'utc':
      return FixedOffsetZone.utcInstance;
    case 'offset':
      return FixedOffsetZone.parseSpecifier(`UTC${zone.text}`) ?? FixedOffsetZone.utcInstance;
    case 'iana':
      return IANAZone.create(zone.id);
  }
}

function zoneSuffix(zone: ZoneSpec): string {
  switch (zone.kind) {
    case 'local':
      return '';
    case 'utc':
      return 'Z';
    case 'offset':
      return zone.text;
    case 'iana':
      return `@${zone.id}`;
  }
}

/** A timezone argument: `Z`, `+01:00`, `UTC`, or a zone id such as `Europe/Rome`. */
function zoneFromText(text: string): ZoneSpec | null {
  const trimmed = text.trim();
  if (trimmed === 'Z' || trimmed === 'UTC') return { kind: 'utc' };
  if (/^[+-]\d{2}:\d{2}$/.test(trimmed)) return { kind: 'offset', text: trimmed };
  return IANAZone.isValidZone(trimmed) ? { kind: 'iana', id: trimmed } : null;
}

// ---------------------------------------------------------------------------------
// Between feelin values and luxon

interface ZonedView {
  dt: DateTime;
  zone: ZoneSpec;
}

function viewOfDateTime(value: FeelDateTime): ZonedView | null {
  const { local, zone } = splitZone(value.toString());
  const dt = DateTime.fromISO(local, { zone: luxonZone(zone) });
  return dt.isValid ? { dt, zone } : null;
}

function viewOfTime(value: FeelTime): ZonedView | null {
  const { local, zone } = splitZone(value.toString());
  const dt = DateTime.fromISO(`1970-01-01T${local}`, { zone: luxonZone(zone) });
  return dt.isValid ? { dt, zone } : null;
}

function dateOf(value: FeelDate): DateTime | null {
  const dt = DateTime.fromISO(value.toString(), { zone: FixedOffsetZone.utcInstance });
  return dt.isValid ? dt : null;
}

function clockText(dt: DateTime): string {
  return dt.millisecond ? dt.toFormat('HH:mm:ss.SSS') : dt.toFormat('HH:mm:ss');
}

function toFeelDateTime(dt: DateTime, zone: ZoneSpec): FeelDateTime | null {
  if (!dt.isValid) return null;
  return parseDateTime(`${dt.toFormat('yyyy-MM-dd')}T${clockText(dt)}${zoneSuffix(zone)}`);
}

function toFeelTime(dt: DateTime, zone: ZoneSpec): FeelTime | null {
  return dt.isValid ? parseTime(`${clockText(dt)}${zoneSuffix(zone)}`) : null;
}

function toFeelDate(dt: DateTime): FeelDate | null {
  return dt.isValid ? parseDate(dt.toFormat('yyyy-MM-dd')) : null;
}

// ---------------------------------------------------------------------------------
// Durations: days-time durations as milliseconds, years-months durations as months

function durationMillis(value: FeelDuration): number {
  const d = value.unwrap();
  return (
    ((d.days * 24 + d.hours) * 60 + d.minutes) * 60_000 +
    d.seconds * 1000 +
    d.milliseconds +
    d.microseconds / 1000
  );
}

function durationMonths(value: FeelDuration): number {
  const d = value.unwrap();
  return d.years * 12 + d.months;
}

function daysTimeDuration(millis: number): FeelDuration | null {
  if (!Number.isFinite(millis)) return null;
  const sign = millis < 0 ? '-' : '';
  let rest = Math.round(Math.abs(millis));
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  let time = '';
  if (hours) time += `${hours}H`;
  if (minutes) time += `${minutes}M`;
  if (seconds) time += `${seconds}S`;
  const text = `${sign}P${days ? `${days}D` : ''}${time ? `T${time}` : days ? '' : 'T0S'}`;
  return parseDurationText(text);
}

function yearsMonthsDuration(months: number): FeelDuration | null {
  if (!Number.isInteger(months)) return null;
  const sign = months < 0 ? '-' : '';
  const abs = Math.abs(months);
  const years = Math.floor(abs / 12);
  const rest = abs % 12;
  const text = `${sign}P${years ? `${years}Y` : ''}${rest || !years ? `${rest}M` : ''}`;
  return parseDurationText(text);
}

function isYearsMonths(value: unknown): value is FeelDuration {
  return value instanceof FeelDuration && value.yearsMonths;
}

function isDaysTime(value: unknown): value is FeelDuration {
  return value instanceof FeelDuration && !value.yearsMonths;
}

// ---------------------------------------------------------------------------------
// Arithmetic

function plusDuration(dt: DateTime, d: FeelDuration, sign: 1 | -1): DateTime {
  return d.yearsMonths
    ? dt.plus({ months: sign * durationMonths(d) })
    : dt.plus({ milliseconds: sign * durationMillis(d) });
}

function shift(value: unknown, d: FeelDuration, sign: 1 | -1): unknown {
  if (value instanceof FeelDateTime) {
    const view = viewOfDateTime(value);
    return view ? toFeelDateTime(plusDuration(view.dt, d, sign), view.zone) : null;
  }
  if (value instanceof FeelDate) {
    const dt = dateOf(value);
    return dt ? toFeelDate(plusDuration(dt, d, sign)) : null;
  }
  if (value instanceof FeelTime) {
    if (d.yearsMonths) return null; // a time has no calendar
    const view = viewOfTime(value);
    return view ? toFeelTime(plusDuration(view.dt, d, sign), view.zone) : null;
  }
  return undefined;
}

function difference(a: unknown, b: unknown): unknown {
  if (a instanceof FeelDate && b instanceof FeelDate) {
    const [x, y] = [dateOf(a), dateOf(b)];
    return x && y ? daysTimeDuration(x.toMillis() - y.toMillis()) : null;
  }
  const views =
    a instanceof FeelDateTime && b instanceof FeelDateTime
      ? [viewOfDateTime(a), viewOfDateTime(b)]
      : a instanceof FeelTime && b instanceof FeelTime
        ? [viewOfTime(a), viewOfTime(b)]
        : undefined;
  if (!views) return undefined;
  const [x, y] = views;
  if (!x || !y) return null;
  if ((x.zone.kind === 'local') !== (y.zone.kind === 'local')) {
    return warn(
      'INVALID_TYPE',
      `can't subtract '${String(b)}' from '${String(a)}': only one of them has a timezone`,
    );
  }
  return daysTimeDuration(x.dt.toMillis() - y.dt.toMillis());
}

const isTemporalValue = (v: unknown) =>
  v instanceof FeelDate || v instanceof FeelTime || v instanceof FeelDateTime;

/**
 * `a op b` when an operand is a temporal value; undefined when neither is (then feelin
 * decides). Types without an operation give null, as in Zeebe.
 */
export function temporalArithmetic(operator: string, a: unknown, b: unknown): unknown {
  const temporal = (v: unknown) => isTemporalValue(v) || v instanceof FeelDuration;
  if (!temporal(a) && !temporal(b)) return undefined;
  const result = computeTemporal(operator, a, b);
  if (result !== undefined) return result;
  return warn('INVALID_TYPE', `can't compute '${String(a)}' ${operator} '${String(b)}'`);
}

function computeTemporal(operator: string, a: unknown, b: unknown): unknown {
  switch (operator) {
    case '+':
      if (b instanceof FeelDuration && isTemporalValue(a)) return shift(a, b, 1);
      if (a instanceof FeelDuration && isTemporalValue(b)) return shift(b, a, 1);
      if (isDaysTime(a) && isDaysTime(b))
        return daysTimeDuration(durationMillis(a) + durationMillis(b));
      if (isYearsMonths(a) && isYearsMonths(b)) {
        return yearsMonthsDuration(durationMonths(a) + durationMonths(b));
      }
      return undefined;
    case '-':
      if (b instanceof FeelDuration && isTemporalValue(a)) return shift(a, b, -1);
      if (isDaysTime(a) && isDaysTime(b))
        return daysTimeDuration(durationMillis(a) - durationMillis(b));
      if (isYearsMonths(a) && isYearsMonths(b)) {
        return yearsMonthsDuration(durationMonths(a) - durationMonths(b));
      }
      return difference(a, b);
    case '*': {
      const [d, n] = a instanceof FeelDuration ? [a, b] : [b, a];
      if (!(d instanceof FeelDuration) || !isFeelNumber(n)) return undefined;
      if (d.yearsMonths) {
        const months = toNumber(decimal(durationMonths(d)).times(n).toDecimalPlaces(0, 1));
        return months === null ? null : yearsMonthsDuration(months);
      }
      return daysTimeDuration(durationMillis(d) * n);
    }
    case '/': {
      if (!(a instanceof FeelDuration)) return undefined;
      if (b instanceof FeelDuration && a.yearsMonths === b.yearsMonths) {
        const [x, y] = a.yearsMonths
          ? [durationMonths(a), durationMonths(b)]
          : [durationMillis(a), durationMillis(b)];
        return y === 0 ? null : toNumber(decimal(x).dividedBy(y));
      }
      if (!isFeelNumber(b) || b === 0) return b === 0 ? null : undefined;
      if (a.yearsMonths) {
        const months = toNumber(decimal(durationMonths(a)).dividedBy(b).toDecimalPlaces(0, 1));
        return months === null ? null : yearsMonthsDuration(months);
      }
      return daysTimeDuration(durationMillis(a) / b);
    }
    default:
      return undefined;
  }
}

/** `-d` for a duration. */
export function negateDuration(value: FeelDuration): FeelDuration | null {
  return value.yearsMonths
    ? yearsMonthsDuration(-durationMonths(value))
    : daysTimeDuration(-durationMillis(value));
}

// ---------------------------------------------------------------------------------
// Parsing and construction

/** `2018-04-29T09:30:00+02:00[Europe/Berlin]` as feelin reads zone ids: `...@Europe/Berlin`. */
function normaliseDateTimeText(text: string): string {
  const bracket = /^(.*?)(?:Z|[+-]\d{2}:\d{2})\[([^\]]+)\]$/.exec(text.trim());
  return bracket ? `${bracket[1]}@${bracket[2]}` : text.trim();
}

export function parseDateTimeText(text: string): FeelDateTime | null {
  const normalised = normaliseDateTimeText(text);
  const { local } = splitZone(normalised);
  if (!/^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(local)) return null;
  const value = parseDateTime(normalised);
  if (!value) return null;
  // feelin rolls invalid calendar dates over (2024-06-31 -> 2024-07-01); Zeebe refuses them.
  return value.toString().slice(0, 10) === local.slice(0, 10) ? value : null;
}

/** The value of `@"..."`: a date, time, date and time or duration; null when invalid. */
export function parseTemporalLiteral(text: unknown): unknown {
  if (typeof text !== 'string')
    return warn('INVALID_TYPE', `@ needs a string, got '${String(text)}'`);
  const trimmed = text.trim();
  let value: unknown = null;
  if (/^-?P/.test(trimmed)) value = parseDurationText(trimmed);
  else if (trimmed.includes('T')) value = parseDateTimeText(trimmed);
  else if (/^\d{2}:\d{2}/.test(trimmed)) value = parseTime(trimmed);
  else {
    const date = parseDate(trimmed);
    value = date && date.toString() === trimmed.slice(0, 10) ? date : null;
  }
  return value ?? warn('INVALID_ARGUMENTS', `@"${trimmed}" is not a valid temporal literal`);
}

/** `date and time(from)`, `date and time(date, time)`, `date and time(date, timezone)`. */
export function dateAndTime(
  d: unknown,
  time?: unknown,
  from?: unknown,
  timezone?: unknown,
): unknown {
  if (typeof d === 'string' && time === undefined) from = d;
  if (typeof from === 'string') {
    return (
      parseDateTimeText(from) ?? warn('INVALID_ARGUMENTS', `'${from}' is not a valid date and time`)
    );
  }
  if (typeof time === 'string' && timezone === undefined) timezone = time;
  if (d instanceof FeelDateTime && typeof timezone === 'string') return atZone(d, timezone);
  if ((d instanceof FeelDate || d instanceof FeelDateTime) && time instanceof FeelTime) {
    const day = d instanceof FeelDate ? d.toString() : d.toString().slice(0, 10);
    const { local, zone } = splitZone(time.toString());
    return parseDateTime(`${day}T${local}${zoneSuffix(zone)}`);
  }
  return warn(
    'INVALID_ARGUMENTS',
    `date and time(${[d, time].map(String).join(', ')}) is not valid`,
  );
}

/** The same instant at another zone; a local date-time is taken to be in the engine's zone. */
function atZone(value: FeelDateTime, timezone: string): unknown {
  const zone = zoneFromText(timezone);
  if (!zone) return warn('INVALID_ARGUMENTS', `'${timezone}' is not a timezone`);
  const view = viewOfDateTime(value);
  if (!view) return null;
  const instant =
    view.zone.kind === 'local'
      ? DateTime.fromISO(splitZone(value.toString()).local, { zone: DEFAULT_ZONE })
      : view.dt;
  return toFeelDateTime(instant.setZone(luxonZone(zone)), zone);
}

/** `years and months duration(from, to)`: whole months between two dates (or date-times). */
export function yearsAndMonthsBetween(from: unknown, to: unknown): unknown {
  const day = (v: unknown) =>
    v instanceof FeelDate
      ? dateOf(v)
      : v instanceof FeelDateTime
        ? (viewOfDateTime(v)?.dt ?? null)
        : null;
  const [a, b] = [day(from), day(to)];
  if (!a || !b) return warn('INVALID_ARGUMENTS', 'years and months duration needs two dates');
  const months = Math.trunc(b.diff(a, 'months').months);
  return yearsMonthsDuration(months);
}

/** now(): the evaluation clock's instant, in the engine's zone. */
export function now(): FeelDateTime | null {
  const dt = DateTime.fromMillis(currentTime(), { zone: DEFAULT_ZONE });
  return toFeelDateTime(dt, { kind: 'iana', id: DEFAULT_ZONE });
}

/** today(): the evaluation clock's date in the engine's zone. */
export function today(): FeelDate | null {
  return toFeelDate(DateTime.fromMillis(currentTime(), { zone: DEFAULT_ZONE }));
}

export function lastDayOfMonth(value: unknown): unknown {
  const day =
    value instanceof FeelDate
      ? dateOf(value)
      : value instanceof FeelDateTime
        ? (viewOfDateTime(value)?.dt ?? null)
        : null;
  if (!day) return warn('INVALID_ARGUMENTS', 'last day of month needs a date or date and time');
  return toFeelDate(day.endOf('month'));
}

export { isDaysTime, isYearsMonths, durationMillis, durationMonths };

// ---------------------------------------------------------------------------------
// Ordering

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/**
 * Order of two temporal values of the same type (instants for zoned date-times);
 * undefined when they are not temporal, null when they are not comparable.
 */
export function compareTemporal(a: unknown, b: unknown): number | null | undefined {
  if (a instanceof FeelDate && b instanceof FeelDate) {
    const [x, y] = [dateOf(a), dateOf(b)];
    return x && y ? sign(x.toMillis() - y.toMillis()) : null;
  }
  const views =
    a instanceof FeelDateTime && b instanceof FeelDateTime
      ? [viewOfDateTime(a), viewOfDateTime(b)]
      : a instanceof FeelTime && b instanceof FeelTime
        ? [viewOfTime(a), viewOfTime(b)]
        : undefined;
  if (views) {
    const [x, y] = views;
    if (!x || !y || (x.zone.kind === 'local') !== (y.zone.kind === 'local')) return null;
    return sign(x.dt.toMillis() - y.dt.toMillis());
  }
  if (isDaysTime(a) && isDaysTime(b)) return sign(durationMillis(a) - durationMillis(b));
  if (isYearsMonths(a) && isYearsMonths(b)) return sign(durationMonths(a) - durationMonths(b));
  const temporal = (v: unknown) => isTemporalValue(v) || v instanceof FeelDuration;
  return temporal(a) || temporal(b) ? null : undefined;
}
