/** Handlebars helpers of the inbox area (names prefixed: they share one namespace). */
import { DateTime } from 'luxon';

type Options = { data?: { root?: { locale?: string } } };

function localeOf(args: unknown[]): string {
  const options = args[args.length - 1] as Options | undefined;
  return options?.data?.root?.locale === 'en' ? 'en-GB' : 'it-IT';
}

const euroFormats = new Map<string, Intl.NumberFormat>();
/** Intl formatters are costly to build and a list page formats hundreds of amounts. */
function euro(locale: string): Intl.NumberFormat {
  let format = euroFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' });
    euroFormats.set(locale, format);
  }
  return format;
}

export const inboxHelpers: Record<string, (...args: unknown[]) => unknown> = {
  /** A business column's value: euro amounts, dates, numbers, text. */
  inboxValue: (value: unknown, type: unknown, ...rest: unknown[]) => {
    if (value === undefined || value === null || value === '') return '—';
    const locale = localeOf(rest);
    if (type === 'currency' && typeof value === 'number') {
      return euro(locale).format(value);
    }
    if (type === 'date' && typeof value === 'string') {
      const dt = DateTime.fromISO(value, { zone: 'Europe/Rome' });
      if (dt.isValid) return dt.setLocale(locale).toLocaleString(DateTime.DATE_MED);
    }
    if (typeof value === 'number') return value.toLocaleString(locale);
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  },
  /** A file size in KB/MB. */
  inboxSize: (bytes: unknown) => {
    const n = Number(bytes);
    if (!Number.isFinite(n)) return '';
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
    return `${(n / 1024 / 1024).toFixed(1)} MB`;
  },
  /** A value for a URL query parameter. */
  inboxEncode: (value: unknown) => encodeURIComponent(String(value ?? '')),
};
