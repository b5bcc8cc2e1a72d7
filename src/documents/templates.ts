/**
 * Handlebars templates for documents and e-mails. Defaults live in
 * engine-config/templates/default/<kind>/<name>.hbs; a province overrides any of
 * them, without code, by placing a file with the same name in
 * engine-config/templates/<ISTAT>/<kind>/<name>.hbs.
 *
 * E-mail templates start with a line "Oggetto: ..." (the subject), then a blank line,
 * then the body.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';

export const DEFAULT_TEMPLATES_DIR = path.resolve(
  __dirname,
  '..',
  '..',
  'engine-config',
  'templates',
);

export type TemplateKind = 'documents' | 'emails';

export class TemplateNotFoundError extends Error {
  constructor(kind: TemplateKind, name: string) {
    super(`Template "${kind}/${name}.hbs" not found`);
    this.name = 'TemplateNotFoundError';
  }
}

const NAME = /^[a-z0-9][a-z0-9-]{0,80}$/;

/** The file a tenant uses for a template: its own override, else the default. */
export function resolveTemplateFile(
  kind: TemplateKind,
  name: string,
  tenantId: string,
  templatesDir: string = DEFAULT_TEMPLATES_DIR,
): { file: string; overridden: boolean } {
  if (!NAME.test(name)) throw new TemplateNotFoundError(kind, name);
  const own = path.join(templatesDir, tenantId, kind, `${name}.hbs`);
  if (/^[0-9]{3}$/.test(tenantId) && existsSync(own)) return { file: own, overridden: true };
  const fallback = path.join(templatesDir, 'default', kind, `${name}.hbs`);
  if (existsSync(fallback)) return { file: fallback, overridden: false };
  throw new TemplateNotFoundError(kind, name);
}

const handlebars = Handlebars.create();
const euro = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' });
handlebars.registerHelper('euro', (value: unknown) =>
  typeof value === 'number' ? euro.format(value) : '',
);
handlebars.registerHelper('percent', (value: unknown) =>
  typeof value === 'number'
    ? `${value.toLocaleString('it-IT', { maximumFractionDigits: 2 })}%`
    : '',
);
handlebars.registerHelper('data', (value: unknown) => {
  if (typeof value !== 'string' && !(value instanceof Date)) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime())
    ? String(value)
    : d.toLocaleDateString('it-IT', {
        day: '2-digit',
        month: 'long',
        year: 'numeric',
        timeZone: 'Europe/Rome',
      });
});
handlebars.registerHelper('posizione', (index: unknown) =>
  typeof index === 'number' ? index + 1 : '',
);
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);

/**
 * The only helpers a template may use (checked at compile time, so an unknown helper is
 * an error with its line, not a silent empty string). Partials, decorators, `log` and
 * `lookup` are refused; handlebars' runtime already refuses prototype properties.
 */
export const TEMPLATE_HELPERS = ['euro', 'percent', 'data', 'posizione', 'eq'] as const;
export const TEMPLATE_BLOCK_HELPERS = ['if', 'unless', 'each', 'with'] as const;
const COMPILE_OPTIONS = {
  strict: false,
  knownHelpersOnly: true,
  knownHelpers: {
    ...Object.fromEntries(TEMPLATE_HELPERS.map((h) => [h, true])),
    log: false,
    lookup: false,
  },
};

/** Why a template source cannot be used: 1-based line (and column) and the reason. */
export interface TemplateProblem {
  line: number;
  column?: number;
  /** Italian, for the person editing the template. */
  reason: string;
  /** Handlebars' own message (English), for logs. */
  detail: string;
}

interface HbsNode {
  type: string;
  loc?: { start: { line: number; column: number } };
  [key: string]: unknown;
}

