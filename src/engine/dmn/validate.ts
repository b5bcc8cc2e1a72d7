/**
 * Deploy-time validation of a DMN model read by dmn-moddle. Everything that would make
 * a decision unevaluable is reported here, as a DmnValidationError naming the element,
 * so that evaluation can assume a well-formed model.
 */
import { findRequirementCycle } from './drg-graph';
import { DmnValidationError } from './errors';
import { findFeelSyntaxError, type FeelSyntaxKind } from '../feel';
import type {
  ModdleDecision,
  ModdleDecisionTable,
  ModdleDefinitions,
  ModdleElement,
  ModdleLiteralExpression,
} from './moddle-model';
import type { Aggregation, HitPolicy } from './types';

export const HIT_POLICIES: readonly HitPolicy[] = [
  'UNIQUE',
  'FIRST',
  'PRIORITY',
  'ANY',
  'COLLECT',
  'RULE ORDER',
  'OUTPUT ORDER',
];
export const AGGREGATIONS: readonly Aggregation[] = ['SUM', 'MIN', 'MAX', 'COUNT'];

export function decisionsOf(definitions: ModdleDefinitions): ModdleDecision[] {
  return (definitions.drgElement ?? []).filter((e) => e.$type === 'dmn:Decision');
}

/** Ids of the decisions a decision requires, from `<requiredDecision href="#id"/>`. */
export function requiredDecisionIdsOf(decision: ModdleDecision): string[] {
  const ids: string[] = [];
  for (const requirement of decision.informationRequirement ?? []) {
    const href = requirement.requiredDecision?.href;
    if (href !== undefined) ids.push(href.startsWith('#') ? href.slice(1) : href);
  }
  return ids;
}

class Validator {
  constructor(private readonly resourceName: string) {}

  fail(elementId: string | undefined, problem: string): never {
    throw new DmnValidationError(this.resourceName, elementId, problem);
  }

  checkFeel(
    text: string | undefined,
    kind: FeelSyntaxKind,
    elementId: string,
    what: string,
    allowEmpty: boolean,
  ): void {
    const source = text ?? '';
    if (allowEmpty && source.trim() === '') return;
    const error = findFeelSyntaxError(source, kind);
    if (error !== undefined) this.fail(elementId, `${what}: ${error}`);
  }

  definitions(definitions: ModdleDefinitions): void {
    if (!definitions.id) this.fail(undefined, 'the definitions element has no id');
    const decisions = decisionsOf(definitions);
    if (decisions.length === 0) this.fail(definitions.id, 'the model contains no decision');
    const ids = new Set<string>();
    for (const decision of decisions) {
      if (!decision.id) {
        const named = decision.name ? ` named '${decision.name}'` : '';
        this.fail(definitions.id, `a decision${named} has no id`);
      }
      if (ids.has(decision.id)) this.fail(decision.id, 'duplicate decision id');
      ids.add(decision.id);
    }
    const requirements = new Map<string, string[]>();
    for (const decision of decisions) {
      const required = requiredDecisionIdsOf(decision);
      for (const id of required) {
        if (!ids.has(id)) this.fail(decision.id, `requires unknown decision '${id}'`);
      }
      requirements.set(decision.id as string, required);
    }
    const cycle = findRequirementCycle(requirements);
    if (cycle) this.fail(cycle[0], `required decisions form a cycle: ${cycle.join(' -> ')}`);
    for (const decision of decisions) this.decision(decision);
  }

  decision(decision: ModdleDecision): void {
    const id = decision.id as string;
    const logic = decision.decisionLogic;
    if (logic?.$type === 'dmn:DecisionTable') {
      this.decisionTable(id, logic as ModdleDecisionTable);
    } else if (logic?.$type === 'dmn:LiteralExpression') {
      const literal = logic as ModdleLiteralExpression;
      this.checkFeel(literal.text, 'expression', literal.id ?? id, 'literal expression', false);
    } else {
      const found = logic ? ` (found ${logic.$type.replace('dmn:', '')})` : '';
      this.fail(id, `decision has no decision table or literal expression${found}`);
    }
  }

  decisionTable(decisionId: string, table: ModdleDecisionTable): void {
    const tableId = table.id ?? decisionId;
    const hitPolicy = table.hitPolicy ?? 'UNIQUE';
    if (!HIT_POLICIES.includes(hitPolicy as HitPolicy)) {
      this.fail(tableId, `invalid hit policy '${hitPolicy}' (one of ${HIT_POLICIES.join(', ')})`);
    }
    const outputs = table.output ?? [];
    const inputs = table.input ?? [];
    if (outputs.length === 0) this.fail(tableId, 'decision table has no output');
    if (table.aggregation !== undefined) {
      if (!AGGREGATIONS.includes(table.aggregation as Aggregation)) {
        this.fail(tableId, `invalid aggregation '${table.aggregation}'`);
      }
      if (hitPolicy !== 'COLLECT') {
        this.fail(
          tableId,
          `aggregation ${table.aggregation} is only allowed with hit policy COLLECT, not ${hitPolicy}`,
        );
      }
      if (outputs.length > 1) {
        this.fail(tableId, `aggregation ${table.aggregation} needs exactly one output column`);
      }
    }
    if (outputs.length > 1) this.outputNames(outputs);
    inputs.forEach((input, i) => {
      const inputId = input.id ?? `${tableId} input ${i + 1}`;
      const expression = input.inputExpression;
      this.checkFeel(expression?.text, 'expression', inputId, 'input expression', false);
    });
    outputs.forEach((output) => {
      const text = output.outputValues?.text;
      this.checkFeel(text, 'unary tests', output.id ?? tableId, 'output values', true);
    });
    (table.rule ?? []).forEach((rule, i) => this.rule(rule, i, tableId, inputs, outputs));
  }

  outputNames(outputs: ModdleElement[]): void {
    const names = new Set<string>();
    for (const output of outputs) {
      if (!output.name) {
        this.fail(output.id, 'an output of a table with several outputs needs a name');
      }
      if (names.has(output.name)) this.fail(output.id, `duplicate output name '${output.name}'`);
      names.add(output.name);
    }
  }

  rule(
    rule: NonNullable<ModdleDecisionTable['rule']>[number],
    index: number,
    tableId: string,
    inputs: unknown[],
    outputs: unknown[],
  ): void {
    const ruleId = rule.id ?? `${tableId} rule ${index + 1}`;
    const inputEntries = rule.inputEntry ?? [];
    const outputEntries = rule.outputEntry ?? [];
    if (inputEntries.length !== inputs.length) {
      this.fail(
        ruleId,
        `rule has ${inputEntries.length} input entries but the table has ${inputs.length} inputs`,
      );
    }
    if (outputEntries.length !== outputs.length) {
      this.fail(
        ruleId,
        `rule has ${outputEntries.length} output entries but the table has ${outputs.length} outputs`,
      );
    }
    inputEntries.forEach((entry, i) =>
      this.checkFeel(entry.text, 'unary tests', ruleId, `input entry ${i + 1}`, true),
    );
    outputEntries.forEach((entry, i) =>
      this.checkFeel(entry.text, 'expression', ruleId, `output entry ${i + 1}`, true),
    );
  }
}

/** Throws DmnValidationError for the first problem found. */
export function validateDefinitions(definitions: ModdleDefinitions, resourceName: string): void {
  new Validator(resourceName).definitions(definitions);
}
