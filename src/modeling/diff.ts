/**
 * Differences between two versions of a model (issue 12 point 4):
 * - BPMN: added, removed, changed and moved elements (bpmn-js-differ) with every changed
 *   property, including those the diagram does not show (job types, mappings, headers,
 *   conditions, timers, forms, candidate groups): a flat comparison of each element's
 *   moddle properties, because bpmn-js-differ reports extension elements only as "changed";
 * - DMN: per decision, changed hit policy, columns and a table of added, removed and
 *   changed rules (cell by cell);
 * - forms: added, removed and changed fields with their changed schema keywords;
 * - always the text (XML / JSON) as a unified diff.
 */
import { createTwoFilesPatch, diffLines } from 'diff';
import { bpmnElements, parseBpmn, parseDmn, type ModelKind } from './model-content';

const { diff: bpmnDiff } = require('bpmn-js-differ') as {
  diff(
    a: unknown,
    b: unknown,
  ): Record<'_added' | '_removed' | '_changed' | '_layoutChanged', Record<string, unknown>>;
};

export interface PropertyChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

export interface ElementRef {
  id: string;
  type: string;
  name?: string;
}

export interface BpmnDiff {
  added: ElementRef[];
  removed: ElementRef[];
  changed: (ElementRef & { properties: PropertyChange[] })[];
  layoutChanged: ElementRef[];
}

export interface RuleRow {
  id: string;
  index: number;
  description?: string;
  inputs: string[];
  outputs: string[];
}

export interface DecisionDiff {
  id: string;
  name?: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  properties: PropertyChange[];
  inputs: string[];
  outputs: string[];
  rules: {
    added: RuleRow[];
    removed: RuleRow[];
    changed: {
      id: string;
      index: number;
      description?: string;
      cells: { column: string; from: string; to: string }[];
    }[];
  };
}

export interface DmnDiff {
  decisions: DecisionDiff[];
}

export interface FormDiff {
  added: { field: string; title?: string }[];
  removed: { field: string; title?: string }[];
  changed: { field: string; title?: string; properties: PropertyChange[] }[];
  /** Changes outside the fields (title, required list, x-ui order …). */
  form: PropertyChange[];
}

export interface TextDiff {
  patch: string;
  added: number;
  removed: number;
}

export type ModelDiff =
  | { kind: 'bpmn'; semantic: BpmnDiff; text: TextDiff }
  | { kind: 'dmn'; semantic: DmnDiff; text: TextDiff }
  | { kind: 'form'; semantic: FormDiff; text: TextDiff };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Moddle = any;

export function textDiff(from: string, to: string, fromLabel = 'da', toLabel = 'a'): TextDiff {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(from, to)) {
    if (part.added) added += part.count ?? 0;
    if (part.removed) removed += part.count ?? 0;
  }
  return {
    patch: createTwoFilesPatch(fromLabel, toLabel, from, to, '', '', { context: 3 }),
    added,
    removed,
  };
}

export async function diffModels(
  kind: ModelKind,
  from: string,
  to: string,
  labels: [string, string] = ['da', 'a'],
): Promise<ModelDiff> {
  const text = textDiff(from, to, ...labels);
  if (kind === 'bpmn') return { kind, semantic: await diffBpmn(from, to), text };
  if (kind === 'dmn') return { kind, semantic: await diffDmn(from, to), text };
  return { kind, semantic: diffForm(from, to), text };
}

// ---------------------------------------------------------------- BPMN

/** Properties that are structure (compared as elements of their own) or layout. */
const STRUCTURAL = new Set([
  'id',
  'flowElements',
  'artifacts',
  'laneSets',
  'di',
  'incoming',
  'outgoing',
  'childLaneSet',
  'lanes',
  'participants',
  'messageFlows',
]);

function isModdle(v: unknown): v is Moddle {
  return Boolean(v && typeof v === 'object' && '$type' in (v as object));
}

function shortType(type: string): string {
  return type.replace(/^bpmn:/, '');
}

