/**
 * What a model's content is: BPMN or DMN XML, or a JSON-Schema form. Reads the ids a
 * model is known by (process id, decision ids, form key), the elements other models
 * depend on (called processes, decisions, forms, candidate groups), and refuses unsafe
 * or oversized content before any parser sees it.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { DmnModdle } from 'dmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { ValidationError, type FieldError } from '../errors';

export type ModelKind = 'bpmn' | 'dmn' | 'form';
export const MODEL_KINDS: ModelKind[] = ['bpmn', 'dmn', 'form'];

/** Largest model accepted (bytes of UTF-8). */
export const MAX_MODEL_BYTES = 2 * 1024 * 1024;

/** An id usable as process id, decision id or form key. */
export const MODEL_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,79}$/;

/** What a model refers to: other models it needs, and the roles it assigns work to. */
export interface ModelReferences {
  calledProcesses: string[];
  calledDecisions: string[];
  formKeys: string[];
  candidateGroups: string[];
}

export interface ModelIdentity {
  /** Process id (BPMN), first decision id (DMN), form key (form). */
  key: string;
  /** Every process / decision id the content defines. */
  ids: string[];
  name: string;
  references: ModelReferences;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Moddle = any;

export function bpmnModdle(): Moddle {
  return new BpmnModdle({ zeebe: zeebeSchema });
}

export function dmnModdle(): Moddle {
  return new DmnModdle();
}

export function contentError(
  message: string,
  key: string,
  params: Record<string, unknown> = {},
): FieldError {
  return { field: 'content', message: `content: ${message}`, key, params };
}

export function invalid(error: FieldError): ValidationError {
  return new ValidationError(error.message, [error]);
}

/** Size and XML safety (no DTD, no entities: no external entities, no expansion). */
export function unsafeContent(kind: ModelKind, content: string): FieldError | undefined {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > MAX_MODEL_BYTES) {
    return contentError(
      `${bytes} bytes, above the limit of ${MAX_MODEL_BYTES}`,
      'modeling.error.tooLarge',
      {
        bytes,
        max: MAX_MODEL_BYTES,
      },
    );
  }
  if (kind !== 'form' && /<!(DOCTYPE|ENTITY)/i.test(content)) {
    return contentError(
      'DOCTYPE and ENTITY declarations are not allowed',
      'modeling.error.doctype',
    );
  }
  return undefined;
}

export interface ParsedBpmn {
  definitions: Moddle;
  warnings: string[];
}

export async function parseBpmn(xml: string): Promise<ParsedBpmn> {
  const { rootElement, warnings } = await bpmnModdle().fromXML(xml);
  return {
    definitions: rootElement,
    warnings: (warnings ?? []).map((w: { message: string }) => w.message),
  };
}

export async function parseDmn(xml: string): Promise<ParsedBpmn> {
  const { rootElement, warnings } = await dmnModdle().fromXML(xml);
  return {
    definitions: rootElement,
    warnings: (warnings ?? []).map((w: { message: string }) => w.message),
  };
}

function uniq(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
}

/** Every element of a BPMN definitions tree (flow elements, nested sub-processes, lanes). */
export function bpmnElements(definitions: Moddle): Moddle[] {
  const out: Moddle[] = [];
  const visit = (el: Moddle) => {
    if (!el || typeof el !== 'object') return;
    out.push(el);
    for (const child of el.flowElements ?? []) visit(child);
    for (const child of el.artifacts ?? []) visit(child);
  };
  for (const root of definitions.rootElements ?? []) visit(root);
  return out;
}

export function extensionsOf(el: Moddle, type: string): Moddle[] {
  return (el.extensionElements?.values ?? []).filter((v: Moddle) => v.$type === type);
}

