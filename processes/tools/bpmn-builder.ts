/**
 * A small generator for Zeebe BPMN files with diagram interchange: a process is
 * described as nodes on a grid (column, row) and flows between them; the builder
 * writes the semantic XML (with zeebe: extension elements) and a readable layout.
 *
 * The generated .bpmn files are the source of truth once written: analysts edit them
 * in a modeler. The generator only made the first, consistent layout.
 */

export type NodeKind =
  | 'start'
  | 'messageStart'
  | 'timerStart'
  | 'end'
  | 'terminateEnd'
  | 'service'
  | 'user'
  | 'rule'
  | 'xor'
  | 'and'
  | 'eventGateway'
  | 'timerCatch'
  | 'messageCatch'
  | 'timerBoundary'
  | 'messageBoundary'
  | 'errorBoundary'
  | 'call';

export interface TimerSpec {
  type: 'timeDuration' | 'timeDate' | 'timeCycle';
  expression: string;
}

export interface NodeSpec {
  id: string;
  kind: NodeKind;
  name: string;
  documentation?: string;
  col: number;
  row: number;
  jobType?: string;
  retries?: number;
  headers?: Record<string, string>;
  formKey?: string;
  candidateGroups?: string;
  /** User tasks: FEEL expression of the assignee (e.g. "=employee.username"). */
  assignee?: string;
  /** User tasks: FEEL expression of the due date (zeebe:taskSchedule). */
  dueDate?: string;
  /** Call activities: the called process id. */
  calledElement?: string;
  decisionId?: string;
  resultVariable?: string;
  inputs?: [string, string][];
  outputs?: [string, string][];
  timer?: TimerSpec;
  message?: { name: string; correlationKey?: string };
  /** Error boundary events: the error code they catch. */
  errorCode?: string;
  multiInstance?: {
    inputCollection: string;
    inputElement: string;
    outputCollection?: string;
    outputElement?: string;
    sequential?: boolean;
  };
  /** Boundary events: the host activity and whether the event interrupts it. */
  attachedTo?: string;
  cancelActivity?: boolean;
  /** Boundary events: position along the host's bottom edge (0, 1, 2). */
  slot?: number;
}

export interface FlowSpec {
  from: string;
  to: string;
  name?: string;
  /** FEEL condition without the leading '='. */
  condition?: string;
  isDefault?: boolean;
  /** Route of a backwards flow: under or over the diagram row. */
  loop?: 'below' | 'above' | 'back';
}

export interface ProcessSpec {
  id: string;
  name: string;
  documentation: string;
  nodes: NodeSpec[];
  flows: FlowSpec[];
}

const COL_WIDTH = 170;
const ROW_HEIGHT = 140;
const ORIGIN_X = 180;
const ORIGIN_Y = 120;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function sizeOf(kind: NodeKind): { w: number; h: number } {
  switch (kind) {
    case 'service':
    case 'user':
    case 'rule':
    case 'call':
      return { w: 100, h: 80 };
    case 'xor':
    case 'and':
    case 'eventGateway':
      return { w: 50, h: 50 };
    default:
      return { w: 36, h: 36 };
  }
}

function tagOf(kind: NodeKind): string {
  switch (kind) {
    case 'start':
    case 'messageStart':
    case 'timerStart':
      return 'bpmn:startEvent';
    case 'end':
    case 'terminateEnd':
      return 'bpmn:endEvent';
    case 'service':
      return 'bpmn:serviceTask';
    case 'user':
      return 'bpmn:userTask';
    case 'rule':
      return 'bpmn:businessRuleTask';
    case 'xor':
      return 'bpmn:exclusiveGateway';
    case 'and':
      return 'bpmn:parallelGateway';
    case 'eventGateway':
      return 'bpmn:eventBasedGateway';
    case 'timerCatch':
    case 'messageCatch':
      return 'bpmn:intermediateCatchEvent';
    case 'timerBoundary':
    case 'messageBoundary':
    case 'errorBoundary':
      return 'bpmn:boundaryEvent';
    case 'call':
      return 'bpmn:callActivity';
  }
}

