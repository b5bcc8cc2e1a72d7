/**
 * The model checks the server runs before it saves a version and before every deploy,
 * with the same rules the modeler runs live in the browser:
 * - BPMN: bpmnlint 11.15 with bpmnlint:recommended + camunda-compat's camunda-cloud-8-5
 *   (camunda-cloud-8-5.bpmnlintrc, also bundled into the modeler), parse warnings as errors;
 * - DMN: parse warnings, FEEL syntax of every input expression, input entry (unary tests)
 *   and output entry (feelin's parser), decision tables with outputs;
 * - forms: the JSON Schema compiles with the forms' ajv (src/forms), as the inbox does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseExpression, parseUnaryTests } from 'feelin';
import { compileForm, type FormSchema } from '../forms';
import {
  bpmnElements,
  identify,
  parseBpmn,
  parseDmn,
  unsafeContent,
  type ModelKind,
} from './model-content';

const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

export const LINT_CONFIG_FILE = path.join(__dirname, 'camunda-cloud-8-5.bpmnlintrc');
const LINT_CONFIG = JSON.parse(readFileSync(LINT_CONFIG_FILE, 'utf8')) as { extends: string[] };

export type LintCategory = 'error' | 'warn' | 'info';

export interface LintIssue {
  /** Element (or DMN rule / input / output) id; '' for the whole model. */
  elementId: string;
  elementName?: string;
  /** bpmnlint rule ("camunda-compat/implementation"), or "parse", "feel", "schema". */
  rule: string;
  message: string;
  category: LintCategory;
}

export interface LintReport {
  issues: LintIssue[];
  errors: number;
  warnings: number;
}

interface LintResult {
  id?: string;
  message: string;
  category: LintCategory | 'rule-error';
}

function report(issues: LintIssue[]): LintReport {
  return {
    issues,
    errors: issues.filter((i) => i.category === 'error').length,
    warnings: issues.filter((i) => i.category === 'warn').length,
  };
}

export async function lintModel(kind: ModelKind, content: string): Promise<LintReport> {
  const unsafe = unsafeContent(kind, content);
  if (unsafe)
    return report([{ elementId: '', rule: 'content', message: unsafe.message, category: 'error' }]);
  try {
    await identify(kind, content);
  } catch (err) {
    const message = (err as { errors?: { message: string }[] }).errors?.[0]?.message ?? String(err);
    return report([{ elementId: '', rule: 'parse', message, category: 'error' }]);
  }
  if (kind === 'bpmn') return lintBpmn(content);
  if (kind === 'dmn') return lintDmn(content);
  return lintForm(content);
}

async function lintBpmn(xml: string): Promise<LintReport> {
  const { definitions, warnings } = await parseBpmn(xml);
  // A new linter per run: some rules keep state between runs of one instance
  // (no-duplicate-sequence-flows would report every flow of a second model).
  const linter = new Linter({ config: LINT_CONFIG, resolver: new NodeResolver() });
  const results = (await linter.lint(definitions)) as Record<string, LintResult[]>;
  const names = new Map<string, string>(
    bpmnElements(definitions)
      .filter((e) => e.id)
      .map((e) => [e.id as string, (e.name as string | undefined) ?? '']),
  );
  const issues: LintIssue[] = warnings.map((message) => ({
    elementId: /element '([^']+)'/.exec(message)?.[1] ?? '',
    rule: 'parse',
    message,
    category: 'error' as const,
  }));
  for (const [rule, list] of Object.entries(results)) {
    for (const r of list) {
      issues.push({
        elementId: r.id ?? '',
        elementName: r.id ? names.get(r.id) || undefined : undefined,
        rule,
        message: r.message,
        category: r.category === 'rule-error' ? 'error' : r.category,
      });
    }
  }
  return report(issues);
}

function feelProblem(text: string, kind: 'unary' | 'expression'): string | undefined {
  const source = text.trim();
  if (source === '' || (kind === 'unary' && source === '-')) return undefined;
  const tree =
    kind === 'unary'
      ? parseUnaryTests(source, {}, undefined)
      : parseExpression(source, {}, undefined);
  let at: number | undefined;
  tree.iterate({
    enter(node: { type: { isError: boolean }; from: number }) {
      if (at === undefined && node.type.isError) at = node.from;
      return at === undefined;
    },
  });
  return at === undefined ? undefined : `FEEL syntax error at character ${at + 1} of "${source}"`;
}

async function lintDmn(xml: string): Promise<LintReport> {
  const { definitions, warnings } = await parseDmn(xml);
  const issues: LintIssue[] = warnings.map((message) => ({
    elementId: '',
    rule: 'parse',
    message,
    category: 'error' as const,
  }));
  const feel = (
    elementId: string,
    elementName: string | undefined,
    text: string | undefined,
    kind: 'unary' | 'expression',
  ) => {
    const problem = feelProblem(text ?? '', kind);
    if (problem)
      issues.push({ elementId, elementName, rule: 'feel', message: problem, category: 'error' });
  };
  for (const decision of definitions.drgElement ?? []) {
    if (decision.$type !== 'dmn:Decision') continue;
    const logic = decision.decisionLogic;
    if (!logic) {
      issues.push({
        elementId: decision.id,
        elementName: decision.name,
        rule: 'decision-logic',
        message: 'the decision has no decision table or literal expression',
        category: 'error',
      });
      continue;
    }
    if (logic.$type === 'dmn:LiteralExpression') {
      feel(decision.id, decision.name, logic.text, 'expression');
      continue;
    }
    if (logic.$type !== 'dmn:DecisionTable') continue;
    if ((logic.output ?? []).length === 0) {
      issues.push({
        elementId: decision.id,
        elementName: decision.name,
        rule: 'decision-table',
        message: 'the decision table has no output',
        category: 'error',
      });
    }
    for (const input of logic.input ?? []) {
      feel(input.id, input.label, input.inputExpression?.text, 'expression');
    }
    (logic.rule ?? []).forEach(
      (
        rule: {
          id: string;
          description?: string;
          inputEntry?: { text?: string }[];
          outputEntry?: { text?: string }[];
        },
        i: number,
      ) => {
        const name = rule.description || `regola ${i + 1}`;
        for (const entry of rule.inputEntry ?? []) feel(rule.id, name, entry.text, 'unary');
        for (const entry of rule.outputEntry ?? []) feel(rule.id, name, entry.text, 'expression');
      },
    );
  }
  return report(issues);
}

function lintForm(content: string): LintReport {
  const schema = JSON.parse(content) as FormSchema;
  try {
    compileForm(schema);
    return report([]);
  } catch (err) {
    return report([
      {
        elementId: '',
        rule: 'schema',
        message: `the JSON Schema does not compile: ${(err as Error).message}`,
        category: 'error',
      },
    ]);
  }
}
