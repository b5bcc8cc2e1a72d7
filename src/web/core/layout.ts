/**
 * What every page's layout needs, put in res.locals once per request: the language,
 * the signed-in person with their province and comune, the menu entries their
 * permissions allow (areas register them in their WebArea.menu), the CSRF token for
 * forms, a one-time flash message and the link to the other language.
 */
import type { RequestHandler } from 'express';
import type { ProductConfig } from '../../config';
import type { Locale } from '../i18n';
import { csrfTokenFor } from './security';
import type { MenuEntry } from './route-table';

export const LOCALE_COOKIE = 'lingua';

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** The language: the `lingua` cookie set by /lingua/<code>; Italian otherwise. */
export function localeMiddleware(): RequestHandler {
  return (req, res, next) => {
    const chosen = cookieValue(req.headers.cookie, LOCALE_COOKIE);
    req.locale = chosen === 'en' ? 'en' : 'it';
    res.locals.locale = req.locale;
    next();
  };
}

export interface MenuItem {
  labelKey: string;
  href: string;
  active: boolean;
}

export function visibleMenu(
  entries: MenuEntry[],
  permissions: ReadonlySet<string>,
  path: string,
): MenuItem[] {
  return entries
    .filter((e) => e.permission === 'signed-in' || permissions.has(e.permission))
    .sort((a, b) => a.order - b.order)
    .map((e) => {
      const prefix = e.activePrefix ?? e.href;
      const active =
        prefix === '/' ? path === '/' : path === prefix || path.startsWith(`${prefix}/`);
      return { labelKey: e.labelKey, href: e.href, active };
    });
}

export function layoutLocals(config: ProductConfig, menu: MenuEntry[]): RequestHandler {
  return (req, res, next) => {
    const locale: Locale = req.locale;
    res.locals.locale = locale;
    res.locals.currentPath = req.path;
    res.locals.otherLocale = locale === 'it' ? 'en' : 'it';
    res.locals.languageHref = `/lingua/${res.locals.otherLocale}?torna=${encodeURIComponent(req.originalUrl)}`;
    // A lambda, so only pages that draw a form create a token (and a session).
    res.locals.csrfToken = () => csrfTokenFor(req);
    const principal = req.principal;
    if (principal) {
      const province = config.provinces.get(principal.tenantId);
      res.locals.principal = principal;
      res.locals.provinceName = province?.name ?? principal.tenantId;
      res.locals.footerProvince = { pec: province?.pec, email: province?.email };
      res.locals.comuneName = principal.comune
        ? (province?.comuni.find((c) => c.istat === principal.comune)?.name ?? principal.comune)
        : undefined;
      res.locals.menu = visibleMenu(menu, principal.permissions, req.path);
    } else {
      res.locals.menu = visibleMenu(
        menu.filter((e) => e.href === '/'),
        new Set(),
        req.path,
      );
    }
    if (req.session?.flash) {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    next();
  };
}
