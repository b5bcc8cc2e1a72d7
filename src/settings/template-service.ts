/**
 * Document and e-mail templates (handlebars) as versions per province. The files in
 * engine-config/templates are the baseline (a province's own file wins over the
 * default); a saved version in `settings_templates` wins over both, and a "reset"
 * version (text null) goes back to the file. A template that does not compile with the
 * allowed helpers is refused with its line and the reason; nothing is written then.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { ensureIndex, isDuplicateKeyError } from '../db';
import type { ProductConfig } from '../config';
import {
  checkTemplateSource,
  DEFAULT_TEMPLATES_DIR,
  renderTemplateSource,
  resolveTemplateFile,
  splitEmail,
  type TemplateKind,
  type TemplateProblem,
} from '../documents';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { PERMISSION_SETTINGS_EDIT, type Author, type SettingsActor } from './settings-service';
import { sampleTemplateData } from './template-samples';

export const SETTINGS_TEMPLATES = 'settings_templates';
export const TEMPLATE_KINDS: TemplateKind[] = ['documents', 'emails'];
/** Largest template accepted (characters). */
export const MAX_TEMPLATE_LENGTH = 200_000;
const NAME = /^[a-z0-9][a-z0-9-]{0,80}$/;

interface TemplateVersionDoc {
  tenantId: string;
  kind: TemplateKind;
  name: string;
  version: number;
  /** null = back to the file in engine-config. */
  text: string | null;
  author: Author;
  message: string;
  createdAt: Date;
}

export type TemplateOrigin = 'default' | 'province-file' | 'saved';

export interface TemplateInfo {
  kind: TemplateKind;
  name: string;
  origin: TemplateOrigin;
  /** Latest saved version (0 = never saved). */
  version: number;
  updatedAt?: Date;
  author?: Author;
}

export interface TemplateText extends TemplateInfo {
  text: string;
  /** The file text (what a reset returns to). */
  fileText: string;
}

export interface TemplatePreview {
  problem?: TemplateProblem;
  subject?: string;
  body?: string;
}

export interface TemplateService {
  list(tenantId: string): Promise<TemplateInfo[]>;
  get(tenantId: string, kind: TemplateKind, name: string): Promise<TemplateText>;
  versions(
    tenantId: string,
    kind: TemplateKind,
    name: string,
  ): Promise<Omit<TemplateVersionDoc, 'tenantId'>[]>;
  save(
    actor: SettingsActor,
    kind: TemplateKind,
    name: string,
    text: string | null,
    opts?: { message?: string; expectedVersion?: number },
  ): Promise<TemplateInfo>;
  /** Renders `text` (or the current text) on the sample data; a problem when it does not compile. */
  preview(
    tenantId: string,
    kind: TemplateKind,
    name: string,
    text?: string,
  ): Promise<TemplatePreview>;
  /** Unified diff between two versions (0 = the file). */
  compare(
    tenantId: string,
    kind: TemplateKind,
    name: string,
    from: number,
    to: number,
  ): Promise<string>;
  /** "kind/name" → text of every saved (not reset) template: what the workers render. */
  currentSources(tenantId: string): Promise<Record<string, string>>;
}

