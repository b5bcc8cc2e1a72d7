/** Graph helpers for decision requirements: cycle detection and evaluation order. */

/** Returns a cycle as a path of ids (first id repeated at the end), or undefined. */
export function findRequirementCycle(requirements: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const seen = state.get(id);
    if (seen === 'done') return undefined;
    if (seen === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const next of requirements.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of requirements.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Depth-first order in which a decision and everything it requires are evaluated, each once. */
export function evaluationOrder(rootId: string, requirements: Map<string, string[]>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const next of requirements.get(id) ?? []) visit(next);
    order.push(id);
  };
  visit(rootId);
  return order;
}