export function bpmnReferences(definitions: Moddle): ModelReferences {
  const elements = bpmnElements(definitions);
  const ext = (type: string) => elements.flatMap((el) => extensionsOf(el, type));
  return {
    calledProcesses: uniq(ext('zeebe:CalledElement').map((c) => c.processId)).filter(
      (p) => !p.startsWith('='),
    ),
    calledDecisions: uniq(ext('zeebe:CalledDecision').map((c) => c.decisionId)).filter(
      (d) => !d.startsWith('='),
    ),
    formKeys: uniq(ext('zeebe:FormDefinition').map((f) => f.formKey)),
    candidateGroups: uniq(
      ext('zeebe:AssignmentDefinition').flatMap((a) =>
        String(a.candidateGroups ?? '')
          .split(',')
          .map((g: string) => g.trim()),
      ),
    ).filter((g) => !g.startsWith('=')),
  };
}

const NO_REFERENCES: ModelReferences = {
  calledProcesses: [],
  calledDecisions: [],
  formKeys: [],
  candidateGroups: [],
};

/**
 * The identity of a model's content. Throws a list of field errors when the content is
 * not a model of that kind.
 */
export async function identify(kind: ModelKind, content: string): Promise<ModelIdentity> {
  const unsafe = unsafeContent(kind, content);
  if (unsafe) throw invalid(unsafe);
  if (kind === 'form') return identifyForm(content);
  let parsed: ParsedBpmn;
  try {
    parsed = kind === 'bpmn' ? await parseBpmn(content) : await parseDmn(content);
  } catch (err) {
    throw invalid(
      contentError(`not valid XML: ${(err as Error).message}`, 'modeling.error.xml', {
        reason: (err as Error).message,
      }),
    );
  }
  const defs = parsed.definitions;
  if (kind === 'bpmn') {
    if (defs?.$type !== 'bpmn:Definitions')
      throw invalid(contentError('not a BPMN 2.0 document', 'modeling.error.notBpmn'));
    const processes = (defs.rootElements ?? []).filter((r: Moddle) => r.$type === 'bpmn:Process');
    if (processes.length === 0)
      throw invalid(contentError('the diagram defines no process', 'modeling.error.noProcess'));
    const main = processes.find((p: Moddle) => p.isExecutable) ?? processes[0];
    return {
      key: main.id,
      ids: processes.map((p: Moddle) => p.id),
      name: main.name ?? main.id,
      references: bpmnReferences(defs),
    };
  }
  if (defs?.$type !== 'dmn:Definitions')
    throw invalid(contentError('not a DMN 1.3 document', 'modeling.error.notDmn'));
  const decisions = (defs.drgElement ?? []).filter((d: Moddle) => d.$type === 'dmn:Decision');
  if (decisions.length === 0)
    throw invalid(contentError('the document defines no decision', 'modeling.error.noDecision'));
  return {
    key: decisions[0].id,
    ids: decisions.map((d: Moddle) => d.id),
    name: defs.name ?? decisions[0].name ?? decisions[0].id,
    references: {
      ...NO_REFERENCES,
      calledDecisions: uniq(
        decisions.flatMap((d: Moddle) =>
          (d.informationRequirement ?? []).map((r: Moddle) =>
            r.requiredDecision?.href?.replace(/^#/, ''),
          ),
        ),
      ),
    },
  };
}

function identifyForm(content: string): ModelIdentity {
  let schema: unknown;
  try {
    schema = JSON.parse(content);
  } catch (err) {
    throw invalid(
      contentError(`not valid JSON: ${(err as Error).message}`, 'modeling.error.json', {
        reason: (err as Error).message,
      }),
    );
  }
  const s = schema as { $id?: unknown; title?: unknown; type?: unknown; properties?: unknown };
  if (
    !s ||
    typeof s !== 'object' ||
    Array.isArray(s) ||
    s.type !== 'object' ||
    typeof s.properties !== 'object'
  ) {
    throw invalid(
      contentError(
        'a form is a JSON Schema with "type": "object" and "properties"',
        'modeling.error.notForm',
      ),
    );
  }
  const key = typeof s.$id === 'string' ? (/([A-Za-z0-9_.-]+)\.json$/.exec(s.$id)?.[1] ?? '') : '';
  return {
    key,
    ids: key ? [key] : [],
    name: typeof s.title === 'string' ? s.title : key,
    references: NO_REFERENCES,
  };
}
