/**
 * The settings editor's forms, generated from the JSON Schema that validates
 * engine-config (src/config/schema): one form per section, rendered by the one form
 * renderer (src/forms). Labels come from the i18n catalogue (admin.settings.field.*), the
 * legal source of a value (x-source) is shown in its help text. Maps in the schema
 * (`additionalProperties` objects, e.g. office heads per group) become repeatable rows
 * with a "key" column, and back.
 */
import { settingsSchema } from '../../../config/schema/settings';
import type { FormSchema, SchemaNode } from '../../../forms';
import { hasKey, translate, type Locale } from '../../i18n';

type Value = unknown;

export interface SectionForm {
  section: string;
  form: FormSchema;
  /** Settings value of the section → form values. */
  toForm(value: Value): Record<string, unknown>;
  /** Parsed form data → settings value of the section. */
  fromForm(data: Record<string, unknown>): Value;
  /** A settings field path inside the section ("thresholds/x") → the form's data path. */
  formPath(settingsPath: string, value: Value): string;
}

export const SECTION_ORDER = [
  'procurement',
  'euFunding',
  'dataRequests',
  'training',
  'calendar',
  'inbox',
  'processes',
  'offices',
  'notifications',
  'documents',
  'locale',
];

export function settingsSections(): string[] {
  const all = Object.keys((settingsSchema as { properties: Record<string, unknown> }).properties);
  return [
    ...SECTION_ORDER.filter((s) => all.includes(s)),
    ...all.filter((s) => !SECTION_ORDER.includes(s)),
  ];
}

interface Converted {
  schema: SchemaNode;
  to(v: Value): Value;
  from(v: Value): Value;
  /** Maps one settings path segment list to form path segments. */
  path(parts: string[], v: Value): string[];
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function labels(
  locale: Locale,
  keyPath: string,
  name: string,
  node: SchemaNode,
): { title: string; description?: string } {
  const key = `admin.settings.field.${keyPath}`;
  const title = hasKey(key) ? translate(locale, key) : humanize(name);
  const help = hasKey(`${key}.help`) ? translate(locale, `${key}.help`) : undefined;
  const source =
    typeof node['x-source'] === 'string'
      ? translate(locale, 'admin.settings.source', { source: node['x-source'] })
      : undefined;
  const duration =
    typeof node.pattern === 'string' && node.pattern.startsWith('^P(?!$)')
      ? translate(locale, 'admin.settings.durationHelp')
      : undefined;
  const description = [help, duration, source].filter(Boolean).join(' ');
  return { title, description: description || undefined };
}

/** Only the JSON Schema keywords the form renderer and validator understand. */
function scalar(node: SchemaNode, locale: Locale, keyPath: string, name: string): SchemaNode {
  const {
    'x-source': _s,
    additionalProperties: _a,
    ...rest
  } = node as SchemaNode & { additionalProperties?: unknown };
  return { ...rest, ...labels(locale, keyPath, name, node) };
}

function convert(node: SchemaNode, locale: Locale, keyPath: string, name: string): Converted {
  const addl = (node as { additionalProperties?: unknown }).additionalProperties;
  const lab = labels(locale, keyPath, name, node);
  if (node.type === 'object' && !node.properties && isObj(addl)) {
    // A map: rows with a key.
    const inner = convert(addl as SchemaNode, locale, `${keyPath}.value`, 'value');
    const innerIsObject = inner.schema.type === 'object' && inner.schema.properties;
    const keyField: SchemaNode = {
      type: 'string',
      minLength: 1,
      maxLength: 60,
      title: translate(locale, `admin.settings.mapKey.${keyPath}`),
    };
    const items: SchemaNode = innerIsObject
      ? {
          type: 'object',
          required: ['key'],
          properties: { key: keyField, ...inner.schema.properties },
        }
      : {
          type: 'object',
          required: ['key', 'value'],
          properties: { key: keyField, value: inner.schema },
        };
    return {
      schema: { type: 'array', ...lab, items },
      to: (v) =>
        isObj(v)
          ? Object.entries(v).map(([k, x]) =>
              innerIsObject
                ? { key: k, ...(inner.to(x) as object) }
                : { key: k, value: inner.to(x) },
            )
          : [],
      from: (rows) =>
        Object.fromEntries(
          (Array.isArray(rows) ? rows : [])
            .filter((r) => isObj(r) && typeof r.key === 'string' && r.key)
            .map((r) => {
              const { key, ...rest } = r as Record<string, unknown>;
              return [key as string, inner.from(innerIsObject ? rest : rest.value)];
            }),
        ),
      path: (parts, v) => {
        if (!parts.length || !isObj(v)) return parts;
        const index = Math.max(0, Object.keys(v).indexOf(parts[0]));
        const rest = inner.path(parts.slice(1), v[parts[0]]);
        return innerIsObject ? [String(index), ...rest] : [String(index), 'value', ...rest];
      },
    };
  }
  if (node.type === 'object' && node.properties) {
    const children = Object.fromEntries(
      Object.entries(node.properties).map(([k, child]) => [
        k,
        convert(child, locale, `${keyPath}.${k}`, k),
      ]),
    );
    return {
      schema: {
        type: 'object',
        ...lab,
        required: node.required,
        properties: Object.fromEntries(Object.entries(children).map(([k, c]) => [k, c.schema])),
      },
      to: (v) =>
        isObj(v)
          ? Object.fromEntries(
              Object.entries(v).map(([k, x]) => [k, children[k] ? children[k].to(x) : x]),
            )
          : v,
      from: (v) => {
        if (!isObj(v)) return v;
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
          const value = children[k] ? children[k].from(x) : x;
          if (value !== undefined) out[k] = value;
        }
        return out;
      },
      path: (parts, v) =>
        parts.length && children[parts[0]]
          ? [
              parts[0],
              ...children[parts[0]].path(parts.slice(1), isObj(v) ? v[parts[0]] : undefined),
            ]
          : parts,
    };
  }
  if (node.type === 'array' && node.items && (node.items as SchemaNode).type === 'object') {
    const item = convert(node.items as SchemaNode, locale, `${keyPath}.item`, 'item');
    return {
      schema: {
        ...scalar(node, locale, keyPath, name),
        items: { ...item.schema, title: lab.title },
      },
      to: (v) => (Array.isArray(v) ? v.map((x) => item.to(x)) : v),
      from: (v) => (Array.isArray(v) ? v.map((x) => item.from(x)) : v),
      path: (parts, v) =>
        parts.length
          ? [
              parts[0],
              ...item.path(parts.slice(1), Array.isArray(v) ? v[Number(parts[0])] : undefined),
            ]
          : parts,
    };
  }
  return {
    schema: scalar(node, locale, keyPath, name),
    to: (v) => v,
    from: (v) => v,
    path: (parts) => parts,
  };
}

