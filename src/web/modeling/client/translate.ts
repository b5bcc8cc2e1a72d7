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

/**
 * @bpmn-io/properties-panel draws a few texts of its own (list "Create" buttons, "Toggle
 * section", "Delete item", ...) with its English fallback: bpmn-js-properties-panel does
 * not hand it the translate service. This observer puts the catalogue's text on them.
 */
export function translatePanelTexts(root: HTMLElement, catalogue: Record<string, string>): void {
  const texts = [
    'Create',
    'Create new list item',
    'Delete item',
    'Toggle list item',
    'Toggle section',
    'Section contains edits',
    'Section contains an error',
    'Open documentation',
    'Open pop-up editor',
    'Opened in editor',
    '<empty>',
  ].filter((t) => catalogue[t]);
  if (!texts.length) return;
  const apply = () => {
    for (const el of Array.from(root.querySelectorAll<HTMLElement>('[title], [aria-label]'))) {
      for (const attr of ['title', 'aria-label']) {
        const value = el.getAttribute(attr);
        if (value && texts.includes(value)) el.setAttribute(attr, catalogue[value]!);
      }
    }
    for (const el of Array.from(
      root.querySelectorAll<HTMLElement>('.bio-properties-panel-add-entry-label'),
    )) {
      const value = el.textContent ?? '';
      if (texts.includes(value)) el.textContent = catalogue[value]!;
    }
  };
  new MutationObserver(apply).observe(root, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['title', 'aria-label'],
  });
  apply();
}
