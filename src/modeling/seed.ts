/**
 * The shared models every province starts from: processes/<line>/*.bpmn|*.dmn and
 * forms/<formKey>.json become the province's models with version 1 "Modello condiviso"
 * the first time the province's repository is used. Idempotent and safe to run from
 * several app processes at once (unique indexes decide).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDuplicateKeyError } from '../db';
import { ConflictError } from '../errors';
import { identify, type ModelKind } from './model-content';
import type { ModelActor, ModelRepository } from './repository';

export const DEFAULT_PROCESSES_DIR = path.resolve(__dirname, '..', '..', 'processes');
export const DEFAULT_FORMS_DIR = path.resolve(__dirname, '..', '..', 'forms');

export const SEED_AUTHOR = { username: 'system', displayName: 'Modello condiviso' };

export interface SeedFile {
  kind: ModelKind;
  file: string;
  /** Service line folder for processes; undefined for forms. */
  line?: string;
}

export function seedFiles(
  processesDir = DEFAULT_PROCESSES_DIR,
  formsDir = DEFAULT_FORMS_DIR,
): SeedFile[] {
  const out: SeedFile[] = [];
  for (const line of readdirSync(processesDir).sort()) {
    const dir = path.join(processesDir, line);
    if (!statSync(dir).isDirectory() || line === 'tools') continue;
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith('.bpmn')) out.push({ kind: 'bpmn', file: path.join(dir, f), line });
      if (f.endsWith('.dmn')) out.push({ kind: 'dmn', file: path.join(dir, f), line });
    }
  }
  for (const f of readdirSync(formsDir).sort()) {
    if (f.endsWith('.json')) out.push({ kind: 'form', file: path.join(formsDir, f) });
  }
  return out;
}

/** Creates the province's missing seed models; returns how many were created. */
export async function seedProvince(
  repo: ModelRepository,
  tenantId: string,
  dirs: { processesDir?: string; formsDir?: string } = {},
): Promise<number> {
  const system: ModelActor = { tenantId, ...SEED_AUTHOR, permissions: new Set() };
  let created = 0;
  await repo.ready();
  // Fast path (every start): only the seeds whose file name is not a seeded model yet.
  const seeded = await repo
    .models()
    .find({ tenantId, origin: 'seed' }, { projection: { seedFile: 1 } })
    .toArray();
  const versioned = new Set(
    (await repo.versionsCollection().distinct('modelId', { tenantId })) as string[],
  );
  for (const seed of seedFiles(dirs.processesDir, dirs.formsDir)) {
    const relative = relativeName(seed);
    const doneModel = seeded.find((m) => m.seedFile === relative);
    if (doneModel && versioned.has(doneModel._id)) continue;
    const content = readFileSync(seed.file, 'utf8');
    const identity = await identify(seed.kind, content);
    const key = seed.kind === 'form' ? path.basename(seed.file, '.json') : identity.key;
    const existing = await repo.findByKey({ tenantId }, seed.kind, key);
    if (existing) {
      // A crash between the model and its first version: add the version now.
      const versions = await repo.versionsCollection().countDocuments({ modelId: existing._id });
      if (versions === 0) await firstVersion(repo, system, existing._id, content, seed);
      continue;
    }
    try {
      const model = await repo.create(
        system,
        {
          kind: seed.kind,
          key,
          name: identity.name,
          content,
          origin: 'seed',
          line: seed.line,
          seedFile: relative,
        },
        { skipPermission: true },
      );
      await firstVersion(repo, system, model._id, content, seed);
      created++;
    } catch (err) {
      // Another process seeded the same model meanwhile.
      if (!(err instanceof ConflictError) && !isDuplicateKeyError(err)) throw err;
    }
  }
  return created;
}

function relativeName(seed: SeedFile): string {
  return seed.line
    ? `processes/${seed.line}/${path.basename(seed.file)}`
    : `forms/${path.basename(seed.file)}`;
}

async function firstVersion(
  repo: ModelRepository,
  system: ModelActor,
  modelId: string,
  content: string,
  seed: SeedFile,
) {
  const relative = relativeName(seed);
  try {
    await repo.createVersion(system, modelId, {
      content,
      message: `Modello condiviso (${relative})`,
      skipPermission: true,
      skipLint: true,
    });
  } catch (err) {
    if (!(err instanceof ConflictError) && !isDuplicateKeyError(err)) throw err;
  }
}
