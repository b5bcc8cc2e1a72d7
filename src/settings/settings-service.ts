/**
 * Province settings as versions over the engine-config YAML defaults.
 *
 * The baseline of a province is default.yaml merged with its provinces/<ISTAT>.yaml
 * (validated at start-up). Every save stores a new version in `settings_versions`
 * holding only the leaves that differ from the baseline (so a later change of a legal
 * default in default.yaml still reaches provinces that did not override that value),
 * with who saved it, when and why. The effective settings are baseline + the latest
 * version. Workers read them for every job, so a change applies to new instances without
 * a restart, in every app process.
 *
 * No multi-document transactions: a version is one insert; the unique index on
 * (tenantId, version) decides between two concurrent saves.
 */
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { ensureIndex, isDuplicateKeyError } from '../db';
import { mergeSettings, type ProductConfig, type Settings } from '../config';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../errors';
import {
  changedLeaves,
  leaves,
  overridesOf,
  sameValue,
  type SettingChange,
  type SettingsObject,
} from './setting-paths';
import { settingsSchemaErrors } from './validate-settings';

export const SETTINGS_VERSIONS = 'settings_versions';

/** Who acts: a Principal of src/auth satisfies it. */
export interface SettingsActor {
  tenantId: string;
  username: string;
  displayName: string;
  permissions: ReadonlySet<string>;
}

export interface Author {
  username: string;
  displayName: string;
}

export interface SettingsVersion {
  tenantId: string;
  /** 1, 2, …; version 0 is the YAML baseline itself. */
  version: number;
  overrides: SettingsObject;
  author: Author;
  message: string;
  createdAt: Date;
}

export interface CurrentSettings {
  tenantId: string;
  version: number;
  effective: Settings;
  overrides: SettingsObject;
  author?: Author;
  createdAt?: Date;
  message?: string;
}

export interface SettingsVersionSummary {
  version: number;
  author: Author;
  message: string;
  createdAt: Date;
  /** Paths that changed with respect to the previous version. */
  changed: string[];
}

/** Semantic checks other rooms contribute (e.g. "this variant is one of the province's processes"). */
export type SettingsCheck = (tenantId: string, effective: Settings) => Promise<FieldError[]>;

export interface SettingsService {
  /** default.yaml + provinces/<ISTAT>.yaml. */
  baseline(tenantId: string): Settings;
  current(tenantId: string): Promise<CurrentSettings>;
  /** Newest first. */
  versions(tenantId: string): Promise<SettingsVersionSummary[]>;
  version(tenantId: string, version: number): Promise<CurrentSettings>;
  /** Field errors of a candidate (schema + semantic checks); [] when valid. */
  check(tenantId: string, settings: unknown): Promise<FieldError[]>;
  /**
   * Saves `settings` (the complete effective settings; omitted leaves fall back to the
   * baseline) as a new version. Refuses an invalid value with the field named; nothing
   * is written then. `expectedVersion` guards against overwriting a concurrent save.
   */
  save(
    actor: SettingsActor,
    settings: unknown,
    opts?: { message?: string; expectedVersion?: number },
  ): Promise<SettingsVersion>;
  compare(tenantId: string, from: number, to: number): Promise<SettingChange[]>;
  /** Leaves where the province differs from default.yaml (its YAML file or a saved version). */
  overridden(tenantId: string): Promise<SettingChange[]>;
  addCheck(check: SettingsCheck): void;
}

export const PERMISSION_SETTINGS_EDIT = 'settings.edit';

