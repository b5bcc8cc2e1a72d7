/**
 * The web application: express + handlebars with Bootstrap Italia, Italian first.
 */
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { engine as handlebarsEngine } from 'express-handlebars';
import type { Logger } from 'pino';
import type { ProductConfig } from '../config';
import { BUNDLES_DIR, BUNDLES_URL } from './bundles';
import { collectHealth, type HealthSources } from './health';
import { translate, type Locale } from './i18n';

export interface WebAppDeps {
  config: ProductConfig;
  health: HealthSources;
  logger: Logger;
  locale?: Locale;
}

const VIEWS_DIR = path.join(__dirname, 'views');
const BOOTSTRAP_ITALIA_DIST = path.join(
  path.dirname(require.resolve('bootstrap-italia/package.json')),
  'dist',
);

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
  );
  next();
}

export function createWebApp(deps: WebAppDeps): express.Express {
  const app = express();
  const locale: Locale = deps.locale ?? 'it';
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.engine(
    'hbs',
    handlebarsEngine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: path.join(VIEWS_DIR, 'layouts'),
      partialsDir: path.join(VIEWS_DIR, 'partials'),
      helpers: {
        t: (key: string, options: { hash?: Record<string, unknown> }) =>
          translate(locale, key, options?.hash ?? {}),
        eq: (a: unknown, b: unknown) => a === b,
        concat: (...args: unknown[]) => args.slice(0, -1).join(''),
      },
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', VIEWS_DIR);

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.logger.debug(
        { method: req.method, url: req.originalUrl, status: res.statusCode, ms },
        'http',
      );
    });
    next();
  });
  app.use(securityHeaders);
  app.use('/assets/bootstrap-italia', express.static(BOOTSTRAP_ITALIA_DIST, { maxAge: '7d' }));
  app.use('/static', express.static(path.join(__dirname, 'public'), { maxAge: '1h' }));
  // Front-end bundles (scripts/build-bundles.ts): content-hashed names, so immutable.
  app.use(
    BUNDLES_URL,
    express.static(BUNDLES_DIR, { immutable: true, maxAge: '365d', index: false }),
  );

  app.get('/health', async (_req, res) => {
    const report = await collectHealth(deps.health);
    res.status(report.status === 'down' ? 503 : 200).json(report);
  });

  app.get('/', (_req, res) => {
    const provinces = [...deps.config.provinces.values()].map((p) => ({
      tenantId: p.tenantId,
      name: p.name,
      comuniCount: p.comuni.length,
      comuniNames: p.comuni.map((c) => c.name).join(', '),
    }));
    res.render('home', {
      locale,
      active: 'home',
      provinces,
      services: [
        { titleKey: 'service.procurement.title', textKey: 'service.procurement.text' },
        { titleKey: 'service.euFunding.title', textKey: 'service.euFunding.text' },
        { titleKey: 'service.dataRequest.title', textKey: 'service.dataRequest.text' },
      ],
    });
  });

  app.get('/stato', async (_req, res) => {
    const health = await collectHealth(deps.health);
    res.render('status', {
      locale,
      active: 'health',
      title: translate(locale, 'health.title'),
      health,
    });
  });

  app.use((_req, res) => {
    res.status(404).render('error', {
      locale,
      title: translate(locale, 'error.notFound.title'),
      titleKey: 'error.notFound.title',
      textKey: 'error.notFound.text',
    });
  });

  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    deps.logger.error({ err }, 'unhandled error in web request');
    res.status(500).render('error', {
      locale,
      titleKey: 'error.server.title',
      textKey: 'error.server.text',
    });
  });

  return app;
}
