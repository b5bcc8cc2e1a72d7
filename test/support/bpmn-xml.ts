/** Small builders for BPMN test models with Zeebe extensions. */
export const ZEEBE_NS = 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

/** Wraps process content in BPMN definitions (with the Zeebe namespace). */
export function bpmn(processId: string, body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ${ZEEBE_NS} id="defs_${processId}" targetNamespace="http://example.org">
  ${extra}
  <bpmn:process id="${processId}" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

export function serviceTask(id: string, type: string, extra = ''): string {
  return `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" />${extra}</bpmn:extensionElements></bpmn:serviceTask>`;
}

export function flow(id: string, from: string, to: string, condition?: string): string {
  return condition
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression>${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
}

/** start → elements in a row → end, with flows between them. */
export function chain(ids: string[]): string {
  const flows: string[] = [];
  for (let i = 0; i < ids.length - 1; i++)
    flows.push(flow(`f_${ids[i]}_${ids[i + 1]}`, ids[i], ids[i + 1]));
  return flows.join('\n');
}
