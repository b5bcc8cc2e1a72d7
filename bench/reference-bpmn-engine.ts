/**
 * Reference point: bpmn-engine (npm) running workload (b) — ten service tasks in
 * sequence — in-process, with no persistence and no network. Service tasks call an
 * async function, the in-process equivalent of a job worker.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { Engine } from 'bpmn-engine';
import { summarize, type LatencySummary } from './stats';

const TASKS = 10;

function xml(): string {
  const parts = ['<bpmn:startEvent id="start" />'];
  let previous = 'start';
  for (let i = 1; i <= TASKS; i++) {
    parts.push(
      `<bpmn:serviceTask id="task_${i}" implementation="\${environment.services.work}" />`,
    );
    parts.push(`<bpmn:sequenceFlow id="f${i}" sourceRef="${previous}" targetRef="task_${i}" />`);
    previous = `task_${i}`;
  }
  parts.push('<bpmn:endEvent id="end" />');
  parts.push(`<bpmn:sequenceFlow id="f_end" sourceRef="${previous}" targetRef="end" />`);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://bench">' +
    `<bpmn:process id="ref_ten_sequence" isExecutable="true">${parts.join('')}</bpmn:process></bpmn:definitions>`
  );
}

export interface ReferenceResult {
  engine: string;
  workload: string;
  seconds: number;
  instancesPerSecond: number;
  jobsPerSecond: number;
  latency: LatencySummary;
}

export async function runBpmnEngineReference(
  seconds: number,
  concurrency = 50,
): Promise<ReferenceResult> {
  // Parse once, as a fair comparison with an engine that keeps deployed models.
  const moddleContext = await new BpmnModdle().fromXML(xml());
  const services = {
    work: (_ctx: unknown, next: (err: Error | null, out?: unknown) => void) =>
      setImmediate(() => next(null, {})),
  };

  const runOne = () =>
    new Promise<void>((resolve, reject) => {
      const engine = new Engine({ name: 'ref', moddleContext: moddleContext as never, services });
      engine.once('end', () => resolve());
      engine.once('error', reject);
      engine.execute().catch(reject);
    });

  const latencies: number[] = [];
  let completed = 0;
  let measuring = false;
  const warmupEnd = Date.now() + Math.min(3000, seconds * 200);
  const end = warmupEnd + seconds * 1000;
  const loop = async () => {
    while (Date.now() < end) {
      const started = performance.now();
      await runOne();
      if (Date.now() >= warmupEnd) {
        if (!measuring) measuring = true;
        completed++;
        latencies.push(performance.now() - started);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return {
    engine: 'bpmn-engine (in-process, no persistence)',
    workload: 'b-ten-in-sequence',
    seconds,
    instancesPerSecond: completed / seconds,
    jobsPerSecond: (completed * TASKS) / seconds,
    latency: summarize(latencies),
  };
}
