/**
 * The good-practice catalogue of the province network (issue 14 point 4): a province
 * publishes an entry (description, documents, optionally a process package exported
 * from its modeling workspace); every signed-in person of every province reads and
 * searches it. It is cross-tenant by design, so the rules are written out here:
 *
 * - reading: a published entry is readable by everybody signed in; a withdrawn entry
 *   only by its publishing province and by the provinces that adopted it (imported its
 *   package or declared the adoption); for anybody else it does not exist (404);
 * - writing: only the publishing province (with `practices.publish`) changes or
 *   withdraws an entry; another province gets 403 for an entry it can read.
 *
 * No multi-document transactions (FerretDB): files are stored first, the entry's insert
 * or update is the commit point, files of a refused write are removed again.
 */
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { ProductConfig } from '../config';
import { ensureIndex } from '../db';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import {
  exportPackage,
  sha256,
  type ExportDeps,
  type ModelKind,
  type ModelRepository,
} from '../modeling';
import { checkPracticeInput, type PracticeInput } from './entry-input';
import { MAX_DOCUMENTS, PracticeFiles, type StoredFile, type UploadedFile } from './practice-files';
import {
  PERMISSION_PUBLISH,
  PRACTICE_ADOPTIONS,
  PRACTICES,
  type AdoptionDoc,
  type Author,
  type PracticeActor,
  type PracticeDoc,
  type PracticePackage,
} from './types';

export interface CatalogueDeps {
  connection: Connection;
  config: ProductConfig;
  /** The modeling workspace the packages come from (export) and go to (import). */
  packages: ExportDeps;
  /** Makes sure a province's workspace holds the shared models before it is used. */
  seedWorkspace(tenantId: string): Promise<unknown>;
}

export interface SearchQuery {
  q?: string;
  serviceLine?: string;
  theme?: string;
  /** ISTAT code of the publishing province. */
  province?: string;
}

/** "bpmn:procurement" — a model of the publishing province's workspace. */
export interface PackageChoice {
  models: { kind: ModelKind; key: string }[];
}

export interface WriteFiles {
  /** New documents to attach (checked before anything is written). */
  addDocuments?: UploadedFile[];
  /** Ids of attached documents to remove (update only). */
  removeDocuments?: string[];
  /** Export these models as the entry's package; `null` removes the package (update only). */
  package?: PackageChoice | null;
}

export const authorOf = (actor: PracticeActor): Author => ({
  username: actor.username,
  displayName: actor.displayName,
});

