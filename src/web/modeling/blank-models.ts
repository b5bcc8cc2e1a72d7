/** The content of a new, empty model (a start event; one rule; one field). */
import type { ModelKind } from '../../modeling';

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

export function blankModel(kind: ModelKind, key: string, name: string): string {
  const n = xmlEscape(name);
  if (kind === 'bpmn') {
    return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_${key}" targetNamespace="https://province-e-comuni.it/bpmn" exporter="province-e-comuni" exporterVersion="1.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.5.0">
  <bpmn:process id="${key}" name="${n}" isExecutable="true">
    <bpmn:startEvent id="start" name="Inizio" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_${key}">
    <bpmndi:BPMNPlane id="Plane_${key}" bpmnElement="${key}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
  }
  if (kind === 'dmn') {
    return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_${key}" name="${n}" namespace="https://province-e-comuni.it/dmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.5.0">
  <decision id="${key}" name="${n}">
    <decisionTable id="${key}_table" hitPolicy="FIRST">
      <input id="${key}_input1" label="Ingresso">
        <inputExpression id="${key}_inputExpression1" typeRef="string"><text>valore</text></inputExpression>
      </input>
      <output id="${key}_output1" label="Risultato" name="risultato" typeRef="string" />
      <rule id="${key}_rule1">
        <inputEntry id="${key}_rule1_in1"><text></text></inputEntry>
        <outputEntry id="${key}_rule1_out1"><text>"esito"</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="DMNDiagram_${key}">
      <dmndi:DMNShape id="DMNShape_${key}" dmnElementRef="${key}">
        <dc:Bounds height="80" width="180" x="160" y="100" />
      </dmndi:DMNShape>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
`;
  }
  return `${JSON.stringify(
    {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `https://province-e-comuni.it/forms/${key}.json`,
      title: name,
      type: 'object',
      additionalProperties: false,
      required: [],
      properties: { note: { type: 'string', title: 'Note', maxLength: 2000 } },
      'x-ui': { order: ['note'], widgets: { note: 'textarea' } },
    },
    null,
    2,
  )}\n`;
}
