/**
 * The IDOR matrix: every route of every route table × every demo user of both provinces
 * (and an anonymous caller) × resources of their own and of other provinces and comuni,
 * generated from the route tables and the fixtures in test/support/idor. It expects
 * 401/403/404 wherever the role or the tenant does not match, a real answer where they
 * do, and — in every answer — nothing of a resource the caller may not see and no name
 * of the other province.
 */
import { permissionsOf } from '../../src/auth';
import type { MountedRoute } from '../../src/web/app';
import { isApiPath, pathParams, toOpenApiPath } from '../../src/web/core/route-table';
import {
  IDOR_FIXTURES,
  type FixtureEnv,
  type FixtureSite,
  type IdorFixture,
  type IdorResource,
} from '../support/idor';
import {
  demoUsers,
  signIn,
  startTestProduct,
  WebClient,
  type DemoUser,
  type TestProduct,
  type WebResponse,
} from '../support/web';

jest.setTimeout(600_000);

let product: TestProduct;
const clients = new Map<string, WebClient>();
const users = demoUsers();

interface Placed {
  site: FixtureSite;
  resource: IdorResource;
}
const placed = new Map<string, Placed[]>();

function fixtureFor(kind: string): IdorFixture {
  const f = IDOR_FIXTURES.find((x) => x.kind === kind);
  if (!f)
    throw new Error(
      `no IDOR fixture for resource kind "${kind}": add one to test/support/idor/index.ts`,
    );
  return f;
}

function sitesOf(fixture: IdorFixture): FixtureSite[] {
  if (fixture.sites === 'users')
    return users.map((u) => ({ tenantId: u.tenantId, comune: u.comune, owner: u }));
  if (fixture.sites === 'provinces')
    return [...new Set(users.map((u) => u.tenantId))].map((tenantId) => ({
      tenantId,
      owner: users.find((u) => u.tenantId === tenantId)!,
    }));
  const comuneUsers = users.filter((u) => u.comune);
  const chosen =
    fixture.sites === 'comune-per-province'
      ? comuneUsers.filter((u, i) => comuneUsers.findIndex((x) => x.tenantId === u.tenantId) === i)
      : comuneUsers;
  return chosen.map((u) => ({ tenantId: u.tenantId, comune: u.comune, owner: u }));
}

function visibleTo(fixture: IdorFixture, caller: DemoUser, site: FixtureSite): boolean {
  if (fixture.visibleTo) return fixture.visibleTo(caller, site);
  switch (fixture.visibility) {
    case 'owner':
      return caller.username === site.owner.username;
    case 'tenant':
      return caller.tenantId === site.tenantId;
    case 'comune':
      return caller.tenantId === site.tenantId && (!caller.comune || caller.comune === site.comune);
    case 'network':
      return true;
  }
}

function mayCall(route: MountedRoute, caller: DemoUser): boolean {
  if (route.permission === 'public' || route.permission === 'signed-in') return true;
  return permissionsOf(caller.roles).has(route.permission);
}

/** The example request body of an API operation, from the OpenAPI document. */
function exampleBody(route: MountedRoute): unknown {
  const op = product.web.openapi.paths[toOpenApiPath(route.path)]?.[route.method] as
    | {
        requestBody?: {
          content?: Record<string, { example?: unknown; schema?: { example?: unknown } }>;
        };
      }
    | undefined;
  const content = op?.requestBody?.content?.['application/json'];
  if (!content) return undefined;
  const example = content.example ?? content.schema?.example;
  if (example === undefined) {
    throw new Error(
      `${route.method.toUpperCase()} ${route.path}: add an "example" to its OpenAPI requestBody so the IDOR matrix can call it`,
    );
  }
  return example;
}

async function call(client: WebClient, route: MountedRoute, path: string): Promise<WebResponse> {
  if (isApiPath(route.path)) {
    return route.method === 'get'
      ? client.get(path, { accept: 'application/json' })
      : client.sendJson(route.method.toUpperCase(), path, exampleBody(route));
  }
  if (route.method === 'get') return client.get(path);
  return client.postForm(path, {});
}

