/**
 * The bridge from the web layer's signed-in person to the domain's actor, and the
 * localisation of domain errors for pages.
 */
import type { Principal } from '../../auth';
import type { FieldError } from '../../forms';
import type { Actor } from '../../tasks';
import { translate, type Locale } from '../i18n';

export function actorOf(principal: Principal): Actor {
  return {
    tenantId: principal.tenantId,
    username: principal.username,
    name: principal.displayName,
    roles: [...principal.roles],
    comune: principal.comune,
    permissions: principal.permissions as ReadonlySet<string>,
  };
}

/** Errors with an i18n key (inputs that are not form fields) get their text in the page's language. */
export function localizeErrors(errors: FieldError[], locale: Locale): FieldError[] {
  return errors.map((e) => {
    if (!e.key) return e;
    const problem = translate(locale, e.key, e.params ?? {});
    const label = e.label ?? (e.field ? translate(locale, `inbox.field.${e.field}`) : undefined);
    const shownLabel = label && !label.startsWith('inbox.field.') ? label : undefined;
    return { ...e, problem, message: shownLabel ? `${shownLabel}: ${problem}` : problem };
  });
}

export function tFor(locale: Locale) {
  return (key: string, params?: Record<string, unknown>) => translate(locale, key, params ?? {});
}
