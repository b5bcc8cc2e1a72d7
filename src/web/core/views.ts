/**
 * Handlebars for the whole site: one layout (views/layouts/main.hbs), core partials
 * (views/partials), each area's partials under its name (`{{> inbox/row}}`), and the
 * helpers every view may use:
 *
 *   {{t "key" name=value}}     the text of an i18n key in the page's language
 *   {{eq a b}} {{not a}} {{and a b}} {{or a b}}
 *   {{can "tasks.assign"}}     whether the signed-in person holds a permission
 *   {{date value}} {{dateTime value}}   Europe/Rome dates, in the page's language
 *   {{csrfField}}              the hidden CSRF input every POST form needs
 *   {{json value}}             JSON for a data-* attribute (escaped)
 *
 * Views are rendered by path from src/web: `res.render('inbox/views/list', data)`.
 */
import path from 'node:path';
import { engine as handlebarsEngine } from 'express-handlebars';
import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import type { Principal } from '../../auth';
import { translate, type Locale } from '../i18n';
import { CSRF_FIELD } from './security';
import type { WebArea } from './route-table';

export const WEB_DIR = path.resolve(__dirname, '..');
export const CORE_VIEWS_DIR = path.join(WEB_DIR, 'views');

interface HelperOptions {
  hash?: Record<string, unknown>;
  data?: { root?: { locale?: Locale; principal?: Principal; csrfToken?: () => string } };
}

function rootOf(args: unknown[]): NonNullable<HelperOptions['data']>['root'] {
  const options = args[args.length - 1] as HelperOptions | undefined;
  return options?.data?.root ?? {};
}

function formatDate(value: unknown, locale: Locale, format: 'date' | 'dateTime'): string {
  if (value === undefined || value === null || value === '') return '';
  const dt =
    value instanceof Date
      ? DateTime.fromJSDate(value)
      : typeof value === 'number'
        ? DateTime.fromMillis(value)
        : DateTime.fromISO(String(value));
  if (!dt.isValid) return String(value);
  const zoned = dt.setZone('Europe/Rome').setLocale(locale);
  return format === 'date'
    ? zoned.toLocaleString(DateTime.DATE_MED)
    : zoned.toLocaleString(DateTime.DATETIME_MED);
}

export const coreHelpers: Record<string, (...args: never[]) => unknown> = {
  t: ((key: string, options: HelperOptions) =>
    translate(options?.data?.root?.locale ?? 'it', key, options?.hash ?? {})) as never,
  eq: ((a: unknown, b: unknown) => a === b) as never,
  not: ((a: unknown) => !a) as never,
  and: ((...args: unknown[]) => args.slice(0, -1).every(Boolean)) as never,
  or: ((...args: unknown[]) => args.slice(0, -1).some(Boolean)) as never,
  concat: ((...args: unknown[]) => args.slice(0, -1).join('')) as never,
  can: ((permission: string, ...rest: unknown[]) => {
    const principal = rootOf(rest)?.principal;
    return Boolean(principal?.permissions.has(permission as never));
  }) as never,
  date: ((value: unknown, ...rest: unknown[]) =>
    formatDate(value, rootOf(rest)?.locale ?? 'it', 'date')) as never,
  dateTime: ((value: unknown, ...rest: unknown[]) =>
    formatDate(value, rootOf(rest)?.locale ?? 'it', 'dateTime')) as never,
  csrfField: ((...args: unknown[]) => {
    const token = rootOf(args)?.csrfToken?.() ?? '';
    return new Handlebars.SafeString(
      `<input type="hidden" name="${CSRF_FIELD}" value="${Handlebars.escapeExpression(token)}">`,
    );
  }) as never,
  json: ((value: unknown) => JSON.stringify(value ?? null)) as never,
};

export function createViewEngine(areas: WebArea[]) {
  const helpers: Record<string, (...args: never[]) => unknown> = { ...coreHelpers };
  for (const area of areas) {
    for (const [name, fn] of Object.entries(area.helpers ?? {})) {
      if (helpers[name])
        throw new Error(`handlebars helper "${name}" of area ${area.name} is already defined`);
      helpers[name] = fn;
    }
  }
  const partialsDir = [
    { dir: path.join(CORE_VIEWS_DIR, 'partials') },
    ...areas.filter((a) => a.partialsDir).map((a) => ({ dir: a.partialsDir!, namespace: a.name })),
  ];
  return handlebarsEngine({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(CORE_VIEWS_DIR, 'layouts'),
    // express-handlebars accepts { dir, namespace } objects; its types insist on precompiled templates.
    partialsDir: partialsDir as never,
    helpers,
  });
}
