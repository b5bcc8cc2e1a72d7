/**
 * The site's own pages: home (public description, or the signed-in person's desk with
 * the sections their roles open), system status, /health, the legal pages every PA
 * site links from its footer, and the language switch.
 */
import type { Request, Response } from 'express';
import { provinceOf } from '../../tenancy';
import { safeReturnPath } from '../core/access';
import type { WebContext } from '../core/context';
import { LOCALE_COOKIE, visibleMenu } from '../core/layout';
import type { WebArea } from '../core/route-table';
import { collectHealth } from '../health';
import { translate } from '../i18n';

export function siteArea(ctx: WebContext): WebArea {
  const services = [
    { titleKey: 'service.procurement.title', textKey: 'service.procurement.text' },
    { titleKey: 'service.euFunding.title', textKey: 'service.euFunding.text' },
    { titleKey: 'service.dataRequest.title', textKey: 'service.dataRequest.text' },
    { titleKey: 'training.service.title', textKey: 'training.service.text' },
  ];

  const home = (req: Request, res: Response) => {
    const principal = req.principal;
    if (!principal || req.mustChangePassword) {
      const provinces = [...ctx.config.provinces.values()].map((p) => ({
        tenantId: p.tenantId,
        name: p.name,
        comuniCount: p.comuni.length,
        comuniNames: p.comuni.map((c) => c.name).join(', '),
      }));
      return res.render('site/views/home', { provinces, services });
    }
    const province = provinceOf(ctx.config, principal);
    // The desk: one card per menu entry the person may open (the home entry excluded).
    const allMenu = res.locals.menu as ReturnType<typeof visibleMenu>;
    res.render('site/views/desk', {
      title: translate(req.locale, 'core.desk.title'),
      province,
      roles: principal.roles.map((r) => ({ key: `core.role.${r}` })),
      sections: allMenu.filter((m) => m.href !== '/'),
    });
  };

  const page = (view: string, titleKey: string) => (req: Request, res: Response) =>
    res.render(`site/views/${view}`, { title: translate(req.locale, titleKey) });

  return {
    name: 'site',
    menu: [{ labelKey: 'nav.home', href: '/', permission: 'signed-in', order: 0 }],
    routes: [
      { method: 'get', path: '/', permission: 'public', handler: home, summary: 'home / desk' },
      {
        method: 'get',
        path: '/stato',
        permission: 'public',
        handler: async (req, res) => {
          res.render('site/views/status', {
            title: translate(req.locale, 'health.title'),
            health: await collectHealth(ctx.health),
          });
        },
      },
      {
        method: 'get',
        path: '/health',
        permission: 'public',
        kind: 'data',
        handler: async (_req, res) => {
          const report = await collectHealth(ctx.health);
          res.status(report.status === 'down' ? 503 : 200).json(report);
        },
      },
      {
        method: 'get',
        path: '/privacy',
        permission: 'public',
        handler: page('privacy', 'core.legal.privacy'),
      },
      {
        method: 'get',
        path: '/accessibilita',
        permission: 'public',
        handler: page('accessibility', 'core.legal.accessibility'),
      },
      {
        method: 'get',
        path: '/note-legali',
        permission: 'public',
        handler: page('legal-notes', 'core.legal.notes'),
      },
      {
        method: 'get',
        path: '/favicon.ico',
        permission: 'public',
        kind: 'redirect',
        handler: (_req, res) => res.redirect(301, '/static/favicon.svg'),
      },
      {
        method: 'get',
        path: '/lingua/:locale',
        permission: 'public',
        kind: 'redirect',
        params: { locale: { example: 'en' } },
        summary: 'language switch: sets the lingua cookie and goes back',
        handler: (req, res) => {
          const locale = req.params.locale === 'en' ? 'en' : 'it';
          // A preference cookie (technical: no consent needed), readable by the server only.
          res.cookie(LOCALE_COOKIE, locale, {
            httpOnly: true,
            sameSite: 'lax',
            secure: (ctx.env.publicUrl ?? '').startsWith('https://'),
            maxAge: 365 * 86_400_000,
            path: '/',
          });
          res.redirect(303, safeReturnPath(req.query.torna) ?? '/');
        },
      },
    ],
  };
}
