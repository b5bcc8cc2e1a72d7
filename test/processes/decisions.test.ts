/**
 * The decision tables, evaluated by the built-in engine's DMN evaluator with the
 * variables the workers put on the instance from each province's settings.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateDecision, parseDmn, type ParsedDrg } from '../../src/engine/dmn';
import { loadProductConfig } from '../../src/config';

const ROOT = path.resolve(__dirname, '..', '..');
const config = loadProductConfig(path.join(ROOT, 'engine-config'));

async function load(file: string): Promise<ParsedDrg> {
  return parseDmn(readFileSync(path.join(ROOT, 'processes', file), 'utf8'), path.basename(file));
}

describe('procurementProcedure (D.Lgs. 36/2023 art. 14 and 50)', () => {
  let drg: ParsedDrg;
  beforeAll(async () => {
    drg = await load('procurement/procurement-procedure.dmn');
  });

  const decide = (tenantId: string, contractType: string, amount: number) => {
    const p = config.provinces.get(tenantId)!.settings.procurement as Record<string, unknown>;
    const r = evaluateDecision(drg, 'procurementProcedure', {
      contractType,
      amount,
      thresholds: p.thresholds,
      operatorMinimums: p.minOperators,
    });
    expect(r.failureMessage).toBeUndefined();
    return r.output as { procedureType: string; minOperators: number; standStill: boolean };
  };

  it.each([
    ['services', 90_000, 'directAward', 1, false],
    ['services', 150_000, 'negotiated', 5, false],
    ['supplies', 216_000, 'open', 0, true],
    ['works', 149_999.99, 'directAward', 1, false],
    ['works', 600_000, 'negotiated', 5, false],
    ['works', 1_000_000, 'negotiated', 10, false],
    ['works', 6_000_000, 'open', 0, true],
    ['socialServices', 700_000, 'negotiated', 5, false],
    ['socialServices', 750_000, 'open', 0, true],
  ])('Ravenna: %s € %d → %s', (type, amount, procedureType, minOperators, standStill) => {
    expect(decide('039', type as string, amount as number)).toMatchObject({ procedureType, minOperators, standStill });
  });

  it("Prato's lower direct-award threshold for works changes the procedure for Prato only", () => {
    expect(decide('039', 'works', 120_000).procedureType).toBe('directAward');
    expect(decide('100', 'works', 120_000)).toMatchObject({ procedureType: 'negotiated', minOperators: 5 });
    expect(decide('100', 'services', 120_000).procedureType).toBe('directAward');
  });
});

describe('euCallMatching', () => {
  it('notifies relevant calls with time left, not calls closed to comuni', async () => {
    const drg = await load('eu-funding/eu-call-matching.dmn');
    const themes = ['environment', 'digital'];
    const decide = (call: Record<string, unknown>) =>
      evaluateDecision(drg, 'euCallMatching', { call, scoutedThemes: themes }).output;
    expect(decide({ theme: 'environment', applicantTypes: ['municipality'], daysToDeadline: 60 })).toEqual({
      relevance: 'high',
      notify: true,
    });
    expect(decide({ theme: 'digital', applicantTypes: ['municipality'], daysToDeadline: 20 })).toEqual({
      relevance: 'medium',
      notify: true,
    });
    expect(decide({ theme: 'energy', applicantTypes: ['company'], daysToDeadline: 90 })).toEqual({
      relevance: 'none',
      notify: false,
    });
  });
});

describe('dataRequestClassification', () => {
  it('classifies personal, open and elaboration requests', async () => {
    const drg = await load('data-request/data-request-classification.dmn');
    const decide = (dataset: Record<string, unknown>, elaboration: string) =>
      evaluateDecision(drg, 'dataRequestClassification', { dataset, elaboration }).output;
    expect(decide({ containsPersonalData: true, openData: false }, 'none')).toEqual({ category: 'personal', dpoReview: true });
    expect(decide({ containsPersonalData: false, openData: true }, 'none')).toEqual({ category: 'open', dpoReview: false });
    expect(decide({ containsPersonalData: false, openData: true }, 'aggregate')).toEqual({
      category: 'elaboration',
      dpoReview: false,
    });
  });
});
