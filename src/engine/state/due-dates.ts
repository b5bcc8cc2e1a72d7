/**
 * What becomes due when: timers, job deadlines, job back-off ends and message time-to-live
 * ends, in a binary min-heap with each entry's position indexed, so the scheduler finds what
 * is due without scanning the state and an entry moves or leaves in O(log n). Derived
 * state: the EngineState keeps it in step with its timers, jobs and messages.
 */

export type DueKind = 'timer' | 'jobDeadline' | 'jobBackoff' | 'messageTtl';

export interface DueEntry {
  kind: DueKind;
  key: number;
  at: number;
}

const id = (kind: DueKind, key: number) => `${kind}:${key}`;

export class DueDateIndex {
  private readonly heap: DueEntry[] = [];
  private readonly position = new Map<string, number>();

  get size(): number {
    return this.heap.length;
  }

  /** Adds the entry or moves it to its new due date. */
  set(kind: DueKind, key: number, at: number): void {
    const i = this.position.get(id(kind, key));
    if (i === undefined) {
      this.heap.push({ kind, key, at });
      this.position.set(id(kind, key), this.heap.length - 1);
      this.up(this.heap.length - 1);
      return;
    }
    const old = this.heap[i].at;
    this.heap[i] = { kind, key, at };
    if (at < old) this.up(i);
    else this.down(i);
  }

  delete(kind: DueKind, key: number): void {
    const i = this.position.get(id(kind, key));
    if (i === undefined) return;
    this.position.delete(id(kind, key));
    const last = this.heap.pop()!;
    if (i === this.heap.length) return;
    this.heap[i] = last;
    this.position.set(id(last.kind, last.key), i);
    this.up(i);
    this.down(i);
  }

  get(kind: DueKind, key: number): DueEntry | undefined {
    const i = this.position.get(id(kind, key));
    return i === undefined ? undefined : this.heap[i];
  }

  /** The earliest entry. */
  peek(): DueEntry | undefined {
    return this.heap[0];
  }

  /**
   * Everything due by `now` (in no particular order) and the earliest due date after it.
   * Visits only the due entries and their direct children: a heap's subtree never holds
   * anything earlier than its root.
   */
  dueBy(now: number): { due: DueEntry[]; next: number } {
    const due: DueEntry[] = [];
    let next = Infinity;
    const stack = this.heap.length ? [0] : [];
    while (stack.length) {
      const i = stack.pop()!;
      const e = this.heap[i];
      if (e.at > now) {
        if (e.at < next) next = e.at;
        continue;
      }
      due.push(e);
      for (const c of [2 * i + 1, 2 * i + 2]) if (c < this.heap.length) stack.push(c);
    }
    return { due, next };
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent].at <= h[i].at) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < h.length && h[l].at < h[smallest].at) smallest = l;
      if (r < h.length && h[r].at < h[smallest].at) smallest = r;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const h = this.heap;
    [h[a], h[b]] = [h[b], h[a]];
    this.position.set(id(h[a].kind, h[a].key), a);
    this.position.set(id(h[b].kind, h[b].key), b);
  }
}
