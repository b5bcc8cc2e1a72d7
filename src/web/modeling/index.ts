/**
 * The modeling area of the site (issue 12): the BPMN modeler, the decision tables, the
 * form editor, versions and diffs, packages, and their REST API. Domain: src/modeling.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { WebContext } from '../core/context';
import type { WebArea } from '../core/route-table';
import { modelingApiRoutes } from './api';
import { modelingOpenApi } from './openapi';
import { packagePageRoutes } from './packages-pages';
import { modelingPageRoutes } from './pages';
import { modelingServices } from './services';

const CATALOG = path.resolve(__dirname, '../i18n/catalogs/modeling.it.json');

/** JSON for a <script type="application/json"> block: nothing can close the element. */
export function jsonForScript(value: unknown): Handlebars.SafeString {
  return new Handlebars.SafeString(
    JSON.stringify(value ?? null)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
}

export function modelingArea(ctx: WebContext): WebArea {
  const s = modelingServices(ctx);
  // The modeler libraries' own texts (bpmn-js, properties panel) have keys modeling.bpmnjs.*.
  const libraryKeys = Object.keys(
    JSON.parse(readFileSync(CATALOG, 'utf8')) as Record<string, string>,
  ).filter((k) => k.startsWith('modeling.bpmnjs.'));
  return {
    name: 'modeling',
    menu: [
      { labelKey: 'modeling.menu', href: '/modellazione', permission: 'models.edit', order: 50 },
    ],
    routes: [
      ...modelingPageRoutes(ctx, s, libraryKeys),
      ...packagePageRoutes(s),
      ...modelingApiRoutes(s),
    ],
    openapi: modelingOpenApi,
    partialsDir: path.join(__dirname, 'partials'),
    helpers: {
      modelingJson: ((value: unknown) => jsonForScript(value)) as never,
      modelingEq: ((a: unknown, b: unknown) => String(a) === String(b)) as never,
    },
  };
}
