/**
 * The good-practice catalogue of the province network (issue 14 point 4). No express
 * here: src/web/practices and /api/v1/practices call these functions.
 */
import type { Connection } from 'mongoose';
import type { ProductConfig } from '../config';
import type { ModelRepository } from '../modeling';
import type { SettingsService, TemplateService } from '../settings';
import { createAdoptions } from './adoption';
import { createCatalogue } from './catalogue';

export * from './entry-input';
export * from './practice-files';
export * from './types';
export {
  normaliseText,
  parseModelRef,
  type Catalogue,
  type SearchQuery,
  type WriteFiles,
} from './catalogue';
export type { Adoptions } from './adoption';

export interface PracticesDeps {
  connection: Connection;
  config: ProductConfig;
  settings: SettingsService;
  templates: TemplateService;
  /** The modeling workspaces of the provinces. */
  repo: ModelRepository;
  /** Seeds a province's workspace with the shared models the first time it is used. */
  seedWorkspace(tenantId: string): Promise<unknown>;
}

export function createPractices(deps: PracticesDeps) {
  const packages = {
    connection: deps.connection,
    repo: deps.repo,
    config: deps.config,
    settings: deps.settings,
    templates: deps.templates,
  };
  const catalogue = createCatalogue({
    connection: deps.connection,
    config: deps.config,
    packages,
    seedWorkspace: deps.seedWorkspace,
  });
  const adoptions = createAdoptions({
    catalogue,
    imports: packages,
    seedWorkspace: deps.seedWorkspace,
  });
  return { catalogue, adoptions };
}

export type Practices = ReturnType<typeof createPractices>;
