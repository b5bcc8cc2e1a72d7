/** String functions of Zeebe's FEEL that feelin lacks or reads differently. */
import { randomUUID } from 'node:crypto';
import { warn } from '../frame';
import { feelFunction } from '../function-values';

function regex(pattern: unknown, flags = 'g'): RegExp | null {
  if (typeof pattern !== 'string') return null;
  try {
    return new RegExp(pattern, `${flags}u`);
  } catch {
    return warn('INVALID_ARGUMENTS', `'${pattern}' is not a valid regular expression`);
  }
}

function stringJoin(
  list: unknown,
  delimiter?: unknown,
  prefix?: unknown,
  suffix?: unknown,
): unknown {
  if (!Array.isArray(list)) return warn('INVALID_ARGUMENTS', 'string join needs a list');
  const parts: string[] = [];
  for (const item of list) {
    if (item === null || item === undefined) continue;
    if (typeof item !== 'string') {
      return warn(
        'INVALID_ARGUMENTS',
        `string join needs a list of strings, got '${String(item)}'`,
      );
    }
    parts.push(item);
  }
  for (const part of [delimiter, prefix, suffix]) {
    if (part !== undefined && part !== null && typeof part !== 'string') {
      return warn(
        'INVALID_ARGUMENTS',
        `string join needs string separators, got '${String(part)}'`,
      );
    }
  }
  return `${(prefix as string) ?? ''}${parts.join((delimiter as string) ?? '')}${(suffix as string) ?? ''}`;
}

export const STRING_FUNCTIONS = {
  extract: feelFunction(['string', 'pattern'], (text: unknown, pattern: unknown) => {
    const re = regex(pattern);
    if (typeof text !== 'string' || !re)
      return warn('INVALID_ARGUMENTS', 'extract needs two strings');
    return [...text.matchAll(re)].map((m) => m[0]);
  }),
  trim: feelFunction(['string'], (text: unknown) =>
    typeof text === 'string' ? text.trim() : warn('INVALID_ARGUMENTS', 'trim needs a string'),
  ),
  uuid: feelFunction([], () => randomUUID()),
  'to base64': feelFunction(['value'], (value: unknown) =>
    typeof value === 'string'
      ? Buffer.from(value, 'utf8').toString('base64')
      : warn('INVALID_ARGUMENTS', 'to base64 needs a string'),
  ),
  'string join': feelFunction(['list', 'delimiter', 'prefix', 'suffix'], stringJoin),
};
