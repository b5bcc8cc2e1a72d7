/**
 * The package format ("trasferimento dei modelli" between provinces): a zip with
 *
 *   manifest.json        what is inside, who made it, licence, dependencies (below)
 *   publiccode.yml       the same metadata in the spirit of publiccode.yml (reuse catalogues)
 *   models/bpmn/<id>.bpmn, models/dmn/<id>.dmn, models/forms/<key>.json
 *   templates/emails/<name>.hbs, templates/documents/<name>.hbs
 *   settings.json        the chosen sections of the author province's settings
 *   CHECKSUMS.sha256     "<sha-256>  <path>" for every other file (sha256sum format)
 *
 * Every file must be listed in CHECKSUMS.sha256 with a matching digest, and every file
 * the manifest names must be there.
 */
import { createHash } from 'node:crypto';
import Ajv from 'ajv';
import type { ModelKind } from '../model-content';

export const PACKAGE_FORMAT = 'province-e-comuni/package@1';
export const MANIFEST = 'manifest.json';
export const CHECKSUMS = 'CHECKSUMS.sha256';
export const PUBLICCODE = 'publiccode.yml';
export const SETTINGS_FILE = 'settings.json';

export interface ModelRef {
  kind: ModelKind;
  key: string;
}

export interface PackageManifest {
  format: typeof PACKAGE_FORMAT;
  name: string;
  /** Semantic version of the package. */
  version: string;
  description: string;
  author: { province: { istat: string; name: string }; username: string; displayName: string };
  /** SPDX identifier. */
  license: string;
  createdAt: string;
  models: (ModelRef & {
    path: string;
    name: string;
    sourceVersion: number;
    dependsOn: ModelRef[];
  })[];
  templates: { path: string; kind: 'emails' | 'documents'; name: string }[];
  settings?: { path: typeof SETTINGS_FILE; sections: string[] };
  /** Candidate groups (roles) the processes assign work to. */
  roles: string[];
}

export function modelPath(kind: ModelKind, key: string): string {
  return kind === 'form' ? `models/forms/${key}.json` : `models/${kind}/${key}.${kind}`;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function checksumsFile(files: Map<string, Buffer>): string {
  return (
    [...files.keys()]
      .sort()
      .map((path) => `${sha256(files.get(path)!)}  ${path}`)
      .join('\n') + '\n'
  );
}

const key = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,79}$' } as const;
const ref = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'key'],
  properties: { kind: { enum: ['bpmn', 'dmn', 'form'] }, key },
} as const;

const manifestSchema = {
  type: 'object',
  required: [
    'format',
    'name',
    'version',
    'description',
    'author',
    'license',
    'createdAt',
    'models',
    'templates',
    'roles',
  ],
  properties: {
    format: { const: PACKAGE_FORMAT },
    name: { type: 'string', minLength: 3, maxLength: 120 },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?$' },
    description: { type: 'string', maxLength: 10000 },
    author: {
      type: 'object',
      required: ['province'],
      properties: {
        province: {
          type: 'object',
          required: ['istat', 'name'],
          properties: {
            istat: { type: 'string', pattern: '^[0-9]{3}$' },
            name: { type: 'string' },
          },
        },
        username: { type: 'string' },
        displayName: { type: 'string' },
      },
    },
    license: { type: 'string', pattern: '^[A-Za-z0-9.+-]{2,64}$' },
    createdAt: { type: 'string' },
    models: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        required: ['kind', 'key', 'path', 'name', 'dependsOn'],
        properties: {
          kind: { enum: ['bpmn', 'dmn', 'form'] },
          key,
          path: { type: 'string' },
          name: { type: 'string' },
          sourceVersion: { type: 'integer' },
          dependsOn: { type: 'array', items: ref },
        },
      },
    },
    templates: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        required: ['path', 'kind', 'name'],
        properties: {
          path: { type: 'string' },
          kind: { enum: ['emails', 'documents'] },
          name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,80}$' },
        },
      },
    },
    settings: {
      type: 'object',
      required: ['path', 'sections'],
      properties: {
        path: { const: SETTINGS_FILE },
        sections: { type: 'array', items: { type: 'string' } },
      },
    },
    roles: { type: 'array', items: { type: 'string' } },
  },
} as const;

const validateManifest = new Ajv({ allErrors: false, strict: false }).compile(manifestSchema);

/** The first problem of a manifest, or undefined when it is valid. */
export function manifestProblem(manifest: unknown): string | undefined {
  if (validateManifest(manifest)) {
    const m = manifest as PackageManifest;
    for (const model of m.models) {
      if (model.path !== modelPath(model.kind, model.key))
        return `models: "${model.path}" is not the path of ${model.kind} ${model.key}`;
    }
    for (const t of m.templates) {
      if (t.path !== `templates/${t.kind}/${t.name}.hbs`)
        return `templates: "${t.path}" is not the path of ${t.kind}/${t.name}`;
    }
    return undefined;
  }
  const err = validateManifest.errors![0];
  return `${err.instancePath || '(manifest)'} ${err.message}`;
}