export function createSettingsService(opts: {
  connection: Connection;
  config: ProductConfig;
}): SettingsService {
  const { connection, config } = opts;
  const checks: SettingsCheck[] = [provinceCheck(config)];
  const collection = (): Collection<SettingsVersion> =>
    connection.db!.collection<SettingsVersion>(SETTINGS_VERSIONS);
  const ready = () =>
    ensureIndex(
      connection,
      SETTINGS_VERSIONS,
      { tenantId: 1, version: -1 },
      { unique: true, name: 'tenant_version_unique' },
    );

  const baseline = (tenantId: string): Settings => {
    const province = config.provinces.get(tenantId);
    if (!province) throw new NotFoundError(`province ${tenantId} is not configured`);
    const processes = (province.settings.processes ?? {}) as SettingsObject;
    // The province file's enabledProcesses is the default of processes/enabled.
    return mergeSettings(province.settings, {
      processes: { enabled: province.enabledProcesses, ...processes },
    });
  };

  const latest = async (tenantId: string): Promise<SettingsVersion | null> => {
    await ready();
    return collection().findOne(
      { tenantId },
      { sort: { version: -1 }, projection: { _id: 0 } },
    ) as Promise<SettingsVersion | null>;
  };

  const asCurrent = (tenantId: string, v: SettingsVersion | null): CurrentSettings => {
    const base = baseline(tenantId);
    if (!v) return { tenantId, version: 0, effective: base, overrides: {} };
    return {
      tenantId,
      version: v.version,
      effective: mergeSettings(base, v.overrides),
      overrides: v.overrides,
      author: v.author,
      createdAt: v.createdAt,
      message: v.message,
    };
  };

  const versionDoc = async (tenantId: string, version: number) => {
    if (version === 0) return null;
    await ready();
    const v = (await collection().findOne(
      { tenantId, version },
      { projection: { _id: 0 } },
    )) as SettingsVersion | null;
    if (!v) throw new NotFoundError(`settings version ${version} not found`);
    return v;
  };

  const service: SettingsService = {
    baseline,
    async current(tenantId) {
      return asCurrent(tenantId, await latest(tenantId));
    },
    async versions(tenantId) {
      await ready();
      const all = (await collection()
        .find({ tenantId }, { projection: { _id: 0 } })
        .sort({ version: 1 })
        .toArray()) as SettingsVersion[];
      const base = baseline(tenantId);
      let previous: Settings = base;
      const out: SettingsVersionSummary[] = [];
      for (const v of all) {
        const effective = mergeSettings(base, v.overrides);
        out.push({
          version: v.version,
          author: v.author,
          message: v.message,
          createdAt: v.createdAt,
          changed: changedLeaves(previous, effective).map((c) => c.path),
        });
        previous = effective;
      }
      return out.reverse();
    },
    async version(tenantId, version) {
      return asCurrent(tenantId, await versionDoc(tenantId, version));
    },
    async check(tenantId, settings) {
      const effective = mergeSettings(baseline(tenantId), settings ?? {});
      const schemaErrors = settingsSchemaErrors(effective);
      if (schemaErrors.length > 0) return schemaErrors;
      const semantic = await Promise.all(checks.map((c) => c(tenantId, effective)));
      return semantic.flat();
    },
    async save(actor, settings, saveOpts = {}) {
      if (!actor.permissions.has(PERMISSION_SETTINGS_EDIT)) {
        throw new ForbiddenError('Permission "settings.edit" is required', 'settings.edit');
      }
      if (
        settings !== undefined &&
        (typeof settings !== 'object' || settings === null || Array.isArray(settings))
      ) {
        throw new ValidationError('settings must be an object', [
          { field: '', message: 'settings must be an object' },
        ]);
      }
      const errors = await service.check(actor.tenantId, settings);
      if (errors.length > 0) {
        throw new ValidationError(
          `Invalid settings: ${errors.map((e) => e.message).join('; ')}`,
          errors,
        );
      }
      const base = baseline(actor.tenantId);
      const effective = mergeSettings(base, settings ?? {});
      const previous = await latest(actor.tenantId);
      const currentVersion = previous?.version ?? 0;
      if (saveOpts.expectedVersion !== undefined && saveOpts.expectedVersion !== currentVersion) {
        throw new ConflictError(
          `settings changed meanwhile: version ${currentVersion} is current, not ${saveOpts.expectedVersion}`,
          { currentVersion },
        );
      }
      const overrides = overridesOf(base, effective);
      if (previous && sameValue(previous.overrides, overrides)) {
        throw new ValidationError('nothing changed', [
          { field: '', message: 'nothing changed', key: 'admin.settings.error.unchanged' },
        ]);
      }
      const doc: SettingsVersion = {
        tenantId: actor.tenantId,
        version: currentVersion + 1,
        overrides,
        author: { username: actor.username, displayName: actor.displayName },
        message: (saveOpts.message ?? '').trim().slice(0, 500),
        createdAt: new Date(),
      };
      try {
        await collection().insertOne({ ...doc });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        throw new ConflictError('settings were saved meanwhile by someone else', {
          currentVersion: currentVersion + 1,
        });
      }
      return doc;
    },
    async compare(tenantId, from, to) {
      const [a, b] = await Promise.all([
        service.version(tenantId, from),
        service.version(tenantId, to),
      ]);
      return changedLeaves(a.effective, b.effective);
    },
    async overridden(tenantId) {
      const current = await service.current(tenantId);
      const defaults = leaves(config.defaults);
      return [...leaves(current.effective)]
        .filter(([path, value]) => defaults.has(path) && !sameValue(defaults.get(path), value))
        .map(([path, value]) => ({ path, from: defaults.get(path), to: value }));
    },
    addCheck(check) {
      checks.push(check);
    },
  };
  return service;
}

/** Comuni named in variants must belong to the province. */
function provinceCheck(config: ProductConfig): SettingsCheck {
  return async (tenantId, effective) => {
    const province = config.provinces.get(tenantId);
    const own = new Set(province?.comuni.map((c) => c.istat) ?? []);
    const variants = ((effective.processes as SettingsObject | undefined)?.variants ?? []) as {
      comuni?: string[];
    }[];
    const errors: FieldError[] = [];
    variants.forEach((v, i) =>
      (v.comuni ?? []).forEach((c, j) => {
        if (!own.has(c)) {
          errors.push({
            field: `processes/variants/${i}/comuni/${j}`,
            message: `processes/variants/${i}/comuni/${j}: comune ${c} is not one of the province's comuni`,
            key: 'admin.settings.error.foreignComune',
            params: { comune: c },
          });
        }
      }),
    );
    return errors;
  };
}
