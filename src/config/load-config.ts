/**
 * Loads engine-config/: default.yaml merged with provinces/<ISTAT>.yaml per tenant,
 * validated with ajv against JSON Schemas. Any problem stops start-up with a message
 * that names the file, the field (and line) and what was expected.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { ConfigError } from './env';
import { isCodiceFiscale } from '../forms/formats';
import { findComune, findProvince } from './istat';
import { addSchemaAnnotations } from './schema/annotations';
import { provinceFileSchema, type Role } from './schema/province';
import { settingsSchema } from './schema/settings';

export type Settings = Record<string, unknown> & {
  procurement: { thresholds: Record<string, number> } & Record<string, unknown>;
};

export interface ComuneConfig {
  istat: string;
  name: string;
  pec?: string;
  email?: string;
  qualified?: boolean;
}

export interface UserConfig {
  username: string;
  name: string;
  email?: string;
  roles: Role[];
  comune?: string;
  /** The office (ufficio) the person works in. */
  office?: string;
  /** Training line: role band of an employee of a comune. */
  roleBand?: 'dirigente' | 'funzionario' | 'istruttore' | 'operatore-esperto' | 'operatore';
  /** Training line: heads their office (validates its staff's self-assessments). */
  headOfOffice?: boolean;
  /** Maps OIDC/SPID sign-ins to the account. */
  codiceFiscale?: string;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecretEnv?: string;
  /** Default "fiscal_number" (SPID/CIE). */
  fiscalCodeClaim: string;
  /** Default "openid profile". */
  scope: string;
  label?: string;
}

export interface ProvinceConfig {
  /** Tenant id = the province's ISTAT code. */
  tenantId: string;
  name: string;
  pec?: string;
  email?: string;
  comuni: ComuneConfig[];
  users: UserConfig[];
  enabledProcesses: string[];
  settings: Settings;
  oidc?: OidcConfig;
  file: string;
}

export interface ProductConfig {
  defaults: Settings;
  provinces: Map<string, ProvinceConfig>;
}

interface LoadedYaml {
  file: string;
  data: unknown;
  lineOf(pathParts: (string | number)[]): number | undefined;
}

