/**
 * Server-side validation of form data with ajv: the server is the authority.
 *
 * Messages come from ajv-i18n (Italian, or English) and from the forms themselves
 * through ajv-errors (`errorMessage`, e.g. "il CIG è di 10 caratteri"); the only
 * message the product adds is the one for a missing field, injected into every
 * `required` list as an ajv-errors message so that it names the field, not
 * "the attribute <id>". No ajv message is translated by hand here.
 *
 * Drafts use partial validation: the same schema without any `required`, so a
 * half-filled form can be saved but an unknown field or a wrong type cannot.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import ajvErrors from 'ajv-errors';
import addFormats from 'ajv-formats';
import localizeEn from 'ajv-i18n/localize/en';
import localizeIt from 'ajv-i18n/localize/it';
import { addDomainFormats } from './formats';
import { labelAt, orderedProperties, type FormSchema, type SchemaNode } from './form-schema';

export type FormLocale = 'it' | 'en';

export interface FieldError {
  /** Data path of the field, e.g. "offers/0/vatNumber" ('' = the form as a whole). */
  field: string;
  /** The field's label (its schema title), when it has one. */
  label?: string;
  /** What is wrong, without the label: shown next to the field. */
  problem: string;
  /** "Label: problem" — for the error summary and the API. */
  message: string;
  /** The ajv keyword that failed (required, pattern, format, type, ...). */
  keyword: string;
  /** An i18n key for the problem, when it is not ajv's (e.g. inbox.input.reasonRequired). */
  key?: string;
  params?: Record<string, unknown>;
}

export type ValidationResult = { valid: true } | { valid: false; errors: FieldError[] };

const REQUIRED_MESSAGE: Record<FormLocale, string> = {
  it: 'campo obbligatorio',
  en: 'this field is required',
};

const LOCALIZE: Record<FormLocale, (errors?: ErrorObject[] | null) => void> = {
  it: localizeIt,
  en: localizeEn,
};

export function createFormAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true, // needed by ajv-errors, and to report every field at once
    strict: true,
    // if/then branches name fields declared at the top level of the form.
    strictRequired: false,
    multipleOfPrecision: 6,
  });
  addFormats(ajv);
  addDomainFormats(ajv);
  ajvErrors(ajv);
  ajv.addVocabulary(['x-ui']);
  return ajv;
}

type Mutable = Record<string, unknown>;

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Visits every subschema that validates data (not `if`, which only decides). */
function eachSubschema(node: Mutable, visit: (n: Mutable) => void): void {
  visit(node);
  const props = node.properties as Record<string, Mutable> | undefined;
  for (const child of Object.values(props ?? {})) eachSubschema(child, visit);
  if (node.items && typeof node.items === 'object') eachSubschema(node.items as Mutable, visit);
  for (const rule of (node.allOf as Mutable[] | undefined) ?? []) {
    if (rule.then) eachSubschema(rule.then as Mutable, visit);
    if (rule.else) eachSubschema(rule.else as Mutable, visit);
    if (!rule.if) eachSubschema(rule, visit);
  }
}

/** The schema ajv compiles: the form plus the "required" messages of one locale. */
export function withRequiredMessages(form: FormSchema, locale: FormLocale): FormSchema {
  const copy = clone(form) as unknown as Mutable;
  eachSubschema(copy, (node) => {
    const required = node.required as string[] | undefined;
    if (!required?.length) return;
    const existing = (node.errorMessage ?? {}) as Mutable;
    if (typeof existing !== 'object') return; // a form-wide message wins
    const own = (existing.required ?? {}) as Record<string, string>;
    node.errorMessage = {
      ...existing,
      required: Object.fromEntries(required.map((n) => [n, own[n] ?? REQUIRED_MESSAGE[locale]])),
    };
  });
  return copy as unknown as FormSchema;
}

/** The same form with nothing required: what a draft is checked against. */
export function withoutRequired(form: FormSchema): FormSchema {
  const copy = clone(form) as unknown as Mutable;
  eachSubschema(copy, (node) => {
    delete node.required;
    const em = node.errorMessage as Mutable | undefined;
    if (em && typeof em === 'object') delete em.required;
  });
  return copy as unknown as FormSchema;
}

