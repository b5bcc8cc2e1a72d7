/**
 * The model repository of every province (issue 12 point 1): BPMN processes, DMN
 * decisions and JSON-Schema forms, each with
 * - a draft, autosaved by the editors (revisions guard against two tabs overwriting each
 *   other; the draft is kept even when it does not parse yet, so nothing is lost);
 * - numbered versions with author, date and message (immutable);
 * - the deployments made from them, per engine.
 * Everything is scoped by tenant (the province): a province's edits never touch another
 * province's models. The shared models in processes/ and forms/ seed every province.
 *
 * No multi-document transactions (FerretDB): each write is one document; unique indexes
 * decide races (two versions with the same number, two models with the same key).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { ensureIndex, isDuplicateKeyError } from '../db';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { lintModel, type LintReport } from './lint';
import {
  identify,
  invalid,
  contentError,
  MODEL_KEY,
  MODEL_KINDS,
  unsafeContent,
  type ModelKind,
  type ModelReferences,
} from './model-content';

export const MODELS = 'modeling_models';
export const MODEL_VERSIONS = 'modeling_versions';
export const MODEL_DEPLOYMENTS = 'modeling_deployments';

export const PERMISSION_MODELS_EDIT = 'models.edit';
export const PERMISSION_MODELS_DEPLOY = 'models.deploy';

/** Who acts: a Principal of src/auth satisfies it. */
export interface ModelActor {
  tenantId: string;
  username: string;
  displayName: string;
  permissions: ReadonlySet<string>;
}

export interface ModelScope {
  tenantId: string;
}

export interface Author {
  username: string;
  displayName: string;
}

export type ModelOrigin = 'seed' | 'created' | 'variant' | 'package';

export interface Draft {
  content: string;
  hash: string;
  revision: number;
  updatedAt: Date;
  updatedBy: Author;
  /** The version this draft started from (0 = none yet). */
  baseVersion: number;
}

export interface ModelDoc {
  _id: string;
  tenantId: string;
  kind: ModelKind;
  key: string;
  name: string;
  /** Service line folder of a seed model (procurement, eu-funding, data-request). */
  line?: string;
  origin: ModelOrigin;
  /** The shared process a variant was copied from. */
  variantOf?: string;
  /** The file a seed model came from (processes/…, forms/…). */
  seedFile?: string;
  createdAt: Date;
  createdBy: Author;
  draft: Draft;
}

export interface VersionDoc {
  tenantId: string;
  modelId: string;
  version: number;
  content: string;
  hash: string;
  name: string;
  references: ModelReferences;
  author: Author;
  message: string;
  createdAt: Date;
  /** Set when the version restores an older one (roll back). */
  restoredFrom?: number;
}

export interface DeploymentDoc {
  tenantId: string;
  modelId: string;
  version: number;
  /** "built-in" or the address of the Zeebe gateway; "forms" for published forms. */
  engine: string;
  deploymentKey: string;
  /** Zeebe's version of the process / decision definition, when the engine reports one. */
  definitionVersion?: number;
  definitionKey?: string;
  deployedAt: Date;
  deployedBy: Author;
}

export type VersionSummary = Omit<VersionDoc, 'content' | 'tenantId'>;

export interface ModelSummary {
  id: string;
  kind: ModelKind;
  key: string;
  name: string;
  line?: string;
  origin: ModelOrigin;
  variantOf?: string;
  latestVersion?: Pick<VersionDoc, 'version' | 'author' | 'createdAt' | 'message'>;
  draft: {
    revision: number;
    updatedAt: Date;
    updatedBy: Author;
    baseVersion: number;
    unsaved: boolean;
  };
  /** Latest deployment per engine. */
  deployed: Pick<
    DeploymentDoc,
    'engine' | 'version' | 'deployedAt' | 'deployedBy' | 'definitionVersion'
  >[];
}

export interface ModelDetail extends ModelSummary {
  draftContent: string;
  versions: VersionSummary[];
  deployments: Omit<DeploymentDoc, 'tenantId' | 'modelId'>[];
}

export interface NewModel {
  kind: ModelKind;
  /** Process id / decision id (must match the content), or the form key. */
  key: string;
  name?: string;
  content: string;
  origin?: ModelOrigin;
  variantOf?: string;
  line?: string;
  seedFile?: string;
}

