/**
 * The Camunda 8 REST API v2 search endpoints, served by the built-in engine from its
 * history collections (the data Operate and Tasklist read in a Camunda 8.8 cluster):
 *
 *   POST /v2/process-definitions/search      GET /v2/process-definitions/{key}[/xml]
 *   POST /v2/process-instances/search        GET /v2/process-instances/{key}
 *   POST /v2/element-instances/search        GET /v2/element-instances/{key}
 *   POST /v2/incidents/search                GET /v2/incidents/{key}
 *   POST /v2/incidents/{key}/resolution      (a command: handed to the engine)
 *   POST /v2/variables/search                GET /v2/variables/{key}
 *
 * Tokens as the gateway's; every answer is limited to the caller's tenants (another
 * tenant's entity answers 404, as if it did not exist). Errors are problem+json.
 * Plain node:http: the engine imports nothing from the product (express is the
 * product's), and eight routes need no framework.
 */
import http from 'node:http';
import type mongoose from 'mongoose';
import { EngineError, type CallContext, type EngineApi } from '../api';
import type { TokenMap } from '../gateway/auth';
import {
  attachHistoryQueryIndex,
  detachHistoryQueryIndex,
  type HistoryQueryIndex,
  type QueryIndexOptions,
} from '../history/query-index';
import { authenticateHttp, mayRead } from './auth';
import { ElementNames } from './element-names';
import {
  HTTP_STATUS_OF_ENGINE_CODE,
  RestProblem,
  badRequest,
  notFound,
  problemBody,
} from './problem';
import { createResources, type Resource, type ResourceName } from './resources';
import { executeSearch, findByKey } from './search-executor';
import { parseSearchRequest, type MongoFilter } from './search-request';

export const DEFAULT_REST_ADDRESS = '127.0.0.1:8080';
/** Search bodies are small; anything bigger is a mistake or an attack. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface RestApiLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface RestApiOptions {
  /** host:port; port 0 picks a free port. */
  address: string;
  /** Same map as the gateway's: token → tenant ids. Unset = every caller trusted. */
  tokens?: TokenMap;
  logger?: RestApiLogger;
  /**
   * The in-memory query index (src/engine/history/query-index.ts); false: every search
   * reads the database. Defaults from HISTORY_INDEX_MAX_INSTANCES (0 turns it off) and
   * HISTORY_INDEX_MAX_ELEMENT_INSTANCES.
   */
  historyIndex?: false | Omit<QueryIndexOptions, 'logger'>;
}

function envNumber(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`${name} must be a non-negative integer, got '${text}'`);
  }
  return n;
}

function historyIndexOptions(opts: RestApiOptions): QueryIndexOptions | undefined {
  if (opts.historyIndex === false) return undefined;
  const maxInstances = opts.historyIndex?.maxInstances ?? envNumber('HISTORY_INDEX_MAX_INSTANCES');
  if (maxInstances === 0) return undefined;
  return {
    maxElementInstances: envNumber('HISTORY_INDEX_MAX_ELEMENT_INSTANCES'),
    ...opts.historyIndex,
    maxInstances,
    logger: opts.logger,
  };
}

export interface RunningRestApi {
  address: string;
  port: number;
  /** http://host:port — what a CamundaRestClient's ZEEBE_REST_ADDRESS is set to. */
  url: string;
  /** The query index answering the searches, when on (`ready` once it is loaded). */
  historyIndex?: HistoryQueryIndex;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
}

function splitAddress(address: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(address.trim());
  if (!match) throw new Error(`Invalid REST API address '${address}': expected host:port`);
  return { host: match[1].replace(/^\[(.*)\]$/, '$1') || '127.0.0.1', port: Number(match[2]) };
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new RestProblem(
        413,
        'PAYLOAD_TOO_LARGE',
        `The request body exceeds ${MAX_BODY_BYTES} bytes`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new RestProblem(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Expected a body of type application/json',
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`The request body is not valid JSON: ${(err as Error).message}`);
  }
}

function keyParam(value: string, what: string): string {
  if (!/^\d{1,19}$/.test(value))
    throw badRequest(`${what}: expected a key (digits), got "${value}"`);
  return value;
}

