/**
 * The shape of a form: a JSON Schema (draft-07) object plus UI hints under `x-ui`
 * (forms/README.md), and the small helpers the validator, the input parser and the
 * renderer share: walking fields in display order, widgets, enum labels, and the
 * conditional fields declared with `allOf: [{ if, then: { required } }]`.
 */

export type WidgetName =
  | 'text'
  | 'textarea'
  | 'radio'
  | 'select'
  | 'checkbox'
  | 'currency'
  | 'date'
  | 'datetime'
  | 'table'
  | 'file'
  | 'file-list'
  | 'tags'
  | 'comune-select';

/** A read-only value from the process shown above the form (x-ui.context). */
export interface ContextField {
  variable: string;
  label: string;
  type?: 'text' | 'currency' | 'number' | 'date' | 'datetime' | 'boolean' | 'list';
  enumLabels?: Record<string, string>;
}

export interface XUi {
  /** Fields in display order (every property once); nested objects use their own order. */
  order?: string[];
  /** `{ "field": widget }`, nested fields as "parent.child" (array items: "list.child"). */
  widgets?: Record<string, string>;
  enumLabels?: Record<string, Record<string, string>>;
  submitLabel?: string;
  context?: ContextField[];
}

export interface SchemaNode {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  readOnly?: boolean;
  allOf?: { if?: SchemaNode; then?: SchemaNode; else?: SchemaNode }[];
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  multipleOf?: number;
  [keyword: string]: unknown;
}

/** A form: the JSON Schema plus UI hints under `x-ui` (see forms/README.md). */
export interface FormSchema extends SchemaNode {
  $id?: string;
  title: string;
  description?: string;
  type: 'object';
  properties: Record<string, SchemaNode>;
  'x-ui'?: XUi;
}

/** A field is shown when another field of the same object has a given value. */
export interface FieldCondition {
  field: string;
  equals: unknown;
}

export function typeOf(node: SchemaNode): string | undefined {
  return Array.isArray(node.type) ? node.type.find((t) => t !== 'null') : node.type;
}

/** Property names of an object node in display order (x-ui.order first, then the rest). */
export function orderedProperties(node: SchemaNode, order?: string[]): string[] {
  const names = Object.keys(node.properties ?? {});
  if (!order) return names;
  const ordered = order.filter((n) => names.includes(n));
  return [...ordered, ...names.filter((n) => !ordered.includes(n))];
}

/**
 * Conditional fields of an object node: `allOf[].if` naming one field with a `const`
 * and `then.required` listing the fields that apply in that case.
 */
export function conditionsOf(node: SchemaNode): Map<string, FieldCondition[]> {
  const out = new Map<string, FieldCondition[]>();
  for (const rule of node.allOf ?? []) {
    const props = Object.entries(rule.if?.properties ?? {});
    if (props.length !== 1 || !('const' in props[0][1])) continue;
    const condition: FieldCondition = { field: props[0][0], equals: props[0][1].const };
    for (const name of rule.then?.required ?? []) {
      out.set(name, [...(out.get(name) ?? []), condition]);
    }
  }
  return out;
}

/** Whether a conditional field applies to the current values of its object. */
export function conditionHolds(
  conditions: FieldCondition[] | undefined,
  values: Record<string, unknown> | undefined,
): boolean {
  if (!conditions) return true;
  return conditions.some((c) => values?.[c.field] === c.equals);
}

/** The widget of a field (schema path with dots, without array indexes). */
export function widgetOf(form: FormSchema, schemaPath: string, node: SchemaNode): WidgetName {
  const hinted = form['x-ui']?.widgets?.[schemaPath];
  if (hinted) return hinted as WidgetName;
  const type = typeOf(node);
  if (type === 'boolean') return 'radio';
  if (type === 'array') {
    if (typeOf(node.items ?? {}) === 'object') return 'table';
    return node.items?.enum ? 'checkbox' : 'tags';
  }
  if (node.enum) return node.enum.length <= 4 ? 'radio' : 'select';
  if (node.format === 'date') return 'date';
  if (node.format === 'date-time') return 'datetime';
  if (node.format === 'istat-comune') return 'comune-select';
  return 'text';
}

export function enumLabel(form: FormSchema, schemaPath: string, value: unknown): string {
  return form['x-ui']?.enumLabels?.[schemaPath]?.[String(value)] ?? String(value);
}

/** The schema node of a field given its data path ("offers/0/amount"). */
export function nodeAt(form: SchemaNode, dataPath: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = form;
  for (const part of dataPath.split('/').filter(Boolean)) {
    if (!node) return undefined;
    if (typeOf(node) === 'array') {
      if (!/^\d+$/.test(part)) return undefined;
      node = node.items;
      continue;
    }
    node = node.properties?.[part];
  }
  return node;
}

/** The Italian label of a field given its data path, with the row for array items. */
export function labelAt(form: SchemaNode, dataPath: string): string | undefined {
  return nodeAt(form, dataPath)?.title;
}
