/**
 * The web port while the product starts: it is bound at once (before the database is
 * built or opened), answers GET /health with {"status":"starting"} (503) and every page
 * with an Italian "preparazione in corso" page that shows the current step and refreshes
 * itself. When the product is ready the same server hands its requests to the web app,
 * so the port never goes quiet between the two.
 */
import http, { type RequestListener, type Server } from 'node:http';
import { translate, type Locale } from './i18n';

export interface StartingServer {
  server: Server;
  url: string;
  /** What the start is doing now (shown on the page and in /health). */
  setStep(step: string): void;
  /** From now on every request goes to `app` (the web app is ready). */
  serve(app: RequestListener): void;
  close(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startStartingServer(
  host: string,
  port: number,
  locale: Locale = 'it',
): Promise<StartingServer> {
  const since = Date.now();
  let step = '';
  let app: RequestListener | undefined;

  const startingPage = (): string => {
    const t = (key: string, params: Record<string, unknown> = {}) =>
      escapeHtml(translate(locale, key, params));
    const seconds = Math.round((Date.now() - since) / 1000);
    return `<!doctype html>
<html lang="${locale}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="refresh" content="10">
  <title>${t('ops.starting.title')} — ${t('app.name')}</title>
  <style>
    body { font-family: "Titillium Web", Geneva, Tahoma, sans-serif; margin: 0; color: #1a1a1a; }
    header { background: #0066cc; color: #fff; padding: 1rem 1.5rem; font-size: 1.4rem; font-weight: 600; }
    main { max-width: 40rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.5; }
    .step { background: #f2f7fc; border-left: 4px solid #0066cc; padding: .75rem 1rem; }
  </style>
</head>
<body>
  <header>${t('app.name')}</header>
  <main id="main">
    <h1>${t('ops.starting.title')}</h1>
    <p>${t('ops.starting.lead')}</p>
    <p class="step" role="status"><strong>${t('ops.starting.step')}:</strong> ${escapeHtml(step)}</p>
    <p>${t('ops.starting.elapsed', { seconds })}</p>
    <p>${t('ops.starting.refresh')}</p>
  </main>
</body>
</html>`;
  };

  const server = http.createServer((req, res) => {
    if (app) return app(req, res);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Retry-After', '10');
    if ((req.url ?? '').split('?')[0] === '/health') {
      res.writeHead(503, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify({
          status: 'starting',
          step,
          uptimeSeconds: Math.round((Date.now() - since) / 1000),
        }),
      );
      return;
    }
    res.writeHead(503, { 'content-type': 'text/html; charset=utf-8' });
    res.end(startingPage());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    url: `http://${host}:${boundPort}`,
    setStep: (s) => {
      step = s;
    },
    serve: (listener) => {
      app = listener;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }),
  };
}