export function buildBpmn(spec: ProcessSpec): string {
  const boxes = new Map<string, Box>();
  const nodeById = new Map(spec.nodes.map((n) => [n.id, n]));
  for (const n of spec.nodes) {
    const { w, h } = sizeOf(n.kind);
    if (n.attachedTo) {
      const host = boxes.get(n.attachedTo);
      if (!host) throw new Error(`${n.id}: host ${n.attachedTo} must be declared before it`);
      const cx = host.x + 25 + (n.slot ?? 0) * 45;
      boxes.set(n.id, { x: cx - w / 2, y: host.y + host.h - h / 2, w, h });
    } else {
      const cx = ORIGIN_X + n.col * COL_WIDTH;
      const cy = ORIGIN_Y + n.row * ROW_HEIGHT;
      boxes.set(n.id, { x: cx - w / 2, y: cy - h / 2, w, h });
    }
  }
  const flowIds = spec.flows.map((f) => `Flow_${f.from}_${f.to}`);
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  spec.flows.forEach((f, i) => {
    if (!nodeById.has(f.from)) throw new Error(`flow from unknown node ${f.from}`);
    if (!nodeById.has(f.to)) throw new Error(`flow to unknown node ${f.to}`);
    outgoing.set(f.from, [...(outgoing.get(f.from) ?? []), flowIds[i]]);
    incoming.set(f.to, [...(incoming.get(f.to) ?? []), flowIds[i]]);
  });

  const messages = new Map<string, { id: string; correlationKey?: string }>();
  for (const n of spec.nodes) {
    if (n.message && !messages.has(n.message.name)) {
      messages.set(n.message.name, {
        id: `Message_${n.message.name}`,
        correlationKey: n.message.correlationKey,
      });
    }
  }

  const lines: string[] = [];
  const out = (indent: number, text: string) => lines.push(`${'  '.repeat(indent)}${text}`);

  out(0, '<?xml version="1.0" encoding="UTF-8"?>');
  out(
    0,
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
      'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" ' +
      'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" ' +
      'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" ' +
      'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ' +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xmlns:modeler="http://camunda.org/schema/modeler/1.0" ' +
      `id="Definitions_${spec.id}" targetNamespace="https://province-e-comuni.it/bpmn" ` +
      'exporter="province-e-comuni" exporterVersion="1.0" ' +
      'modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.5.0">',
  );
  out(1, `<bpmn:process id="${spec.id}" name="${esc(spec.name)}" isExecutable="true">`);
  out(2, `<bpmn:documentation>${esc(spec.documentation)}</bpmn:documentation>`);

  for (const n of spec.nodes) {
    const tag = tagOf(n.kind);
    const attrs: string[] = [`id="${n.id}"`, `name="${esc(n.name)}"`];
    if (n.attachedTo) {
      attrs.push(`attachedToRef="${n.attachedTo}"`);
      if (n.cancelActivity === false) attrs.push('cancelActivity="false"');
    }
    const defaultFlow = spec.flows.findIndex((f) => f.from === n.id && f.isDefault);
    if (defaultFlow >= 0) attrs.push(`default="${flowIds[defaultFlow]}"`);
    out(2, `<${tag} ${attrs.join(' ')}>`);
    if (n.documentation) out(3, `<bpmn:documentation>${esc(n.documentation)}</bpmn:documentation>`);

    const ext: string[] = [];
    if (n.jobType) {
      ext.push(`<zeebe:taskDefinition type="${n.jobType}" retries="${n.retries ?? 3}" />`);
    }
    if (n.decisionId) {
      ext.push(
        `<zeebe:calledDecision decisionId="${n.decisionId}" resultVariable="${n.resultVariable}" />`,
      );
    }
    if (n.formKey) ext.push(`<zeebe:formDefinition formKey="${n.formKey}" />`);
    if (n.candidateGroups || n.assignee) {
      const assignment = [
        n.assignee ? `assignee="${esc(n.assignee)}"` : '',
        n.candidateGroups ? `candidateGroups="${n.candidateGroups}"` : '',
      ].filter(Boolean);
      ext.push(`<zeebe:assignmentDefinition ${assignment.join(' ')} />`);
    }
    if (n.dueDate) ext.push(`<zeebe:taskSchedule dueDate="${esc(n.dueDate)}" />`);
    if (n.calledElement) {
      ext.push(
        `<zeebe:calledElement processId="${n.calledElement}" propagateAllChildVariables="false" propagateAllParentVariables="false" />`,
      );
    }
    if (n.inputs?.length || n.outputs?.length) {
      ext.push('<zeebe:ioMapping>');
      for (const [source, target] of n.inputs ?? []) {
        ext.push(`  <zeebe:input source="${esc(source)}" target="${target}" />`);
      }
      for (const [source, target] of n.outputs ?? []) {
        ext.push(`  <zeebe:output source="${esc(source)}" target="${target}" />`);
      }
      ext.push('</zeebe:ioMapping>');
    }
    if (n.headers && Object.keys(n.headers).length > 0) {
      ext.push('<zeebe:taskHeaders>');
      for (const [key, value] of Object.entries(n.headers)) {
        ext.push(`  <zeebe:header key="${key}" value="${esc(value)}" />`);
      }
      ext.push('</zeebe:taskHeaders>');
    }
    if (ext.length > 0) {
      out(3, '<bpmn:extensionElements>');
      for (const e of ext) out(4, e);
      out(3, '</bpmn:extensionElements>');
    }
    for (const f of incoming.get(n.id) ?? []) out(3, `<bpmn:incoming>${f}</bpmn:incoming>`);
    for (const f of outgoing.get(n.id) ?? []) out(3, `<bpmn:outgoing>${f}</bpmn:outgoing>`);

    if (n.multiInstance) {
      const m = n.multiInstance;
      out(3, `<bpmn:multiInstanceLoopCharacteristics${m.sequential ? ' isSequential="true"' : ''}>`);
      out(4, '<bpmn:extensionElements>');
      const mAttrs = [
        `inputCollection="${esc(m.inputCollection)}"`,
        `inputElement="${m.inputElement}"`,
      ];
      if (m.outputCollection) mAttrs.push(`outputCollection="${m.outputCollection}"`);
      if (m.outputElement) mAttrs.push(`outputElement="${esc(m.outputElement)}"`);
      out(5, `<zeebe:loopCharacteristics ${mAttrs.join(' ')} />`);
      out(4, '</bpmn:extensionElements>');
      out(3, '</bpmn:multiInstanceLoopCharacteristics>');
    }
    if (n.timer) {
      out(3, `<bpmn:timerEventDefinition id="TimerDef_${n.id}">`);
      out(
        4,
        `<bpmn:${n.timer.type} xsi:type="bpmn:tFormalExpression">${esc(n.timer.expression)}</bpmn:${n.timer.type}>`,
      );
      out(3, '</bpmn:timerEventDefinition>');
    }
    if (n.message) {
      const m = messages.get(n.message.name)!;
      out(3, `<bpmn:messageEventDefinition id="MessageDef_${n.id}" messageRef="${m.id}" />`);
    }
    if (n.errorCode) {
      out(3, `<bpmn:errorEventDefinition id="ErrorDef_${n.id}" errorRef="Error_${n.errorCode}" />`);
    }
    if (n.kind === 'terminateEnd') {
      out(3, `<bpmn:terminateEventDefinition id="TerminateDef_${n.id}" />`);
    }
    out(2, `</${tag}>`);
  }

  spec.flows.forEach((f, i) => {
    const attrs = [`id="${flowIds[i]}"`];
    if (f.name) attrs.push(`name="${esc(f.name)}"`);
    attrs.push(`sourceRef="${f.from}"`, `targetRef="${f.to}"`);
    if (f.condition) {
      out(2, `<bpmn:sequenceFlow ${attrs.join(' ')}>`);
      out(
        3,
        `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=${esc(f.condition)}</bpmn:conditionExpression>`,
      );
      out(2, '</bpmn:sequenceFlow>');
    } else {
      out(2, `<bpmn:sequenceFlow ${attrs.join(' ')} />`);
    }
  });
  out(1, '</bpmn:process>');

  const errorCodes = [...new Set(spec.nodes.flatMap((n) => (n.errorCode ? [n.errorCode] : [])))];
  for (const code of errorCodes) {
    out(1, `<bpmn:error id="Error_${code}" name="${code}" errorCode="${code}" />`);
  }
  for (const [name, m] of messages) {
    if (m.correlationKey) {
      out(1, `<bpmn:message id="${m.id}" name="${name}">`);
      out(2, '<bpmn:extensionElements>');
      out(3, `<zeebe:subscription correlationKey="${esc(m.correlationKey)}" />`);
      out(2, '</bpmn:extensionElements>');
      out(1, '</bpmn:message>');
    } else {
      out(1, `<bpmn:message id="${m.id}" name="${name}" />`);
    }
  }

  // ---- diagram interchange
  out(1, `<bpmndi:BPMNDiagram id="Diagram_${spec.id}">`);
  out(2, `<bpmndi:BPMNPlane id="Plane_${spec.id}" bpmnElement="${spec.id}">`);
  const boundaries = spec.nodes.filter((n) => n.attachedTo);
  const ordered = [...spec.nodes.filter((n) => !n.attachedTo), ...boundaries];
  for (const n of ordered) {
    const b = boxes.get(n.id)!;
    const marker = n.kind === 'xor' ? ' isMarkerVisible="true"' : '';
    out(3, `<bpmndi:BPMNShape id="Shape_${n.id}" bpmnElement="${n.id}"${marker}>`);
    out(4, `<dc:Bounds x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" />`);
    if (b.w < 100) {
      out(4, '<bpmndi:BPMNLabel>');
      out(5, `<dc:Bounds x="${b.x + b.w / 2 - 50}" y="${b.y + b.h + 6}" width="100" height="27" />`);
      out(4, '</bpmndi:BPMNLabel>');
    }
    out(3, '</bpmndi:BPMNShape>');
  }
  const maxBottom = Math.max(...[...boxes.values()].map((b) => b.y + b.h));
  const minTop = Math.min(...[...boxes.values()].map((b) => b.y));
  spec.flows.forEach((f, i) => {
    const points = route(f, boxes.get(f.from)!, boxes.get(f.to)!, nodeById.get(f.from)!, {
      maxBottom,
      minTop,
    });
    out(3, `<bpmndi:BPMNEdge id="Edge_${flowIds[i]}" bpmnElement="${flowIds[i]}">`);
    for (const [x, y] of points) out(4, `<di:waypoint x="${x}" y="${y}" />`);
    out(3, '</bpmndi:BPMNEdge>');
  });
  out(2, '</bpmndi:BPMNPlane>');
  out(1, '</bpmndi:BPMNDiagram>');
  out(0, '</bpmn:definitions>');
  return `${lines.join('\n')}\n`;
}

