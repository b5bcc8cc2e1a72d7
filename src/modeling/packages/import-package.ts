/**
 * Imports a package into a province in two steps, and never deploys:
 *
 * 1. inspect: reads the zip with hard limits (zip-reader.ts), checks the manifest and
 *    the SHA-256 of every file, parses every model, then compares it with what the
 *    province has: new, changed (with the diff) or conflicting (a draft with unsaved
 *    work, a missing dependency, settings the province has overridden, groups that are
 *    not roles here). A refused package writes nothing; an accepted one is kept as a
 *    pending import with its report.
 * 2. apply: creates drafts only — a new model with its draft, or the package's content as
 *    the draft of an existing model (its versions keep the history). Conflicting models
 *    are skipped. Templates and settings are never applied here: the report lists them
 *    and an administrator accepts them one by one (acceptTemplate / acceptSettings), which
 *    saves a new settings or template version.
 */
import type { Connection } from 'mongoose';
import { ROLES, type ProductConfig } from '../../config';
import { ensureIndex } from '../../db';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import { changedLeaves, type SettingsService, type TemplateService } from '../../settings';
import { diffModels, textDiff, type ModelDiff } from '../diff';
import { identify } from '../model-content';
import {
  newModelId,
  PERMISSION_MODELS_EDIT,
  requireModelPermission,
  type ModelActor,
  type ModelRepository,
} from '../repository';
import { PackageRejectedError } from './package-errors';
import {
  CHECKSUMS,
  manifestProblem,
  MANIFEST,
  PUBLICCODE,
  sha256,
  type ModelRef,
  type PackageManifest,
} from './package-format';
import { readPackageZip } from './zip-reader';

export const MODEL_IMPORTS = 'modeling_imports';
export const MODEL_IMPORT_FILES = 'modeling_import_files';

export type ImportStatus = 'new' | 'changed' | 'unchanged' | 'conflicting';

export interface ModelImportItem {
  kind: 'bpmn' | 'dmn' | 'form';
  key: string;
  name: string;
  path: string;
  status: ImportStatus;
  /** Why the item conflicts (English, for logs and API clients) with an i18n key each. */
  conflicts: { key: string; message: string; params?: Record<string, unknown> }[];
  /** The province's model, when it has one. */
  modelId?: string;
  /** Against the province's latest version (changed items). */
  diff?: ModelDiff;
}

export interface ImportReport {
  id: string;
  package: Pick<
    PackageManifest,
    'name' | 'version' | 'description' | 'author' | 'license' | 'createdAt'
  >;
  models: ModelImportItem[];
  templates: {
    kind: 'emails' | 'documents';
    name: string;
    status: ImportStatus;
    patch?: string;
    conflicts: ModelImportItem['conflicts'];
  }[];
  settings: {
    path: string;
    status: ImportStatus;
    packageValue: unknown;
    currentValue: unknown;
    defaultValue: unknown;
  }[];
  groups: { group: string; status: 'ok' | 'conflicting'; reason?: string }[];
  counts: Record<ImportStatus, number>;
}

interface ImportDoc {
  _id: string;
  tenantId: string;
  createdAt: Date;
  createdBy: { username: string; displayName: string };
  status: 'inspected' | 'applied';
  manifest: PackageManifest;
  report: ImportReport;
  appliedAt?: Date;
  appliedBy?: { username: string; displayName: string };
  result?: ApplyResult;
  acceptedSettings?: string[];
  acceptedTemplates?: string[];
}

interface ImportFileDoc {
  importId: string;
  path: string;
  content: string;
}

export interface ApplyResult {
  created: { kind: string; key: string; modelId: string }[];
  updated: { kind: string; key: string; modelId: string }[];
  skipped: { kind: string; key: string; reason: string }[];
}

export interface ImportDeps {
  connection: Connection;
  repo: ModelRepository;
  config: ProductConfig;
  settings: SettingsService;
  templates: TemplateService;
}