function childLabel(child: Moddle, siblings: Moddle[]): string {
  for (const key of ['target', 'key', 'name', 'eventType']) {
    if (typeof child[key] === 'string' && child[key])
      return `${shortType(child.$type)}[${child[key]}]`;
  }
  const sameType = siblings.filter((s) => s.$type === child.$type);
  return sameType.length > 1
    ? `${shortType(child.$type)}[${sameType.indexOf(child) + 1}]`
    : shortType(child.$type);
}

function flattenElement(el: Moddle, prefix: string, out: Map<string, unknown>, depth = 0): void {
  if (depth > 8) return;
  const descriptor = el.$descriptor;
  for (const prop of descriptor?.properties ?? []) {
    const name: string = prop.name;
    if (depth === 0 && STRUCTURAL.has(name)) continue;
    if (name === 'id' || name === 'di') continue;
    const value = el.get(name);
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0))
      continue;
    // extensionElements.values[...] reads better as the extension's own name.
    const path =
      name === 'values' && el.$type === 'bpmn:ExtensionElements'
        ? prefix
        : prefix
          ? `${prefix}.${name}`
          : name;
    if (prop.isReference) {
      out.set(
        path,
        Array.isArray(value)
          ? value.map((v: Moddle) => v?.id ?? v).join(', ')
          : (value?.id ?? value),
      );
    } else if (Array.isArray(value)) {
      value.forEach((item: unknown, i: number) => {
        if (isModdle(item))
          flattenElement(
            item,
            `${path ? `${path}.` : ''}${childLabel(item, value)}`,
            out,
            depth + 1,
          );
        else out.set(`${path}[${i + 1}]`, item);
      });
    } else if (isModdle(value)) {
      flattenElement(value, path, out, depth + 1);
    } else {
      out.set(path, value);
    }
  }
  for (const [attr, value] of Object.entries(el.$attrs ?? {})) {
    if (!attr.startsWith('xmlns')) out.set(`${prefix ? `${prefix}.` : ''}@${attr}`, value);
  }
}

function allBpmnElements(definitions: Moddle): Map<string, Moddle> {
  const map = new Map<string, Moddle>();
  for (const el of bpmnElements(definitions)) if (el.id) map.set(el.id, el);
  for (const root of definitions.rootElements ?? []) {
    if (root.id) map.set(root.id, root);
    for (const laneSet of root.laneSets ?? [])
      for (const lane of laneSet.lanes ?? []) map.set(lane.id, lane);
    for (const p of root.participants ?? []) map.set(p.id, p);
  }
  return map;
}

function refOf(el: Moddle): ElementRef {
  return { id: el.id, type: el.$type, name: el.name || undefined };
}

export function elementProperties(el: Moddle): Map<string, unknown> {
  const out = new Map<string, unknown>();
  flattenElement(el, '', out);
  return out;
}

export async function diffBpmn(fromXml: string, toXml: string): Promise<BpmnDiff> {
  const [a, b] = await Promise.all([parseBpmn(fromXml), parseBpmn(toXml)]);
  const raw = bpmnDiff(a.definitions, b.definitions);
  const before = allBpmnElements(a.definitions);
  const after = allBpmnElements(b.definitions);
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed: BpmnDiff['changed'] = [];
  for (const [id, el] of after) {
    const old = before.get(id);
    if (!old) continue;
    const p1 = elementProperties(old);
    const p2 = elementProperties(el);
    const properties: PropertyChange[] = [];
    for (const path of [...new Set([...p1.keys(), ...p2.keys()])].sort()) {
      if (JSON.stringify(p1.get(path)) !== JSON.stringify(p2.get(path))) {
        properties.push({ path, from: p1.get(path), to: p2.get(path) });
      }
    }
    if (properties.length > 0 || (id in raw._changed && old.$type !== el.$type)) {
      if (old.$type !== el.$type)
        properties.unshift({ path: '$type', from: old.$type, to: el.$type });
      changed.push({ ...refOf(el), properties });
    }
  }
  const layoutChanged = Object.keys(raw._layoutChanged)
    .filter((id) => after.has(id) && !added.includes(id))
    .map((id) => refOf(after.get(id)));
  return {
    added: added.map((id) => refOf(after.get(id))),
    removed: removed.map((id) => refOf(before.get(id))),
    changed,
    layoutChanged,
  };
}