type Point = [number, number];

function route(
  f: FlowSpec,
  s: Box,
  t: Box,
  source: NodeSpec,
  extent: { maxBottom: number; minTop: number },
): Point[] {
  const scx = s.x + s.w / 2;
  const scy = s.y + s.h / 2;
  const tcx = t.x + t.w / 2;
  const tcy = t.y + t.h / 2;
  if (f.loop === 'below') {
    const y = extent.maxBottom + 30;
    return [
      [scx, s.y + s.h],
      [scx, y],
      [tcx, y],
      [tcx, t.y + t.h],
    ];
  }
  if (f.loop === 'back') {
    // Back to an earlier element of the row above: up, left, then into its bottom.
    const y = s.y - 30;
    return [
      [scx, s.y],
      [scx, y],
      [tcx, y],
      [tcx, t.y + t.h],
    ];
  }
  if (f.loop === 'above') {
    const y = extent.minTop - 30;
    return [
      [scx, s.y],
      [scx, y],
      [tcx, y],
      [tcx, t.y],
    ];
  }
  if (source.attachedTo && tcy <= scy) {
    // A boundary event towards its own row (e.g. a merge after the host): down, across
    // under the host, then up into the target's bottom.
    const y = s.y + s.h + 30;
    return [
      [scx, s.y + s.h],
      [scx, y],
      [tcx, y],
      [tcx, t.y + t.h],
    ];
  }
  if (source.attachedTo) {
    // Boundary events leave downwards, then turn towards the target.
    return [
      [scx, s.y + s.h],
      [scx, tcy],
      [t.x, tcy],
    ];
  }
  if (Math.abs(scy - tcy) < 1) {
    return tcx >= scx
      ? [
          [s.x + s.w, scy],
          [t.x, tcy],
        ]
      : [
          [s.x, scy],
          [t.x + t.w, tcy],
        ];
  }
  const isGateway = source.kind === 'xor' || source.kind === 'and' || source.kind === 'eventGateway';
  if (isGateway) {
    // Leave a splitting gateway from its top or bottom corner, then go right.
    const sy = tcy > scy ? s.y + s.h : s.y;
    return [
      [scx, sy],
      [scx, tcy],
      [t.x, tcy],
    ];
  }
  // Leave to the right, then enter a (joining) target from above or below.
  const ty = tcy > scy ? t.y : t.y + t.h;
  return [
    [s.x + s.w, scy],
    [tcx, scy],
    [tcx, ty],
  ];
}
