/**
 * Substitutes for absences: a person names a stand-in for a range of days (Europe/Rome).
 * While the range lasts the stand-in sees and works the absent person's tasks — those
 * already open and those that arrive — as if they were theirs; every action records
 * both names. Rules are few and kept in memory, fresh from the change feed.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Directory } from './directory';
import { inputError } from './errors';
import type { ChangeFeed } from './store/change-feed';
import { VersionedStore, type Versioned } from './store/versioned-store';

export interface SubstituteRule {
  id: string;
  standIn: string;
  /** First and last day of the absence, "YYYY-MM-DD" (Europe/Rome), inclusive. */
  from: string;
  to: string;
  reason?: string;
  createdBy: string;
  createdAt: Date;
}

export interface SubstitutesDoc extends Versioned {
  /** "<tenantId>:<absent username>" */
  _id: string;
  tenantId: string;
  username: string;
  rules: SubstituteRule[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366;

export function romeDay(at: Date): string {
  return DateTime.fromJSDate(at).setZone('Europe/Rome').toISODate()!;
}

export class Substitutes {
  readonly store: VersionedStore<SubstitutesDoc>;
  private readonly docs = new Map<string, SubstitutesDoc>();

  constructor(
    connection: import('mongoose').Connection,
    feed: ChangeFeed,
    private readonly directory: Directory,
  ) {
    this.store = new VersionedStore<SubstitutesDoc>(
      connection,
      'inbox_substitutes',
      feed,
      'substitutes',
    );
    feed.on('substitutes', (e) => e.doc && this.apply(e.doc as SubstitutesDoc));
  }

  apply(doc: SubstitutesDoc): void {
    const held = this.docs.get(doc._id);
    if (!held || held.version < doc.version) this.docs.set(doc._id, doc);
  }

  async load(): Promise<void> {
    for (const doc of await this.store.loadAll()) this.apply(doc);
  }

  rulesOf(tenantId: string, username: string): SubstituteRule[] {
    return this.docs.get(`${tenantId}:${username}`)?.rules ?? [];
  }

  /** The absent colleagues `standIn` covers on the day of `now`. */
  coveredBy(tenantId: string, standIn: string, now: Date): string[] {
    const today = romeDay(now);
    const out: string[] = [];
    for (const doc of this.docs.values()) {
      if (doc.tenantId !== tenantId) continue;
      if (doc.rules.some((r) => r.standIn === standIn && r.from <= today && today <= r.to)) {
        out.push(doc.username);
      }
    }
    return out;
  }

  /** Who stands in for `username` today, if anyone. */
  standInOf(tenantId: string, username: string, now: Date): string | undefined {
    const today = romeDay(now);
    return this.rulesOf(tenantId, username).find((r) => r.from <= today && today <= r.to)?.standIn;
  }

  async add(
    tenantId: string,
    username: string,
    rule: { standIn: string; from: string; to: string; reason?: string },
    actor: string,
    now: Date,
  ): Promise<SubstituteRule> {
    const absent = this.directory.person(tenantId, username);
    const standIn = this.directory.person(tenantId, rule.standIn);
    if (!absent) throw inputError('username', 'unknownUser');
    if (!standIn || rule.standIn === username) throw inputError('standIn', 'invalidStandIn');
    // A comune officer is replaced by a colleague of the same comune only.
    if (absent.comune && standIn.comune !== absent.comune)
      throw inputError('standIn', 'standInOtherComune');
    if (!DAY.test(rule.from) || !DateTime.fromISO(rule.from).isValid)
      throw inputError('from', 'invalidDate');
    if (!DAY.test(rule.to) || !DateTime.fromISO(rule.to).isValid)
      throw inputError('to', 'invalidDate');
    if (rule.to < rule.from) throw inputError('to', 'rangeReversed');
    if (rule.to < romeDay(now)) throw inputError('to', 'rangePast');
    const days = DateTime.fromISO(rule.to).diff(DateTime.fromISO(rule.from), 'days').days;
    if (days > MAX_DAYS) throw inputError('to', 'rangeTooLong');
    const created: SubstituteRule = {
      id: randomUUID(),
      standIn: rule.standIn,
      from: rule.from,
      to: rule.to,
      reason: rule.reason?.trim().slice(0, 500) || undefined,
      createdBy: actor,
      createdAt: now,
    };
    const id = `${tenantId}:${username}`;
    const change = { action: 'substitute.added', actor, at: now, details: { ...created } };
    const existing = await this.store.get(id);
    if (!existing) {
      const res = await this.store.create(
        { _id: id, version: 1, tenantId, username, rules: [created] },
        change,
      );
      if (res.created) {
        this.apply(res.doc);
        return created;
      }
    }
    const doc = await this.store.update(
      id,
      undefined,
      (d) => ({ ...d, rules: [...d.rules, created] }),
      change,
    );
    this.apply(doc);
    return created;
  }

  async remove(
    tenantId: string,
    username: string,
    ruleId: string,
    actor: string,
    now: Date,
  ): Promise<boolean> {
    const id = `${tenantId}:${username}`;
    const existing = await this.store.get(id);
    if (!existing?.rules.some((r) => r.id === ruleId)) return false;
    const doc = await this.store.update(
      id,
      undefined,
      (d) => ({ ...d, rules: d.rules.filter((r) => r.id !== ruleId) }),
      { action: 'substitute.removed', actor, at: now, details: { ruleId } },
    );
    this.apply(doc);
    return true;
  }
}
