import { evaluateDecision, type ParsedDrg } from '../../../src/engine/dmn';
import { parseFixture } from './dmn-fixtures';

let drg: ParsedDrg;
beforeAll(async () => {
  drg = await parseFixture('multiple-outputs.dmn');
});

describe('decision tables with several outputs', () => {
  it('return an object keyed by output name, with empty output entries as null', () => {
    const result = evaluateDecision(drg, 'risk', { amount: 10, urgent: false });
    expect(result.output).toEqual({ level: 'low', points: 1, note: null });
  });

  it('evaluate output entries as FEEL expressions over the context', () => {
    const result = evaluateDecision(drg, 'risk', { amount: 5000, urgent: true, office: 'SUA' });
    expect(result.output).toEqual({ level: 'high', points: 10, note: 'escalate to SUA' });
  });

  it('report evaluated inputs and each output of the matched rule', () => {
    const [evaluated] = evaluateDecision(drg, 'risk', {
      amount: 5000,
      urgent: false,
    }).evaluatedDecisions;
    expect(evaluated.evaluatedInputs).toEqual([
      { inputId: 'risk_in_amount', inputName: 'Amount', inputValue: 5000 },
      { inputId: 'risk_in_urgent', inputName: 'Urgent', inputValue: false },
    ]);
    expect(evaluated.matchedRules).toEqual([
      {
        ruleId: 'risk_m2',
        ruleIndex: 2,
        evaluatedOutputs: [
          { outputId: 'risk_out_level', outputName: 'level', outputValue: 'medium' },
          { outputId: 'risk_out_points', outputName: 'points', outputValue: 5 },
          { outputId: 'risk_out_note', outputName: 'note', outputValue: 'check' },
        ],
      },
    ]);
  });

  it('give a list of objects under COLLECT', () => {
    expect(evaluateDecision(drg, 'risk_all', { amount: 5000 }).output).toEqual([
      { level: 'base', points: 1 },
      { level: 'extra', points: 2 },
    ]);
    expect(evaluateDecision(drg, 'risk_all', { amount: -1 }).output).toEqual([]);
  });

  it('order PRIORITY by the first output, then the next one', () => {
    // p2 and p3 are both "medium"; points priority 3,2,1 puts p3 (2) before p2 (1).
    const result = evaluateDecision(drg, 'risk_priority', { amount: 10 });
    expect(result.output).toEqual({ level: 'medium', points: 2 });
    expect(result.evaluatedDecisions[0].matchedRules.map((r) => r.ruleId)).toEqual([
      'risk_priority_p3',
    ]);
    expect(evaluateDecision(drg, 'risk_priority', { amount: 9000 }).output).toEqual({
      level: 'high',
      points: 1,
    });
  });
});