function readYaml(file: string, displayName: string): LoadedYaml {
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new ConfigError(`${displayName}: invalid YAML: ${e.message}`);
  }
  return {
    file: displayName,
    data: doc.toJS({ maxAliasCount: 50 }),
    lineOf(pathParts) {
      for (let n = pathParts.length; n > 0; n--) {
        const node = doc.getIn(pathParts.slice(0, n), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: false });
addFormats(ajv);
addSchemaAnnotations(ajv);
const validateProvinceFile = ajv.compile(provinceFileSchema);
const validateSettings = ajv.compile(settingsSchema);

function pointerToParts(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describeError(err: ErrorObject): string {
  switch (err.keyword) {
    case 'additionalProperties':
      return `unknown field "${(err.params as { additionalProperty: string }).additionalProperty}"`;
    case 'required':
      return `missing required field "${(err.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `expected one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `expected a value that ${err.message ?? 'matches the schema'}`;
  }
}

function formatErrors(
  errors: ErrorObject[],
  source: (parts: string[]) => { y: LoadedYaml; prefix: string[] },
  data: unknown,
): string {
  return errors
    .slice(0, 5)
    .map((err) => {
      const parts = pointerToParts(err.instancePath);
      const fieldParts =
        err.keyword === 'required'
          ? [...parts, (err.params as { missingProperty: string }).missingProperty]
          : err.keyword === 'additionalProperties'
            ? [...parts, (err.params as { additionalProperty: string }).additionalProperty]
            : parts;
      const { y, prefix } = source(parts);
      const yamlPath = [...prefix, ...fieldParts];
      const line = y.lineOf(yamlPath);
      const field = yamlPath.join('.') || '(root)';
      let got = '';
      if (err.keyword !== 'required' && err.keyword !== 'additionalProperties') {
        got = ` (got ${JSON.stringify(getIn(data, parts))})`;
      }
      return `${y.file}${line ? `:${line}` : ''}: field "${field}": ${describeError(err)}${got}`;
    })
    .join('\n');
}

function getIn(data: unknown, parts: (string | number)[]): unknown {
  let cur: unknown = data;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge where the override wins; arrays are replaced, not concatenated. */
export function mergeSettings<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) {
    return (override === undefined ? base : override) as T;
  }
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    out[k] = k in base ? mergeSettings(base[k], v) : v;
  }
  return out as T;
}

function loadDefaults(configDir: string): { settings: Settings; yaml: LoadedYaml } {
  const file = path.join(configDir, 'default.yaml');
  const display = path.relative(process.cwd(), file) || file;
  if (!existsSync(file)) throw new ConfigError(`${display}: file not found`);
  const y = readYaml(file, display);
  if (!validateSettings(y.data)) {
    throw new ConfigError(
      `Invalid configuration:\n${formatErrors(validateSettings.errors ?? [], () => ({ y, prefix: [] }), y.data)}`,
    );
  }
  return { settings: y.data as Settings, yaml: y };
}

function loadProvince(
  file: string,
  defaults: { settings: Settings; yaml: LoadedYaml },
): ProvinceConfig {
  const display = path.relative(process.cwd(), file) || file;
  const y = readYaml(file, display);
  if (!validateProvinceFile(y.data)) {
    throw new ConfigError(
      `Invalid configuration:\n${formatErrors(validateProvinceFile.errors ?? [], () => ({ y, prefix: [] }), y.data)}`,
    );
  }
  const data = y.data as {
    province: { istat: string; name: string; pec?: string; email?: string };
    comuni: ComuneConfig[];
    users?: UserConfig[];
    enabledProcesses?: string[];
    settings?: Record<string, unknown>;
    oidc?: Partial<OidcConfig> & { issuer: string; clientId: string };
  };
  const fail = (fieldPath: (string | number)[], msg: string): never => {
    const line = y.lineOf(fieldPath);
    throw new ConfigError(
      `Invalid configuration:\n${display}${line ? `:${line}` : ''}: field "${fieldPath.join('.')}": ${msg}`,
    );
  };

  const expectedIstat = path.basename(file, path.extname(file));
  if (data.province.istat !== expectedIstat) {
    fail(
      ['province', 'istat'],
      `expected "${expectedIstat}" to match the file name, got "${data.province.istat}"`,
    );
  }
  if (!findProvince(data.province.istat)) {
    fail(
      ['province', 'istat'],
      `expected an ISTAT province code, "${data.province.istat}" is not one`,
    );
  }
  const seen = new Set<string>();
  data.comuni.forEach((c, i) => {
    const info = findComune(c.istat);
    if (!info)
      fail(['comuni', i, 'istat'], `expected an ISTAT comune code, "${c.istat}" is not one`);
    else if (info.provinceIstat !== data.province.istat) {
      fail(
        ['comuni', i, 'istat'],
        `comune ${c.istat} (${info.name}) belongs to province ${info.provinceIstat}, not ${data.province.istat}`,
      );
    } else if (info.name.toLowerCase() !== c.name.toLowerCase()) {
      fail(
        ['comuni', i, 'name'],
        `expected "${info.name}" (ISTAT name of ${c.istat}), got "${c.name}"`,
      );
    }
    if (seen.has(c.istat)) fail(['comuni', i, 'istat'], `comune ${c.istat} is listed twice`);
    seen.add(c.istat);
  });
  const usernames = new Set<string>();
  (data.users ?? []).forEach((u, i) => {
    if (usernames.has(u.username))
      fail(['users', i, 'username'], `username "${u.username}" is used twice`);
    usernames.add(u.username);
    if (u.comune && !seen.has(u.comune)) {
      fail(['users', i, 'comune'], `expected one of this province's comuni, got "${u.comune}"`);
    }
    if (u.codiceFiscale && !isCodiceFiscale(u.codiceFiscale)) {
      fail(
        ['users', i, 'codiceFiscale'],
        `expected a valid codice fiscale, got "${u.codiceFiscale}"`,
      );
    }
  });

  const merged = mergeSettings(defaults.settings, data.settings ?? {});
  if (!validateSettings(merged)) {
    // Name the file the bad value came from: the province's override, or default.yaml.
    const source = (parts: string[]) =>
      getIn(data.settings, parts) !== undefined
        ? { y, prefix: ['settings'] }
        : { y: defaults.yaml, prefix: [] };
    throw new ConfigError(
      `Invalid configuration:\n${formatErrors(validateSettings.errors ?? [], source, merged)}`,
    );
  }

  return {
    tenantId: data.province.istat,
    name: data.province.name,
    pec: data.province.pec,
    email: data.province.email,
    comuni: data.comuni,
    users: data.users ?? [],
    enabledProcesses: data.enabledProcesses ?? [
      'procurement',
      'eu-funding',
      'data-request',
      'training',
    ],
    settings: merged,
    oidc: data.oidc
      ? {
          ...data.oidc,
          fiscalCodeClaim: data.oidc.fiscalCodeClaim ?? 'fiscal_number',
          scope: data.oidc.scope ?? 'openid profile',
        }
      : undefined,
    file: display,
  };
}

export function loadProductConfig(configDir: string): ProductConfig {
  const defaults = loadDefaults(configDir);
  const provincesDir = path.join(configDir, 'provinces');
  const provinces = new Map<string, ProvinceConfig>();
  const files = existsSync(provincesDir)
    ? readdirSync(provincesDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
  for (const f of files) {
    const p = loadProvince(path.join(provincesDir, f), defaults);
    provinces.set(p.tenantId, p);
  }
  return { defaults: defaults.settings, provinces };
}
