/**
 * The shared models every province starts from: processes/<line>/*.bpmn|*.dmn and
 * forms/<formKey>.json become the province's models with version 1 "Modello condiviso"
 * the first time the province's repository is used. Idempotent and safe to run from
 * several app processes at once (unique indexes decide).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDuplicateKeyError } from '../db';
import { identify, type ModelIdentity, type ModelKind } from './model-content';
import {
  hashContent,
  newModelId,
  type ModelDoc,
  type ModelRepository,
  type VersionDoc,
} from './repository';

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

interface SeedModel {
  seed: SeedFile;
  relative: string;
  content: string;
  hash: string;
  key: string;
  identity: ModelIdentity;
}

/** Seed files parsed once per process (the same files seed every province). */
const parsedSeeds = new Map<string, { mtimeMs: number; model: SeedModel }>();

async function parseSeed(seed: SeedFile): Promise<SeedModel> {
  const mtimeMs = statSync(seed.file).mtimeMs;
  const hit = parsedSeeds.get(seed.file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.model;
  const content = readFileSync(seed.file, 'utf8');
  const identity = await identify(seed.kind, content);
  const key = seed.kind === 'form' ? path.basename(seed.file, '.json') : identity.key;
  const model = {
    seed,
    relative: relativeName(seed),
    content,
    hash: hashContent(content),
    key,
    identity,
  };
  parsedSeeds.set(seed.file, { mtimeMs, model });
  return model;
}

/**
 * Creates the province's missing seed models with their version 1; returns how many
 * were created. The files are trusted (test/processes lints and parses every one), so
 * the documents are written directly: one insert for the model, one for its version.
 */
export async function seedProvince(
  repo: ModelRepository,
  tenantId: string,
  dirs: { processesDir?: string; formsDir?: string } = {},
): Promise<number> {
  await repo.ready();
  // Fast path (every start): skip the seeds that are models with a version already.
  const seeded = await repo
    .models()
    .find({ tenantId, origin: 'seed' }, { projection: { seedFile: 1, kind: 1, key: 1 } })
    .toArray();
  const versioned = new Set(
    (await repo.versionsCollection().distinct('modelId', { tenantId })) as string[],
  );
  let created = 0;
  for (const seed of seedFiles(dirs.processesDir, dirs.formsDir)) {
    const relative = relativeName(seed);
    const done = seeded.find((m) => m.seedFile === relative);
    if (done && versioned.has(done._id)) continue;
    const s = await parseSeed(seed);
    const now = new Date();
    let modelId = done?._id;
    if (!modelId) {
      const existing = await repo.findByKey({ tenantId }, seed.kind, s.key);
      if (existing) {
        // The province already has a model with this key (e.g. from a package).
        if (versioned.has(existing._id) || existing.origin !== 'seed') continue;
        modelId = existing._id;
      }
    }
    if (!modelId) {
      const doc: ModelDoc = {
        _id: newModelId(),
        tenantId,
        kind: seed.kind,
        key: s.key,
        name: s.identity.name || s.key,
        line: seed.line,
        origin: 'seed',
        seedFile: relative,
        createdAt: now,
        createdBy: SEED_AUTHOR,
        draft: {
          content: s.content,
          hash: s.hash,
          revision: 1,
          updatedAt: now,
          updatedBy: SEED_AUTHOR,
          baseVersion: 1,
        },
      };
      try {
        await repo.models().insertOne(doc);
        modelId = doc._id;
        created++;
      } catch (err) {
        // Another process seeded the same model meanwhile.
        if (isDuplicateKeyError(err)) continue;
        throw err;
      }
    }
    const version: VersionDoc = {
      tenantId,
      modelId,
      version: 1,
      content: s.content,
      hash: s.hash,
      name: s.identity.name || s.key,
      references: s.identity.references,
      author: SEED_AUTHOR,
      message: `Modello condiviso (${relative})`,
      createdAt: now,
    };
    try {
      await repo.versionsCollection().insertOne(version);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
  return created;
}

function relativeName(seed: SeedFile): string {
  return seed.line
    ? `processes/${seed.line}/${path.basename(seed.file)}`
    : `forms/${path.basename(seed.file)}`;
}
