/**
 * Exports a package: the chosen models (their latest version), document and e-mail
 * templates and settings sections of the province, with a manifest (dependencies
 * between models, the roles they assign work to), publiccode.yml-style metadata and a
 * SHA-256 of every file. Exporting writes nothing.
 */
import { stringify } from 'yaml';
import yazl from 'yazl';
import type { ProductConfig } from '../../config';
import type { TemplateKind } from '../../documents';
import { ValidationError } from '../../errors';
import type { SettingsService, TemplateService } from '../../settings';
import type { ModelKind } from '../model-content';
import { requireModelPermission, type ModelActor, type ModelRepository } from '../repository';
import {
  CHECKSUMS,
  checksumsFile,
  MANIFEST,
  modelPath,
  PACKAGE_FORMAT,
  PUBLICCODE,
  SETTINGS_FILE,
  type ModelRef,
  type PackageManifest,
} from './package-format';

export const PERMISSION_PRACTICES_PUBLISH = 'practices.publish';

export interface ExportRequest {
  name: string;
  version?: string;
  description?: string;
  /** SPDX licence of the package (default EUPL-1.2, as AgID's guidelines suggest). */
  license?: string;
  /** Model ids of the province. */
  models: string[];
  /** Add the decisions, forms and called processes the chosen processes use. */
  includeDependencies?: boolean;
  templates?: { kind: TemplateKind; name: string }[];
  /** Top-level settings sections to include (e.g. "procurement"). */
  settingsSections?: string[];
}

export interface ExportDeps {
  repo: ModelRepository;
  config: ProductConfig;
  settings: SettingsService;
  templates: TemplateService;
}

function slug(text: string): string {
  return (
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'pacchetto'
  );
}

function refsOf(
  kind: ModelKind,
  references: { calledProcesses: string[]; calledDecisions: string[]; formKeys: string[] },
): ModelRef[] {
  if (kind === 'form') return [];
  return [
    ...references.calledProcesses.map((key) => ({ kind: 'bpmn' as const, key })),
    ...references.calledDecisions.map((key) => ({ kind: 'dmn' as const, key })),
    ...references.formKeys.map((key) => ({ kind: 'form' as const, key })),
  ];
}

