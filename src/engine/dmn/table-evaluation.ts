/**
 * Decision table evaluation: input expressions, then each rule's input entries
 * against the input values, then the output entries of the matching rules, then the
 * hit policy. Fills the Zeebe-style report (evaluated inputs, matched rules) as it goes,
 * so that a failure still shows what was evaluated.
 */
import { evaluateCompiled } from './compiled-expression';
import { feelTypeOf, toJsonValue, type FeelType } from '../feel';
import { applyHitPolicy, stopsAtFirstMatch, type RuleMatch } from './hit-policies';
import { matchInputEntry } from './input-entry';
import type { EvaluatedDecision, MatchedRule, ParsedDecisionTable, ParsedRule } from './types';

interface BoundInput {
  value: unknown;
  type: FeelType;
  /** The evaluation context with the input value bound to '?'. */
  testContext: Record<string, unknown>;
}

function ruleMatches(rule: ParsedRule, table: ParsedDecisionTable, inputs: BoundInput[]): boolean {
  return rule.inputEntries.every((entry, i) =>
    matchInputEntry(
      entry,
      inputs[i].value,
      inputs[i].type,
      inputs[i].testContext,
      `input entry of rule '${rule.id}' for input '${table.inputs[i].name}'`,
    ),
  );
}

function evaluateOutputs(rule: ParsedRule, context: Record<string, unknown>): unknown[] {
  return rule.outputEntries.map((entry, i) =>
    evaluateCompiled(entry, context, `output entry ${i + 1} of rule '${rule.id}'`),
  );
}

/** Returns the decision result as FEEL values; throws DecisionEvaluationFailure. */
export function evaluateDecisionTable(
  table: ParsedDecisionTable,
  context: Record<string, unknown>,
  report: EvaluatedDecision,
): unknown {
  const inputs: BoundInput[] = table.inputs.map((input) => {
    const value = evaluateCompiled(
      input.expression,
      context,
      `input expression of input '${input.name}'`,
    );
    report.evaluatedInputs.push({
      inputId: input.id,
      inputName: input.name,
      inputValue: toJsonValue(value),
    });
    return { value, type: feelTypeOf(value), testContext: { ...context, '?': value } };
  });

  const matches: RuleMatch[] = [];
  for (const rule of table.rules) {
    if (!ruleMatches(rule, table, inputs)) continue;
    matches.push({ rule, outputs: evaluateOutputs(rule, context) });
    if (stopsAtFirstMatch(table)) break;
  }

  // All matches first, so a hit policy violation still reports the rules involved.
  report.matchedRules = describeMatches(table, matches);
  const { value, rules } = applyHitPolicy(table, matches);
  report.matchedRules = describeMatches(table, rules);
  return value;
}

function describeMatches(table: ParsedDecisionTable, matches: RuleMatch[]): MatchedRule[] {
  return matches.map((m) => ({
    ruleId: m.rule.id,
    ruleIndex: m.rule.index,
    evaluatedOutputs: table.outputs.map((output, i) => ({
      outputId: output.id,
      outputName: output.name,
      outputValue: toJsonValue(m.outputs[i]),
    })),
  }));
}
