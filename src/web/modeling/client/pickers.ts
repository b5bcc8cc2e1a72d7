/**
 * "Servizi, moduli e ruoli della provincia": a properties panel group on top of the
 * Zeebe ones, so an analyst picks instead of typing —
 * - a service task's job from the catalogue of the product's workers (element templates:
 *   "Richiesta CIG" sets the hidden job type and shows its inputs and outputs);
 * - a user task's (or start event's) form among the province's forms;
 * - a user task's candidate groups among the roles of the province.
 */
import { CheckboxEntry, SelectEntry } from '@bpmn-io/properties-panel';
import { createElement as h } from '@bpmn-io/properties-panel/preact';
import { is, getBusinessObject } from 'bpmn-js/lib/util/ModelUtil';
import type { PageTexts } from './common';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface PickerData {
  forms: { key: string; name: string }[];
  roles: { value: string; label: string }[];
  texts: PageTexts;
}

function extension(bo: Any, type: string): Any {
  return (bo.get('extensionElements')?.get('values') ?? []).find((v: Any) => is(v, type));
}

/** Sets one attribute of a zeebe:* extension element, creating it (and extensionElements) when missing. */
function setExtension(
  injector: Any,
  element: Any,
  type: string,
  attrs: Record<string, unknown>,
): void {
  const modeling = injector.get('modeling');
  const bpmnFactory = injector.get('bpmnFactory');
  const bo = getBusinessObject(element);
  let container = bo.get('extensionElements');
  if (!container) {
    container = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    modeling.updateModdleProperties(element, bo, { extensionElements: container });
  }
  const existing = extension(bo, type);
  if (existing) {
    modeling.updateModdleProperties(element, existing, attrs);
  } else {
    const created = bpmnFactory.create(type, attrs);
    created.$parent = container;
    modeling.updateModdleProperties(element, container, {
      values: [...container.get('values'), created],
    });
  }
}

export function createPickersModule(data: PickerData) {
  const t = data.texts;

  function PickersProvider(this: Any, propertiesPanel: Any, injector: Any) {
    this.getGroups = (element: Any) => (groups: Any[]) => {
      const entries: Any[] = [];
      const bo = getBusinessObject(element);
      if (
        is(element, 'bpmn:ServiceTask') ||
        is(element, 'bpmn:SendTask') ||
        (is(element, 'bpmn:Task') && element.type === 'bpmn:Task')
      ) {
        entries.push({
          id: 'pc-template',
          component: (props: Any) => {
            const templates = injector.get('elementTemplates');
            return h(SelectEntry, {
              element: props.element,
              id: 'pc-template',
              label: t['picker.template'],
              getValue: () => bo.get('zeebe:modelerTemplate') ?? '',
              setValue: (value: string) => {
                const template = templates.getAll().find((x: Any) => x.id === value);
                if (template) templates.applyTemplate(element, template);
              },
              getOptions: () => [
                { value: '', label: t['picker.templateNone'] },
                ...templates
                  .getAll()
                  .filter((x: Any) => !x.deprecated)
                  .sort((a: Any, b: Any) =>
                    `${a.category?.name}${a.name}`.localeCompare(
                      `${b.category?.name}${b.name}`,
                      'it',
                    ),
                  )
                  .map((x: Any) => ({
                    value: x.id,
                    label: `${x.category?.name ?? ''} — ${x.name}`,
                  })),
              ],
            });
          },
        });
      }
      const formTarget =
        is(element, 'bpmn:UserTask') ||
        (is(element, 'bpmn:StartEvent') &&
          !bo.eventDefinitions?.length &&
          is(bo.$parent, 'bpmn:Process'));
      if (formTarget) {
        entries.push({
          id: 'pc-form-key',
          component: (props: Any) =>
            h(SelectEntry, {
              element: props.element,
              id: 'pc-form-key',
              label: t['picker.form'],
              getValue: () => extension(bo, 'zeebe:FormDefinition')?.get('formKey') ?? '',
              setValue: (value: string) =>
                setExtension(injector, element, 'zeebe:FormDefinition', {
                  formKey: value || undefined,
                }),
              getOptions: () => {
                const current = extension(bo, 'zeebe:FormDefinition')?.get('formKey');
                const known = data.forms.some((f) => f.key === current);
                return [
                  { value: '', label: t['picker.formNone'] },
                  ...(current && !known ? [{ value: current, label: current }] : []),
                  ...data.forms.map((f) => ({ value: f.key, label: `${f.name} (${f.key})` })),
                ];
              },
            }),
        });
      }
      if (is(element, 'bpmn:UserTask')) {
        const groupsOf = () =>
          String(extension(bo, 'zeebe:AssignmentDefinition')?.get('candidateGroups') ?? '')
            .split(',')
            .map((g) => g.trim())
            .filter(Boolean);
        for (const role of data.roles) {
          entries.push({
            id: `pc-role-${role.value}`,
            component: (props: Any) =>
              h(CheckboxEntry, {
                element: props.element,
                id: `pc-role-${role.value}`,
                label: `${t['picker.roles']}: ${role.label}`,
                getValue: () => groupsOf().includes(role.value),
                setValue: (checked: boolean) => {
                  const now = new Set(groupsOf());
                  if (checked) now.add(role.value);
                  else now.delete(role.value);
                  setExtension(injector, element, 'zeebe:AssignmentDefinition', {
                    candidateGroups: [...now].join(',') || undefined,
                  });
                },
              }),
          });
        }
      }
      if (entries.length === 0) return groups;
      return [{ id: 'pc-province', label: t['picker.group'], entries }, ...groups];
    };
    propertiesPanel.registerProvider(400, this);
  }
  (PickersProvider as Any).$inject = ['propertiesPanel', 'injector'];

  return { __init__: ['pcPickersProvider'], pcPickersProvider: ['type', PickersProvider] };
}