export async function exportPackage(
  deps: ExportDeps,
  actor: ModelActor,
  request: ExportRequest,
): Promise<{ fileName: string; data: Buffer; manifest: PackageManifest }> {
  requireModelPermission(actor, PERMISSION_PRACTICES_PUBLISH);
  const errors = [];
  if (typeof request.name !== 'string' || request.name.trim().length < 3) {
    errors.push({
      field: 'name',
      message: 'name: at least 3 characters',
      key: 'modeling.package.name',
    });
  }
  const version = request.version ?? '1.0.0';
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    errors.push({
      field: 'version',
      message: 'version: a semantic version such as 1.0.0',
      key: 'modeling.package.version',
    });
  }
  const license = request.license ?? 'EUPL-1.2';
  if (!/^[A-Za-z0-9.+-]{2,64}$/.test(license)) {
    errors.push({
      field: 'license',
      message: 'license: an SPDX identifier such as EUPL-1.2',
      key: 'modeling.package.license',
    });
  }
  if (!Array.isArray(request.models)) {
    errors.push({
      field: 'models',
      message: 'models: a list of model ids',
      key: 'modeling.package.models',
    });
  }
  if (errors.length) throw new ValidationError(errors.map((e) => e.message).join('; '), errors);
  const province = deps.config.provinces.get(actor.tenantId)!;

  // The chosen models and, when asked, what they depend on (transitively).
  const all = await deps.repo.list(actor);
  const byRef = new Map(all.map((m) => [`${m.kind}:${m.key}`, m]));
  const chosen = new Map<string, (typeof all)[number]>();
  const queue = [...request.models];
  for (const id of queue) {
    const m = all.find((x) => x.id === id);
    if (!m) {
      throw new ValidationError(`model ${id} not found`, [
        {
          field: 'models',
          message: `models: model ${id} not found`,
          key: 'modeling.package.modelNotFound',
          params: { id },
        },
      ]);
    }
    chosen.set(`${m.kind}:${m.key}`, m);
  }
  const files = new Map<string, Buffer>();
  const manifestModels: PackageManifest['models'] = [];
  const roles = new Set<string>();
  const done = new Set<string>();
  const pending = [...chosen.keys()];
  while (pending.length > 0) {
    const ref = pending.shift()!;
    if (done.has(ref)) continue;
    done.add(ref);
    const m = chosen.get(ref) ?? byRef.get(ref)!;
    if (!m.latestVersion) {
      throw new ValidationError(`model ${m.key} has no saved version`, [
        {
          field: 'models',
          message: `models: ${m.key} has no saved version to export`,
          key: 'modeling.package.noVersion',
          params: { key: m.key },
        },
      ]);
    }
    const v = await deps.repo.version(actor, m.id, m.latestVersion.version);
    const dependsOn = refsOf(m.kind, v.references);
    for (const g of v.references.candidateGroups) roles.add(g);
    const path = modelPath(m.kind, m.key);
    files.set(path, Buffer.from(v.content, 'utf8'));
    manifestModels.push({
      kind: m.kind,
      key: m.key,
      path,
      name: v.name,
      sourceVersion: v.version,
      dependsOn,
    });
    if (request.includeDependencies) {
      for (const d of dependsOn) {
        const key = `${d.kind}:${d.key}`;
        if (byRef.has(key) && !done.has(key)) pending.push(key);
      }
    }
  }

  const manifestTemplates: PackageManifest['templates'] = [];
  for (const t of request.templates ?? []) {
    const current = await deps.templates.get(actor.tenantId, t.kind, t.name);
    const path = `templates/${t.kind}/${t.name}.hbs`;
    files.set(path, Buffer.from(current.text, 'utf8'));
    manifestTemplates.push({ path, kind: t.kind, name: t.name });
  }

  let settings: PackageManifest['settings'];
  if (request.settingsSections && request.settingsSections.length > 0) {
    const effective = (await deps.settings.current(actor.tenantId)).effective as Record<
      string,
      unknown
    >;
    const picked: Record<string, unknown> = {};
    for (const section of request.settingsSections) {
      if (!(section in effective)) {
        throw new ValidationError(`unknown settings section ${section}`, [
          {
            field: 'settingsSections',
            message: `settingsSections: unknown section "${section}"`,
            key: 'modeling.package.section',
            params: { section },
          },
        ]);
      }
      picked[section] = effective[section];
    }
    files.set(SETTINGS_FILE, Buffer.from(JSON.stringify(picked, null, 2), 'utf8'));
    settings = { path: SETTINGS_FILE, sections: request.settingsSections };
  }

  const createdAt = new Date().toISOString();
  const manifest: PackageManifest = {
    format: PACKAGE_FORMAT,
    name: request.name.trim(),
    version,
    description: (request.description ?? '').trim(),
    author: {
      province: { istat: province.tenantId, name: province.name },
      username: actor.username,
      displayName: actor.displayName,
    },
    license,
    createdAt,
    models: manifestModels,
    templates: manifestTemplates,
    ...(settings ? { settings } : {}),
    roles: [...roles].sort(),
  };
  files.set(MANIFEST, Buffer.from(JSON.stringify(manifest, null, 2), 'utf8'));
  files.set(PUBLICCODE, Buffer.from(publiccodeYml(manifest, province.email), 'utf8'));
  const checksums = checksumsFile(files);

  const zip = new yazl.ZipFile();
  const mtime = new Date(createdAt);
  for (const [path, content] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    zip.addBuffer(content, path, { mtime });
  }
  zip.addBuffer(Buffer.from(checksums, 'utf8'), CHECKSUMS, { mtime });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return {
    fileName: `${slug(manifest.name)}-${version}.zip`,
    data: Buffer.concat(chunks),
    manifest,
  };
}

/** publiccode.yml-style metadata (publiccodeYmlVersion 0.4) for reuse catalogues. */
function publiccodeYml(m: PackageManifest, email?: string): string {
  const features = m.models.map((x) => `${x.kind.toUpperCase()}: ${x.name}`).slice(0, 50);
  const short = (m.description || m.name).slice(0, 150);
  let long = m.description || m.name;
  if (long.length < 150) {
    long += ` — Pacchetto di modelli (processi BPMN, decisioni DMN, moduli) condiviso dalla ${m.author.province.name} per la piattaforma Province & Comuni.`;
  }
  return stringify({
    publiccodeYmlVersion: '0.4',
    name: m.name,
    url: `urn:x-province-e-comuni:package:${m.author.province.istat}:${slug(m.name)}`,
    softwareVersion: m.version,
    releaseDate: m.createdAt.slice(0, 10),
    platforms: ['web'],
    categories: ['workflow-management'],
    developmentStatus: 'stable',
    softwareType: 'configurationFiles',
    organisation: { name: m.author.province.name },
    description: { it: { shortDescription: short, longDescription: long, features } },
    legal: { license: m.license },
    maintenance: {
      type: 'internal',
      contacts: [{ name: m.author.displayName, ...(email ? { email } : {}) }],
    },
    localisation: { localisationReady: true, availableLanguages: ['it'] },
  });
}