function joinPath(parent: string, child: string): string {
  return [parent, child].filter(Boolean).join('/');
}

function fieldOf(err: ErrorObject): string {
  const at = err.instancePath.split('/').slice(1).join('/');
  if (err.keyword === 'required') {
    return joinPath(at, String((err.params as { missingProperty: string }).missingProperty));
  }
  return at;
}

/** ajv errors → one error per field and problem, labelled with the field's title. */
export function toFieldErrors(
  form: FormSchema,
  errors: ErrorObject[],
  locale: FormLocale,
): FieldError[] {
  // ajv-errors' own messages are final; every other message comes from ajv-i18n.
  const plain = errors.filter((e) => e.keyword !== 'errorMessage');
  LOCALIZE[locale](plain);
  const out: FieldError[] = [];
  const seen = new Set<string>();
  const push = (field: string, problem: string, keyword: string) => {
    const key = `${field}|${problem}`;
    if (seen.has(key)) return;
    seen.add(key);
    const label = field ? labelAt(form as SchemaNode, field) : undefined;
    out.push({
      field,
      label,
      problem,
      keyword,
      message: label ? `${label}: ${problem}` : problem,
    });
  };
  for (const err of errors) {
    if (err.keyword === 'if') continue; // reported through the failing `then` keywords
    if (err.keyword === 'errorMessage') {
      const originals = (err.params as { errors?: ErrorObject[] }).errors ?? [];
      for (const original of originals) {
        push(fieldOf(original), err.message ?? '', original.keyword);
      }
      continue;
    }
    if (err.keyword === 'additionalProperties') {
      const extra = String((err.params as { additionalProperty: string }).additionalProperty);
      push(joinPath(fieldOf(err), extra), `${err.message ?? ''}: ${extra}`, err.keyword);
      continue;
    }
    push(fieldOf(err), err.message ?? '', err.keyword);
  }
  // In the order the fields are shown, so the summary reads top to bottom.
  const keys = new Map(out.map((e) => [e, orderKey(form, e.field)]));
  return out.sort((a, b) => compareKeys(keys.get(a)!, keys.get(b)!));
}

/** Position of a field in display order: per segment its index (array rows: the row). */
function orderKey(form: FormSchema, dataPath: string): number[] {
  const key: number[] = [];
  let node: SchemaNode | undefined = form;
  let order = form['x-ui']?.order;
  for (const part of dataPath.split('/').filter(Boolean)) {
    if (!node) break;
    if (/^\d+$/.test(part) && node.items) {
      key.push(Number(part));
      node = node.items;
      continue;
    }
    const names = orderedProperties(node, order);
    const i = names.indexOf(part);
    key.push(i < 0 ? names.length : i);
    node = node.properties?.[part];
    order = undefined;
  }
  return key;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

export interface CompiledValidator {
  validate(data: unknown, opts?: { locale?: FormLocale; partial?: boolean }): ValidationResult;
}

/** Compiles a form's validators lazily (one per locale, plus the partial one per locale). */
export function compileValidator(form: FormSchema, ajv: Ajv = createFormAjv()): CompiledValidator {
  const compiled = new Map<string, ValidateFunction>();
  const get = (locale: FormLocale, partial: boolean): ValidateFunction => {
    const key = `${locale}:${partial}`;
    let fn = compiled.get(key);
    if (!fn) {
      const schema = withRequiredMessages(partial ? withoutRequired(form) : form, locale);
      delete (schema as { $id?: string }).$id; // several variants of one form in one ajv
      fn = ajv.compile(schema);
      compiled.set(key, fn);
    }
    return fn;
  };
  // Compile the main variant at once so that a broken form fails at load time.
  get('it', false);
  return {
    validate(data, opts = {}) {
      const locale = opts.locale ?? 'it';
      const fn = get(locale, Boolean(opts.partial));
      if (fn(data)) return { valid: true };
      return { valid: false, errors: toFieldErrors(form, fn.errors ?? [], locale) };
    },
  };
}
