/**
 * Loads the JSON Schema forms of forms/ (one file per formKey) and validates
 * submissions server-side with ajv. The server is the authority: a submission that
 * does not validate is refused with Italian messages naming each field.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { addDomainFormats } from './formats';

export const DEFAULT_FORMS_DIR = path.resolve(__dirname, '..', '..', 'forms');

/** A form: the JSON Schema plus UI hints under `x-ui` (see forms/README.md). */
export interface FormSchema {
  $id?: string;
  title: string;
  description?: string;
  type: 'object';
  required?: string[];
  properties: Record<string, Record<string, unknown>>;
  'x-ui'?: {
    order?: string[];
    widgets?: Record<string, string>;
    enumLabels?: Record<string, Record<string, string>>;
    submitLabel?: string;
  };
}

export interface FieldError {
  /** JSON pointer-like path of the field, e.g. "offers/0/vatNumber" ('' = the form). */
  field: string;
  /** Italian message for the user. */
  message: string;
}

export type ValidationResult = { valid: true } | { valid: false; errors: FieldError[] };

export class UnknownFormError extends Error {
  constructor(readonly formKey: string) {
    super(`Unknown form key "${formKey}"`);
    this.name = 'UnknownFormError';
  }
}

export class FormValidationError extends Error {
  constructor(
    readonly formKey: string,
    readonly errors: FieldError[],
  ) {
    super(`Form "${formKey}" is not valid: ${errors.map((e) => `${e.field || '(form)'}: ${e.message}`).join('; ')}`);
    this.name = 'FormValidationError';
  }
}

export function createFormAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    // if/then branches name fields declared at the top level of the form.
    strictRequired: false,
    multipleOfPrecision: 6,
  });
  addFormats(ajv);
  addDomainFormats(ajv);
  ajv.addVocabulary(['x-ui']);
  return ajv;
}

function fieldTitle(schema: FormSchema, pathParts: string[]): string | undefined {
  let node: Record<string, unknown> | undefined = schema as unknown as Record<string, unknown>;
  for (const part of pathParts) {
    if (!node) return undefined;
    if (node.type === 'array') node = node.items as Record<string, unknown> | undefined;
    if (/^\d+$/.test(part)) continue;
    node = (node?.properties as Record<string, Record<string, unknown>> | undefined)?.[part];
  }
  return typeof node?.title === 'string' ? node.title : undefined;
}

function italianMessage(err: ErrorObject): string {
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return 'Campo obbligatorio';
    case 'additionalProperties':
      return `Campo non previsto: ${String(p.additionalProperty)}`;
    case 'type':
      return p.type === 'number' || p.type === 'integer'
        ? 'Inserire un numero'
        : p.type === 'boolean'
          ? 'Scegliere sì o no'
          : 'Valore non valido';
    case 'enum':
      return 'Scegliere uno dei valori proposti';
    case 'format':
      switch (p.format) {
        case 'email':
          return 'Indirizzo e-mail non valido';
        case 'date':
          return 'Data non valida (AAAA-MM-GG)';
        case 'date-time':
          return 'Data e ora non valide';
        case 'codice-fiscale':
          return 'Codice fiscale non valido';
        case 'partita-iva':
          return 'Partita IVA non valida';
        case 'istat-comune':
          return 'Codice ISTAT del comune inesistente';
        default:
          return 'Formato non valido';
      }
    case 'pattern':
      return 'Formato non valido';
    case 'minLength':
      return Number(p.limit) <= 1 ? 'Campo obbligatorio' : `Inserire almeno ${String(p.limit)} caratteri`;
    case 'maxLength':
      return `Inserire al massimo ${String(p.limit)} caratteri`;
    case 'minimum':
      return `Il valore minimo è ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `Il valore deve essere maggiore di ${String(p.limit)}`;
    case 'maximum':
      return `Il valore massimo è ${String(p.limit)}`;
    case 'multipleOf':
      return 'Usare al massimo due decimali';
    case 'minItems':
      return `Inserire almeno ${String(p.limit)} elementi`;
    case 'maxItems':
      return `Inserire al massimo ${String(p.limit)} elementi`;
    case 'uniqueItems':
      return 'Valori ripetuti';
    default:
      return 'Valore non valido';
  }
}

function toFieldErrors(schema: FormSchema, errors: ErrorObject[]): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const err of errors) {
    if (err.keyword === 'if') continue; // reported through the failing `then` keywords
    const parts = err.instancePath.split('/').slice(1);
    if (err.keyword === 'required') parts.push(String((err.params as { missingProperty: string }).missingProperty));
    const field = parts.join('/');
    const title = parts.length > 0 ? fieldTitle(schema, parts) : undefined;
    const message = title ? `${title}: ${italianMessage(err)}` : italianMessage(err);
    const key = `${field}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message });
  }
  return out;
}

export interface FormRegistry {
  formKeys(): string[];
  get(formKey: string): FormSchema;
  has(formKey: string): boolean;
  validate(formKey: string, data: unknown): ValidationResult;
  /** Validates and returns the data, or throws FormValidationError. */
  assertValid(formKey: string, data: unknown): Record<string, unknown>;
}

export function loadFormRegistry(formsDir: string = DEFAULT_FORMS_DIR): FormRegistry {
  const ajv = createFormAjv();
  const forms = new Map<string, { schema: FormSchema; validate: ValidateFunction }>();
  for (const file of readdirSync(formsDir).filter((f) => f.endsWith('.json')).sort()) {
    const formKey = path.basename(file, '.json');
    let schema: FormSchema;
    try {
      schema = JSON.parse(readFileSync(path.join(formsDir, file), 'utf8')) as FormSchema;
    } catch (err) {
      throw new Error(`forms/${file}: invalid JSON: ${(err as Error).message}`);
    }
    try {
      forms.set(formKey, { schema, validate: ajv.compile(schema) });
    } catch (err) {
      throw new Error(`forms/${file}: invalid form schema: ${(err as Error).message}`);
    }
  }
  const entry = (formKey: string) => {
    const f = forms.get(formKey);
    if (!f) throw new UnknownFormError(formKey);
    return f;
  };
  const registry: FormRegistry = {
    formKeys: () => [...forms.keys()],
    has: (formKey) => forms.has(formKey),
    get: (formKey) => entry(formKey).schema,
    validate(formKey, data) {
      const f = entry(formKey);
      if (f.validate(data)) return { valid: true };
      return { valid: false, errors: toFieldErrors(f.schema, f.validate.errors ?? []) };
    },
    assertValid(formKey, data) {
      const result = registry.validate(formKey, data);
      if (!result.valid) throw new FormValidationError(formKey, result.errors);
      return data as Record<string, unknown>;
    },
  };
  return registry;
}
