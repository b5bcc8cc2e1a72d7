/**
 * The benchmark's process models, generated as Zeebe BPMN: (a) one service task,
 * (b) ten service tasks in sequence, (c) a parallel gateway fanning out to ten tasks,
 * and an idle model whose job no worker serves (for the memory measurement).
 */

export interface Workload {
  name: string;
  description: string;
  bpmnProcessId: string;
  jobType: string;
  jobsPerInstance: number;
  xml: string;
}

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://bench">';

function serviceTask(id: string, jobType: string, incoming: string[], outgoing: string[]): string {
  return (
    `<bpmn:serviceTask id="${id}">` +
    `<bpmn:extensionElements><zeebe:taskDefinition type="${jobType}" /></bpmn:extensionElements>` +
    incoming.map((f) => `<bpmn:incoming>${f}</bpmn:incoming>`).join('') +
    outgoing.map((f) => `<bpmn:outgoing>${f}</bpmn:outgoing>`).join('') +
    `</bpmn:serviceTask>`
  );
}

function flow(id: string, from: string, to: string): string {
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
}

/** start → task_1 → … → task_n → end */
export function sequenceXml(processId: string, jobType: string, n: number): string {
  const parts: string[] = [
    `<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>`,
  ];
  for (let i = 1; i <= n; i++) {
    parts.push(serviceTask(`task_${i}`, jobType, [`f${i - 1}`], [`f${i}`]));
    parts.push(flow(`f${i - 1}`, i === 1 ? 'start' : `task_${i - 1}`, `task_${i}`));
  }
  parts.push(`<bpmn:endEvent id="end"><bpmn:incoming>f${n}</bpmn:incoming></bpmn:endEvent>`);
  parts.push(flow(`f${n}`, `task_${n}`, 'end'));
  return `${HEADER}<bpmn:process id="${processId}" isExecutable="true">${parts.join('')}</bpmn:process></bpmn:definitions>`;
}

/** start → fork → task_1..n → join → end */
export function parallelXml(processId: string, jobType: string, n: number): string {
  const parts: string[] = [
    `<bpmn:startEvent id="start"><bpmn:outgoing>f_start</bpmn:outgoing></bpmn:startEvent>`,
    flow('f_start', 'start', 'fork'),
  ];
  const forkOut: string[] = [];
  const joinIn: string[] = [];
  for (let i = 1; i <= n; i++) {
    forkOut.push(`f_in_${i}`);
    joinIn.push(`f_out_${i}`);
    parts.push(serviceTask(`task_${i}`, jobType, [`f_in_${i}`], [`f_out_${i}`]));
    parts.push(flow(`f_in_${i}`, 'fork', `task_${i}`));
    parts.push(flow(`f_out_${i}`, `task_${i}`, 'join'));
  }
  parts.push(
    `<bpmn:parallelGateway id="fork"><bpmn:incoming>f_start</bpmn:incoming>${forkOut
      .map((f) => `<bpmn:outgoing>${f}</bpmn:outgoing>`)
      .join('')}</bpmn:parallelGateway>`,
  );
  parts.push(
    `<bpmn:parallelGateway id="join">${joinIn
      .map((f) => `<bpmn:incoming>${f}</bpmn:incoming>`)
      .join('')}<bpmn:outgoing>f_end</bpmn:outgoing></bpmn:parallelGateway>`,
  );
  parts.push(flow('f_end', 'join', 'end'));
  parts.push(`<bpmn:endEvent id="end"><bpmn:incoming>f_end</bpmn:incoming></bpmn:endEvent>`);
  return `${HEADER}<bpmn:process id="${processId}" isExecutable="true">${parts.join('')}</bpmn:process></bpmn:definitions>`;
}

export const WORKLOADS: Workload[] = [
  {
    name: 'a-one-task',
    description: '(a) one service task',
    bpmnProcessId: 'bench_one_task',
    jobType: 'bench-a',
    jobsPerInstance: 1,
    xml: sequenceXml('bench_one_task', 'bench-a', 1),
  },
  {
    name: 'b-ten-in-sequence',
    description: '(b) ten service tasks in sequence',
    bpmnProcessId: 'bench_ten_sequence',
    jobType: 'bench-b',
    jobsPerInstance: 10,
    xml: sequenceXml('bench_ten_sequence', 'bench-b', 10),
  },
  {
    name: 'c-parallel-ten',
    description: '(c) parallel gateway fanning out to ten tasks',
    bpmnProcessId: 'bench_parallel_ten',
    jobType: 'bench-c',
    jobsPerInstance: 10,
    xml: parallelXml('bench_parallel_ten', 'bench-c', 10),
  },
];

export const IDLE_WORKLOAD: Workload = {
  name: 'idle',
  description: 'one service task nobody works on',
  bpmnProcessId: 'bench_idle',
  jobType: 'bench-idle-never-served',
  jobsPerInstance: 1,
  xml: sequenceXml('bench_idle', 'bench-idle-never-served', 1),
};
