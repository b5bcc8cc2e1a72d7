/**
 * The training-priority DMN (processes/training/training-priority.dmn), evaluated by the
 * built-in engine's DMN evaluator, against cases written from the research note on
 * training needs (/shared/research/training-and-networking.md, step 2: "gap = required
 * − self-rated level ...; mandatory areas first"), the 2025 directive's mandatory
 * areas, and the role bands.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateDecision, parseDmn, type ParsedDrg } from '../../src/engine/dmn';

const FILE = path.resolve(__dirname, '..', '..', 'processes', 'training', 'training-priority.dmn');
let drg: ParsedDrg;
beforeAll(async () => {
  drg = await parseDmn(readFileSync(FILE, 'utf8'), 'training-priority.dmn');
});

function priorityOf(row: {
  mandatory: boolean;
  shareWithGap: number;
  gap: number;
  roleBand: string;
}) {
  const r = evaluateDecision(drg, 'trainingPriority', { gapRow: row });
  expect(r.failureMessage).toBeUndefined();
  return r.output as { priority: string; rank: number; reason: string };
}

// [case, mandatory, share of staff with the gap, mean gap in levels, role band, expected priority]
const cases: [string, boolean, number, number, string, string][] = [
  ['a mandatory topic half the office has not done', true, 0.5, 0, 'istruttore', 'alta'],
  ['a mandatory topic one person in ten has not done', true, 0.1, 0, 'operatore', 'alta'],
  ['a mandatory topic everybody has done', true, 0, 0, 'funzionario', 'nessuna'],
  ['operators two levels below the required one', false, 1, 2, 'operatore', 'alta'],
  ['one and a half levels below, any band', false, 0.8, 1.5, 'istruttore', 'alta'],
  ['dirigenti one level below', false, 1, 1, 'dirigente', 'alta'],
  ['funzionari one level below', false, 0.7, 1.2, 'funzionario', 'alta'],
  ['istruttori one level below', false, 1, 1, 'istruttore', 'media'],
  ['a small gap shared by most of the office', false, 0.6, 0.4, 'operatore-esperto', 'media'],
  ['a small gap of a few people', false, 0.2, 0.3, 'istruttore', 'bassa'],
  ['no gap at all', false, 0, 0, 'dirigente', 'nessuna'],
];

it.each(cases)('%s → %s', (_name, mandatory, shareWithGap, gap, roleBand, expected) => {
  expect(priorityOf({ mandatory, shareWithGap, gap, roleBand }).priority).toBe(expected);
});

it('ranks mandatory topics before any other need, and names the reason', () => {
  const mandatory = priorityOf({
    mandatory: true,
    shareWithGap: 0.2,
    gap: 0,
    roleBand: 'operatore',
  });
  const wideGap = priorityOf({ mandatory: false, shareWithGap: 1, gap: 3, roleBand: 'operatore' });
  expect(mandatory.rank).toBeLessThanOrEqual(wideGap.rank);
  expect(mandatory.reason).toMatch(/obbligatoria/);
});