/** Lower case, accents removed: "Università" and "universita" match. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function searchableText(doc: PracticeDoc): string {
  return normaliseText(
    [
      doc.name,
      doc.summary,
      doc.problem,
      doc.solution,
      doc.results,
      doc.provinceName,
      doc.maintainer.name,
      ...doc.figures.map((f) => f.label),
      ...(doc.package?.models.map((m) => `${m.name} ${m.key}`) ?? []),
      ...doc.documents.map((d) => d.fileName),
    ].join('\n'),
  );
}

export function parseModelRef(text: string): { kind: ModelKind; key: string } | undefined {
  const m = /^(bpmn|dmn|form):([A-Za-z_][A-Za-z0-9_.-]{0,79})$/.exec(text);
  return m ? { kind: m[1] as ModelKind, key: m[2] } : undefined;
}

export function createCatalogue(deps: CatalogueDeps) {
  const db = () => deps.connection.db!;
  const practices = () => db().collection<PracticeDoc>(PRACTICES);
  const adoptions = () => db().collection<AdoptionDoc>(PRACTICE_ADOPTIONS);
  const files = new PracticeFiles(deps.connection);

  const ready = () =>
    Promise.all([
      ensureIndex(deps.connection, PRACTICE_ADOPTIONS, { tenantId: 1 }, { name: 'tenant' }),
    ]);

  const provinceName = (tenantId: string) =>
    deps.config.provinces.get(tenantId)?.name ?? `Provincia ${tenantId}`;

  /** Ids of the practices the actor's province adopted (they keep reading withdrawn ones). */
  async function adoptedBy(tenantId: string): Promise<Set<string>> {
    await ready();
    const list = await adoptions()
      .find({ tenantId }, { projection: { practiceId: 1, adoptedAt: 1 } })
      .toArray();
    return new Set(list.filter((a) => a.adoptedAt).map((a) => a.practiceId));
  }

  function readable(actor: PracticeActor, doc: PracticeDoc, adopted: Set<string>): boolean {
    return doc.status === 'published' || doc.tenantId === actor.tenantId || adopted.has(doc._id);
  }

  /** The entry if the actor may read it; NotFoundError otherwise (also for unknown ids). */
  async function get(actor: PracticeActor, id: string): Promise<PracticeDoc> {
    const doc = typeof id === 'string' ? await practices().findOne({ _id: id }) : null;
    if (!doc || !readable(actor, doc, await adoptedBy(actor.tenantId)))
      throw new NotFoundError('good practice not found');
    return doc;
  }

  /** The entry for a change: readable, and the actor's province published it. */
  async function getOwned(actor: PracticeActor, id: string): Promise<PracticeDoc> {
    const doc = await get(actor, id);
    requirePublisher(actor, doc);
    return doc;
  }

  function requirePublisher(actor: PracticeActor, doc: PracticeDoc): void {
    if (!actor.permissions.has(PERMISSION_PUBLISH))
      throw new ForbiddenError(
        `Permission "${PERMISSION_PUBLISH}" is required`,
        PERMISSION_PUBLISH,
      );
    if (doc.tenantId !== actor.tenantId)
      throw new ForbiddenError(
        'only the publishing province may change or withdraw this good practice',
      );
  }

  async function search(actor: PracticeActor, query: SearchQuery = {}): Promise<PracticeDoc[]> {
    const adopted = await adoptedBy(actor.tenantId);
    // The catalogue is small (tens to hundreds of entries) and FerretDB has no $text:
    // the filters run here, over the entries the actor may read.
    const all = await practices().find({}).toArray();
    const terms = normaliseText(query.q ?? '')
      .split(/\s+/)
      .filter(Boolean);
    return all
      .filter((d) => readable(actor, d, adopted))
      .filter((d) => !query.serviceLine || d.serviceLine === query.serviceLine)
      .filter((d) => !query.theme || d.theme === query.theme)
      .filter((d) => !query.province || d.tenantId === query.province)
      .filter((d) => {
        if (terms.length === 0) return true;
        const text = searchableText(d);
        return terms.every((t) => text.includes(t));
      })
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || a._id.localeCompare(b._id));
  }

  /** Publishing provinces present in the catalogue (for the search filter). */
  async function provinces(actor: PracticeActor): Promise<{ tenantId: string; name: string }[]> {
    const seen = new Map<string, string>();
    for (const d of await search(actor)) seen.set(d.tenantId, d.provinceName);
    return [...seen]
      .map(([tenantId, name]) => ({ tenantId, name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The province's models that can go into a package (those with a saved version). */
  async function exportableModels(actor: PracticeActor) {
    await deps.seedWorkspace(actor.tenantId);
    const list = await deps.packages.repo.list(actor);
    return list
      .filter((m) => m.latestVersion)
      .map((m) => ({
        ref: `${m.kind}:${m.key}`,
        kind: m.kind,
        key: m.key,
        name: m.name,
        line: m.line,
      }))
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  }

  async function checkDocuments(list: UploadedFile[]): Promise<string[]> {
    const types: string[] = [];
    for (const f of list) types.push(await files.checkDocument(f));
    return types;
  }

  async function buildPackage(
    actor: PracticeActor,
    input: PracticeInput,
    choice: PackageChoice,
  ): Promise<{ data: Buffer; fileName: string; meta: Omit<PracticePackage, 'file'> }> {
    if (!Array.isArray(choice.models) || choice.models.length === 0) {
      throw new ValidationError('package: choose at least one model', [
        {
          field: 'package',
          message: 'package: choose at least one model',
          key: 'practices.error.noModels',
        },
      ]);
    }
    await deps.seedWorkspace(actor.tenantId);
    const repo: ModelRepository = deps.packages.repo;
    const all = await repo.list(actor);
    const ids: string[] = [];
    for (const ref of choice.models) {
      const model = all.find((m) => m.kind === ref.kind && m.key === ref.key);
      if (!model) {
        throw new ValidationError(`package: no model ${ref.kind}:${ref.key}`, [
          {
            field: 'package',
            message: `package: the province has no model ${ref.kind}:${ref.key}`,
            key: 'practices.error.unknownModel',
            params: { model: `${ref.kind}:${ref.key}` },
          },
        ]);
      }
      ids.push(model.id);
    }
    const exported = await exportPackage(deps.packages, actor, {
      name: input.name,
      version: input.version,
      description: input.summary,
      license: input.licence,
      models: ids,
      includeDependencies: true,
    });
    return {
      data: exported.data,
      fileName: exported.fileName,
      meta: {
        sha256: sha256(exported.data),
        name: exported.manifest.name,
        version: exported.manifest.version,
        license: exported.manifest.license,
        models: exported.manifest.models.map((m) => ({ kind: m.kind, key: m.key, name: m.name })),
      },
    };
  }

  function requirePublishPermission(actor: PracticeActor) {
    if (!actor.permissions.has(PERMISSION_PUBLISH))
      throw new ForbiddenError(
        `Permission "${PERMISSION_PUBLISH}" is required`,
        PERMISSION_PUBLISH,
      );
  }

  async function publish(
    actor: PracticeActor,
    raw: unknown,
    write: WriteFiles = {},
  ): Promise<PracticeDoc> {
    requirePublishPermission(actor);
    const input = checkPracticeInput(raw);
    const newDocs = write.addDocuments ?? [];
    if (newDocs.length > MAX_DOCUMENTS) throw tooManyDocuments();
    const types = await checkDocuments(newDocs);
    const pkg = write.package ? await buildPackage(actor, input, write.package) : undefined;

    // Everything checked: store the files, then the entry (the commit point).
    const id = `bp-${randomBytes(8).toString('hex')}`;
    const stored: StoredFile[] = [];
    try {
      const documents: StoredFile[] = [];
      for (let i = 0; i < newDocs.length; i++) {
        const file = await files.store(newDocs[i], types[i], {
          practiceId: id,
          tenantId: actor.tenantId,
          role: 'document',
        });
        stored.push(file);
        documents.push(file);
      }
      let packageDoc: PracticePackage | undefined;
      if (pkg) {
        const file = await files.store(
          { fileName: pkg.fileName, content: pkg.data },
          'application/zip',
          { practiceId: id, tenantId: actor.tenantId, role: 'package' },
        );
        stored.push(file);
        packageDoc = { file, ...pkg.meta };
      }
      const now = new Date();
      const doc: PracticeDoc = {
        _id: id,
        tenantId: actor.tenantId,
        provinceName: provinceName(actor.tenantId),
        status: 'published',
        revision: 1,
        ...input,
        documents,
        ...(packageDoc ? { package: packageDoc } : {}),
        createdAt: now,
        createdBy: authorOf(actor),
        updatedAt: now,
        updatedBy: authorOf(actor),
      };
      await practices().insertOne(doc);
      return doc;
    } catch (err) {
      for (const f of stored) await files.remove(f.id);
      throw err;
    }
  }

  function tooManyDocuments() {
    return new ValidationError(`documents: at most ${MAX_DOCUMENTS}`, [
      {
        field: 'documents',
        message: `documents: at most ${MAX_DOCUMENTS} per good practice`,
        key: 'practices.error.tooManyDocuments',
        params: { max: MAX_DOCUMENTS },
      },
    ]);
  }

  /**
   * Changes an entry (publishing province only). `raw` is the complete editable part;
   * `revision` the one the editor started from (a newer one → 409, nothing written).
   */
  async function update(
    actor: PracticeActor,
    id: string,
    raw: unknown,
    revision: number | undefined,
    write: WriteFiles = {},
  ): Promise<PracticeDoc> {
    const current = await getOwned(actor, id);
    const input = checkPracticeInput(raw);
    if (revision !== undefined && revision !== current.revision) throw staleRevision(current);
    const remove = new Set(write.removeDocuments ?? []);
    for (const docId of remove) {
      if (!current.documents.some((d) => d.id === docId))
        throw new ValidationError(`removeDocuments: ${docId} is not a document of this practice`, [
          {
            field: 'removeDocuments',
            message: 'removeDocuments: not a document of this good practice',
            key: 'practices.error.unknownDocument',
          },
        ]);
    }
    const add = write.addDocuments ?? [];
    const kept = current.documents.filter((d) => !remove.has(d.id));
    if (kept.length + add.length > MAX_DOCUMENTS) throw tooManyDocuments();
    const types = await checkDocuments(add);
    const pkg = write.package ? await buildPackage(actor, input, write.package) : undefined;

    const stored: StoredFile[] = [];
    try {
      for (let i = 0; i < add.length; i++)
        stored.push(
          await files.store(add[i], types[i], {
            practiceId: id,
            tenantId: actor.tenantId,
            role: 'document',
          }),
        );
      let packageDoc: PracticePackage | undefined | null =
        write.package === null ? null : undefined;
      if (pkg) {
        const file = await files.store(
          { fileName: pkg.fileName, content: pkg.data },
          'application/zip',
          {
            practiceId: id,
            tenantId: actor.tenantId,
            role: 'package',
          },
        );
        packageDoc = { file, ...pkg.meta };
      }
      const set: Partial<PracticeDoc> = {
        ...input,
        documents: [...kept, ...stored],
        revision: current.revision + 1,
        updatedAt: new Date(),
        updatedBy: authorOf(actor),
        ...(packageDoc ? { package: packageDoc } : {}),
      };
      const res = await practices().updateOne(
        { _id: id, revision: current.revision },
        packageDoc === null ? { $set: set, $unset: { package: '' } } : { $set: set },
      );
      if (res.matchedCount === 0) {
        if (packageDoc) await files.remove(packageDoc.file.id);
        throw staleRevision(current);
      }
    } catch (err) {
      for (const f of stored) await files.remove(f.id);
      throw err;
    }
    for (const d of current.documents.filter((x) => remove.has(x.id))) await files.remove(d.id);
    // The replaced package file stays: provinces with a pending import still read the report.
    return (await practices().findOne({ _id: id }))!;
  }

  function staleRevision(current: PracticeDoc) {
    return new ConflictError('the good practice was changed meanwhile: reload it and retry', {
      revision: current.revision,
    });
  }

  async function withdraw(actor: PracticeActor, id: string, reason: unknown): Promise<PracticeDoc> {
    const current = await getOwned(actor, id);
    const text = typeof reason === 'string' ? reason.trim() : '';
    if (text.length < 5 || text.length > 1000) {
      throw new ValidationError('reason: between 5 and 1000 characters', [
        {
          field: 'reason',
          message: 'reason: between 5 and 1000 characters',
          key: 'practices.error.length',
          params: { min: 5, max: 1000 },
        },
      ]);
    }
    if (current.status === 'withdrawn')
      throw new ConflictError('the good practice is already withdrawn');
    const res = await practices().updateOne(
      { _id: id, revision: current.revision },
      {
        $set: {
          status: 'withdrawn',
          revision: current.revision + 1,
          withdrawal: { at: new Date(), by: authorOf(actor), reason: text },
          updatedAt: new Date(),
          updatedBy: authorOf(actor),
        },
      },
    );
    if (res.matchedCount === 0) throw staleRevision(current);
    return (await practices().findOne({ _id: id }))!;
  }

  /** A document of an entry the actor may read. */
  async function document(actor: PracticeActor, fileId: string) {
    const doc =
      typeof fileId === 'string' ? await practices().findOne({ 'documents.id': fileId }) : null;
    if (!doc) throw new NotFoundError('document not found');
    const practice = await get(actor, doc._id);
    const meta = practice.documents.find((d) => d.id === fileId)!;
    return { practice, meta, content: await files.read(fileId) };
  }

  /** The package zip of an entry the actor may read. */
  async function packageOf(actor: PracticeActor, id: string) {
    const practice = await get(actor, id);
    if (!practice.package) throw new NotFoundError('this good practice has no process package');
    return {
      practice,
      meta: practice.package,
      content: await files.read(practice.package.file.id),
    };
  }

  return {
    get,
    getOwned,
    search,
    provinces,
    exportableModels,
    publish,
    update,
    withdraw,
    document,
    packageOf,
    adoptedBy,
    files,
    provinceName,
  };
}

export type Catalogue = ReturnType<typeof createCatalogue>;
