/**
 * Web security settings in one place: helmet (CSP without 'unsafe-inline' for scripts
 * or styles, HSTS over HTTPS), the CSRF synchroniser token (csrf-sync: a hidden `_csrf`
 * field in forms, the `X-CSRF-Token` header for fetch calls) and request body limits.
 */
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';
import type { RouteDef } from './route-table';
import { isApiPath } from './route-table';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function securityHeaders(opts: {
  secure: boolean;
  formActionOrigins?: string[];
}): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // Bootstrap Italia's CSS embeds small SVGs and its icon font as data: URIs.
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'", ...new Set(opts.formActionOrigins ?? [])],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        ...(opts.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: opts.secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  });
}

const csrf = csrfSync({
  getTokenFromRequest: (req) => {
    const header = req.headers[CSRF_HEADER];
    if (typeof header === 'string') return header;
    const body = req.body as Record<string, unknown> | undefined;
    return typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : undefined;
  },
});

/** The session's CSRF token (created on first use). */
export function csrfTokenFor(req: express.Request): string {
  return csrf.generateToken(req);
}

/** A fresh token after sign-in, so a token seen before signing in is worth nothing. */
export function renewCsrfToken(req: express.Request): string {
  return csrf.generateToken(req, true);
}

/**
 * The CSRF check of one route: on for every state-changing method, except for callers
 * authenticated by an API token (no cookie, so nothing for another site to ride on) and
 * routes that declare why they are exempt.
 */
export function csrfCheckFor(route: RouteDef): RequestHandler[] {
  if (route.method === 'get' || route.csrfExempt) return [];
  return [
    (req, res, next) => {
      if (req.principal?.via === 'token') return next();
      csrf.csrfSynchronisedProtection(req, res, next);
    },
  ];
}

/** The body parsers of one route, with their size limits. */
export function bodyParsersFor(route: RouteDef): RequestHandler[] {
  if (route.bodyParsers) return route.bodyParsers;
  const kind =
    route.body ?? (route.method === 'get' ? 'none' : isApiPath(route.path) ? 'json' : 'form');
  switch (kind) {
    case 'none':
      return [];
    case 'json':
      return [
        express.json({
          limit: route.bodyLimit ?? '1mb',
          strict: true,
          type: ['application/json', 'application/*+json'],
        }),
      ];
    case 'form':
      return [
        express.urlencoded({
          extended: false,
          limit: route.bodyLimit ?? '100kb',
          parameterLimit: 500,
        }),
      ];
  }
}