const conflict = (key: string, message: string, params?: Record<string, unknown>) => ({
  key,
  message,
  params,
});

function text(files: Map<string, Buffer>, path: string): string {
  const buf = files.get(path);
  if (!buf)
    throw new PackageRejectedError(
      'invalidManifest',
      `the manifest names "${path}" but the package does not contain it`,
      { file: path },
    );
  return buf.toString('utf8');
}

/** Checks checksums and manifest; returns the manifest. */
function verify(files: Map<string, Buffer>): PackageManifest {
  const listing = files.get(CHECKSUMS);
  if (!files.has(MANIFEST))
    throw new PackageRejectedError('missingManifest', 'manifest.json is missing');
  if (!listing)
    throw new PackageRejectedError(
      'badChecksum',
      `${CHECKSUMS} is missing: the files cannot be verified`,
    );
  const expected = new Map<string, string>();
  for (const line of listing.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line.trim());
    if (!m)
      throw new PackageRejectedError(
        'badChecksum',
        `${CHECKSUMS} has a malformed line: "${line.slice(0, 80)}"`,
      );
    expected.set(m[2], m[1]);
  }
  for (const [path, content] of files) {
    if (path === CHECKSUMS) continue;
    const digest = expected.get(path);
    if (!digest)
      throw new PackageRejectedError('unlistedFile', `"${path}" is not listed in ${CHECKSUMS}`, {
        file: path,
      });
    if (digest !== sha256(content)) {
      throw new PackageRejectedError(
        'badChecksum',
        `the SHA-256 of "${path}" does not match ${CHECKSUMS}: the file was altered or damaged`,
        { file: path },
      );
    }
  }
  for (const path of expected.keys()) {
    if (!files.has(path))
      throw new PackageRejectedError(
        'badChecksum',
        `"${path}" is listed in ${CHECKSUMS} but missing`,
        { file: path },
      );
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(files.get(MANIFEST)!.toString('utf8'));
  } catch (err) {
    throw new PackageRejectedError(
      'invalidManifest',
      `manifest.json is not valid JSON (${(err as Error).message})`,
    );
  }
  const problem = manifestProblem(manifest);
  if (problem) throw new PackageRejectedError('invalidManifest', `manifest.json: ${problem}`);
  const m = manifest as PackageManifest;
  const named = new Set([
    MANIFEST,
    CHECKSUMS,
    PUBLICCODE,
    ...m.models.map((x) => x.path),
    ...m.templates.map((t) => t.path),
    ...(m.settings ? [m.settings.path] : []),
  ]);
  for (const path of files.keys()) {
    if (!named.has(path))
      throw new PackageRejectedError('unlistedFile', `"${path}" is not part of the manifest`, {
        file: path,
      });
  }
  return m;
}