export async function startRestApi(
  engine: Pick<EngineApi, 'resolveIncident'>,
  connection: mongoose.Connection,
  opts: RestApiOptions,
): Promise<RunningRestApi> {
  const names = new ElementNames(connection);
  const { host, port } = splitAddress(opts.address);
  const indexOptions = historyIndexOptions(opts);
  const historyIndex = indexOptions ? attachHistoryQueryIndex(connection, indexOptions) : undefined;
  const resources = createResources(connection, names, historyIndex);

  const scopeOf = (ctx: CallContext): MongoFilter =>
    ctx.authorizedTenants ? { tenantId: { $in: ctx.authorizedTenants } } : {};

  async function search(resource: Resource, body: unknown, ctx: CallContext, url: URL) {
    const parsed = await parseSearchRequest(resource.spec, body, scopeOf(ctx));
    const result = await executeSearch(connection, resource.kind, parsed, {
      exclude: resource.exclude,
      index: historyIndex,
    });
    const items = await resource.toItems(result.docs, {
      connection,
      names,
      truncateValues: url.searchParams.get('truncateValues') !== 'false',
    });
    const first = result.docs[0];
    const last = result.docs[result.docs.length - 1];
    return {
      items,
      page: {
        totalItems: result.total,
        hasMoreTotalItems: false,
        startCursor: first ? result.cursors(first) : null,
        endCursor: last ? result.cursors(last) : null,
      },
    };
  }

  async function getOne(resource: Resource, key: string, ctx: CallContext) {
    const doc = await findByKey(connection, resource.kind, key, { exclude: resource.exclude });
    if (!doc || !mayRead(ctx, String(doc.tenantId))) {
      throw notFound(`${resource.spec.entity} with key '${key}' not found`);
    }
    const [one] = await resource.toItems([doc], { connection, names, truncateValues: false });
    return one;
  }

  async function route(req: http.IncomingMessage, url: URL): Promise<Reply> {
    const ctx = authenticateHttp(req.headers.authorization, opts.tokens);
    const parts = url.pathname.replace(/\/+$/, '').split('/').slice(1).map(decodeURIComponent);
    if (parts[0] !== 'v2' || parts.length < 2) throw notFound(`No endpoint at ${url.pathname}`);
    const name = parts[1] as ResourceName;
    const resource = Object.prototype.hasOwnProperty.call(resources, name)
      ? resources[name]
      : undefined;
    if (!resource) throw notFound(`No endpoint at ${url.pathname}`);
    const method = req.method ?? 'GET';

    if (parts.length === 3 && parts[2] === 'search') {
      if (method !== 'POST') throw new RestProblem(405, 'METHOD_NOT_ALLOWED', 'Use POST to search');
      return { status: 200, json: await search(resource, await readBody(req), ctx, url) };
    }
    if (parts.length === 3 && method === 'GET') {
      const key =
        name === 'variables' ? parts[2] : keyParam(parts[2], `${resource.spec.entity} key`);
      return { status: 200, json: await getOne(resource, key, ctx) };
    }
    if (
      parts.length === 4 &&
      name === 'process-definitions' &&
      parts[3] === 'xml' &&
      method === 'GET'
    ) {
      const key = keyParam(parts[2], 'process definition key');
      const doc = await findByKey(connection, 'processDefinitions', key);
      if (!doc || !mayRead(ctx, String(doc.tenantId))) {
        throw notFound(`process definition with key '${key}' not found`);
      }
      return { status: 200, text: String(doc.resource), contentType: 'text/xml; charset=utf-8' };
    }
    if (
      parts.length === 4 &&
      name === 'incidents' &&
      parts[3] === 'resolution' &&
      method === 'POST'
    ) {
      const key = keyParam(parts[2], 'incident key');
      await readBody(req); // an optional { operationReference }
      await getOne(resource, key, ctx); // 404 for unknown keys and other tenants
      await engine.resolveIncident({ incidentKey: key }, ctx);
      return { status: 204 };
    }
    throw notFound(`No endpoint at ${method} ${url.pathname}`);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (reply: Reply) => {
      if (reply.status === 204) {
        res.writeHead(204).end();
      } else if (reply.text !== undefined) {
        res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/plain' });
        res.end(reply.text);
      } else {
        const type = reply.contentType ?? 'application/json';
        res.writeHead(reply.status, { 'content-type': type }).end(JSON.stringify(reply.json));
      }
    };
    route(req, url)
      .then(send)
      .catch((err: unknown) => {
        let problem: RestProblem;
        if (err instanceof RestProblem) problem = err;
        else if (err instanceof EngineError) {
          problem = new RestProblem(
            HTTP_STATUS_OF_ENGINE_CODE[err.code] ?? 500,
            err.code,
            err.message,
          );
        } else {
          opts.logger?.warn({ err, path: url.pathname }, 'REST API request failed');
          problem = new RestProblem(500, 'INTERNAL', 'The request could not be answered');
        }
        // Drain what the client still sends so the connection can be reused.
        req.resume();
        send({
          status: problem.status,
          json: problemBody(problem, url.pathname),
          contentType: 'application/problem+json',
        });
      });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (err) {
    if (historyIndex) detachHistoryQueryIndex(connection);
    throw err;
  }
  const bound = server.address();
  const boundPort = typeof bound === 'object' && bound ? bound.port : port;
  const address = `${host}:${boundPort}`;
  opts.logger?.info({ address, auth: Boolean(opts.tokens) }, `Camunda REST API v2 on ${address}`);
  let closing: Promise<void> | undefined;
  return {
    address,
    port: boundPort,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
    historyIndex,
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (historyIndex) detachHistoryQueryIndex(connection);
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      return closing;
    },
  };
}
