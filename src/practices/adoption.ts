/**
 * Adopting a good practice: a province imports the entry's package into its own
 * modeling workspace through the modeling import (src/modeling/packages) — first the
 * report (new / changed / conflicting), then, on confirmation, drafts only: the import
 * never versions or deploys anything — or declares that it adopted the practice
 * without a package. Adopters write a short adoption report; anybody with
 * `practices.adopt` comments. The adoption records say which provinces adopted what,
 * and give adopters read access to entries withdrawn later.
 */
import { randomBytes } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import {
  applyImport,
  getImport,
  inspectPackage,
  type ApplyResult,
  type ImportDeps,
  type ImportReport,
} from '../modeling';
import { authorOf, type Catalogue } from './catalogue';
import {
  ADOPTION_OUTCOMES,
  PERMISSION_ADOPT,
  PRACTICE_ADOPTIONS,
  PRACTICE_COMMENTS,
  type AdoptionDoc,
  type AdoptionOutcome,
  type CommentDoc,
  type PracticeActor,
  type PracticeDoc,
} from './types';

export interface AdoptionDeps {
  catalogue: Catalogue;
  imports: ImportDeps;
  seedWorkspace(tenantId: string): Promise<unknown>;
}

function requireAdoptPermission(actor: PracticeActor) {
  if (!actor.permissions.has(PERMISSION_ADOPT))
    throw new ForbiddenError(`Permission "${PERMISSION_ADOPT}" is required`, PERMISSION_ADOPT);
}

function notOwnPractice(actor: PracticeActor, practice: PracticeDoc) {
  if (practice.tenantId === actor.tenantId)
    throw new ConflictError('this good practice was published by your own province');
}

function textField(field: string, value: unknown, min: number, max: number): string {
  const s = typeof value === 'string' ? value.trim() : '';
  if (s.length < min || s.length > max) {
    throw new ValidationError(`${field}: between ${min} and ${max} characters`, [
      {
        field,
        message: `${field}: between ${min} and ${max} characters`,
        key: 'practices.error.length',
        params: { min, max },
      },
    ]);
  }
  return s;
}

