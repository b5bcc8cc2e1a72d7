/**
 * Writes a DMN 1.3 decision table (one decision per file) with diagram interchange,
 * from a compact description. Inputs and outputs are FEEL; labels are Italian.
 */
export interface DecisionTableSpec {
  definitionsId: string;
  definitionsName: string;
  decisionId: string;
  decisionName: string;
  hitPolicy: 'UNIQUE' | 'FIRST' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'PRIORITY';
  inputs: { label: string; expression: string; typeRef: string }[];
  outputs: { label: string; name: string; typeRef: string }[];
  /** Each rule: input entries, output entries, and an Italian description. */
  rules: { inputs: string[]; outputs: string[]; description: string }[];
}

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function buildDmn(spec: DecisionTableSpec): string {
  const d = spec.decisionId;
  const l: string[] = [];
  l.push('<?xml version="1.0" encoding="UTF-8"?>');
  l.push(
    '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" ' +
      'xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" ' +
      'xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" ' +
      'xmlns:modeler="http://camunda.org/schema/modeler/1.0" ' +
      `id="${spec.definitionsId}" name="${esc(spec.definitionsName)}" ` +
      'namespace="https://province-e-comuni.it/dmn" ' +
      'exporter="province-e-comuni" exporterVersion="1.0" ' +
      'modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.5.0">',
  );
  l.push(`  <decision id="${d}" name="${esc(spec.decisionName)}">`);
  l.push(`    <decisionTable id="${d}_table" hitPolicy="${spec.hitPolicy}">`);
  spec.inputs.forEach((input, i) => {
    l.push(`      <input id="${d}_input${i + 1}" label="${esc(input.label)}">`);
    l.push(`        <inputExpression id="${d}_inputExpression${i + 1}" typeRef="${input.typeRef}">`);
    l.push(`          <text>${esc(input.expression)}</text>`);
    l.push('        </inputExpression>');
    l.push('      </input>');
  });
  spec.outputs.forEach((output, i) => {
    l.push(
      `      <output id="${d}_output${i + 1}" label="${esc(output.label)}" name="${output.name}" typeRef="${output.typeRef}" />`,
    );
  });
  spec.rules.forEach((rule, r) => {
    if (rule.inputs.length !== spec.inputs.length || rule.outputs.length !== spec.outputs.length) {
      throw new Error(`${d} rule ${r + 1}: wrong number of entries`);
    }
    l.push(`      <rule id="${d}_rule${r + 1}">`);
    l.push(`        <description>${esc(rule.description)}</description>`);
    rule.inputs.forEach((text, i) => {
      l.push(`        <inputEntry id="${d}_rule${r + 1}_in${i + 1}">`);
      l.push(`          <text>${esc(text)}</text>`);
      l.push('        </inputEntry>');
    });
    rule.outputs.forEach((text, i) => {
      l.push(`        <outputEntry id="${d}_rule${r + 1}_out${i + 1}">`);
      l.push(`          <text>${esc(text)}</text>`);
      l.push('        </outputEntry>');
    });
    l.push('      </rule>');
  });
  l.push('    </decisionTable>');
  l.push('  </decision>');
  l.push('  <dmndi:DMNDI>');
  l.push(`    <dmndi:DMNDiagram id="${d}_diagram">`);
  l.push(`      <dmndi:DMNShape id="${d}_shape" dmnElementRef="${d}">`);
  l.push('        <dc:Bounds height="80" width="180" x="160" y="100" />');
  l.push('      </dmndi:DMNShape>');
  l.push('    </dmndi:DMNDiagram>');
  l.push('  </dmndi:DMNDI>');
  l.push('</definitions>');
  return `${l.join('\n')}\n`;
}