export function createTemplateService(opts: {
  connection: Connection;
  config: ProductConfig;
  templatesDir?: string;
}): TemplateService {
  const templatesDir = opts.templatesDir ?? DEFAULT_TEMPLATES_DIR;
  const collection = (): Collection<TemplateVersionDoc> =>
    opts.connection.db!.collection<TemplateVersionDoc>(SETTINGS_TEMPLATES);
  const ready = () =>
    ensureIndex(
      opts.connection,
      SETTINGS_TEMPLATES,
      { tenantId: 1, kind: 1, name: 1, version: -1 },
      { unique: true, name: 'tenant_template_version_unique' },
    );

  const assertKnown = (tenantId: string, kind: TemplateKind, name: string) => {
    if (!opts.config.provinces.has(tenantId))
      throw new NotFoundError(`province ${tenantId} is not configured`);
    if (!TEMPLATE_KINDS.includes(kind) || !NAME.test(name)) {
      throw new NotFoundError(`template ${kind}/${name} not found`);
    }
    return resolveTemplateFile(kind, name, tenantId, templatesDir);
  };

  const latest = async (tenantId: string, kind: TemplateKind, name: string) => {
    await ready();
    return (await collection().findOne(
      { tenantId, kind, name },
      { sort: { version: -1 }, projection: { _id: 0 } },
    )) as TemplateVersionDoc | null;
  };

  const sourcesCache = new Map<string, { stamp: number; sources: Record<string, string> }>();

  const fileNames = (tenantId: string, kind: TemplateKind): string[] => {
    const names = new Set<string>();
    for (const dir of ['default', tenantId]) {
      const folder = path.join(templatesDir, dir, kind);
      if (!existsSync(folder)) continue;
      for (const f of readdirSync(folder)) if (f.endsWith('.hbs')) names.add(f.slice(0, -4));
    }
    return [...names].sort();
  };

  const service: TemplateService = {
    async list(tenantId) {
      await ready();
      const saved = (await collection()
        .find(
          { tenantId },
          {
            projection: { _id: 0, text: 1, kind: 1, name: 1, version: 1, createdAt: 1, author: 1 },
          },
        )
        .sort({ version: 1 })
        .toArray()) as TemplateVersionDoc[];
      const last = new Map<string, TemplateVersionDoc>();
      for (const v of saved) last.set(`${v.kind}/${v.name}`, v);
      return TEMPLATE_KINDS.flatMap((kind) =>
        fileNames(tenantId, kind).map((name) => {
          const file = resolveTemplateFile(kind, name, tenantId, templatesDir);
          const v = last.get(`${kind}/${name}`);
          const origin: TemplateOrigin =
            v && v.text !== null ? 'saved' : file.overridden ? 'province-file' : 'default';
          return {
            kind,
            name,
            origin,
            version: v?.version ?? 0,
            updatedAt: v?.createdAt,
            author: v?.author,
          };
        }),
      );
    },
    async get(tenantId, kind, name) {
      const file = assertKnown(tenantId, kind, name);
      const fileText = readFileSync(file.file, 'utf8');
      const v = await latest(tenantId, kind, name);
      const saved = v && v.text !== null;
      return {
        kind,
        name,
        origin: saved ? 'saved' : file.overridden ? 'province-file' : 'default',
        version: v?.version ?? 0,
        updatedAt: v?.createdAt,
        author: v?.author,
        text: saved ? v.text! : fileText,
        fileText,
      };
    },
    async versions(tenantId, kind, name) {
      assertKnown(tenantId, kind, name);
      await ready();
      return (await collection()
        .find({ tenantId, kind, name }, { projection: { _id: 0, tenantId: 0 } })
        .sort({ version: -1 })
        .toArray()) as Omit<TemplateVersionDoc, 'tenantId'>[];
    },
    async save(actor, kind, name, text, saveOpts = {}) {
      if (!actor.permissions.has(PERMISSION_SETTINGS_EDIT)) {
        throw new ForbiddenError('Permission "settings.edit" is required', 'settings.edit');
      }
      assertKnown(actor.tenantId, kind, name);
      if (text !== null) {
        if (typeof text !== 'string' || text.length > MAX_TEMPLATE_LENGTH) {
          throw new ValidationError(
            `template text must be a string of at most ${MAX_TEMPLATE_LENGTH} characters`,
            [
              {
                field: 'text',
                message: `text: at most ${MAX_TEMPLATE_LENGTH} characters`,
                key: 'admin.templates.error.tooLong',
                params: { max: MAX_TEMPLATE_LENGTH },
              },
            ],
          );
        }
        const problem = checkTemplateSource(text, kind);
        if (problem) {
          throw new ValidationError(
            `template does not compile: line ${problem.line}: ${problem.detail}`,
            [
              {
                field: 'text',
                message: `text: line ${problem.line}: ${problem.detail}`,
                key: 'admin.templates.error.compile',
                params: { line: problem.line, column: problem.column, reason: problem.reason },
              },
            ],
          );
        }
      }
      const previous = await latest(actor.tenantId, kind, name);
      const current = previous?.version ?? 0;
      if (saveOpts.expectedVersion !== undefined && saveOpts.expectedVersion !== current) {
        throw new ConflictError(`template changed meanwhile: version ${current} is current`, {
          currentVersion: current,
        });
      }
      const doc: TemplateVersionDoc = {
        tenantId: actor.tenantId,
        kind,
        name,
        version: current + 1,
        text,
        author: { username: actor.username, displayName: actor.displayName },
        message: (saveOpts.message ?? '').trim().slice(0, 500),
        createdAt: new Date(),
      };
      try {
        await collection().insertOne({ ...doc });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        throw new ConflictError('template was saved meanwhile by someone else', {
          currentVersion: current + 1,
        });
      }
      const file = resolveTemplateFile(kind, name, actor.tenantId, templatesDir);
      return {
        kind,
        name,
        origin: text !== null ? 'saved' : file.overridden ? 'province-file' : 'default',
        version: doc.version,
        updatedAt: doc.createdAt,
        author: doc.author,
      };
    },
    async preview(tenantId, kind, name, text) {
      const source = text ?? (await service.get(tenantId, kind, name)).text;
      assertKnown(tenantId, kind, name);
      const problem = checkTemplateSource(source, kind);
      if (problem) return { problem };
      const data = sampleTemplateData(opts.config.provinces.get(tenantId)!);
      const rendered = renderTemplateSource(source, data);
      return kind === 'emails' ? splitEmail(rendered, name) : { body: rendered };
    },
    async compare(tenantId, kind, name, from, to) {
      const file = assertKnown(tenantId, kind, name);
      const fileText = readFileSync(file.file, 'utf8');
      const textOf = async (v: number) => {
        if (v === 0) return fileText;
        await ready();
        const doc = await collection().findOne({ tenantId, kind, name, version: v });
        if (!doc) throw new NotFoundError(`template version ${v} not found`);
        return doc.text ?? fileText;
      };
      const [a, b] = await Promise.all([textOf(from), textOf(to)]);
      return createTwoFilesPatch(`${name}.hbs (v${from})`, `${name}.hbs (v${to})`, a, b, '', '', {
        context: 3,
      });
    },
    async currentSources(tenantId) {
      await ready();
      // Versions are only ever appended: their count changes with every save, so one
      // count per call tells whether the cached texts are still current.
      const stamp = await collection().countDocuments({ tenantId });
      const hit = sourcesCache.get(tenantId);
      if (hit && hit.stamp === stamp) return hit.sources;
      const saved = (await collection()
        .find({ tenantId }, { projection: { _id: 0, kind: 1, name: 1, version: 1, text: 1 } })
        .sort({ version: 1 })
        .toArray()) as TemplateVersionDoc[];
      const sources: Record<string, string> = {};
      for (const v of saved) {
        const key = `${v.kind}/${v.name}`;
        if (v.text === null) delete sources[key];
        else sources[key] = v.text;
      }
      sourcesCache.set(tenantId, { stamp, sources });
      return sources;
    },
  };
  return service;
}