export function createAdoptions(deps: AdoptionDeps) {
  const db = () => deps.imports.connection.db!;
  const adoptions = () => db().collection<AdoptionDoc>(PRACTICE_ADOPTIONS);
  const comments = () => db().collection<CommentDoc>(PRACTICE_COMMENTS);
  const { catalogue } = deps;
  const adoptionId = (practiceId: string, tenantId: string) => `${practiceId}:${tenantId}`;

  // An upsert's $setOnInsert is not applied by every MongoDB-compatible server alike:
  // read the list of imports as empty when it is missing.
  const normalise = (a: AdoptionDoc): AdoptionDoc => ({ ...a, imports: a.imports ?? [] });

  async function ownAdoption(actor: PracticeActor, practiceId: string) {
    const doc = await adoptions().findOne({ _id: adoptionId(practiceId, actor.tenantId) });
    return doc && normalise(doc);
  }

  /** Step 1: the modeling import's report for the entry's package (nothing applied yet). */
  async function inspect(actor: PracticeActor, practiceId: string): Promise<ImportReport> {
    const { practice, content } = await catalogue.packageOf(actor, practiceId);
    notOwnPractice(actor, practice);
    await deps.seedWorkspace(actor.tenantId);
    const report = await inspectPackage(deps.imports, actor, content);
    await adoptions().updateOne(
      { _id: adoptionId(practiceId, actor.tenantId) },
      {
        $set: {
          pendingImport: {
            importId: report.id,
            at: new Date(),
            by: authorOf(actor),
            packageSha256: practice.package!.sha256,
          },
        },
        $setOnInsert: {
          practiceId,
          tenantId: actor.tenantId,
          provinceName: catalogue.provinceName(actor.tenantId),
          imports: [],
        },
      },
      { upsert: true },
    );
    return report;
  }

  /** The report waiting for the province's confirmation, if any. */
  async function pendingReport(
    actor: PracticeActor,
    practiceId: string,
  ): Promise<ImportReport | undefined> {
    await catalogue.get(actor, practiceId);
    const adoption = await ownAdoption(actor, practiceId);
    if (!adoption?.pendingImport) return undefined;
    try {
      const imp = await getImport(deps.imports, actor, adoption.pendingImport.importId);
      return imp.status === 'inspected' ? imp.report : undefined;
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  /** Step 2: the confirmed import creates drafts in the province's workspace; records the adoption. */
  async function confirm(actor: PracticeActor, practiceId: string): Promise<ApplyResult> {
    const practice = await catalogue.get(actor, practiceId);
    notOwnPractice(actor, practice);
    const adoption = await ownAdoption(actor, practiceId);
    if (!adoption?.pendingImport)
      throw new ConflictError('no import of this package is waiting for confirmation');
    const { importId } = adoption.pendingImport;
    const result = await applyImport(deps.imports, actor, importId);
    const now = new Date();
    await adoptions().updateOne(
      { _id: adoption._id, 'pendingImport.importId': importId },
      {
        ...(adoption.adoptedAt ? {} : { $set: { adoptedAt: now, adoptedBy: authorOf(actor) } }),
        $unset: { pendingImport: '' },
        $push: {
          imports: {
            importId,
            at: now,
            by: authorOf(actor),
            packageVersion: practice.package?.version ?? practice.version,
            result,
          },
        },
      },
    );
    return result;
  }

  /**
   * Declares the adoption (when not imported) and writes or replaces the province's
   * short adoption report.
   */
  async function report(
    actor: PracticeActor,
    practiceId: string,
    body: { outcome?: unknown; text?: unknown },
  ): Promise<AdoptionDoc> {
    requireAdoptPermission(actor);
    const practice = await catalogue.get(actor, practiceId);
    notOwnPractice(actor, practice);
    if (!(ADOPTION_OUTCOMES as readonly unknown[]).includes(body.outcome)) {
      throw new ValidationError('outcome: one of in-use, trial, abandoned', [
        {
          field: 'outcome',
          message: `outcome: one of ${ADOPTION_OUTCOMES.join(', ')}`,
          key: 'practices.error.choice',
          params: { allowed: ADOPTION_OUTCOMES.join(', ') },
        },
      ]);
    }
    const text = textField('text', body.text, 10, 2000);
    const now = new Date();
    const existing = await ownAdoption(actor, practiceId);
    await adoptions().updateOne(
      { _id: adoptionId(practiceId, actor.tenantId) },
      {
        $set: {
          report: {
            outcome: body.outcome as AdoptionOutcome,
            text,
            updatedAt: now,
            by: authorOf(actor),
          },
          ...(existing?.adoptedAt ? {} : { adoptedAt: now, adoptedBy: authorOf(actor) }),
        },
        $setOnInsert: {
          practiceId,
          tenantId: actor.tenantId,
          provinceName: catalogue.provinceName(actor.tenantId),
          imports: [],
        },
      },
      { upsert: true },
    );
    return (await ownAdoption(actor, practiceId))!;
  }

  /** The provinces that adopted the practice, with their reports (readers of the entry). */
  async function list(actor: PracticeActor, practiceId: string): Promise<AdoptionDoc[]> {
    await catalogue.get(actor, practiceId);
    const all = await adoptions().find({ practiceId }).toArray();
    return all
      .map(normalise)
      .filter((a) => a.adoptedAt)
      .sort((a, b) => a.adoptedAt!.getTime() - b.adoptedAt!.getTime());
  }

  async function comment(
    actor: PracticeActor,
    practiceId: string,
    raw: unknown,
  ): Promise<CommentDoc> {
    requireAdoptPermission(actor);
    await catalogue.get(actor, practiceId);
    const text = textField('text', raw, 2, 2000);
    const doc: CommentDoc = {
      _id: `bpc-${randomBytes(8).toString('hex')}`,
      practiceId,
      tenantId: actor.tenantId,
      provinceName: catalogue.provinceName(actor.tenantId),
      author: authorOf(actor),
      text,
      createdAt: new Date(),
    };
    await comments().insertOne(doc);
    return doc;
  }

  async function commentsOf(actor: PracticeActor, practiceId: string): Promise<CommentDoc[]> {
    await catalogue.get(actor, practiceId);
    const list = await comments().find({ practiceId }).toArray();
    return list.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  return {
    inspect,
    pendingReport,
    confirm,
    report,
    list,
    comment,
    comments: commentsOf,
    ownAdoption,
  };
}

export type Adoptions = ReturnType<typeof createAdoptions>;