// ---------------------------------------------------------------- DMN

interface TableView {
  id: string;
  name?: string;
  hitPolicy?: string;
  literal?: string;
  inputs: { id: string; label: string; expression: string; typeRef?: string }[];
  outputs: { id: string; label: string; name?: string; typeRef?: string }[];
  rules: RuleRow[];
}

function decisionViews(definitions: Moddle): Map<string, TableView> {
  const views = new Map<string, TableView>();
  for (const d of definitions.drgElement ?? []) {
    if (d.$type !== 'dmn:Decision') continue;
    const logic = d.decisionLogic;
    const table = logic?.$type === 'dmn:DecisionTable' ? logic : undefined;
    views.set(d.id, {
      id: d.id,
      name: d.name,
      hitPolicy: table
        ? (table.hitPolicy ?? 'UNIQUE') + (table.aggregation ? ` ${table.aggregation}` : '')
        : undefined,
      literal: logic?.$type === 'dmn:LiteralExpression' ? (logic.text ?? '') : undefined,
      inputs: (table?.input ?? []).map((i: Moddle) => ({
        id: i.id,
        label: i.label || i.inputExpression?.text || i.id,
        expression: i.inputExpression?.text ?? '',
        typeRef: i.inputExpression?.typeRef,
      })),
      outputs: (table?.output ?? []).map((o: Moddle) => ({
        id: o.id,
        label: o.label || o.name || o.id,
        name: o.name,
        typeRef: o.typeRef,
      })),
      rules: (table?.rule ?? []).map((r: Moddle, index: number) => ({
        id: r.id,
        index: index + 1,
        description: r.description || undefined,
        inputs: (r.inputEntry ?? []).map((e: Moddle) => (e.text ?? '').trim()),
        outputs: (r.outputEntry ?? []).map((e: Moddle) => (e.text ?? '').trim()),
      })),
    });
  }
  return views;
}

function diffTable(a: TableView | undefined, b: TableView | undefined): DecisionDiff {
  const view = (b ?? a)!;
  const base: DecisionDiff = {
    id: view.id,
    name: view.name,
    status: !a ? 'added' : !b ? 'removed' : 'unchanged',
    properties: [],
    inputs: view.inputs.map((i) => i.label),
    outputs: view.outputs.map((o) => o.label),
    rules: { added: [], removed: [], changed: [] },
  };
  if (!a || !b) {
    if (!a) base.rules.added = b!.rules;
    else base.rules.removed = a.rules;
    return base;
  }
  const props: PropertyChange[] = [];
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (a.name !== b.name) props.push({ path: 'name', from: a.name, to: b.name });
  if (a.hitPolicy !== b.hitPolicy)
    props.push({ path: 'hitPolicy', from: a.hitPolicy, to: b.hitPolicy });
  if (a.literal !== b.literal)
    props.push({ path: 'literalExpression', from: a.literal, to: b.literal });
  const columnChanges = (kind: 'input' | 'output', x: Moddle[], y: Moddle[]) => {
    const byId = new Map(x.map((c) => [c.id, c]));
    for (const c of y) {
      const old = byId.get(c.id);
      if (!old) props.push({ path: `${kind}[${c.label}]`, to: c.label });
      else if (!same(old, c)) {
        for (const key of Object.keys({ ...old, ...c })) {
          if (!same(old[key], c[key]))
            props.push({ path: `${kind}[${c.label}].${key}`, from: old[key], to: c[key] });
        }
      }
      byId.delete(c.id);
    }
    for (const c of byId.values()) props.push({ path: `${kind}[${c.label}]`, from: c.label });
  };
  columnChanges('input', a.inputs, b.inputs);
  columnChanges('output', a.outputs, b.outputs);
  base.properties = props;

  const oldRules = new Map(a.rules.map((r) => [r.id, r]));
  const columns = [
    ...b.inputs.map((i) => i.label),
    ...b.outputs.map((o) => o.label),
    'descrizione',
  ];
  for (const rule of b.rules) {
    const old = oldRules.get(rule.id);
    if (!old) {
      base.rules.added.push(rule);
      continue;
    }
    oldRules.delete(rule.id);
    const before = [...old.inputs, ...old.outputs, old.description ?? ''];
    const now = [...rule.inputs, ...rule.outputs, rule.description ?? ''];
    const cells = now
      .map((value, i) => ({
        column: columns[i] ?? `colonna ${i + 1}`,
        from: before[i] ?? '',
        to: value,
      }))
      .filter((c) => c.from !== c.to);
    if (cells.length > 0)
      base.rules.changed.push({
        id: rule.id,
        index: rule.index,
        description: rule.description,
        cells,
      });
  }
  base.rules.removed = [...oldRules.values()];
  const touched =
    props.length + base.rules.added.length + base.rules.removed.length + base.rules.changed.length;
  base.status = touched > 0 ? 'changed' : 'unchanged';
  return base;
}