interface Case {
  route: MountedRoute;
  caller: DemoUser | undefined;
  path: string;
  /** All resources of the path are visible to the caller. */
  visible: boolean;
}

function casesFor(route: MountedRoute): Case[] {
  const params = pathParams(route.path);
  const resourceParams = params.filter((p) => 'resource' in route.params![p]);
  const fill = (site: number | undefined) =>
    route.path.replace(/:(\w+)/g, (_m, p: string) => {
      const spec = route.params![p];
      if ('example' in spec) return encodeURIComponent(spec.example);
      return encodeURIComponent(placed.get(spec.resource)![site!].resource.id);
    });
  const callers: (DemoUser | undefined)[] = [undefined, ...users];
  if (resourceParams.length === 0)
    return callers.map((caller) => ({ route, caller, path: fill(undefined), visible: true }));
  const kinds = resourceParams.map((p) => (route.params![p] as { resource: string }).resource);
  const siteCount = placed.get(kinds[0])!.length;
  const out: Case[] = [];
  for (let site = 0; site < siteCount; site++) {
    // The permission check (guard) comes before the resource is read: callers without the
    // route's permission, and anonymous ones, are checked on the first site only.
    for (const caller of callers.filter((u) => site === 0 || (u && mayCall(route, u)))) {
      const visible =
        caller !== undefined &&
        kinds.every((k) => visibleTo(fixtureFor(k), caller, placed.get(k)![site].site));
      out.push({ route, caller, path: fill(site), visible });
    }
  }
  return out;
}

/** Markers of every resource the caller may not see. */
function forbiddenMarkers(caller: DemoUser | undefined): string[] {
  const out: string[] = [];
  for (const [kind, list] of placed) {
    const fixture = fixtureFor(kind);
    for (const p of list)
      if (!caller || !visibleTo(fixture, caller, p.site)) out.push(...p.resource.markers);
  }
  return out;
}

// Routes whose "allowed" call ends the caller's session: made with a throw-away session.
const ENDS_SESSION = new Set(['post /esci']);

beforeAll(async () => {
  const needsWorkers = IDOR_FIXTURES.some((f) => f.needsWorkers);
  product = await startTestProduct({
    name: 'idor',
    env: { LOGIN_LIMIT_PER_IP: '100000', ...(needsWorkers ? { WORKERS: 'true' } : {}) },
  });
  for (const u of users) clients.set(u.username, await signIn(product.url, u.username));
  const env: FixtureEnv = {
    product,
    client: async (username) => clients.get(username) ?? (await signIn(product.url, username)),
  };
  const kinds = new Set(
    product.web.routes.flatMap((r) =>
      Object.values(r.params ?? {}).flatMap((p) => ('resource' in p ? [p.resource] : [])),
    ),
  );
  for (const kind of kinds) {
    const fixture = fixtureFor(kind);
    const list: Placed[] = [];
    for (const site of sitesOf(fixture))
      list.push({ site, resource: await fixture.create(env, site) });
    placed.set(kind, list);
  }
});

afterAll(async () => {
  await product?.stop();
});

/**
 * The matrix over the routes of some areas (one test per group of areas, so that each
 * group reports on its own and stays within the test timeout as areas are added).
 */
