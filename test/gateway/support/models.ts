/** Small Zeebe BPMN/DMN models for the client scenarios, generated per test prefix. */

const BPMN_HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://test">';

function task(id: string, type: string, headers: Record<string, string> = {}): string {
  const h = Object.entries(headers)
    .map(([k, v]) => `<zeebe:header key="${k}" value="${v}" />`)
    .join('');
  return (
    `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" />` +
    (h ? `<zeebe:taskHeaders>${h}</zeebe:taskHeaders>` : '') +
    `</bpmn:extensionElements></bpmn:serviceTask>`
  );
}

const flow = (id: string, from: string, to: string) =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

function proc(id: string, body: string, extra = ''): string {
  return `${BPMN_HEADER}${extra}<bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;
}

/** start → end */
export function noTaskProcess(id: string): string {
  return proc(
    id,
    '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />' + flow('f1', 'start', 'end'),
  );
}

/** start → task(type, header region=RA) → end */
export function oneTaskProcess(id: string, type: string): string {
  return proc(
    id,
    '<bpmn:startEvent id="start" />' +
      task('work', type, { region: 'Emilia-Romagna' }) +
      '<bpmn:endEvent id="end" />' +
      flow('f1', 'start', 'work') +
      flow('f2', 'work', 'end'),
  );
}

/** task(type) with an error boundary (errorCode) leading to task(afterType). */
export function errorBoundaryProcess(
  id: string,
  type: string,
  errorCode: string,
  afterType: string,
): string {
  return proc(
    id,
    '<bpmn:startEvent id="start" />' +
      task('work', type) +
      `<bpmn:boundaryEvent id="caught" attachedToRef="work"><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>` +
      task('handle', afterType) +
      '<bpmn:endEvent id="end" /><bpmn:endEvent id="endError" />' +
      flow('f1', 'start', 'work') +
      flow('f2', 'work', 'end') +
      flow('f3', 'caught', 'handle') +
      flow('f4', 'handle', 'endError'),
    `<bpmn:error id="err" name="${errorCode}" errorCode="${errorCode}" />`,
  );
}

/** waits for message `name` correlated by variable orderId, then task(afterType). */
export function messageProcess(id: string, name: string, afterType: string): string {
  return proc(
    id,
    '<bpmn:startEvent id="start" />' +
      '<bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="msg" /></bpmn:intermediateCatchEvent>' +
      task('after', afterType) +
      '<bpmn:endEvent id="end" />' +
      flow('f1', 'start', 'wait') +
      flow('f2', 'wait', 'after') +
      flow('f3', 'after', 'end'),
    `<bpmn:message id="msg" name="${name}"><bpmn:extensionElements>` +
      `<zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>`,
  );
}

/** waits for signal `name`, then task(afterType). */
export function signalProcess(id: string, name: string, afterType: string): string {
  return proc(
    id,
    '<bpmn:startEvent id="start" />' +
      '<bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:intermediateCatchEvent>' +
      task('after', afterType) +
      '<bpmn:endEvent id="end" />' +
      flow('f1', 'start', 'wait') +
      flow('f2', 'wait', 'after') +
      flow('f3', 'after', 'end'),
    `<bpmn:signal id="sig" name="${name}" />`,
  );
}

/** Decision `decisionId`: amount < 140000 → "affidamento diretto", else "procedura negoziata". */
export function procedureDecision(decisionId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="drg_' +
    decisionId +
    '" name="Procedure" namespace="http://test">' +
    `<decision id="${decisionId}" name="Choose procedure">` +
    '<decisionTable id="table" hitPolicy="FIRST">' +
    '<input id="in_amount" label="Amount"><inputExpression id="ie" typeRef="number"><text>amount</text></inputExpression></input>' +
    '<output id="out_procedure" name="procedure" typeRef="string" />' +
    '<rule id="r1"><inputEntry id="r1i"><text>&lt; 140000</text></inputEntry><outputEntry id="r1o"><text>"affidamento diretto"</text></outputEntry></rule>' +
    '<rule id="r2"><inputEntry id="r2i"><text>&gt;= 140000</text></inputEntry><outputEntry id="r2o"><text>"procedura negoziata"</text></outputEntry></rule>' +
    '</decisionTable></decision></definitions>'
  );
}
