/**
 * The i18n layer: Italian first, English ready. Keys are flat dotted strings;
 * `{name}` placeholders are filled from the params object.
 */
import it from './it.json';
import en from './en.json';

export type Locale = 'it' | 'en';
export const LOCALES: Locale[] = ['it', 'en'];
const catalogs: Record<Locale, Record<string, string>> = { it, en };

export function translate(
  locale: Locale,
  key: string,
  params: Record<string, unknown> = {},
): string {
  const text = catalogs[locale][key] ?? catalogs.it[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? `{${name}}`));
}

/** Keys present in one catalog but missing in another (used by a test). */
export function missingKeys(): { locale: Locale; key: string }[] {
  const all = new Set(LOCALES.flatMap((l) => Object.keys(catalogs[l])));
  return LOCALES.flatMap((locale) =>
    [...all].filter((key) => !(key in catalogs[locale])).map((key) => ({ locale, key })),
  );
}
