/**
 * The one server-side form renderer: a JSON Schema form (+ x-ui hints) → Bootstrap
 * Italia markup. The inbox, the start forms, the form preview of the modeler and the
 * settings editor all use it.
 *
 *   renderForm(form, { t, values, errors, action, hidden })   a whole <form>
 *   renderFormFields(form, { t, values, errors })             the fields only
 *   renderErrorSummary(errors, { t })                         the summary alone
 *
 * Every text comes from `t` (the i18n layer) or from the form itself; values are
 * escaped. The markup works without JavaScript: radios and selects for enums, one
 * spare row plus an "add a row" submit button for repeatable groups, conditional
 * fields always present (a small script hides those that do not apply, marked with
 * `data-pc-show-if`). Errors follow the GOV.UK / Bootstrap Italia pattern: a summary
 * at the top linking to each field, and the message next to the field.
 */
import { DateTime } from 'luxon';
import {
  conditionHolds,
  conditionsOf,
  enumLabel,
  orderedProperties,
  typeOf,
  widgetOf,
  type ContextField,
  type FieldCondition,
  type FormSchema,
  type SchemaNode,
} from './form-schema';
import { formHasFiles } from './form-input';
import type { FieldError } from './validation';

export type Translate = (key: string, params?: Record<string, unknown>) => string;

export interface UploadedFile {
  name: string;
  /** Download link of the stored file, if any. */
  href?: string;
}

export interface RenderOptions {
  t: Translate;
  /** Current data (a draft, the process variables, the last submission). */
  values?: Record<string, unknown>;
  /** What the user typed, by data path, after a refused submission (wins over values). */
  raw?: Record<string, string>;
  errors?: FieldError[];
  /** Process variables shown read-only above the form (x-ui.context). */
  context?: Record<string, unknown>;
  /** Choices of comune-select fields. */
  comuni?: { istat: string; name: string }[];
  /** A comune user's own comune: shown, not choosable. */
  fixedComune?: { istat: string; name: string };
  /** Stored files of file fields, by data path. */
  files?: Record<string, UploadedFile[]>;
  /** Rows to add to repeatable groups, by data path (the no-JS "add a row"). */
  extraRows?: Record<string, number>;
  /** Show the values without inputs (a task one cannot work on). */
  readOnly?: boolean;
  /** Prefix of element ids (default "f"), so two forms can share a page. */
  idPrefix?: string;
  locale?: 'it' | 'en';
}

