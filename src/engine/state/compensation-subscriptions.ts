/**
 * Compensation subscriptions of the active process instances, with the indexes the
 * compensation behaviour looks them up by. Changed only by the COMPENSATION_SUBSCRIPTION
 * appliers; part of every snapshot.
 */
import type { CompensationSubscription } from './types';

function addTo(map: Map<number, Set<number>>, key: number, value: number): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom(map: Map<number, Set<number>>, key: number, value: number): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

export class CompensationSubscriptions {
  readonly byKey = new Map<number, CompensationSubscription>();
  private readonly byScope = new Map<number, Set<number>>();
  private readonly byProcessInstance = new Map<number, Set<number>>();
  private readonly byThrowEvent = new Map<number, Set<number>>();
  private readonly byHandler = new Map<number, number>();

  put(s: CompensationSubscription): void {
    this.remove(s.key);
    this.byKey.set(s.key, s);
    addTo(this.byScope, s.compensableActivityScopeKey, s.key);
    addTo(this.byProcessInstance, s.processInstanceKey, s.key);
    if (s.throwEventInstanceKey > 0) addTo(this.byThrowEvent, s.throwEventInstanceKey, s.key);
    if (s.compensationHandlerInstanceKey > 0) {
      this.byHandler.set(s.compensationHandlerInstanceKey, s.key);
    }
  }

  remove(key: number): void {
    const s = this.byKey.get(key);
    if (!s) return;
    this.byKey.delete(key);
    removeFrom(this.byScope, s.compensableActivityScopeKey, key);
    removeFrom(this.byProcessInstance, s.processInstanceKey, key);
    removeFrom(this.byThrowEvent, s.throwEventInstanceKey, key);
    if (this.byHandler.get(s.compensationHandlerInstanceKey) === key) {
      this.byHandler.delete(s.compensationHandlerInstanceKey);
    }
  }

  private list(keys: Set<number> | undefined): CompensationSubscription[] {
    return [...(keys ?? [])].map((k) => this.byKey.get(k)!).sort((a, b) => a.key - b.key);
  }

  /** Subscriptions of activities that completed in this scope, oldest first. */
  inScope(scopeKey: number): CompensationSubscription[] {
    return this.list(this.byScope.get(scopeKey));
  }

  hasInScope(scopeKey: number): boolean {
    return this.byScope.has(scopeKey);
  }

  ofProcessInstance(processInstanceKey: number): CompensationSubscription[] {
    return this.list(this.byProcessInstance.get(processInstanceKey));
  }

  /** Handlers a throw event still waits for. */
  triggeredBy(throwEventInstanceKey: number): CompensationSubscription[] {
    return this.list(this.byThrowEvent.get(throwEventInstanceKey));
  }

  ofHandler(handlerInstanceKey: number): CompensationSubscription | undefined {
    const key = this.byHandler.get(handlerInstanceKey);
    return key === undefined ? undefined : this.byKey.get(key);
  }

  toSnapshot(): CompensationSubscription[] {
    return [...this.byKey.values()];
  }

  load(items: CompensationSubscription[] | undefined): void {
    for (const s of items ?? []) this.put(s);
  }
}
