/**
 * Timer cycles given as cron expressions, in the format Zeebe documents (Spring's
 * CronExpression: six fields "second minute hour day-of-month month day-of-week", names
 * like MON-FRI and JAN, '?', 'L', 'W', '#', and the macros @yearly ... @hourly), evaluated
 * in UTC as the docs' example says ("0 0 9-17 * * MON-FRI: every hour on the hour from
 * 9-5 p.m. UTC Monday-Friday"). Day-of-month and day-of-week must both match, as in
 * Spring. The expressions are read and evaluated by croner; this module only maps the
 * Spring notation onto it.
 */
import { Cron } from 'croner';

export const CRON_TIME_ZONE = 'UTC';

/** Spring's macros, as the six-field expressions they stand for. */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

/**
 * A cron expression has several space-separated fields (or is a macro); an ISO-8601
 * repeating interval ("R5/PT10S") and its stored interval ("PT10S") have no spaces.
 */
export function isCronExpression(text: string): boolean {
  const t = text.trim();
  return /\s/.test(t) || t.startsWith('@');
}

const cache = new Map<string, Cron>();

function cronOf(text: string): Cron {
  const hit = cache.get(text);
  if (hit) return hit;
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const fields = (MACROS[trimmed.toLowerCase()] ?? trimmed).split(' ');
  if (fields.length !== 6) {
    throw new Error(
      `'${text}' is not a valid cron expression: it needs 6 fields (second minute hour day-of-month month day-of-week), found ${fields.length}`,
    );
  }
  // Spring's '?' means "any"; croner would read it as "the current value".
  fields[3] = fields[3] === '?' ? '*' : fields[3];
  // Spring writes the last weekday of the month as "5L" / "FRIL", croner as "5#L".
  fields[5] = fields[5] === '?' ? '*' : fields[5].replace(/^([0-7]|[A-Za-z]{3})L$/, '$1#L');
  let cron: Cron;
  try {
    cron = new Cron(fields.join(' '), {
      timezone: CRON_TIME_ZONE,
      mode: '6-part',
      domAndDow: true,
    });
  } catch (err) {
    throw new Error(`'${text}' is not a valid cron expression: ${(err as Error).message}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(text, cron);
  return cron;
}

/** The first time after `after` (epoch ms) the expression matches; throws if it never does. */
export function nextCronDue(text: string, after: number): number {
  const next = cronOf(text).nextRun(new Date(after));
  if (!next) throw new Error(`the cron expression '${text}' never matches a future time`);
  return next.getTime();
}

/** Throws a message naming the problem if the expression is not a usable cron cycle. */
export function checkCronExpression(text: string, now: number): void {
  nextCronDue(text, now);
}
