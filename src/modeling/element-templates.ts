/**
 * Element templates (Camunda 8 / Zeebe format) generated from the product's own workers
 * (src/workers/catalog.ts): one per job type, with the job type hidden, the variables the
 * worker reads as optional input mappings, the variables it writes as output mappings and
 * its task headers (template names from the province's own templates). An analyst picks
 * "Richiesta CIG" in the modeler instead of typing "procurement.requestCig".
 */
import { WORKER_CATALOG, type CatalogHeader } from '../workers/catalog';

export const ELEMENT_TEMPLATE_SCHEMA =
  'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';
export const TEMPLATE_ID_PREFIX = 'it.province-e-comuni.worker.';
/** Bumped when the generated shape changes, so the modeler offers an upgrade. */
export const TEMPLATE_VERSION = 1;

export interface TemplateProperty {
  label?: string;
  description?: string;
  type: 'Hidden' | 'String' | 'Text' | 'Dropdown';
  value?: string;
  optional?: boolean;
  feel?: 'optional' | 'required';
  group?: string;
  choices?: { name: string; value: string }[];
  binding: Record<string, string>;
  constraints?: { notEmpty?: boolean };
}

export interface ElementTemplate {
  $schema: string;
  id: string;
  name: string;
  version: number;
  description: string;
  category: { id: string; name: string };
  appliesTo: string[];
  elementType: { value: string };
  groups: { id: string; label: string }[];
  properties: TemplateProperty[];
}

const CATEGORY_IDS: Record<string, string> = {
  'Servizi comuni': 'common',
  'Stazione Unica Appaltante': 'sua',
  'Politiche europee': 'sape',
  'Dati ed elaborazioni': 'data',
  Formazione: 'training',
};

export interface TemplateNames {
  emails: string[];
  documents: string[];
}

function headerProperty(h: CatalogHeader, names: TemplateNames): TemplateProperty {
  const binding = { type: 'zeebe:taskHeader', key: h.key };
  const choices =
    h.choices === 'emails' ? names.emails : h.choices === 'documents' ? names.documents : h.choices;
  if (choices && choices.length > 0) {
    return {
      label: h.label,
      type: 'Dropdown',
      group: 'headers',
      value: h.value ?? choices[0],
      choices: choices.map((c) => ({ name: c, value: c })),
      binding,
    };
  }
  return {
    label: h.label,
    type: 'String',
    group: 'headers',
    value: h.value,
    binding,
    constraints: { notEmpty: true },
  };
}

export function workerElementTemplates(names: TemplateNames): ElementTemplate[] {
  return Object.entries(WORKER_CATALOG).map(([jobType, entry]) => ({
    $schema: ELEMENT_TEMPLATE_SCHEMA,
    id: `${TEMPLATE_ID_PREFIX}${jobType}`,
    name: entry.name,
    version: TEMPLATE_VERSION,
    description: `${entry.description} (job type ${jobType})`,
    category: { id: CATEGORY_IDS[entry.group] ?? 'common', name: entry.group },
    appliesTo: ['bpmn:Task', 'bpmn:ServiceTask', 'bpmn:SendTask'],
    elementType: { value: 'bpmn:ServiceTask' },
    groups: [
      { id: 'inputs', label: 'Dati letti dal servizio' },
      { id: 'outputs', label: 'Dati prodotti dal servizio' },
      { id: 'headers', label: 'Impostazioni del servizio' },
    ],
    properties: [
      {
        type: 'Hidden',
        value: jobType,
        binding: { type: 'zeebe:taskDefinition', property: 'type' },
      },
      {
        type: 'Hidden',
        value: '3',
        binding: { type: 'zeebe:taskDefinition', property: 'retries' },
      },
      ...entry.inputs.map((input): TemplateProperty => ({
        label: `${input.label} (${input.name})`,
        description: `Il servizio legge la variabile «${input.name}». Lasciare vuoto per usare quella del processo con lo stesso nome, oppure indicare un’espressione FEEL.`,
        type: 'String',
        group: 'inputs',
        optional: true,
        feel: 'required',
        binding: { type: 'zeebe:input', name: input.name },
      })),
      ...entry.outputs.map((output): TemplateProperty => ({
        label: `${output.label} (${output.name})`,
        description: `Nome della variabile del processo che riceve «${output.name}».`,
        type: 'String',
        group: 'outputs',
        value: output.name,
        binding: { type: 'zeebe:output', source: `=${output.name}` },
        constraints: { notEmpty: true },
      })),
      ...(entry.headers ?? []).map((h) => headerProperty(h, names)),
    ],
  }));
}
