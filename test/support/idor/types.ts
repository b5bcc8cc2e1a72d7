/**
 * The IDOR matrix (test/web/idor-matrix.test.ts) calls every route of the route tables
 * as every demo user (and anonymously) against resources of their own and of other
 * provinces and comuni. Routes with a resource parameter (`params: { id: { resource:
 * 'task' } }`) need a fixture for that kind: code that creates one such resource in a
 * given province/comune and returns its id and "markers" — strings that appear in the
 * resource's pages and JSON, and must never appear in an answer to somebody who may not
 * see it. Add your fixture to test/support/idor/index.ts.
 */
import type { DemoUser, TestProduct, WebClient } from '../web';

/**
 * Who may see a resource (besides holding the route's permission):
 * - 'comune': same province, and comune staff only their own comune (cases, tasks, requests);
 * - 'tenant': anybody of the same province (models, settings, province users);
 * - 'owner': only the person it belongs to (their API tokens);
 * - 'network': every signed-in person of every province (published good practices).
 */
export type Visibility = 'comune' | 'tenant' | 'owner' | 'network';

export interface FixtureSite {
  tenantId: string;
  /** The comune the resource belongs to (always set for 'comuni' sites). */
  comune?: string;
  /** A demo user of that site (for 'users' sites: the owner). */
  owner: DemoUser;
}

export interface FixtureEnv {
  product: TestProduct;
  /** A signed-in HTTP client for a demo user (cached). */
  client(username: string): Promise<WebClient>;
}

export interface IdorResource {
  id: string;
  /** Unique strings of this resource; must never reach a caller who may not see it. */
  markers: string[];
}

export interface IdorFixture {
  /** The resource kind, as named in RouteDef.params (e.g. 'task', 'user', 'api-token'). */
  kind: string;
  visibility: Visibility;
  /**
   * A finer rule than `visibility`, when the resource is seen by some roles only (a task:
   * its candidates and those who see every task). Write it from the demo users' roles,
   * not by calling the product.
   */
  visibleTo?: (caller: DemoUser, site: FixtureSite) => boolean;
  /**
   * Where resources are created: one per demo comune that has a comune user
   * (039010 Faenza, 039012 Lugo, 100003 Montemurlo, 100006 Vaiano), one per demo user,
   * one per province ('provinces': enough for 'tenant' resources, half the calls), or one
   * comune per province ('comune-per-province': the first of each; the other comune's
   * staff still test "other comune"; for kinds with many routes).
   */
  sites: 'comuni' | 'users' | 'provinces' | 'comune-per-province';
  /** Run the product with the service workers (and the inbox worker) on. */
  needsWorkers?: boolean;
  create(env: FixtureEnv, site: FixtureSite): Promise<IdorResource>;
}