export async function diffDmn(fromXml: string, toXml: string): Promise<DmnDiff> {
  const [a, b] = await Promise.all([parseDmn(fromXml), parseDmn(toXml)]);
  const before = decisionViews(a.definitions);
  const after = decisionViews(b.definitions);
  const ids = [...new Set([...after.keys(), ...before.keys()])];
  return { decisions: ids.map((id) => diffTable(before.get(id), after.get(id))) };
}

// ---------------------------------------------------------------- forms

function flattenJson(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0
  ) {
    for (const [k, v] of Object.entries(value)) flattenJson(v, prefix ? `${prefix}/${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value);
  }
}

export function diffForm(fromJson: string, toJson: string): FormDiff {
  const a = JSON.parse(fromJson) as { properties?: Record<string, { title?: string }> };
  const b = JSON.parse(toJson) as { properties?: Record<string, { title?: string }> };
  const pa = a.properties ?? {};
  const pb = b.properties ?? {};
  const result: FormDiff = { added: [], removed: [], changed: [], form: [] };
  for (const field of Object.keys(pb)) {
    if (!(field in pa)) result.added.push({ field, title: pb[field]?.title });
  }
  for (const field of Object.keys(pa)) {
    if (!(field in pb)) result.removed.push({ field, title: pa[field]?.title });
  }
  for (const field of Object.keys(pb)) {
    if (!(field in pa)) continue;
    const fa = new Map<string, unknown>();
    const fb = new Map<string, unknown>();
    flattenJson(pa[field], '', fa);
    flattenJson(pb[field], '', fb);
    const properties = [...new Set([...fa.keys(), ...fb.keys()])]
      .sort()
      .filter((p) => JSON.stringify(fa.get(p)) !== JSON.stringify(fb.get(p)))
      .map((path) => ({ path, from: fa.get(path), to: fb.get(path) }));
    if (properties.length > 0) result.changed.push({ field, title: pb[field]?.title, properties });
  }
  const rest = (x: Record<string, unknown>) => {
    const { properties: _p, ...others } = x;
    const out = new Map<string, unknown>();
    flattenJson(others, '', out);
    return out;
  };
  const ra = rest(a as Record<string, unknown>);
  const rb = rest(b as Record<string, unknown>);
  result.form = [...new Set([...ra.keys(), ...rb.keys()])]
    .sort()
    .filter((p) => JSON.stringify(ra.get(p)) !== JSON.stringify(rb.get(p)))
    .map((path) => ({ path, from: ra.get(path), to: rb.get(path) }));
  return result;
}