export function sectionForm(section: string, locale: Locale): SectionForm {
  const node = (settingsSchema as unknown as { properties: Record<string, SchemaNode> }).properties[
    section
  ];
  if (!node) throw new Error(`unknown settings section ${section}`);
  const title = translate(locale, `admin.settings.section.${section}`);
  // A section that is not an object (e.g. locale, offices) becomes a form with one field.
  const wrapped = node.type !== 'object' || !node.properties;
  const converted = wrapped
    ? convert({ type: 'object', properties: { [section]: node } }, locale, section, section)
    : convert(node, locale, section, section);
  const form: FormSchema = {
    title,
    type: 'object',
    properties: converted.schema.properties ?? {},
    'x-ui': { widgets: currencyWidgets(section) },
  };
  return {
    section,
    form,
    toForm: (value) => {
      const v = wrapped ? { [section]: converted.to({ [section]: value }) } : converted.to(value);
      return ((wrapped ? (v as Record<string, Record<string, unknown>>)[section] : v) ??
        {}) as Record<string, unknown>;
    },
    fromForm: (data) => {
      const v = converted.from(data) as Record<string, unknown>;
      return wrapped ? v[section] : v;
    },
    formPath: (settingsPath, value) => {
      const parts = settingsPath.split('/').filter(Boolean);
      return converted
        .path(wrapped ? [section, ...parts] : parts, wrapped ? { [section]: value } : value)
        .join('/');
    },
  };
}

/** Euro amounts get the renderer's currency input (Italian format, "1.234,56"). */
function currencyWidgets(section: string): Record<string, string> {
  if (section !== 'procurement') return {};
  const keys = [
    'euWorks',
    'euServicesSupplies',
    'euSocialServices',
    'directAwardWorks',
    'directAwardServicesSupplies',
    'negotiatedWorksTenOperators',
  ];
  return Object.fromEntries(keys.map((k) => [`thresholds.${k}`, 'currency']));
}
