/**
 * Saved views of the task lists, on the server: personal ones, ones shared with an
 * office (a role), and default views the province administrator pins for everyone.
 * A view is a name plus the list's URL parameters. Few per province: kept in memory,
 * fresh from the change feed.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { inputError, TaskForbiddenError, TaskNotFoundError } from './errors';
import { listQueryParams, parseListQuery } from './list-query';
import type { ChangeFeed } from './store/change-feed';
import { VersionedStore, type Versioned } from './store/versioned-store';
import { can, TASK_PERMISSIONS, type Actor } from './types';

export type ViewScope = 'personal' | 'office' | 'pinned';

export interface SavedView extends Versioned {
  tenantId: string;
  name: string;
  scope: ViewScope;
  owner: string;
  /** scope office: the role (office) it is shared with. */
  office?: string;
  /** The list's URL parameters (view, q, sort, filters). */
  query: string;
  createdAt: Date;
  deleted?: boolean;
}

export class SavedViews {
  readonly store: VersionedStore<SavedView>;
  private readonly views = new Map<string, SavedView>();

  constructor(connection: Connection, feed: ChangeFeed) {
    this.store = new VersionedStore<SavedView>(connection, 'inbox_views', feed, 'views');
    feed.on('views', (e) => e.doc && this.apply(e.doc as SavedView));
  }

  apply(view: SavedView): void {
    const held = this.views.get(view._id);
    if (!held || held.version < view.version) this.views.set(view._id, view);
  }

  async load(): Promise<void> {
    for (const v of await this.store.loadAll()) this.apply(v);
  }

  /** The views an actor may use: pinned first, then the office's, then their own. */
  list(actor: Actor): SavedView[] {
    const rank: Record<ViewScope, number> = { pinned: 0, office: 1, personal: 2 };
    return [...this.views.values()]
      .filter(
        (v) =>
          !v.deleted &&
          v.tenantId === actor.tenantId &&
          (v.scope === 'pinned' ||
            (v.scope === 'office' && v.office !== undefined && actor.roles.includes(v.office)) ||
            (v.scope === 'personal' && v.owner === actor.username)),
      )
      .sort((a, b) => rank[a.scope] - rank[b.scope] || a.name.localeCompare(b.name, 'it'));
  }

  get(actor: Actor, id: string): SavedView {
    const view = this.list(actor).find((v) => v._id === id);
    if (!view) throw new TaskNotFoundError(id);
    return view;
  }

  async create(
    actor: Actor,
    input: { name: string; scope: ViewScope; office?: string; query: Record<string, unknown> },
    now: Date,
  ): Promise<SavedView> {
    const name = input.name?.trim();
    if (!name || name.length > 80) throw inputError('name', 'viewNameRequired');
    if (!['personal', 'office', 'pinned'].includes(input.scope))
      throw inputError('scope', 'invalidValue');
    if (input.scope === 'office') {
      if (!can(actor, TASK_PERMISSIONS.shareViews)) {
        throw new TaskForbiddenError(
          'views.share',
          'Sharing views with an office needs views.share',
        );
      }
      if (!input.office || !actor.roles.includes(input.office))
        throw inputError('office', 'notYourOffice');
    }
    if (input.scope === 'pinned' && !can(actor, TASK_PERMISSIONS.pinViews)) {
      throw new TaskForbiddenError('views.pin', 'Pinning views needs views.pin');
    }
    const query = listQueryParams(parseListQuery(input.query)).toString();
    const view: SavedView = {
      _id: randomUUID(),
      version: 1,
      tenantId: actor.tenantId,
      name,
      scope: input.scope,
      owner: actor.username,
      office: input.scope === 'office' ? input.office : undefined,
      query,
      createdAt: now,
    };
    const { doc } = await this.store.create(view, {
      action: 'view.created',
      actor: actor.username,
      at: now,
    });
    this.apply(doc);
    return doc;
  }

  async delete(actor: Actor, id: string, now: Date): Promise<void> {
    const view = this.get(actor, id);
    const mayDelete =
      view.owner === actor.username ||
      (view.scope === 'pinned' && can(actor, TASK_PERMISSIONS.pinViews));
    if (!mayDelete) throw new TaskForbiddenError('views.delete', 'Only the owner deletes a view');
    const doc = await this.store.update(id, undefined, (v) => ({ ...v, deleted: true }), {
      action: 'view.deleted',
      actor: actor.username,
      at: now,
    });
    this.apply(doc);
  }
}
