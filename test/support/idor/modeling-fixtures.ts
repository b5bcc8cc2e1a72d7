/** IDOR fixtures of the modeling area: models of a province and package imports. */
import { randomBytes } from 'node:crypto';
import {
  createModelRepository,
  exportPackage,
  inspectPackage,
  type ModelActor,
} from '../../../src/modeling';
import type { FixtureEnv, FixtureSite, IdorFixture } from './types';

function analyst(site: FixtureSite, suffix: string): ModelActor {
  return {
    tenantId: site.tenantId,
    username: `idor.${suffix}`,
    displayName: `Analista IDOR ${suffix}`,
    permissions: new Set(['models.edit', 'practices.publish']),
  };
}

/** A form model (the lightest kind) whose name and title carry the marker. */
async function createModel(env: FixtureEnv, site: FixtureSite, marker: string) {
  const repo = createModelRepository({ connection: env.product.db.connection });
  const key = `idor-${site.comune ?? site.tenantId}-${randomBytes(3).toString('hex')}`;
  const content = JSON.stringify({
    title: marker,
    type: 'object',
    properties: { nota: { type: 'string', title: 'Nota' } },
  });
  const actor = analyst(site, site.comune ?? site.tenantId);
  const doc = await repo.create(
    actor,
    { kind: 'form', key, name: marker, content },
    { firstVersionMessage: 'IDOR' },
  );
  return { actor, doc };
}

export const modelFixture: IdorFixture = {
  kind: 'model',
  visibility: 'tenant',
  sites: 'provinces',
  async create(env, site) {
    const marker = `IdorModello${site.tenantId}${randomBytes(3).toString('hex')}`;
    const { doc } = await createModel(env, site, marker);
    return { id: doc._id, markers: [marker] };
  },
};

export const modelImportFixture: IdorFixture = {
  kind: 'model-import',
  visibility: 'tenant',
  sites: 'provinces',
  async create(env, site) {
    const marker = `IdorPacchetto${site.tenantId}${randomBytes(3).toString('hex')}`;
    const { actor, doc } = await createModel(env, site, marker);
    const p = env.product;
    const deps = {
      connection: p.db.connection,
      repo: createModelRepository({ connection: p.db.connection }),
      config: p.config,
      settings: p.settings,
      templates: p.templates,
    };
    const { data } = await exportPackage(deps, actor, { name: marker, models: [doc._id] });
    const report = await inspectPackage(deps, actor, data);
    return { id: report.id, markers: [marker] };
  },
};
