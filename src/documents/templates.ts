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

export interface RenderedTemplate {
  text: string;
  file: string;
  overridden: boolean;
}

export function renderTemplate(
  kind: TemplateKind,
  name: string,
  tenantId: string,
  data: Record<string, unknown>,
  templatesDir?: string,
): RenderedTemplate {
  const { file, overridden } = resolveTemplateFile(kind, name, tenantId, templatesDir);
  const template = handlebars.compile(readFileSync(file, 'utf8'), { strict: false });
  return { text: template(data), file, overridden };
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
): RenderedEmail {
  const { text, overridden } = renderTemplate('emails', name, tenantId, data, templatesDir);
  const match = /^Oggetto:\s*(.*)\r?\n\r?\n?([\s\S]*)$/.exec(text.trimStart());
  if (!match) throw new Error(`E-mail template "${name}" must start with a line "Oggetto: ..."`);
  return { subject: match[1].trim(), body: match[2].trim() + '\n', overridden };
}
