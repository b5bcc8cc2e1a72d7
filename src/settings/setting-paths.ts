/**
 * Settings as leaves: a leaf is any value that is not a plain object (numbers, strings,
 * booleans, arrays). Paths use "/" like the field paths of validation errors
 * ("procurement/thresholds/directAwardWorks").
 */
export type SettingsObject = Record<string, unknown>;

export interface SettingChange {
  path: string;
  from: unknown;
  to: unknown;
}

export function isPlainObject(v: unknown): v is SettingsObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every leaf of `obj` by path. */
export function leaves(obj: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (value: unknown, path: string) => {
    if (isPlainObject(value) && (Object.keys(value).length > 0 || path === '')) {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}/${k}` : k);
    } else if (path) {
      out.set(path, value);
    }
  };
  walk(obj, prefix);
  return out;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The leaves that differ between two settings objects, sorted by path. */
export function changedLeaves(from: unknown, to: unknown): SettingChange[] {
  const a = leaves(from);
  const b = leaves(to);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths
    .filter((p) => !sameValue(a.get(p), b.get(p)))
    .map((path) => ({ path, from: a.get(path), to: b.get(path) }));
}

export function getAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('/')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Sets a leaf, creating the objects on the way (keys "__proto__" etc. are refused). */
export function setAt(obj: SettingsObject, path: string, value: unknown): void {
  const parts = path.split('/');
  let cur = obj;
  for (const [i, part] of parts.entries()) {
    if (part === '__proto__' || part === 'constructor' || part === 'prototype') {
      throw new Error(`invalid settings path "${path}"`);
    }
    if (i === parts.length - 1) {
      cur[part] = value;
    } else {
      if (!isPlainObject(cur[part])) cur[part] = {};
      cur = cur[part] as SettingsObject;
    }
  }
}

/** Only the leaves of `effective` that differ from `baseline`, as a nested object. */
export function overridesOf(baseline: unknown, effective: unknown): SettingsObject {
  const out: SettingsObject = {};
  const base = leaves(baseline);
  for (const [path, value] of leaves(effective)) {
    if (!sameValue(base.get(path), value)) setAt(out, path, value);
  }
  return out;
}
