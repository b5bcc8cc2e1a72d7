/**
 * The modeling room (issue 12): the model repository of every province, lint, deploy
 * through the Zeebe client, diff, variants, decision tests, element templates and
 * packages. No express here: src/web/modeling and the API call these functions.
 */
import type { Connection } from 'mongoose';
import { NotFoundError } from '../errors';
import type { TemplateService } from '../settings';
import { testDecision, type DecisionTestResult } from './decision-test';
import {
  deployVersion,
  FORMS_ENGINE,
  rollbackTo,
  type Deployer,
  type DeployResult,
} from './deploy';
import { diffModels, type ModelDiff } from './diff';
import { workerElementTemplates, type ElementTemplate } from './element-templates';
import { lintModel, type LintReport } from './lint';
import type { ModelKind } from './model-content';
import {
  createModelRepository,
  type ModelActor,
  type ModelDoc,
  type ModelRepository,
  type ModelScope,
  type VersionSummary,
} from './repository';
import { seedProvince } from './seed';
import { createVariant } from './variants';

export * from './model-content';
export * from './repository';
export * from './lint';
export * from './deploy';
export * from './diff';
export * from './element-templates';
export * from './decision-test';
export * from './seed';
export * from './variants';

export interface Modeling {
  repo: ModelRepository;
  deployer?: Deployer;
  seed(tenantId: string): Promise<number>;
  lint(kind: ModelKind, content: string): Promise<LintReport>;
  deploy(actor: ModelActor, id: string, version: number): Promise<DeployResult>;
  rollback(
    actor: ModelActor,
    id: string,
    version: number,
  ): Promise<DeployResult & { version: VersionSummary }>;
  /** `from`/`to`: a version number or 'draft'. */
  diff(
    scope: ModelScope,
    id: string,
    from: number | 'draft',
    to: number | 'draft',
  ): Promise<ModelDiff>;
  createVariant(
    actor: ModelActor,
    sourceId: string,
    variant: { key: string; name: string },
  ): Promise<ModelDoc>;
  testDecision(
    actor: ModelActor,
    decisionId: string,
    variables: Record<string, unknown>,
  ): Promise<DecisionTestResult>;
  elementTemplates(tenantId: string): Promise<ElementTemplate[]>;
  /** The form version the province published (deployed), if any: what the inbox shows. */
  activeForm(tenantId: string, formKey: string): Promise<unknown | undefined>;
}

export function createModeling(opts: {
  connection: Connection;
  deployer?: Deployer;
  templates?: TemplateService;
}): Modeling {
  const repo = createModelRepository({ connection: opts.connection });
  const needDeployer = (): Deployer => {
    if (!opts.deployer) throw new Error('no Zeebe client configured for deployments');
    return opts.deployer;
  };
  // Provinces seeded by this process: the pages ask on every request, the check is two queries.
  const seeded = new Set<string>();
  return {
    repo,
    deployer: opts.deployer,
    async seed(tenantId) {
      if (seeded.has(tenantId)) return 0;
      const created = await seedProvince(repo, tenantId);
      seeded.add(tenantId);
      return created;
    },
    lint: lintModel,
    deploy: (actor, id, version) => deployVersion(repo, needDeployer(), actor, id, version),
    rollback: (actor, id, version) => rollbackTo(repo, needDeployer(), actor, id, version),
    async diff(scope, id, from, to) {
      const model = await repo.get(scope, id);
      const [a, b] = await Promise.all([
        repo.contentOf(scope, id, from),
        repo.contentOf(scope, id, to),
      ]);
      const label = (w: number | 'draft') => (w === 'draft' ? 'bozza' : `versione ${w}`);
      return diffModels(model.kind, a, b, [
        `${model.key} (${label(from)})`,
        `${model.key} (${label(to)})`,
      ]);
    },
    createVariant: (actor, sourceId, variant) => createVariant(repo, actor, sourceId, variant),
    testDecision: (actor, decisionId, variables) =>
      testDecision(needDeployer(), actor, decisionId, variables),
    async elementTemplates(tenantId) {
      const list = opts.templates ? await opts.templates.list(tenantId) : [];
      return workerElementTemplates({
        emails: list.filter((t) => t.kind === 'emails').map((t) => t.name),
        documents: list.filter((t) => t.kind === 'documents').map((t) => t.name),
      });
    },
    async activeForm(tenantId, formKey) {
      const model = await repo.findByKey({ tenantId }, 'form', formKey);
      if (!model) return undefined;
      const [latest] = (await repo.deployments({ tenantId }, model._id)).filter(
        (d) => d.engine === FORMS_ENGINE,
      );
      if (!latest) return undefined;
      try {
        return JSON.parse((await repo.version({ tenantId }, model._id, latest.version)).content);
      } catch (err) {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      }
    },
  };
}
export * from './packages';
