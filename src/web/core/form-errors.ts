/**
 * Field errors for server-rendered forms: the list for the error summary at the top and
 * one message per field for the text next to it (the GOV.UK / Bootstrap Italia pattern).
 */
import type { FieldError } from '../../errors';
import { translate, type Locale } from '../i18n';

export interface SummaryItem {
  /** The form control's id (first segment of the error's path). */
  field: string;
  message: string;
}

export function errorSummary(locale: Locale, errors: FieldError[]): SummaryItem[] {
  return errors.map((e) => ({
    field: e.field.split('/')[0],
    message: e.key ? translate(locale, e.key, e.params) : e.message,
  }));
}

/** field id → its first message. */
export function fieldMessages(locale: Locale, errors: FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of errorSummary(locale, errors)) out[item.field] ??= item.message;
  return out;
}