export interface FormElementOptions extends RenderOptions {
  action: string;
  /** Hidden fields: CSRF token, task version, ... */
  hidden?: Record<string, string>;
  submitLabel?: string;
  /** Extra submit buttons: { name, value, label } (e.g. save draft). */
  buttons?: { name: string; value: string; label: string; secondary?: boolean }[];
  /** Attributes of the <form> element (e.g. data-autosave="/attivita/1/bozza"). */
  attributes?: Record<string, string>;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const esc = escapeHtml;

function attrs(map: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(map)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${esc(v)}"`))
    .join('');
}

export function fieldId(prefix: string, dataPath: string): string {
  return `${prefix}-${dataPath.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

function formatNumber(value: number, locale: string, currency: boolean): string {
  if (!currency) return locale === 'it' ? String(value).replace('.', ',') : String(value);
  return locale === 'it' ? value.toFixed(2).replace('.', ',') : value.toFixed(2);
}

/** A value for display (context block, read-only fields). */
export function displayValue(
  value: unknown,
  type: ContextField['type'] | undefined,
  t: Translate,
  labels?: Record<string, string>,
  locale = 'it',
): string {
  if (value === undefined || value === null || value === '') return t('forms.empty');
  const loc = locale === 'it' ? 'it-IT' : 'en-GB';
  if (type === 'currency' && typeof value === 'number') {
    return new Intl.NumberFormat(loc, { style: 'currency', currency: 'EUR' }).format(value);
  }
  if (typeof value === 'boolean') return value ? t('forms.yes') : t('forms.no');
  if ((type === 'date' || type === 'datetime') && typeof value === 'string') {
    const dt = DateTime.fromISO(value, { zone: 'Europe/Rome' });
    if (dt.isValid) {
      return dt.setLocale(loc).toLocaleString(type === 'date' ? DateTime.DATE_MED : DateTime.DATETIME_MED);
    }
  }
  if (Array.isArray(value)) {
    return value
      .map((v) => (typeof v === 'object' ? JSON.stringify(v) : (labels?.[String(v)] ?? String(v))))
      .join(', ');
  }
  if (typeof value === 'number') return value.toLocaleString(loc);
  if (typeof value === 'object') return JSON.stringify(value);
  return labels?.[String(value)] ?? String(value);
}

export function renderErrorSummary(
  errors: FieldError[] | undefined,
  opts: { t: Translate; idPrefix?: string; targetOf?: (field: string) => string | undefined },
): string {
  if (!errors?.length) return '';
  const prefix = opts.idPrefix ?? 'f';
  const items = errors
    .map((e) => {
      const text = esc(e.message);
      const target = e.field ? (opts.targetOf ? opts.targetOf(e.field) : fieldId(prefix, e.field)) : undefined;
      return target ? `<li><a href="#${target}">${text}</a></li>` : `<li>${text}</li>`;
    })
    .join('');
  const title =
    errors.length === 1
      ? opts.t('forms.errorSummary.one')
      : opts.t('forms.errorSummary.many', { count: errors.length });
  return (
    `<div class="alert alert-danger pc-error-summary" role="alert" tabindex="-1" id="${prefix}-error-summary" aria-labelledby="${prefix}-error-summary-title" data-pc-error-summary>` +
    `<h2 class="h5" id="${prefix}-error-summary-title">${esc(title)}</h2>` +
    `<ul class="mb-0">${items}</ul></div>`
  );
}

function renderContext(form: FormSchema, opts: RenderOptions): string {
  const fields = form['x-ui']?.context ?? [];
  const values = opts.context ?? {};
  const shown = fields.filter((f) => values[f.variable] !== undefined);
  if (!shown.length) return '';
  const rows = shown
    .map(
      (f) =>
        `<dt class="col-sm-4">${esc(f.label)}</dt><dd class="col-sm-8">${esc(
          displayValue(values[f.variable], f.type, opts.t, f.enumLabels, opts.locale),
        )}</dd>`,
    )
    .join('');
  return `<section class="pc-form-context mb-4" aria-labelledby="${opts.idPrefix ?? 'f'}-context-title"><h2 class="h5" id="${opts.idPrefix ?? 'f'}-context-title">${esc(opts.t('forms.context.title'))}</h2><dl class="row mb-0">${rows}</dl></section>`;
}

interface FieldContext {
  form: FormSchema;
  opts: RenderOptions;
  prefix: string;
  errorsByField: Map<string, FieldError[]>;
  locale: string;
}

function valueAt(values: Record<string, unknown> | undefined, prop: string): unknown {
  return values?.[prop];
}

function errorBlock(fc: FieldContext, dataPath: string, id: string): { html: string; ids: string[]; invalid: boolean } {
  const errors = fc.errorsByField.get(dataPath) ?? [];
  if (!errors.length) return { html: '', ids: [], invalid: false };
  const text = errors.map((e) => esc(capitalize(e.problem))).join('. ');
  return {
    html: `<div class="invalid-feedback d-block" id="${id}-error">${text}</div>`,
    ids: [`${id}-error`],
    invalid: true,
  };
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function labelText(fc: FieldContext, node: SchemaNode, prop: string, required: boolean): string {
  const star = required
    ? ` <span class="pc-required" aria-hidden="true">*</span><span class="visually-hidden"> (${esc(fc.opts.t('forms.required'))})</span>`
    : '';
  return `${esc(node.title ?? prop)}${star}`;
}

function helpBlock(node: SchemaNode, id: string, condition?: string): { html: string; ids: string[] } {
  const parts: string[] = [];
  if (node.description) parts.push(esc(node.description));
  if (condition) parts.push(`<span class="pc-condition">${esc(condition)}</span>`);
  if (!parts.length) return { html: '', ids: [] };
  return { html: `<small class="form-text d-block" id="${id}-help">${parts.join(' ')}</small>`, ids: [`${id}-help`] };
}

function describedBy(ids: string[]): string | undefined {
  return ids.length ? ids.join(' ') : undefined;
}

function conditionText(
  fc: FieldContext,
  parent: SchemaNode,
  parentSchemaPath: string,
  conditions: FieldCondition[] | undefined,
): string | undefined {
  if (!conditions) return undefined;
  return conditions
    .map((c) => {
      const controlling = parent.properties?.[c.field];
      const path = parentSchemaPath ? `${parentSchemaPath}.${c.field}` : c.field;
      const value =
        typeof c.equals === 'boolean'
          ? c.equals
            ? fc.opts.t('forms.yes')
            : fc.opts.t('forms.no')
          : enumLabel(fc.form, path, c.equals);
      return fc.opts.t('forms.conditional', { field: controlling?.title ?? c.field, value });
    })
    .join(' ');
}

function inputText(fc: FieldContext, node: SchemaNode, widget: string, value: unknown, rawText: string | undefined): string {
  if (rawText !== undefined) return rawText;
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return formatNumber(value, fc.locale, widget === 'currency');
  if (widget === 'datetime' && typeof value === 'string') {
    const dt = DateTime.fromISO(value, { zone: 'Europe/Rome' });
    return dt.isValid ? dt.toFormat("yyyy-LL-dd'T'HH:mm") : value;
  }
  if (Array.isArray(value)) return value.join('\n');
  return String(value);
}

function renderScalar(
  fc: FieldContext,
  node: SchemaNode,
  prop: string,
  name: string,
  dataPath: string,
  schemaPath: string,
  value: unknown,
  required: boolean,
  condition?: string,
): string {
  const { opts } = fc;
  const id = fieldId(fc.prefix, dataPath);
  const widget = widgetOf(fc.form, schemaPath, node);
  const type = typeOf(node);
  const err = errorBlock(fc, dataPath, id);
  const help = helpBlock(node, id, condition);
  const aria = describedBy([...help.ids, ...err.ids]);
  const label = labelText(fc, node, prop, required);
  const readOnly = opts.readOnly || node.readOnly;

  if (readOnly) {
    const labels = fc.form['x-ui']?.enumLabels?.[schemaPath];
    const ctxType = widget === 'currency' ? 'currency' : node.format === 'date' ? 'date' : node.format === 'date-time' ? 'datetime' : undefined;
    return `<div class="mb-3 pc-field-readonly"><p class="fw-semibold mb-1" id="${id}">${esc(node.title ?? prop)}</p><p class="mb-0">${esc(displayValue(value, ctxType, opts.t, labels, fc.locale))}</p></div>`;
  }

  // Choices: radios (booleans, short enums, widget radio) and selects.
  const choices: { value: string; label: string }[] | undefined =
    type === 'boolean'
      ? [
          { value: 'true', label: opts.t('forms.yes') },
          { value: 'false', label: opts.t('forms.no') },
        ]
      : node.enum
        ? node.enum.map((v) => ({ value: String(v), label: enumLabel(fc.form, schemaPath, v) }))
        : undefined;
  const current = opts.raw?.[dataPath] ?? (value === undefined || value === null ? undefined : String(value));

  if (type === 'boolean' && widget === 'checkbox') {
    return `<div class="form-check mb-3"><input type="checkbox"${attrs({ id, name, value: 'true', checked: value === true, 'aria-describedby': aria, 'aria-invalid': err.invalid ? 'true' : undefined })}><label for="${id}">${label}</label>${help.html}${err.html}</div>`;
  }
  if (choices && widget !== 'select' && (widget === 'radio' || type === 'boolean')) {
    const options = choices
      .map((c, i) => {
        const optionId = i === 0 ? id : `${id}-${i}`;
        return `<div class="form-check form-check-inline"><input type="radio"${attrs({ id: optionId, name, value: c.value, checked: current === c.value, 'aria-describedby': i === 0 ? aria : undefined })}><label for="${optionId}">${esc(c.label)}</label></div>`;
      })
      .join('');
    return `<fieldset class="mb-4 pc-choice${err.invalid ? ' is-invalid' : ''}"${attrs({ 'aria-describedby': aria, 'aria-invalid': err.invalid ? 'true' : undefined })}><legend class="form-label fs-6 fw-semibold">${label}</legend>${help.html}<div>${options}</div>${err.html}</fieldset>`;
  }
  if (choices || widget === 'comune-select') {
    let list = choices;
    if (widget === 'comune-select') {
      if (opts.fixedComune) {
        return `<div class="mb-4"><p class="fw-semibold mb-1" id="${id}">${esc(node.title ?? prop)}</p><p class="mb-0">${esc(opts.fixedComune.name)} (${esc(opts.fixedComune.istat)})</p><input type="hidden"${attrs({ name, value: opts.fixedComune.istat })}>${err.html}</div>`;
      }
      list = (opts.comuni ?? []).map((c) => ({ value: c.istat, label: `${c.name} (${c.istat})` }));
    }
    const options = [`<option value="">${esc(opts.t('forms.choose'))}</option>`]
      .concat(
        (list ?? []).map(
          (c) => `<option${attrs({ value: c.value, selected: current === c.value })}>${esc(c.label)}</option>`,
        ),
      )
      .join('');
    return `<div class="select-wrapper mb-4"><label for="${id}">${label}</label><select${attrs({ id, name, class: `form-select${err.invalid ? ' is-invalid' : ''}`, 'aria-describedby': aria, 'aria-invalid': err.invalid ? 'true' : undefined, 'aria-required': required ? 'true' : undefined })}>${options}</select>${help.html}${err.html}</div>`;
  }

  const text = inputText(fc, node, widget, value, opts.raw?.[dataPath]);
  const common = {
    id,
    name,
    class: `form-control${err.invalid ? ' is-invalid' : ''}`,
    'aria-describedby': aria,
    'aria-invalid': err.invalid ? 'true' : undefined,
    'aria-required': required ? 'true' : undefined,
  };
  let control: string;
  if (widget === 'textarea') {
    control = `<textarea${attrs({ ...common, rows: 4, maxlength: node.maxLength })}>${esc(text)}</textarea>`;
  } else if (widget === 'currency') {
    control = `<div class="input-group"><span class="input-group-text" aria-hidden="true">€</span><input${attrs({ ...common, type: 'text', inputmode: 'decimal', value: text, autocomplete: 'off' })}></div>`;
  } else {
    const inputType =
      widget === 'date' || node.format === 'date'
        ? 'date'
        : widget === 'datetime' || node.format === 'date-time'
          ? 'datetime-local'
          : node.format === 'email'
            ? 'email'
            : 'text';
    const numeric = type === 'number' || type === 'integer';
    control = `<input${attrs({ ...common, type: inputType, value: text, inputmode: numeric ? (type === 'integer' ? 'numeric' : 'decimal') : undefined, maxlength: node.maxLength })}>`;
  }
  return `<div class="form-group mb-4"><label for="${id}" class="active">${label}</label>${control}${help.html}${err.html}</div>`;
}

function renderFiles(
  fc: FieldContext,
  node: SchemaNode,
  prop: string,
  name: string,
  dataPath: string,
  value: unknown,
  required: boolean,
  multiple: boolean,
  condition?: string,
): string {
  const id = fieldId(fc.prefix, dataPath);
  const err = errorBlock(fc, dataPath, id);
  const help = helpBlock(node, id, condition);
  const names = (Array.isArray(value) ? value : value ? [value] : []).map(String);
  const stored = new Map((fc.opts.files?.[dataPath] ?? []).map((f) => [f.name, f]));
  const current = names
    .map((n, i) => {
      const f = stored.get(n);
      const link = f?.href ? `<a href="${esc(f.href)}">${esc(n)}</a>` : esc(n);
      if (fc.opts.readOnly) return `<li>${link}</li>`;
      const keepId = `${id}-keep-${i}`;
      return `<li class="form-check"><input type="checkbox"${attrs({ id: keepId, name: multiple ? `${name}[]` : name, value: n, checked: true })}><label for="${keepId}">${esc(fc.opts.t('forms.file.keep'))}: ${link}</label></li>`;
    })
    .join('');
  const list = current
    ? `<p class="mb-1">${esc(fc.opts.t('forms.file.current'))}</p><ul class="list-unstyled mb-2">${current}</ul>`
    : '';
  if (fc.opts.readOnly) {
    return `<div class="mb-4"><p class="fw-semibold mb-1" id="${id}">${esc(node.title ?? prop)}</p>${list || esc(fc.opts.t('forms.empty'))}</div>`;
  }
  const uploadName = `${name}__upload`;
  const fileHelp = `<small class="form-text d-block" id="${id}-types">${esc(fc.opts.t('forms.file.help'))}</small>`;
  return `<div class="mb-4 pc-file"><label for="${id}" class="form-label fw-semibold">${labelText(fc, node, prop, required)}</label>${help.html}${list}<input${attrs({ type: 'file', id, name: uploadName, class: `form-control${err.invalid ? ' is-invalid' : ''}`, multiple, 'aria-describedby': describedBy([...help.ids, `${id}-types`, ...err.ids]), 'aria-invalid': err.invalid ? 'true' : undefined })}>${fileHelp}${err.html}</div>`;
}

function renderProperties(
  fc: FieldContext,
  node: SchemaNode,
  namePrefix: string,
  schemaPath: string,
  dataPath: string,
  values: Record<string, unknown> | undefined,
  order?: string[],
): string {
  const required = new Set(node.required ?? []);
  const conditions = conditionsOf(node);
  return orderedProperties(node, order)
    .map((prop) => {
      const child = node.properties![prop];
      const name = namePrefix ? `${namePrefix}[${prop}]` : prop;
      const childSchemaPath = schemaPath ? `${schemaPath}.${prop}` : prop;
      const childDataPath = dataPath ? `${dataPath}/${prop}` : prop;
      const cond = conditions.get(prop);
      const active = conditionHolds(cond, values);
      const isRequired = required.has(prop) || (cond !== undefined && active);
      const condition = cond ? conditionText(fc, node, schemaPath, cond) : undefined;
      const html = renderField(fc, child, prop, name, childSchemaPath, childDataPath, valueAt(values, prop), isRequired, condition);
      if (!cond) return html;
      const c = cond[0];
      const controlName = namePrefix ? `${namePrefix}[${c.field}]` : c.field;
      return `<div${attrs({ 'data-pc-show-if': controlName, 'data-pc-show-value': String(c.equals), 'data-pc-inactive': !active })}>${html}</div>`;
    })
    .join('');
}

function renderField(
  fc: FieldContext,
  node: SchemaNode,
  prop: string,
  name: string,
  schemaPath: string,
  dataPath: string,
  value: unknown,
  required: boolean,
  condition?: string,
): string {
  const type = typeOf(node);
  const widget = widgetOf(fc.form, schemaPath, node);
  const id = fieldId(fc.prefix, dataPath);
  if (widget === 'file' || widget === 'file-list') {
    return renderFiles(fc, node, prop, name, dataPath, value, required, widget === 'file-list', condition);
  }
  if (type === 'object') {
    const err = errorBlock(fc, dataPath, id);
    const help = helpBlock(node, id, condition);
    const inner = renderProperties(fc, node, name, schemaPath, dataPath, value as Record<string, unknown> | undefined);
    return `<fieldset class="mb-4 pc-group" id="${id}"><legend class="h6">${labelText(fc, node, prop, required)}</legend>${help.html}${err.html}${inner}</fieldset>`;
  }
  if (type === 'array' && typeOf(node.items ?? {}) === 'object') {
    const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
    const extra = fc.opts.extraRows?.[dataPath] ?? 0;
    const spare = fc.opts.readOnly ? 0 : (rows.length === 0 ? 1 : 0) + extra;
    const max = node.maxItems ?? 1000;
    const count = Math.min(rows.length + spare, max);
    const err = errorBlock(fc, dataPath, id);
    const help = helpBlock(node, id, condition);
    const body: string[] = [];
    for (let i = 0; i < count; i++) {
      const rowName = `${name}[${i}]`;
      const rowPath = `${dataPath}/${i}`;
      const rowId = fieldId(fc.prefix, rowPath);
      const fields = renderProperties(fc, node.items!, rowName, schemaPath, rowPath, rows[i]);
      const remove = fc.opts.readOnly
        ? ''
        : `<div class="form-check mt-2"><input type="checkbox"${attrs({ id: `${rowId}-remove`, name: `${rowName}[_remove]`, value: '1' })}><label for="${rowId}-remove">${esc(fc.opts.t('forms.row.remove'))}</label></div>`;
      body.push(
        `<fieldset class="pc-row border rounded p-3 mb-3" id="${rowId}" data-pc-row><legend class="h6 px-1 w-auto">${esc(fc.opts.t('forms.row', { n: i + 1, label: node.items?.title ?? node.title ?? prop }))}</legend>${fields}${remove}</fieldset>`,
      );
    }
    const add =
      fc.opts.readOnly || count >= max
        ? ''
        : `<button type="submit" class="btn btn-outline-primary btn-sm" name="_action" value="add-row:${esc(dataPath)}" formnovalidate>${esc(fc.opts.t('forms.row.add'))}</button>`;
    return `<fieldset class="mb-4 pc-table" id="${id}" data-pc-table="${esc(name)}"><legend class="h6">${labelText(fc, node, prop, required)}</legend>${help.html}${err.html}${body.join('')}${add}</fieldset>`;
  }
  if (type === 'array') {
    const items = node.items ?? {};
    if (items.enum) {
      const err = errorBlock(fc, dataPath, id);
      const help = helpBlock(node, id, condition);
      const current = new Set((Array.isArray(value) ? value : []).map(String));
      if (fc.opts.readOnly) {
        return renderScalar(fc, node, prop, name, dataPath, schemaPath, value, required, condition);
      }
      const boxes = items.enum
        .map((v, i) => {
          const optionId = i === 0 ? id : `${id}-${i}`;
          return `<div class="form-check"><input type="checkbox"${attrs({ id: optionId, name: `${name}[]`, value: String(v), checked: current.has(String(v)) })}><label for="${optionId}">${esc(enumLabel(fc.form, schemaPath, v))}</label></div>`;
        })
        .join('');
      return `<fieldset class="mb-4"${attrs({ 'aria-describedby': describedBy([...help.ids, ...err.ids]) })}><legend class="form-label fs-6 fw-semibold">${labelText(fc, node, prop, required)}</legend>${help.html}${boxes}${err.html}</fieldset>`;
    }
    // A list of strings: one per line.
    if (fc.opts.readOnly) {
      return renderScalar(fc, node, prop, name, dataPath, schemaPath, value, required, condition);
    }
    const listNode: SchemaNode = {
      ...node,
      description: [node.description, fc.opts.t('forms.list.help')].filter(Boolean).join(' '),
    };
    const err = errorBlock(fc, dataPath, id);
    const itemErrors = [...fc.errorsByField.entries()]
      .filter(([field]) => field.startsWith(`${dataPath}/`))
      .flatMap(([, errors]) => errors);
    const itemErrorHtml = itemErrors.length
      ? `<div class="invalid-feedback d-block" id="${id}-items-error">${itemErrors.map((e) => esc(capitalize(e.problem))).join('. ')}</div>`
      : '';
    const help = helpBlock(listNode, id, condition);
    const invalid = err.invalid || itemErrors.length > 0;
    const text = fc.opts.raw?.[dataPath] ?? (Array.isArray(value) ? value.join('\n') : '');
    const aria = describedBy([...help.ids, ...err.ids, ...(itemErrors.length ? [`${id}-items-error`] : [])]);
    return `<div class="form-group mb-4"><label for="${id}" class="active">${labelText(fc, node, prop, required)}</label><textarea${attrs({ id, name, rows: 3, class: `form-control${invalid ? ' is-invalid' : ''}`, 'aria-describedby': aria, 'aria-invalid': invalid ? 'true' : undefined, 'aria-required': required ? 'true' : undefined })}>${esc(text)}</textarea>${help.html}${err.html}${itemErrorHtml}</div>`;
  }
  return renderScalar(fc, node, prop, name, dataPath, schemaPath, value, required, condition);
}

function fieldContext(form: FormSchema, opts: RenderOptions): FieldContext {
  const errorsByField = new Map<string, FieldError[]>();
  for (const e of opts.errors ?? []) errorsByField.set(e.field, [...(errorsByField.get(e.field) ?? []), e]);
  return { form, opts, prefix: opts.idPrefix ?? 'f', errorsByField, locale: opts.locale ?? 'it' };
}

/** The summary, the read-only context and the fields of a form (no <form> element). */
export function renderFormFields(form: FormSchema, opts: RenderOptions): string {
  const fc = fieldContext(form, opts);
  const fields = renderProperties(fc, form, '', '', '', opts.values, form['x-ui']?.order);
  // Link each error to its field, or to the closest enclosing group that was rendered.
  const ids = new Set([...fields.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
  const targetOf = (field: string): string | undefined => {
    const parts = field.split('/');
    while (parts.length) {
      const id = fieldId(fc.prefix, parts.join('/'));
      if (ids.has(id)) return id;
      parts.pop();
    }
    return undefined;
  };
  const summary = renderErrorSummary(opts.errors, { t: opts.t, idPrefix: fc.prefix, targetOf });
  const legend =
    opts.readOnly || !hasRequired(form)
      ? ''
      : `<p class="small text-secondary">${esc(opts.t('forms.required.legend'))}</p>`;
  return `${summary}${renderContext(form, opts)}${legend}${fields}`;
}

function hasRequired(node: SchemaNode): boolean {
  if (node.required?.length) return true;
  return Object.values(node.properties ?? {}).some(hasRequired) || (node.allOf ?? []).some((r) => Boolean(r.then?.required?.length));
}

/** A whole <form>: fields, hidden inputs (CSRF, version), the submit and extra buttons. */
export function renderForm(form: FormSchema, opts: FormElementOptions): string {
  const hidden = Object.entries(opts.hidden ?? {})
    .map(([name, value]) => `<input type="hidden"${attrs({ name, value })}>`)
    .join('');
  const buttons = opts.readOnly
    ? ''
    : `<div class="d-flex flex-wrap gap-2 mt-4"><button type="submit" class="btn btn-primary">${esc(opts.submitLabel ?? form['x-ui']?.submitLabel ?? opts.t('forms.submit'))}</button>${(opts.buttons ?? [])
        .map(
          (b) =>
            `<button type="submit"${attrs({ class: b.secondary === false ? 'btn btn-primary' : 'btn btn-outline-primary', name: b.name, value: b.value, formnovalidate: true })}>${esc(b.label)}</button>`,
        )
        .join('')}</div>`;
  return `<form${attrs({ method: 'post', action: opts.action, enctype: formHasFiles(form) ? 'multipart/form-data' : undefined, novalidate: true, class: 'pc-form', ...(opts.attributes ?? {}) })}>${hidden}${renderFormFields(form, opts)}${buttons}</form>`;
}
