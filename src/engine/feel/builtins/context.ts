/**
 * Context functions with the key-path forms Zeebe documents (get value(c, ["a", "b"]),
 * context put(c, ["a", "b"], v)) and the deprecated names put / put all.
 */
import { warn } from '../frame';
import { feelFunction, isPlainContext } from '../function-values';

function isKeyPath(keys: unknown): keys is string[] {
  return Array.isArray(keys) && keys.every((k) => typeof k === 'string');
}

function getValue(context: unknown, key: unknown): unknown {
  if (!isPlainContext(context)) return warn('INVALID_ARGUMENTS', 'get value needs a context');
  const path = typeof key === 'string' ? [key] : isKeyPath(key) ? key : null;
  if (!path) return warn('INVALID_ARGUMENTS', 'get value needs a key or a list of keys');
  if (path.length === 0) return null;
  let current: unknown = context;
  for (const name of path) {
    if (!isPlainContext(current) || !Object.prototype.hasOwnProperty.call(current, name)) {
      return null;
    }
    current = current[name];
  }
  return current ?? null;
}

function put(
  context: Record<string, unknown>,
  path: string[],
  value: unknown,
): Record<string, unknown> {
  const [name, ...rest] = path;
  const copy = { ...context };
  if (rest.length === 0) {
    copy[name] = value;
  } else {
    const inner = Object.prototype.hasOwnProperty.call(copy, name) ? copy[name] : undefined;
    copy[name] = put(isPlainContext(inner) ? inner : {}, rest, value);
  }
  return copy;
}

function contextPut(context: unknown, key: unknown, value: unknown): unknown {
  if (!isPlainContext(context)) return warn('INVALID_ARGUMENTS', 'context put needs a context');
  const path = typeof key === 'string' ? [key] : isKeyPath(key) ? key : null;
  if (!path || path.length === 0) {
    return warn('INVALID_ARGUMENTS', 'context put needs a key or a non-empty list of keys');
  }
  return put(context, path, value ?? null);
}

function contextMerge(...args: unknown[]): unknown {
  const contexts = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  if (!contexts.every(isPlainContext)) {
    return warn('INVALID_ARGUMENTS', 'context merge needs a list of contexts');
  }
  return Object.assign({}, ...contexts);
}

export const CONTEXT_FUNCTIONS = {
  'get value': feelFunction(
    ['context', 'key', 'keys'],
    (context: unknown, key: unknown, keys: unknown) => getValue(context, key ?? keys),
  ),
  'context put': feelFunction(
    ['context', 'key', 'value', 'keys'],
    (context: unknown, key: unknown, value: unknown, keys: unknown) =>
      contextPut(context, key ?? keys, value),
  ),
  put: feelFunction(['context', 'key', 'value'], contextPut),
  'context merge': feelFunction(['...contexts'], contextMerge),
  'put all': feelFunction(['...contexts'], contextMerge),
};
