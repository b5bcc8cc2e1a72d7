/**
 * Process variants (issue 12 point 8): a province copies a shared process into a process
 * of its own (new process id, so both can be deployed side by side), edits it, and the
 * settings (processes/variants, src/settings) say which comuni run it. The shared process
 * stays as it is.
 */
import { ValidationError } from '../errors';
import { MODEL_KEY, parseBpmn, bpmnModdle } from './model-content';
import {
  PERMISSION_MODELS_EDIT,
  requireModelPermission,
  type ModelActor,
  type ModelDoc,
  type ModelRepository,
} from './repository';

/** The BPMN of `xml` with its process renamed to `processId` / `name`. */
export async function renameProcess(xml: string, processId: string, name: string): Promise<string> {
  const { definitions } = await parseBpmn(xml);
  const process = (definitions.rootElements ?? []).find(
    (r: { $type: string; isExecutable?: boolean }) =>
      r.$type === 'bpmn:Process' && r.isExecutable !== false,
  );
  if (!process) throw new Error('no executable process to copy');
  process.id = processId;
  process.name = name;
  const { xml: out } = await bpmnModdle().toXML(definitions, { format: true });
  return out as string;
}

export async function createVariant(
  repo: ModelRepository,
  actor: ModelActor,
  sourceId: string,
  variant: { key: string; name: string },
): Promise<ModelDoc> {
  requireModelPermission(actor, PERMISSION_MODELS_EDIT);
  const source = await repo.get(actor, sourceId);
  if (source.kind !== 'bpmn') {
    throw new ValidationError('only processes have variants', [
      {
        field: 'sourceId',
        message: 'sourceId: only BPMN processes have variants',
        key: 'modeling.variant.notBpmn',
      },
    ]);
  }
  if (
    typeof variant.key !== 'string' ||
    !MODEL_KEY.test(variant.key) ||
    variant.key === source.key
  ) {
    throw new ValidationError('the variant needs a new process id', [
      {
        field: 'key',
        message: 'key: a new process id (letters, digits, _ . -)',
        key: 'modeling.variant.key',
      },
    ]);
  }
  const name = String(variant.name ?? '').trim() || `${source.name} (variante)`;
  const base = source.latestVersion
    ? await repo.version(actor, sourceId, source.latestVersion.version)
    : undefined;
  const content = await renameProcess(base?.content ?? source.draftContent, variant.key, name);
  return repo.create(
    actor,
    {
      kind: 'bpmn',
      key: variant.key,
      name,
      content,
      origin: 'variant',
      variantOf: source.key,
      line: source.line,
    },
    {
      firstVersionMessage: `Variante di «${source.name}» (${source.key}${base ? ` v${base.version}` : ''})`,
    },
  );
}
