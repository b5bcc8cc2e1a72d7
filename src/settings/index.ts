/**
 * Province settings (issue 12 point 7): versions over the engine-config YAML defaults,
 * document and e-mail templates, process variants. No express here: src/web/admin and
 * the API call these functions.
 */
import type { CurrentProvinceSettings } from '../workers/context';
import type { SettingsService } from './settings-service';
import type { TemplateService } from './template-service';

export * from './settings-service';
export * from './template-service';
export * from './process-variants';
export { changedLeaves, type SettingChange } from './setting-paths';
export { settingsSchemaErrors } from './validate-settings';
export { sampleTemplateData } from './template-samples';

/** What the workers read for every job (src/workers contextForTenant). */
export function currentSettingsForWorkers(
  settings: SettingsService,
  templates: TemplateService,
): CurrentProvinceSettings {
  return {
    settings: async (tenantId) => (await settings.current(tenantId)).effective,
    templateSources: (tenantId) => templates.currentSources(tenantId),
  };
}