function findForbiddenNode(node: unknown): HbsNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as HbsNode;
  if (/^(Partial|PartialBlock|Decorator|DecoratorBlock)/.test(String(n.type))) return n;
  for (const value of Object.values(n)) {
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (child && typeof child === 'object' && 'type' in child) {
        const found = findForbiddenNode(child);
        if (found) return found;
      } else if (child && typeof child === 'object' && 'body' in child) {
        const found = findForbiddenNode(child);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** The innermost block opened and never closed, for a clearer message than the parser's. */
function unclosedBlock(text: string): { name: string; line: number } | undefined {
  const stack: { name: string; line: number }[] = [];
  const tag = /\{\{~?\s*([#^/])\s*([\w-]+)/g;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length;
    if (m[1] === '/') {
      const i = stack.map((b) => b.name).lastIndexOf(m[2]);
      if (i >= 0) stack.splice(i);
    } else {
      stack.push({ name: m[2], line });
    }
  }
  return stack.at(-1);
}

/** Checks that a template compiles with the allowed helpers; undefined when it does. */
export function checkTemplateSource(
  text: string,
  kind?: TemplateKind,
): TemplateProblem | undefined {
  let ast: unknown;
  try {
    ast = handlebars.parse(text);
  } catch (err) {
    const detail = (err as Error).message;
    const line = Number(/on line (\d+)/.exec(detail)?.[1] ?? 1);
    const got = /got '([A-Z_]+)'/.exec(detail)?.[1];
    if (got === 'EOF') {
      const open = unclosedBlock(text);
      if (open) {
        return {
          line: open.line,
          reason: `il blocco {{#${open.name}}} aperto qui non è chiuso da {{/${open.name}}}`,
          detail,
        };
      }
      return { line, reason: 'il modello finisce dentro un segnaposto {{ }} non chiuso', detail };
    }
    return { line, reason: 'sintassi non valida: segnaposto {{ }} malformato', detail };
  }
  const forbidden = findForbiddenNode(ast);
  if (forbidden) {
    return {
      line: forbidden.loc?.start.line ?? 1,
      column: forbidden.loc?.start.column,
      reason: 'i modelli non possono includere altri modelli (partial) né usare decoratori',
      detail: `forbidden ${forbidden.type}`,
    };
  }
  try {
    handlebars.precompile(text, COMPILE_OPTIONS);
  } catch (err) {
    const e = err as Error & { lineNumber?: number; column?: number };
    const detail = e.message;
    const helper = /unknown helper (\S+)/.exec(detail)?.[1];
    const mismatch = /^(\S+) doesn't match (\S+)/.exec(detail);
    const reason = helper
      ? `funzione «${helper}» non ammessa (ammesse: ${[...TEMPLATE_HELPERS, ...TEMPLATE_BLOCK_HELPERS].join(', ')})`
      : mismatch
        ? `il blocco {{#${mismatch[2]}}} è chiuso da {{/${mismatch[1]}}}`
        : 'il modello non si compila';
    return { line: e.lineNumber ?? 1, column: e.column, reason, detail };
  }
  if (kind === 'emails' && !/^Oggetto:\s*\S/.test(text.trimStart())) {
    return {
      line: 1,
      reason: 'un modello di e-mail deve iniziare con la riga «Oggetto: …»',
      detail: 'missing subject line',
    };
  }
  return undefined;
}

export interface RenderedTemplate {
  text: string;
  file: string;
  overridden: boolean;
}

/** Renders template text with the allowed helpers (no prototype access). */
export function renderTemplateSource(
  text: string,
  data: Record<string, unknown>,
  /** Plain-text output (e-mails, PDF text): no HTML escaping of values. */
  plainText = false,
): string {
  return handlebars.compile(text, { ...COMPILE_OPTIONS, noEscape: plainText })(data);
}

/**
 * Renders a tenant's template. `source`, when given, is the text of the province's
 * current version saved in the settings (src/settings); otherwise the file is used.
 */
export function renderTemplate(
  kind: TemplateKind,
  name: string,
  tenantId: string,
  data: Record<string, unknown>,
  templatesDir?: string,
  source?: string,
  options: { plainText?: boolean } = {},
): RenderedTemplate {
  const plainText = options.plainText === true;
  if (source !== undefined) {
    if (!NAME.test(name)) throw new TemplateNotFoundError(kind, name);
    return {
      text: renderTemplateSource(source, data, plainText),
      file: `settings:${kind}/${name}`,
      overridden: true,
    };
  }
  const { file, overridden } = resolveTemplateFile(kind, name, tenantId, templatesDir);
  return {
    text: renderTemplateSource(readFileSync(file, 'utf8'), data, plainText),
    file,
    overridden,
  };
}

/** Splits a rendered e-mail into subject and body. */
export function splitEmail(text: string, name: string): { subject: string; body: string } {
  const match = /^Oggetto:\s*(.*)\r?\n\r?\n?([\s\S]*)$/.exec(text.trimStart());
  if (!match) throw new Error(`E-mail template "${name}" must start with a line "Oggetto: ..."`);
  return { subject: match[1].trim(), body: match[2].trim() + '\n' };
}

export interface RenderedEmail {
  subject: string;
  body: string;
  overridden: boolean;
}

export function renderEmail(
  name: string,
  tenantId: string,
  data: Record<string, unknown>,
  templatesDir?: string,
  source?: string,
): RenderedEmail {
  // E-mails are text/plain: an apostrophe in a name must not arrive as "&#x27;".
  const { text, overridden } = renderTemplate(
    'emails',
    name,
    tenantId,
    data,
    templatesDir,
    source,
    {
      plainText: true,
    },
  );
  return { ...splitEmail(text, name), overridden };
}