export async function inspectPackage(
  deps: ImportDeps,
  actor: ModelActor,
  data: Buffer,
): Promise<ImportReport> {
  requireModelPermission(actor, PERMISSION_MODELS_EDIT);
  const files = await readPackageZip(data);
  const manifest = verify(files);
  const tenant = { tenantId: actor.tenantId };

  // Every model must be what it says it is.
  const contents = new Map<string, string>();
  const groupsOf = new Map<string, string[]>();
  for (const m of manifest.models) {
    const content = text(files, m.path);
    let identity;
    try {
      identity = await identify(m.kind, content);
    } catch (err) {
      throw new PackageRejectedError('invalidModel', `${m.path}: ${(err as Error).message}`, {
        file: m.path,
      });
    }
    if (m.kind !== 'form' && identity.key !== m.key) {
      throw new PackageRejectedError(
        'invalidModel',
        `${m.path} defines "${identity.key}", not "${m.key}"`,
        { file: m.path },
      );
    }
    contents.set(m.path, content);
    groupsOf.set(m.path, identity.references.candidateGroups);
  }

  const existing = await deps.repo.list(tenant);
  const inPackage = new Set(manifest.models.map((m) => `${m.kind}:${m.key}`));
  const inProvince = new Set(existing.map((m) => `${m.kind}:${m.key}`));
  const models: ModelImportItem[] = [];
  for (const m of manifest.models) {
    const content = contents.get(m.path)!;
    const current = existing.find((x) => x.kind === m.kind && x.key === m.key);
    const conflicts: ModelImportItem['conflicts'] = [];
    for (const dep of m.dependsOn as ModelRef[]) {
      const key = `${dep.kind}:${dep.key}`;
      if (!inPackage.has(key) && !inProvince.has(key)) {
        conflicts.push(
          conflict(
            'modeling.import.missingDependency',
            `needs ${dep.kind} "${dep.key}", which is neither in the package nor in the province`,
            { kind: dep.kind, key: dep.key },
          ),
        );
      }
    }
    let status: ImportStatus = 'new';
    let diff: ModelDiff | undefined;
    if (current) {
      const latest = current.latestVersion
        ? await deps.repo.version(tenant, current.id, current.latestVersion.version)
        : undefined;
      const base = latest?.content ?? (await deps.repo.contentOf(tenant, current.id, 'draft'));
      if (base === content) status = 'unchanged';
      else {
        status = 'changed';
        diff = await diffModels(m.kind, base, content, [
          `${m.key} (provincia)`,
          `${m.key} (pacchetto)`,
        ]);
      }
      if (status !== 'unchanged' && current.draft.unsaved) {
        conflicts.push(
          conflict(
            'modeling.import.unsavedDraft',
            `the province's draft has unsaved changes (by ${current.draft.updatedBy.displayName})`,
            { by: current.draft.updatedBy.displayName },
          ),
        );
      }
    }
    if (conflicts.length > 0) status = 'conflicting';
    models.push({
      kind: m.kind,
      key: m.key,
      name: m.name,
      path: m.path,
      status,
      conflicts,
      modelId: current?.id,
      diff,
    });
  }

  const provinceTemplates = await deps.templates.list(actor.tenantId);
  const templates: ImportReport['templates'] = [];
  for (const t of manifest.templates) {
    const content = text(files, t.path);
    if (!provinceTemplates.some((x) => x.kind === t.kind && x.name === t.name)) {
      templates.push({
        kind: t.kind,
        name: t.name,
        status: 'conflicting',
        conflicts: [
          conflict(
            'modeling.import.unknownTemplate',
            `template ${t.kind}/${t.name} does not exist in this installation`,
          ),
        ],
      });
      continue;
    }
    const current = await deps.templates.get(actor.tenantId, t.kind, t.name);
    if (current.text === content)
      templates.push({ kind: t.kind, name: t.name, status: 'unchanged', conflicts: [] });
    else {
      const overridden = current.origin !== 'default';
      templates.push({
        kind: t.kind,
        name: t.name,
        status: overridden ? 'conflicting' : 'changed',
        patch: textDiff(current.text, content, `${t.name} (provincia)`, `${t.name} (pacchetto)`)
          .patch,
        conflicts: overridden
          ? [
              conflict(
                'modeling.import.overriddenTemplate',
                'the province has its own version of this template',
              ),
            ]
          : [],
      });
    }
  }

  const settings: ImportReport['settings'] = [];
  if (manifest.settings) {
    let packageSettings: unknown;
    try {
      packageSettings = JSON.parse(text(files, manifest.settings.path));
    } catch (err) {
      throw new PackageRejectedError(
        'invalidManifest',
        `settings.json is not valid JSON (${(err as Error).message})`,
      );
    }
    if (!packageSettings || typeof packageSettings !== 'object' || Array.isArray(packageSettings)) {
      throw new PackageRejectedError('invalidManifest', 'settings.json must be an object');
    }
    const current = (await deps.settings.current(actor.tenantId)).effective;
    const defaults = deps.config.defaults;
    const leavesOf = (v: unknown) => new Map(changedLeaves({}, v).map((c) => [c.path, c.to]));
    const pkg = leavesOf(packageSettings);
    const cur = leavesOf(current);
    const def = leavesOf(defaults);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    for (const [path, value] of [...pkg.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const currentValue = cur.get(path);
      const defaultValue = def.get(path);
      let status: ImportStatus;
      if (same(currentValue, value)) status = 'unchanged';
      else if (currentValue !== undefined && !same(currentValue, defaultValue))
        status = 'conflicting';
      else status = currentValue === undefined ? 'new' : 'changed';
      settings.push({ path, status, packageValue: value, currentValue, defaultValue });
    }
  }

  const groups: ImportReport['groups'] = manifest.roles.map((group) =>
    (ROLES as readonly string[]).includes(group)
      ? { group, status: 'ok' as const }
      : {
          group,
          status: 'conflicting' as const,
          reason: `"${group}" is not a role (candidate group) of this province`,
        },
  );
  for (const item of models) {
    for (const group of groupsOf.get(item.path) ?? []) {
      if ((ROLES as readonly string[]).includes(group)) continue;
      item.conflicts.push(
        conflict(
          'modeling.import.unknownGroup',
          `assigns tasks to "${group}", which is not a role of this province`,
          { group },
        ),
      );
      item.status = 'conflicting';
    }
  }

  const counts: Record<ImportStatus, number> = { new: 0, changed: 0, unchanged: 0, conflicting: 0 };
  for (const s of [...models, ...templates, ...settings]) counts[s.status]++;
  const id = newModelId();
  const report: ImportReport = {
    id,
    package: {
      name: manifest.name,
      version: manifest.version,
      description: manifest.description,
      author: manifest.author,
      license: manifest.license,
      createdAt: manifest.createdAt,
    },
    models,
    templates,
    settings,
    groups,
    counts,
  };

  // Everything checked: keep the files, then the import itself (its insert is the commit point).
  await ensureIndex(
    deps.connection,
    MODEL_IMPORT_FILES,
    { importId: 1, path: 1 },
    { unique: true, name: 'import_path_unique' },
  );
  const fileDocs: ImportFileDoc[] = [...files.entries()]
    .filter(([path]) => path !== CHECKSUMS)
    .map(([path, content]) => ({ importId: id, path, content: content.toString('utf8') }));
  if (fileDocs.length > 0)
    await deps.connection.db!.collection<ImportFileDoc>(MODEL_IMPORT_FILES).insertMany(fileDocs);
  await deps.connection.db!.collection<ImportDoc>(MODEL_IMPORTS).insertOne({
    _id: id,
    tenantId: actor.tenantId,
    createdAt: new Date(),
    createdBy: { username: actor.username, displayName: actor.displayName },
    status: 'inspected',
    manifest,
    report,
  });
  return report;
}

async function loadImport(deps: ImportDeps, actor: ModelActor, id: string): Promise<ImportDoc> {
  const doc =
    typeof id === 'string'
      ? await deps.connection
          .db!.collection<ImportDoc>(MODEL_IMPORTS)
          .findOne({ _id: id, tenantId: actor.tenantId })
      : null;
  if (!doc) throw new NotFoundError('import not found');
  return doc;
}

async function importFile(deps: ImportDeps, importId: string, path: string): Promise<string> {
  const f = await deps.connection
    .db!.collection<ImportFileDoc>(MODEL_IMPORT_FILES)
    .findOne({ importId, path });
  if (!f) throw new NotFoundError(`file ${path} of the import not found`);
  return f.content;
}

export async function getImport(
  deps: ImportDeps,
  actor: ModelActor,
  id: string,
): Promise<Omit<ImportDoc, 'manifest'>> {
  const { manifest: _m, ...doc } = await loadImport(deps, actor, id);
  return doc;
}

/** A file of a pending import (e.g. a model's XML for the visual diff). */
export async function importedFile(
  deps: ImportDeps,
  actor: ModelActor,
  id: string,
  path: string,
): Promise<string> {
  await loadImport(deps, actor, id);
  return importFile(deps, id, path);
}

/** Creates drafts from the package: never a version, never a deployment. */
export async function applyImport(
  deps: ImportDeps,
  actor: ModelActor,
  id: string,
): Promise<ApplyResult> {
  requireModelPermission(actor, PERMISSION_MODELS_EDIT);
  const doc = await loadImport(deps, actor, id);
  if (doc.status === 'applied' && doc.result) return doc.result;
  const result: ApplyResult = { created: [], updated: [], skipped: [] };
  for (const item of doc.report.models) {
    if (item.status === 'unchanged') continue;
    if (item.status === 'conflicting') {
      result.skipped.push({
        kind: item.kind,
        key: item.key,
        reason: item.conflicts.map((c) => c.message).join('; '),
      });
      continue;
    }
    const content = await importFile(deps, id, item.path);
    const current = await deps.repo.findByKey(actor, item.kind, item.key);
    if (!current) {
      const model = await deps.repo.create(actor, {
        kind: item.kind,
        key: item.key,
        name: item.name,
        content,
        origin: 'package',
      });
      result.created.push({ kind: item.kind, key: item.key, modelId: model._id });
    } else {
      await deps.repo.saveDraft(actor, current._id, content);
      result.updated.push({ kind: item.kind, key: item.key, modelId: current._id });
    }
  }
  await deps.connection.db!.collection<ImportDoc>(MODEL_IMPORTS).updateOne(
    { _id: id, tenantId: actor.tenantId },
    {
      $set: {
        status: 'applied',
        appliedAt: new Date(),
        appliedBy: { username: actor.username, displayName: actor.displayName },
        result,
      },
    },
  );
  return result;
}

/** Saves the package's values of `paths` as a new settings version (settings.edit). */
export async function acceptImportedSettings(
  deps: ImportDeps,
  actor: ModelActor,
  id: string,
  paths: string[],
) {
  if (!actor.permissions.has('settings.edit'))
    throw new ForbiddenError('Permission "settings.edit" is required', 'settings.edit');
  const doc = await loadImport(deps, actor, id);
  const chosen = doc.report.settings.filter((s) => paths.includes(s.path));
  if (chosen.length === 0) {
    throw new ValidationError('no setting of the package chosen', [
      {
        field: 'paths',
        message: 'paths: choose settings of the package',
        key: 'modeling.import.noSettings',
      },
    ]);
  }
  const current = structuredClone(
    (await deps.settings.current(actor.tenantId)).effective,
  ) as Record<string, unknown>;
  for (const s of chosen) {
    const parts = s.path.split('/');
    let node = current;
    for (const part of parts.slice(0, -1)) {
      if (part === '__proto__' || part === 'constructor') throw new ValidationError('bad path', []);
      node[part] = (node[part] && typeof node[part] === 'object' ? node[part] : {}) as Record<
        string,
        unknown
      >;
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1)!] = s.packageValue;
  }
  return deps.settings.save(actor, current, {
    message: `Dal pacchetto «${doc.report.package.name}» ${doc.report.package.version}: ${chosen.map((c) => c.path).join(', ')}`,
  });
}

/** Saves the package's version of a template as the province's new template version. */
export async function acceptImportedTemplate(
  deps: ImportDeps,
  actor: ModelActor,
  id: string,
  kind: 'emails' | 'documents',
  name: string,
) {
  const doc = await loadImport(deps, actor, id);
  if (!kind || !name) {
    throw new ValidationError('template is required (kind/name)', [
      { field: 'template', message: 'template: the template to accept, as kind/name' },
    ]);
  }
  const item = doc.report.templates.find((t) => t.kind === kind && t.name === name);
  if (!item) throw new NotFoundError(`template ${kind}/${name} is not in the package`);
  const content = await importFile(deps, id, `templates/${kind}/${name}.hbs`);
  return deps.templates.save(actor, kind, name, content, {
    message: `Dal pacchetto «${doc.report.package.name}» ${doc.report.package.version}`,
  });
}
