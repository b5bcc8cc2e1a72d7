/**
 * The i18n layer: Italian first, English ready. Keys are flat dotted strings;
 * `{name}` placeholders are filled from the params object.
 *
 * Catalogues live in catalogs/<area>.<locale>.json (one pair per area of the site,
 * e.g. core, auth, inbox) and are merged at load; a key defined by two areas is an
 * error, so areas cannot silently overwrite each other's texts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Locale = 'it' | 'en';
export const LOCALES: Locale[] = ['it', 'en'];

const CATALOG_DIR = path.join(__dirname, 'catalogs');

function loadCatalogs(): Record<Locale, Record<string, string>> {
  const merged: Record<Locale, Record<string, string>> = { it: {}, en: {} };
  const origin: Record<Locale, Record<string, string>> = { it: {}, en: {} };
  for (const file of readdirSync(CATALOG_DIR).sort()) {
    const match = /^([\w-]+)\.(it|en)\.json$/.exec(file);
    if (!match) continue;
    const locale = match[2] as Locale;
    const entries = JSON.parse(readFileSync(path.join(CATALOG_DIR, file), 'utf8')) as Record<
      string,
      string
    >;
    for (const [key, text] of Object.entries(entries)) {
      const previous = origin[locale][key];
      if (previous) throw new Error(`i18n key "${key}" is defined in ${previous} and ${file}`);
      origin[locale][key] = file;
      merged[locale][key] = text;
    }
  }
  return merged;
}

const catalogs = loadCatalogs();

export function translate(
  locale: Locale,
  key: string,
  params: Record<string, unknown> = {},
): string {
  const text = catalogs[locale][key] ?? catalogs.it[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? `{${name}}`));
}

/** Whether a key exists in the Italian catalogue (the reference one). */
export function hasKey(key: string): boolean {
  return key in catalogs.it;
}

/** Keys present in one catalog but missing in another (used by a test). */
export function missingKeys(): { locale: Locale; key: string }[] {
  const all = new Set(LOCALES.flatMap((l) => Object.keys(catalogs[l])));
  return LOCALES.flatMap((locale) =>
    [...all].filter((key) => !(key in catalogs[locale])).map((key) => ({ locale, key })),
  );
}
