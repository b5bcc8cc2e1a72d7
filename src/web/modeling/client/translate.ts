/**
 * bpmn-js / dmn-js "translate" service backed by the page's catalogue (the modeling.bpmnjs.*
 * keys of src/web/i18n/catalogs/modeling.<locale>.json, sent by the page). Exact text
 * first, then case-insensitive (the properties panel title-cases element types).
 */
import { italianLintMessage } from './lint-messages';

export function createTranslateModule(catalogue: Record<string, string>, italianLint = false) {
  const lower = new Map(Object.entries(catalogue).map(([k, v]) => [k.toLowerCase(), v]));
  const translate = (template: string, replacements: Record<string, string> = {}) => {
    const text =
      catalogue[template] ??
      lower.get(String(template).toLowerCase()) ??
      (italianLint ? italianLintMessage(String(template)) : template);
    return String(text).replace(/{([^}]+)}/g, (_m, key: string) =>
      key in replacements ? String(replacements[key]) : `{${key}}`,
    );
  };
  return { translate: ['value', translate] };
}
