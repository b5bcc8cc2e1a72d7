/**
 * Range functions (before, after, meets, ... coincides) on points and ranges, as the
 * DMN specification defines them (its table of range relations, which Zeebe follows).
 * feelin 8.2 cannot invoke most of them, so all are the engine's.
 */
import { isRange, type FeelRange } from 'feelin';
import { warn } from '../frame';
import { feelFunction } from '../function-values';
import { compareFeelValues } from '../ordering';

class Incomparable extends Error {}

/** Comparisons that abort the function (its result is null) when points are incomparable. */
const lt = (a: unknown, b: unknown) => cmp(a, b) < 0;
const gt = (a: unknown, b: unknown) => cmp(a, b) > 0;
const eq = (a: unknown, b: unknown) => cmp(a, b) === 0;
function cmp(a: unknown, b: unknown): number {
  const result = compareFeelValues(a, b);
  if (result === null) throw new Incomparable();
  return result;
}

interface R {
  start: unknown;
  end: unknown;
  si: boolean;
  ei: boolean;
}

function view(range: FeelRange): R {
  return {
    start: range.start,
    end: range.end,
    si: range['start included'],
    ei: range['end included'],
  };
}

type Relation = {
  pp?: (a: unknown, b: unknown) => boolean;
  pr?: (p: unknown, r: R) => boolean;
  rp?: (r: R, p: unknown) => boolean;
  rr?: (a: R, b: R) => boolean;
};

function relation(name: string, rel: Relation) {
  return feelFunction(
    ['point1', 'point2', 'range', 'point', 'range1', 'range2'],
    (...args: unknown[]) => {
      const [a, b] = args.filter((arg) => arg !== undefined);
      if (a === null || b === null || a === undefined || b === undefined) return null;
      try {
        if (isRange(a) && isRange(b) && rel.rr) return rel.rr(view(a), view(b));
        if (isRange(a) && !isRange(b) && rel.rp) return rel.rp(view(a), b);
        if (!isRange(a) && isRange(b) && rel.pr) return rel.pr(a, view(b));
        if (!isRange(a) && !isRange(b) && rel.pp) return rel.pp(a, b);
      } catch (error) {
        if (error instanceof Incomparable) {
          return warn('NOT_COMPARABLE', `${name}: the values are not comparable`);
        }
        throw error;
      }
      return warn('INVALID_ARGUMENTS', `${name} is not defined for these arguments`);
    },
  );
}

const inside = (r: R, p: unknown) =>
  (lt(r.start, p) && gt(r.end, p)) || (eq(r.start, p) && r.si) || (eq(r.end, p) && r.ei);

export const RANGE_FUNCTIONS = {
  before: relation('before', {
    pp: (a, b) => lt(a, b),
    pr: (p, r) => lt(p, r.start) || (eq(p, r.start) && !r.si),
    rp: (r, p) => lt(r.end, p) || (eq(r.end, p) && !r.ei),
    rr: (a, b) => lt(a.end, b.start) || ((!a.ei || !b.si) && eq(a.end, b.start)),
  }),
  after: relation('after', {
    pp: (a, b) => gt(a, b),
    pr: (p, r) => gt(p, r.end) || (eq(p, r.end) && !r.ei),
    rp: (r, p) => gt(r.start, p) || (eq(r.start, p) && !r.si),
    rr: (a, b) => gt(a.start, b.end) || ((!a.si || !b.ei) && eq(a.start, b.end)),
  }),
  meets: relation('meets', { rr: (a, b) => a.ei && b.si && eq(a.end, b.start) }),
  'met by': relation('met by', { rr: (a, b) => a.si && b.ei && eq(a.start, b.end) }),
  overlaps: relation('overlaps', {
    rr: (a, b) =>
      (gt(a.end, b.start) || (eq(a.end, b.start) && a.ei && b.si)) &&
      (lt(a.start, b.end) || (eq(a.start, b.end) && a.si && b.ei)),
  }),
  'overlaps before': relation('overlaps before', {
    rr: (a, b) =>
      (lt(a.start, b.start) || (eq(a.start, b.start) && a.si && !b.si)) &&
      (gt(a.end, b.start) || (eq(a.end, b.start) && a.ei && b.si)) &&
      (lt(a.end, b.end) || (eq(a.end, b.end) && (!a.ei || b.ei))),
  }),
  'overlaps after': relation('overlaps after', {
    rr: (a, b) =>
      (lt(b.start, a.start) || (eq(b.start, a.start) && b.si && !a.si)) &&
      (gt(b.end, a.start) || (eq(b.end, a.start) && b.ei && a.si)) &&
      (lt(b.end, a.end) || (eq(b.end, a.end) && (!b.ei || a.ei))),
  }),
  finishes: relation('finishes', {
    pr: (p, r) => r.ei && eq(r.end, p),
    rr: (a, b) =>
      a.ei === b.ei &&
      eq(a.end, b.end) &&
      (gt(a.start, b.start) || (eq(a.start, b.start) && (!a.si || b.si))),
  }),
  'finished by': relation('finished by', {
    rp: (r, p) => r.ei && eq(r.end, p),
    rr: (a, b) =>
      a.ei === b.ei &&
      eq(a.end, b.end) &&
      (lt(a.start, b.start) || (eq(a.start, b.start) && (a.si || !b.si))),
  }),
  includes: relation('includes', {
    rp: (r, p) => inside(r, p),
    rr: (a, b) =>
      (lt(a.start, b.start) || (eq(a.start, b.start) && (a.si || !b.si))) &&
      (gt(a.end, b.end) || (eq(a.end, b.end) && (a.ei || !b.ei))),
  }),
  during: relation('during', {
    pr: (p, r) => inside(r, p),
    rr: (a, b) =>
      (lt(b.start, a.start) || (eq(b.start, a.start) && (b.si || !a.si))) &&
      (gt(b.end, a.end) || (eq(b.end, a.end) && (b.ei || !a.ei))),
  }),
  starts: relation('starts', {
    pr: (p, r) => eq(r.start, p) && r.si,
    rr: (a, b) =>
      eq(a.start, b.start) &&
      a.si === b.si &&
      (gt(b.end, a.end) || (eq(b.end, a.end) && (!a.ei || b.ei))),
  }),
  'started by': relation('started by', {
    rp: (r, p) => eq(r.start, p) && r.si,
    rr: (a, b) =>
      eq(a.start, b.start) &&
      a.si === b.si &&
      (lt(b.end, a.end) || (eq(b.end, a.end) && (!b.ei || a.ei))),
  }),
  coincides: relation('coincides', {
    pp: (a, b) => eq(a, b),
    rr: (a, b) => eq(a.start, b.start) && a.si === b.si && eq(a.end, b.end) && a.ei === b.ei,
  }),
};
