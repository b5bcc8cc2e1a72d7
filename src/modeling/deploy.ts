/**
 * Deploy with safety (issue 12 point 3): the server lints and parses the version again
 * with the same rules as the modeler and refuses a model with errors, naming element and
 * rule; then deploys it through the Zeebe client with the province as tenant, whichever
 * engine answers (built-in or a Zeebe cluster), and records which version runs where.
 * Instances already running keep their process version (Zeebe semantics). Rolling back =
 * deploying an older version again as a new version.
 *
 * Forms are JSON Schema read by the inbox, not Zeebe resources: "deploying" a form
 * publishes that version for the province (engine "forms").
 */
import type { ZeebeClient } from '../workers/runtime';
import { ValidationError, type FieldError } from '../errors';
import { lintModel, type LintIssue } from './lint';
import {
  PERMISSION_MODELS_DEPLOY,
  requireModelPermission,
  type DeploymentDoc,
  type ModelActor,
  type ModelRepository,
  type VersionSummary,
} from './repository';

export const FORMS_ENGINE = 'forms';

export interface Deployer {
  zeebe: ZeebeClient;
  /** Name of the engine deployments are recorded under: "built-in" or the gateway address. */
  engine: string;
}

/** The model has lint errors: nothing was deployed. */
export class DeployRefusedError extends ValidationError {
  constructor(readonly issues: LintIssue[]) {
    super(
      `deploy refused: ${issues.length} lint error(s): ${issues
        .slice(0, 5)
        .map((i) => `${i.elementId || '(model)'} [${i.rule}] ${i.message}`)
        .join('; ')}`,
      issues.map((i): FieldError => ({
        field: i.elementId ? `content/${i.elementId}` : 'content',
        message: `${i.elementId || '(model)'} [${i.rule}]: ${i.message}`,
        key: 'modeling.deploy.lintError',
        params: {
          element: i.elementId,
          elementName: i.elementName,
          rule: i.rule,
          reason: i.message,
        },
      })),
    );
    this.name = 'DeployRefusedError';
  }
}

export interface DeployResult {
  deployment: Omit<DeploymentDoc, 'tenantId'>;
  warnings: LintIssue[];
}

export async function deployVersion(
  repo: ModelRepository,
  deployer: Deployer,
  actor: ModelActor,
  modelId: string,
  versionNumber: number,
): Promise<DeployResult> {
  requireModelPermission(actor, PERMISSION_MODELS_DEPLOY);
  const model = (await repo.get(actor, modelId)) as { kind: 'bpmn' | 'dmn' | 'form'; key: string };
  const version = await repo.version(actor, modelId, versionNumber);
  const lint = await lintModel(model.kind, version.content);
  const errors = lint.issues.filter((i) => i.category === 'error');
  if (errors.length > 0) throw new DeployRefusedError(errors);

  let record: DeploymentDoc;
  const base = {
    tenantId: actor.tenantId,
    modelId,
    version: versionNumber,
    deployedAt: new Date(),
    deployedBy: { username: actor.username, displayName: actor.displayName },
  };
  if (model.kind === 'form') {
    record = { ...base, engine: FORMS_ENGINE, deploymentKey: `form:${modelId}:${versionNumber}` };
  } else {
    const content = Buffer.from(version.content, 'utf8');
    const name = `${model.key}.${model.kind}`;
    let response: { key: string; deployments: unknown[] };
    try {
      response =
        model.kind === 'bpmn'
          ? await deployer.zeebe.deployResource({
              name,
              process: content,
              tenantId: actor.tenantId,
            })
          : await deployer.zeebe.deployResource({
              name,
              decision: content,
              tenantId: actor.tenantId,
            });
    } catch (err) {
      const reason = (err as { details?: string }).details ?? (err as Error).message;
      throw new ValidationError(`the engine refused the deployment: ${reason}`, [
        {
          field: 'content',
          message: `content: ${reason}`,
          key: 'modeling.deploy.engineRefused',
          params: { reason },
        },
      ]);
    }
    const first = response.deployments[0] as {
      process?: { version: number; processDefinitionKey: string };
      decision?: { version: number; decisionKey: string };
    };
    record = {
      ...base,
      engine: deployer.engine,
      deploymentKey: String(response.key),
      definitionVersion: first?.process?.version ?? first?.decision?.version,
      definitionKey: String(
        first?.process?.processDefinitionKey ?? first?.decision?.decisionKey ?? '',
      ),
    };
  }
  await repo.recordDeployment(record);
  const { tenantId: _t, ...deployment } = record;
  return { deployment, warnings: lint.issues.filter((i) => i.category === 'warn') };
}

/** Roll back: the content of `versionNumber` becomes a new version, which is deployed. */
export async function rollbackTo(
  repo: ModelRepository,
  deployer: Deployer,
  actor: ModelActor,
  modelId: string,
  versionNumber: number,
): Promise<DeployResult & { version: VersionSummary }> {
  requireModelPermission(actor, PERMISSION_MODELS_DEPLOY);
  const old = await repo.version(actor, modelId, versionNumber);
  const { version } = await repo.createVersion(actor, modelId, {
    content: old.content,
    message: `Ripristino della versione ${versionNumber}`,
    restoredFrom: versionNumber,
  });
  const result = await deployVersion(repo, deployer, actor, modelId, version.version);
  return { ...result, version };
}
