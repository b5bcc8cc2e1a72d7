/**
 * Hit policies: from the rules that matched (in table order, with their evaluated
 * outputs) to the decision result, with the result shapes Zeebe documents:
 * single-result policies give one value (null when nothing matched), multi-result
 * policies a list ([] when nothing matched), COLLECT with an aggregator a number
 * (COUNT 0, SUM/MIN/MAX null when nothing matched).
 */
import { DecisionEvaluationFailure } from './errors';
import { jsonEquals, toJsonValue } from '../feel';
import type { ParsedDecisionTable, ParsedOutput, ParsedRule } from './types';

export interface RuleMatch {
  rule: ParsedRule;
  /** Evaluated output entries, one per output column, as FEEL values. */
  outputs: unknown[];
}

export interface HitPolicyResult {
  /** The decision result, as FEEL values. */
  value: unknown;
  /** The matched rules that make up the result, in result order. */
  rules: RuleMatch[];
}

/** One rule's result: the value itself for one output, else an object keyed by output name. */
export function ruleResult(match: RuleMatch, outputs: ParsedOutput[]): unknown {
  if (outputs.length === 1) return match.outputs[0];
  const result: Record<string, unknown> = {};
  outputs.forEach((output, i) => {
    result[output.name] = match.outputs[i];
  });
  return result;
}

function describeRules(matches: RuleMatch[]): string {
  return matches.map((m) => `'${m.rule.id}' (#${m.rule.index})`).join(', ');
}

/** Position of a rule in the priority order given by the outputs' allowed values. */
function priorityKey(match: RuleMatch, outputs: ParsedOutput[]): number[] {
  const key: number[] = [];
  outputs.forEach((output, i) => {
    const allowed = output.priorityValues;
    if (!allowed) return;
    const value = toJsonValue(match.outputs[i]);
    const position = allowed.findIndex((candidate) => jsonEquals(candidate, value));
    key.push(position === -1 ? allowed.length : position);
  });
  return key;
}

/** Matches sorted by output priority; stable, so equal priorities keep rule order. */
function byPriority(matches: RuleMatch[], outputs: ParsedOutput[]): RuleMatch[] {
  const keyed = matches.map((match) => ({ match, key: priorityKey(match, outputs) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
    }
    return 0;
  });
  return keyed.map((k) => k.match);
}

function aggregate(table: ParsedDecisionTable, matches: RuleMatch[]): unknown {
  const aggregation = table.aggregation;
  if (aggregation === 'COUNT') return matches.length;
  const values = matches.map((m) => m.outputs[0]).filter((v) => v !== null && v !== undefined);
  if (values.length === 0) return null;
  const numbers = values.every((v) => typeof v === 'number');
  const strings = values.every((v) => typeof v === 'string');
  if (aggregation === 'SUM') {
    if (!numbers) {
      throw new DecisionEvaluationFailure(
        `COLLECT SUM needs number outputs, but rules ${describeRules(matches)} gave ${JSON.stringify(toJsonValue(values))}`,
      );
    }
    return (values as number[]).reduce((sum, v) => sum + v, 0);
  }
  if (!numbers && !strings) {
    throw new DecisionEvaluationFailure(
      `COLLECT ${aggregation} needs comparable outputs (all numbers or all strings), but rules ${describeRules(matches)} gave ${JSON.stringify(toJsonValue(values))}`,
    );
  }
  const sorted = [...(values as (number | string)[])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return aggregation === 'MIN' ? sorted[0] : sorted[sorted.length - 1];
}

export function applyHitPolicy(table: ParsedDecisionTable, matches: RuleMatch[]): HitPolicyResult {
  const outputs = table.outputs;
  const single = (chosen: RuleMatch[]): HitPolicyResult =>
    chosen.length === 0
      ? { value: null, rules: [] }
      : { value: ruleResult(chosen[0], outputs), rules: chosen };
  const list = (chosen: RuleMatch[]): HitPolicyResult => ({
    value: chosen.map((m) => ruleResult(m, outputs)),
    rules: chosen,
  });

  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (matches.length > 1) {
        throw new DecisionEvaluationFailure(
          `hit policy UNIQUE allows at most one matching rule, but ${matches.length} rules matched: ${describeRules(matches)}`,
        );
      }
      return single(matches);
    case 'FIRST':
      return single(matches.slice(0, 1));
    case 'ANY': {
      const results = matches.map((m) => toJsonValue(ruleResult(m, outputs)));
      if (results.some((r) => !jsonEquals(r, results[0]))) {
        throw new DecisionEvaluationFailure(
          `hit policy ANY requires all matching rules to have equal outputs, but rules ${describeRules(matches)} gave ${JSON.stringify(results)}`,
        );
      }
      return matches.length === 0
        ? single([])
        : { value: ruleResult(matches[0], outputs), rules: matches };
    }
    case 'PRIORITY':
      return single(byPriority(matches, outputs).slice(0, 1));
    case 'COLLECT':
      if (table.aggregation) return { value: aggregate(table, matches), rules: matches };
      return list(matches);
    case 'RULE ORDER':
      return list(matches);
    case 'OUTPUT ORDER':
      return list(byPriority(matches, outputs));
  }
}

/** Only FIRST can stop looking once a rule matched; every other policy needs all matches. */
export function stopsAtFirstMatch(table: ParsedDecisionTable): boolean {
  return table.hitPolicy === 'FIRST';
}
