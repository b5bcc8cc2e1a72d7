/**
 * Turns a validated dmn-moddle model into the ParsedDrg the evaluator runs:
 * plain data plus pre-compiled input entries, rebuilt identically from the XML.
 */
import { compileExpression } from './compiled-expression';
import { compileInputEntry } from './input-entry';
import { evaluateFeelText, toJsonValue } from '../feel';
import type {
  ModdleDecision,
  ModdleDecisionTable,
  ModdleDefinitions,
  ModdleLiteralExpression,
  ModdleOutputClause,
} from './moddle-model';
import type {
  Aggregation,
  HitPolicy,
  ParsedDecision,
  ParsedDecisionTable,
  ParsedDrg,
  ParsedOutput,
} from './types';
import { decisionsOf, requiredDecisionIdsOf } from './validate';

/** The allowed output values as a list, e.g. `"high","medium","low"`; undefined when absent. */
function priorityValuesOf(output: ModdleOutputClause): unknown[] | undefined {
  const text = output.outputValues?.text?.trim();
  if (!text) return undefined;
  try {
    const value = toJsonValue(evaluateFeelText(`[${text}]`, 'expression', {}).value);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined; // not a plain list of values: no priority order
  }
}

function buildOutput(output: ModdleOutputClause, index: number): ParsedOutput {
  const id = output.id ?? `output${index + 1}`;
  const parsed: ParsedOutput = { id, name: output.name ?? output.label ?? id };
  if (output.typeRef) parsed.typeRef = output.typeRef;
  const priorityValues = priorityValuesOf(output);
  if (priorityValues) parsed.priorityValues = priorityValues;
  return parsed;
}

function buildDecisionTable(table: ModdleDecisionTable): ParsedDecisionTable {
  const parsed: ParsedDecisionTable = {
    hitPolicy: (table.hitPolicy ?? 'UNIQUE') as HitPolicy,
    inputs: (table.input ?? []).map((input, i) => {
      const expression = compileExpression(input.inputExpression?.text ?? '');
      const id = input.id ?? `input${i + 1}`;
      const typeRef = input.inputExpression?.typeRef;
      const name = input.label ?? expression.text;
      return { id, name, expression, ...(typeRef ? { typeRef } : {}) };
    }),
    outputs: (table.output ?? []).map(buildOutput),
    rules: (table.rule ?? []).map((rule, i) => ({
      id: rule.id ?? `rule${i + 1}`,
      index: i + 1,
      inputEntries: (rule.inputEntry ?? []).map((entry) => compileInputEntry(entry.text ?? '')),
      outputEntries: (rule.outputEntry ?? []).map((entry) => compileExpression(entry.text ?? '')),
    })),
  };
  if (table.aggregation) parsed.aggregation = table.aggregation as Aggregation;
  return parsed;
}

function buildDecision(decision: ModdleDecision): ParsedDecision {
  const id = decision.id as string;
  const base = {
    id,
    name: decision.name ?? id,
    requiredDecisionIds: requiredDecisionIdsOf(decision),
  };
  const logic = decision.decisionLogic;
  if (logic?.$type === 'dmn:DecisionTable') {
    return {
      ...base,
      type: 'DECISION_TABLE',
      resultName: id,
      decisionTable: buildDecisionTable(logic as ModdleDecisionTable),
    };
  }
  // Dependent decisions see a literal expression's result under its variable's name.
  return {
    ...base,
    type: 'LITERAL_EXPRESSION',
    resultName: decision.variable?.name || id,
    literalExpression: compileExpression((logic as ModdleLiteralExpression).text ?? ''),
  };
}

export function buildDrg(
  definitions: ModdleDefinitions,
  resourceName: string,
): Omit<ParsedDrg, 'warnings'> {
  const id = definitions.id as string;
  const drg: Omit<ParsedDrg, 'warnings'> = {
    id,
    name: definitions.name ?? id,
    resourceName,
    decisions: decisionsOf(definitions).map(buildDecision),
  };
  if (definitions.namespace) drg.namespace = definitions.namespace;
  return drg;
}
