/**
 * Every BPMN file in processes/ passes bpmnlint with the camunda-compat rules for
 * Camunda 8.5 plus bpmnlint:recommended; every DMN file parses without warnings.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import { DmnModdle } from 'dmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json';

const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

const PROCESSES_DIR = path.resolve(__dirname, '..', '..', 'processes');

function filesEndingWith(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesEndingWith(full, ext);
    return name.endsWith(ext) ? [full] : [];
  });
}

const bpmnFiles = filesEndingWith(PROCESSES_DIR, '.bpmn');
const dmnFiles = filesEndingWith(PROCESSES_DIR, '.dmn');

interface Report {
  id?: string;
  message: string;
  category: string;
}

describe('BPMN models pass bpmnlint (camunda-cloud-8-5 + recommended)', () => {
  const linter = new Linter({
    config: {
      extends: ['bpmnlint:recommended', 'plugin:camunda-compat/camunda-cloud-8-5'],
    },
    resolver: new NodeResolver(),
  });

  it('finds the models of the three service lines', () => {
    const names = bpmnFiles.map((f) => path.relative(PROCESSES_DIR, f)).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'procurement/procurement.bpmn',
        'eu-funding/eu-funding.bpmn',
        'eu-funding/eu-call-scouting.bpmn',
        'data-request/data-request.bpmn',
      ]),
    );
  });

  it.each(bpmnFiles.map((f) => [path.relative(PROCESSES_DIR, f), f]))(
    '%s has no lint errors and no parse warnings',
    async (_name, file) => {
      const moddle = new BpmnModdle({ zeebe: zeebeSchema });
      const { rootElement, warnings } = await moddle.fromXML(readFileSync(file, 'utf8'));
      expect(warnings.map((w: { message: string }) => w.message)).toEqual([]);
      const results: Record<string, Report[]> = await linter.lint(rootElement);
      const problems = Object.entries(results).flatMap(([rule, reports]) =>
        reports
          .filter((r) => r.category !== 'info')
          .map((r) => `${r.category} ${rule} ${r.id ?? ''}: ${r.message}`),
      );
      expect(problems).toEqual([]);
    },
  );
});

describe('DMN models parse without warnings', () => {
  it.each(dmnFiles.map((f) => [path.relative(PROCESSES_DIR, f), f]))(
    '%s parses cleanly',
    async (_name, file) => {
      const moddle = new DmnModdle();
      const { rootElement, warnings } = await moddle.fromXML(readFileSync(file, 'utf8'));
      expect(warnings.map((w: { message: string }) => w.message)).toEqual([]);
      const definitions = rootElement as unknown as { $type: string; drgElement: unknown[] };
      expect(definitions.$type).toBe('dmn:Definitions');
      expect(definitions.drgElement.length).toBeGreaterThan(0);
    },
  );
});