async function runMatrix(areas: (area: string) => boolean): Promise<void> {
  const routes = product.web.routes.filter((r) => areas(r.area));
  const cases = routes.flatMap(casesFor);
  // Denials first: they must not change anything the allowed calls then rely on.
  const denials = cases.filter((c) => !c.visible || !c.caller || !mayCall(c.route, c.caller));
  const allowed = cases.filter((c) => c.visible && c.caller && mayCall(c.route, c.caller));
  const failures: string[] = [];
  const otherProvince = (tenantId: string) =>
    [...product.config.provinces.values()]
      .filter((p) => p.tenantId !== tenantId)
      .map((p) => p.name);

  const check = async (c: Case): Promise<void> => {
    const { route } = c;
    const label = `${route.method.toUpperCase()} ${c.path} as ${c.caller?.username ?? 'anonymous'}`;
    let client: WebClient;
    if (!c.caller) client = new WebClient(product.url);
    else if (ENDS_SESSION.has(`${route.method} ${route.path}`) && mayCall(route, c.caller))
      client = await signIn(product.url, c.caller.username);
    else client = clients.get(c.caller.username)!;
    if (!c.caller && route.method !== 'get') await client.get('/accedi'); // a real anonymous visitor has a CSRF token

    const res = await call(client, route, c.path);
    const api = isApiPath(route.path);
    const denied = [401, 403, 404];
    if (res.status >= 500) failures.push(`${label}: ${res.status}`);
    if (route.permission !== 'public') {
      if (!c.caller) {
        const ok = api
          ? res.status === 401
          : route.method === 'get'
            ? res.status === 303 && /^\/accedi/.test(res.location ?? '')
            : denied.includes(res.status);
        if (!ok) failures.push(`${label}: anonymous got ${res.status} ${res.location ?? ''}`);
      } else if (!mayCall(route, c.caller)) {
        if (res.status !== 403)
          failures.push(`${label}: without ${route.permission} got ${res.status}, expected 403`);
      } else if (!c.visible) {
        if (![403, 404].includes(res.status))
          failures.push(`${label}: other tenant/comune/owner got ${res.status}, expected 403/404`);
      } else if (denied.includes(res.status)) {
        failures.push(`${label}: allowed caller got ${res.status}`);
      }
    }
    for (const marker of forbiddenMarkers(c.caller)) {
      if (res.text.includes(marker))
        failures.push(`${label}: answer contains "${marker}" of a resource the caller may not see`);
    }
    if (c.caller && route.permission !== 'public' && !route.crossProvince) {
      for (const name of otherProvince(c.caller.tenantId)) {
        if (res.text.includes(name))
          failures.push(`${label}: answer names the other province (${name})`);
      }
    }
  };
  // A few calls at a time (each phase in full before the next): the matrix has thousands.
  for (const phase of [denials, allowed]) {
    let next = 0;
    const lane = async () => {
      while (next < phase.length) await check(phase[next++]);
    };
    await Promise.all(Array.from({ length: 4 }, lane));
  }
  expect(failures).toEqual([]);
  // The matrix really ran: every route, every caller.
  expect(routes.length).toBeGreaterThan(0);
  expect(cases.length).toBeGreaterThanOrEqual(routes.length * (users.length + 1));
}

/** Areas of the modeling engineer's pages (models, packages, settings): a test of their own. */
const MODELING_AREAS = new Set(['modeling', 'settings']);
/** Areas of the inbox engineer's pages (tasks, requests, case files): a test of their own. */
const INBOX_AREAS = new Set(['inbox', 'requests', 'cases']);

/** The good-practice catalogue (shared across provinces on purpose): a test of its own. */
const PRACTICES_AREAS = new Set(['practices']);

it('every route × every role × own/other province and comune: denied where it must be, and nothing leaks', async () => {
  await runMatrix(
    (area) => !MODELING_AREAS.has(area) && !PRACTICES_AREAS.has(area) && !INBOX_AREAS.has(area),
  );
});

it('the same for the good-practice catalogue (shared entries, publisher-only changes, imports)', async () => {
  await runMatrix((area) => PRACTICES_AREAS.has(area));
});

it('the same for the inbox, requests and case file routes (tasks, cases, documents, attachments)', async () => {
  await runMatrix((area) => INBOX_AREAS.has(area));
});

it('the same for the modeling and settings routes (models, versions, packages, settings)', async () => {
  await runMatrix((area) => MODELING_AREAS.has(area));
});
