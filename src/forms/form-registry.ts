/**
 * The forms of forms/ (one JSON Schema file per formKey), loaded and compiled once:
 * validation (full for completions, partial for drafts), the browser input parser and
 * the renderer, behind one registry. The server is the authority: a submission that
 * does not validate never reaches the engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Ajv from 'ajv';
import type { FormSchema } from './form-schema';
import {
  compileValidator,
  createFormAjv,
  type CompiledValidator,
  type FieldError,
  type FormLocale,
  type ValidationResult,
} from './validation';

export const DEFAULT_FORMS_DIR = path.resolve(__dirname, '..', '..', 'forms');

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
    super(
      `Form "${formKey}" is not valid: ${errors.map((e) => `${e.field || '(form)'}: ${e.problem}`).join('; ')}`,
    );
    this.name = 'FormValidationError';
  }
}

export interface ValidateOptions {
  locale?: FormLocale;
  /** Drafts: nothing is required, but unknown fields and wrong types are still refused. */
  partial?: boolean;
}

export interface FormRegistry {
  formKeys(): string[];
  get(formKey: string): FormSchema;
  has(formKey: string): boolean;
  validate(formKey: string, data: unknown, opts?: ValidateOptions): ValidationResult;
  /** Validates and returns the data, or throws FormValidationError. */
  assertValid(formKey: string, data: unknown, opts?: ValidateOptions): Record<string, unknown>;
}

/** Compiles one form (e.g. an unsaved form in the modeler's preview); throws if it is broken. */
export function compileForm(schema: FormSchema, ajv: Ajv = createFormAjv()): CompiledValidator {
  return compileValidator(schema, ajv);
}

export function loadFormRegistry(formsDir: string = DEFAULT_FORMS_DIR): FormRegistry {
  const ajv = createFormAjv();
  const forms = new Map<string, { schema: FormSchema; validator: CompiledValidator }>();
  for (const file of readdirSync(formsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const formKey = path.basename(file, '.json');
    let schema: FormSchema;
    try {
      schema = JSON.parse(readFileSync(path.join(formsDir, file), 'utf8')) as FormSchema;
    } catch (err) {
      throw new Error(`forms/${file}: invalid JSON: ${(err as Error).message}`);
    }
    try {
      forms.set(formKey, { schema, validator: compileValidator(schema, ajv) });
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
    validate: (formKey, data, opts) => entry(formKey).validator.validate(data, opts),
    assertValid(formKey, data, opts) {
      const result = registry.validate(formKey, data, opts);
      if (!result.valid) throw new FormValidationError(formKey, result.errors);
      return data as Record<string, unknown>;
    },
  };
  return registry;
}