export function hashContent(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

export function newModelId(): string {
  return randomBytes(9).toString('base64url');
}

function authorOf(actor: ModelActor): Author {
  return { username: actor.username, displayName: actor.displayName };
}

export function requireModelPermission(actor: ModelActor, permission: string): void {
  if (!actor.permissions.has(permission)) {
    throw new ForbiddenError(`Permission "${permission}" is required`, permission);
  }
}

export interface ModelRepository {
  models(): Collection<ModelDoc>;
  versionsCollection(): Collection<VersionDoc>;
  deploymentsCollection(): Collection<DeploymentDoc>;
  ready(): Promise<void>;
  list(scope: ModelScope, filter?: { kind?: ModelKind }): Promise<ModelSummary[]>;
  get(scope: ModelScope, id: string): Promise<ModelDetail>;
  findByKey(scope: ModelScope, kind: ModelKind, key: string): Promise<ModelDoc | null>;
  /** A new model with its first draft (no version yet, unless `firstVersionMessage`). */
  create(
    actor: ModelActor,
    model: NewModel,
    opts?: { firstVersionMessage?: string; skipPermission?: boolean },
  ): Promise<ModelDoc>;
  saveDraft(
    actor: ModelActor,
    id: string,
    content: string,
    opts?: { expectedRevision?: number },
  ): Promise<{ revision: number; updatedAt: Date }>;
  /** Saves the draft (or `content`) as the next version; it must parse and keep its key. */
  createVersion(
    actor: ModelActor,
    id: string,
    opts?: {
      message?: string;
      content?: string;
      restoredFrom?: number;
      skipPermission?: boolean;
    },
  ): Promise<{ version: VersionSummary; lint: LintReport }>;
  versions(scope: ModelScope, id: string): Promise<VersionSummary[]>;
  version(scope: ModelScope, id: string, version: number): Promise<VersionDoc>;
  /** Content of a version, or of the draft ('draft'). */
  contentOf(scope: ModelScope, id: string, which: number | 'draft'): Promise<string>;
  recordDeployment(doc: DeploymentDoc): Promise<void>;
  deployments(scope: ModelScope, id: string): Promise<DeploymentDoc[]>;
}

export function createModelRepository(opts: { connection: Connection }): ModelRepository {
  const db = () => opts.connection.db!;
  const models = () => db().collection<ModelDoc>(MODELS);
  const versionsCollection = () => db().collection<VersionDoc>(MODEL_VERSIONS);
  const deploymentsCollection = () => db().collection<DeploymentDoc>(MODEL_DEPLOYMENTS);

  const ready = async () => {
    await Promise.all([
      ensureIndex(
        opts.connection,
        MODELS,
        { tenantId: 1, kind: 1, key: 1 },
        { unique: true, name: 'tenant_kind_key_unique' },
      ),
      ensureIndex(
        opts.connection,
        MODEL_VERSIONS,
        { modelId: 1, version: -1 },
        { unique: true, name: 'model_version_unique' },
      ),
      ensureIndex(opts.connection, MODEL_VERSIONS, { tenantId: 1 }, { name: 'tenant' }),
      ensureIndex(
        opts.connection,
        MODEL_DEPLOYMENTS,
        { tenantId: 1, modelId: 1 },
        { name: 'tenant_model' },
      ),
    ]);
  };

  const load = async (scope: ModelScope, id: string): Promise<ModelDoc> => {
    await ready();
    const model =
      typeof id === 'string' ? await models().findOne({ _id: id, tenantId: scope.tenantId }) : null;
    if (!model) throw new NotFoundError('model not found');
    return model;
  };

  const latestVersion = async (modelId: string) =>
    versionsCollection().findOne(
      { modelId },
      { sort: { version: -1 }, projection: { content: 0 } },
    );

  const summarize = (
    model: ModelDoc,
    latest: Omit<VersionDoc, 'content'> | null | undefined,
    deployments: DeploymentDoc[],
  ): ModelSummary => {
    const perEngine = new Map<string, DeploymentDoc>();
    for (const d of deployments) {
      const seen = perEngine.get(d.engine);
      if (!seen || seen.deployedAt < d.deployedAt) perEngine.set(d.engine, d);
    }
    return {
      id: model._id,
      kind: model.kind,
      key: model.key,
      name: model.name,
      line: model.line,
      origin: model.origin,
      variantOf: model.variantOf,
      latestVersion: latest
        ? {
            version: latest.version,
            author: latest.author,
            createdAt: latest.createdAt,
            message: latest.message,
          }
        : undefined,
      draft: {
        revision: model.draft.revision,
        updatedAt: model.draft.updatedAt,
        updatedBy: model.draft.updatedBy,
        baseVersion: model.draft.baseVersion,
        unsaved: !latest || latest.hash !== model.draft.hash,
      },
      deployed: [...perEngine.values()].map((d) => ({
        engine: d.engine,
        version: d.version,
        deployedAt: d.deployedAt,
        deployedBy: d.deployedBy,
        definitionVersion: d.definitionVersion,
      })),
    };
  };

  const repo: ModelRepository = {
    models,
    versionsCollection,
    deploymentsCollection,
    ready,
    async list(scope, filter = {}) {
      await ready();
      const query: Record<string, unknown> = { tenantId: scope.tenantId };
      if (filter.kind) query.kind = filter.kind;
      const [all, versions, deployments] = await Promise.all([
        models()
          .find(query, { projection: { 'draft.content': 0 } })
          .toArray(),
        versionsCollection()
          .find({ tenantId: scope.tenantId }, { projection: { content: 0, references: 0 } })
          .toArray(),
        deploymentsCollection().find({ tenantId: scope.tenantId }).toArray(),
      ]);
      const latest = new Map<string, Omit<VersionDoc, 'content'>>();
      for (const v of versions) {
        const seen = latest.get(v.modelId);
        if (!seen || seen.version < v.version) latest.set(v.modelId, v);
      }
      return all
        .map((m) =>
          summarize(
            m as ModelDoc,
            latest.get(m._id),
            deployments.filter((d) => d.modelId === m._id),
          ),
        )
        .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name, 'it'));
    },
    async get(scope, id) {
      const model = await load(scope, id);
      const [versions, deployments] = await Promise.all([
        repo.versions(scope, id),
        repo.deployments(scope, id),
      ]);
      const latest = versions[0] ? { ...versions[0], tenantId: scope.tenantId } : undefined;
      return {
        ...summarize(model, latest as Omit<VersionDoc, 'content'> | undefined, deployments),
        draftContent: model.draft.content,
        versions,
        deployments: deployments.map(({ tenantId: _t, modelId: _m, ...d }) => d),
      };
    },
    async findByKey(scope, kind, key) {
      await ready();
      return models().findOne({ tenantId: scope.tenantId, kind, key });
    },
    async create(actor, model, createOpts = {}) {
      if (!createOpts.skipPermission) requireModelPermission(actor, PERMISSION_MODELS_EDIT);
      if (!MODEL_KINDS.includes(model.kind)) {
        throw new ValidationError('kind must be bpmn, dmn or form', [
          {
            field: 'kind',
            message: 'kind: must be one of bpmn, dmn, form',
            key: 'modeling.error.kind',
          },
        ]);
      }
      if (typeof model.key !== 'string' || !MODEL_KEY.test(model.key)) {
        throw new ValidationError('key is not a valid id', [
          {
            field: 'key',
            message: 'key: letters, digits, _ . - (starting with a letter), at most 80',
            key: 'modeling.error.key',
          },
        ]);
      }
      if (typeof model.content !== 'string')
        throw invalid(contentError('must be a string', 'modeling.error.content'));
      const identity = await identify(model.kind, model.content);
      if (model.kind !== 'form' && identity.key !== model.key) {
        throw invalid(
          contentError(
            `the ${model.kind === 'bpmn' ? 'process' : 'decision'} id in the content is "${identity.key}", not "${model.key}"`,
            'modeling.error.keyMismatch',
            {
              found: identity.key,
              expected: model.key,
            },
          ),
        );
      }
      await ready();
      const now = new Date();
      const author = authorOf(actor);
      const doc: ModelDoc = {
        _id: newModelId(),
        tenantId: actor.tenantId,
        kind: model.kind,
        key: model.key,
        name: (model.name ?? identity.name ?? model.key).slice(0, 200),
        line: model.line,
        origin: model.origin ?? 'created',
        variantOf: model.variantOf,
        seedFile: model.seedFile,
        createdAt: now,
        createdBy: author,
        draft: {
          content: model.content,
          hash: hashContent(model.content),
          revision: 1,
          updatedAt: now,
          updatedBy: author,
          baseVersion: 0,
        },
      };
      try {
        await models().insertOne(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        throw new ConflictError(
          `a ${model.kind} model "${model.key}" already exists in this province`,
          { key: model.key },
        );
      }
      if (createOpts.firstVersionMessage !== undefined) {
        await repo.createVersion(actor, doc._id, {
          message: createOpts.firstVersionMessage,
          content: model.content,
          skipPermission: true,
        });
        doc.draft.baseVersion = 1;
      }
      return doc;
    },
    async saveDraft(actor, id, content, draftOpts = {}) {
      requireModelPermission(actor, PERMISSION_MODELS_EDIT);
      const model = await load(actor, id);
      if (typeof content !== 'string')
        throw invalid(contentError('must be a string', 'modeling.error.content'));
      const unsafe = unsafeContent(model.kind, content);
      if (unsafe) throw invalid(unsafe);
      const now = new Date();
      const filter: Record<string, unknown> = { _id: id, tenantId: actor.tenantId };
      if (draftOpts.expectedRevision !== undefined)
        filter['draft.revision'] = draftOpts.expectedRevision;
      const result = await models().updateOne(filter, {
        $set: {
          'draft.content': content,
          'draft.hash': hashContent(content),
          'draft.updatedAt': now,
          'draft.updatedBy': authorOf(actor),
        },
        $inc: { 'draft.revision': 1 },
      });
      if (result.matchedCount === 0) {
        const current = await models().findOne(
          { _id: id, tenantId: actor.tenantId },
          { projection: { 'draft.revision': 1, 'draft.updatedBy': 1 } },
        );
        throw new ConflictError('the draft was saved meanwhile (another tab or person)', {
          currentRevision: current?.draft.revision,
          updatedBy: current?.draft.updatedBy,
        });
      }
      const after = await models().findOne({ _id: id }, { projection: { 'draft.revision': 1 } });
      return { revision: after?.draft.revision ?? 0, updatedAt: now };
    },
    async createVersion(actor, id, versionOpts = {}) {
      if (!versionOpts.skipPermission) requireModelPermission(actor, PERMISSION_MODELS_EDIT);
      const model = await load(actor, id);
      const content = versionOpts.content ?? model.draft.content;
      if (typeof content !== 'string')
        throw invalid(contentError('must be a string', 'modeling.error.content'));
      const identity = await identify(model.kind, content);
      if (model.kind !== 'form' && identity.key !== model.key) {
        throw invalid(
          contentError(
            `the ${model.kind === 'bpmn' ? 'process' : 'decision'} id must stay "${model.key}" (found "${identity.key}"); to make another process, create a variant`,
            'modeling.error.keyChanged',
            { found: identity.key, expected: model.key },
          ),
        );
      }
      const lint = await lintModel(model.kind, content);
      if (model.kind === 'form' && lint.errors > 0) {
        throw invalid(
          contentError(lint.issues[0].message, 'modeling.error.formSchema', {
            reason: lint.issues[0].message,
          }),
        );
      }
      const latest = await latestVersion(id);
      const hash = hashContent(content);
      if (latest && latest.hash === hash && versionOpts.restoredFrom === undefined) {
        throw new ValidationError('nothing changed since the last version', [
          {
            field: 'content',
            message: `content: identical to version ${latest.version}`,
            key: 'modeling.error.unchanged',
            params: { version: latest.version },
          },
        ]);
      }
      const doc: VersionDoc = {
        tenantId: actor.tenantId,
        modelId: id,
        version: (latest?.version ?? 0) + 1,
        content,
        hash,
        name: identity.name || model.name,
        references: identity.references,
        author: authorOf(actor),
        message: (versionOpts.message ?? '').trim().slice(0, 500),
        createdAt: new Date(),
        ...(versionOpts.restoredFrom !== undefined
          ? { restoredFrom: versionOpts.restoredFrom }
          : {}),
      };
      try {
        await versionsCollection().insertOne({ ...doc });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        throw new ConflictError('another version was saved at the same moment; try again', {
          version: doc.version,
        });
      }
      // The draft now starts from this version (best effort: the version is what counts).
      await models().updateOne(
        { _id: id, tenantId: actor.tenantId },
        {
          $set: {
            name: doc.name,
            'draft.content': content,
            'draft.hash': hash,
            'draft.baseVersion': doc.version,
            'draft.updatedAt': doc.createdAt,
            'draft.updatedBy': doc.author,
          },
          $inc: { 'draft.revision': versionOpts.content !== undefined ? 1 : 0 },
        },
      );
      const { content: _c, tenantId: _t, ...summary } = doc;
      return { version: summary, lint };
    },
    async versions(scope, id) {
      await load(scope, id);
      return (await versionsCollection()
        .find(
          { modelId: id, tenantId: scope.tenantId },
          { projection: { content: 0, tenantId: 0, _id: 0 } },
        )
        .sort({ version: -1 })
        .toArray()) as unknown as VersionSummary[];
    },
    async version(scope, id, version) {
      await load(scope, id);
      const v = await versionsCollection().findOne(
        { modelId: id, tenantId: scope.tenantId, version },
        { projection: { _id: 0 } },
      );
      if (!v) throw new NotFoundError(`version ${version} not found`);
      return v;
    },
    async contentOf(scope, id, which) {
      if (which === 'draft') return (await load(scope, id)).draft.content;
      return (await repo.version(scope, id, which)).content;
    },
    async recordDeployment(doc) {
      await ready();
      await deploymentsCollection().insertOne({ ...doc });
    },
    async deployments(scope, id) {
      await ready();
      return (await deploymentsCollection()
        .find({ tenantId: scope.tenantId, modelId: id }, { projection: { _id: 0 } })
        .sort({ deployedAt: -1 })
        .toArray()) as DeploymentDoc[];
    },
  };
  return repo;
}
