/**
 * Maps every error to one HTTP answer: an RFC 9457 problem+json body for /api, an
 * Italian error page for the rest. Stack traces never leave the server (they are
 * logged for 5xx only).
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { isDomainError, type FieldError } from '../../errors';
import { translate } from '../i18n';
import { isApiPath } from './route-table';

export interface HttpProblem {
  status: number;
  /** Short machine-readable code, e.g. "validation-failed", "csrf-invalid". */
  code: string;
  detail: string;
  errors: FieldError[];
  headers?: Record<string, string>;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface LibraryError {
  status?: number;
  statusCode?: number;
  type?: string;
  code?: string;
  message?: string;
  errors?: { path?: string; message?: string }[];
}

/** Turns any thrown value into the problem to answer with. */
export function toProblem(err: unknown): HttpProblem {
  if (isDomainError(err)) {
    switch (err.kind) {
      case 'not-found':
        return { status: 404, code: 'not-found', detail: err.message, errors: [] };
      case 'forbidden':
        return { status: 403, code: 'forbidden', detail: err.message, errors: [] };
      case 'unauthenticated':
        return {
          status: 401,
          code: 'unauthenticated',
          detail: err.message,
          errors: [],
          headers: { 'WWW-Authenticate': 'Bearer' },
        };
      case 'invalid':
        return {
          status: 422,
          code: 'validation-failed',
          detail: err.message,
          errors: (err as unknown as { errors: FieldError[] }).errors,
        };
      case 'conflict': {
        const details = (err as unknown as { details: Record<string, unknown> }).details;
        const field = typeof details.field === 'string' ? details.field : undefined;
        return {
          status: 409,
          code: 'conflict',
          detail: err.message,
          errors: field ? [{ field, message: err.message }] : [],
        };
      }
      case 'unavailable': {
        const u = err as unknown as { key?: string; retryAfterSeconds: number };
        return {
          status: 503,
          code: 'unavailable',
          detail: err.message,
          errors: u.key ? [{ field: '', message: err.message, key: u.key }] : [],
          headers: { 'Retry-After': String(u.retryAfterSeconds) },
        };
      }
      case 'too-many-requests': {
        const retry = (err as unknown as { retryAfterSeconds?: number }).retryAfterSeconds;
        return {
          status: 429,
          code: 'too-many-requests',
          detail: err.message,
          errors: [],
          headers: retry ? { 'Retry-After': String(retry) } : undefined,
        };
      }
    }
  }
  const e = (err ?? {}) as LibraryError;
  const status = e.status ?? e.statusCode;
  if (e.code === 'EBADCSRFTOKEN' || e.message === 'invalid csrf token') {
    return {
      status: 403,
      code: 'csrf-invalid',
      detail: 'The request has no valid CSRF token (hidden _csrf field or X-CSRF-Token header)',
      errors: [],
    };
  }
  if (e.type === 'entity.too.large') {
    return {
      status: 413,
      code: 'body-too-large',
      detail: 'The request body is too large',
      errors: [],
    };
  }
  if (e.type === 'entity.parse.failed') {
    return {
      status: 400,
      code: 'body-malformed',
      detail: 'The request body is not valid JSON',
      errors: [],
    };
  }
  if (e.type === 'parameters.too.many') {
    return { status: 413, code: 'body-too-large', detail: 'Too many form fields', errors: [] };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // express-openapi-validator: errors[] with path "/body/name", "/params/id", "/query/x".
    const errors: FieldError[] = Array.isArray(e.errors)
      ? e.errors.map((x) => ({
          field: (x.path ?? '').replace(/^\/?(body|params|query|headers)\/?/, '') || (x.path ?? ''),
          message: x.message ?? 'invalid',
        }))
      : [];
    return {
      status,
      code: status === 400 ? 'validation-failed' : status === 404 ? 'not-found' : `http-${status}`,
      detail: e.message ?? TITLES[status] ?? 'Bad request',
      errors,
    };
  }
  return { status: 500, code: 'internal', detail: 'An unexpected error occurred', errors: [] };
}

export function sendProblem(req: Request, res: Response, problem: HttpProblem): void {
  for (const [k, v] of Object.entries(problem.headers ?? {})) res.setHeader(k, v);
  res
    .status(problem.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: TITLES[problem.status] ?? 'Error',
        status: problem.status,
        detail: problem.detail,
        instance: req.originalUrl.split('?')[0],
        code: problem.code,
        errors: problem.errors.map(({ field, message }) => ({ field, message })),
      }),
    );
}

/** The i18n keys of the error page for a status. */
function pageKeys(status: number): { title: string; text: string } {
  const known = [400, 401, 403, 404, 409, 413, 422, 429, 503];
  const name = known.includes(status) ? String(status) : status >= 500 ? '500' : '400';
  return { title: `core.error.${name}.title`, text: `core.error.${name}.text` };
}

export function renderErrorPage(
  req: Request,
  res: Response,
  problem: HttpProblem,
  onRenderError: (err: Error) => void = () => undefined,
): void {
  for (const [k, v] of Object.entries(problem.headers ?? {})) {
    if (k !== 'WWW-Authenticate') res.setHeader(k, v);
  }
  const keys = pageKeys(problem.status);
  const locale = req.locale ?? 'it';
  res.status(problem.status).render(
    'views/error',
    {
      title: translate(locale, keys.title),
      titleKey: keys.title,
      textKey: keys.text,
      status: problem.status,
      errors: problem.errors.map((e) => ({
        field: e.field,
        message: e.key ? translate(locale, e.key, e.params) : e.message,
      })),
    },
    (err, html) => {
      if (err) {
        onRenderError(err);
        // A page that cannot be drawn still gets a plain, stack-free answer.
        res.type('text/plain').send(`${problem.status} ${TITLES[problem.status] ?? ''}`.trim());
      } else res.send(html);
    },
  );
}

/** The last error handler of the app. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const problem = toProblem(err);
    if (problem.code === 'unavailable') {
      // Not a fault of this process: a system it depends on does not answer now.
      logger.warn(
        { error: problem.detail, method: req.method, url: req.originalUrl },
        'a service this request needs does not answer (503)',
      );
    } else if (problem.status >= 500) {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'error in web request');
    }
    if (isApiPath(req.path)) sendProblem(req, res, problem);
    else {
      renderErrorPage(req, res, problem, (renderErr) =>
        logger.error({ err: renderErr }, 'error page could not be rendered'),
      );
    }
  };
}
