/**
 * Italian labels for what the diff and the lists show: model kinds and origins, and the
 * technical property paths of the BPMN diff ("extensionElements.zeebe:TaskDefinition.type"
 * → "Tipo di job"). Unknown paths are shown as they are.
 */
import { hasKey, translate, type Locale } from '../i18n';

const PROPERTY_PATTERNS: [RegExp, string][] = [
  [/^name$/, 'name'],
  [/^documentation/, 'documentation'],
  [/zeebe:TaskDefinition\.type$/, 'jobType'],
  [/zeebe:TaskDefinition\.retries$/, 'retries'],
  [/zeebe:TaskHeaders\.Header\[([^\]]+)\]\.value$/, 'header'],
  [/zeebe:IoMapping\.Input\[([^\]]+)\]\.source$/, 'input'],
  [/zeebe:IoMapping\.Output\[([^\]]+)\]\.(source|target)$/, 'output'],
  [/zeebe:FormDefinition\.formKey$/, 'formKey'],
  [/zeebe:AssignmentDefinition\.candidateGroups$/, 'candidateGroups'],
  [/zeebe:AssignmentDefinition\.assignee$/, 'assignee'],
  [/zeebe:CalledDecision\.decisionId$/, 'decisionId'],
  [/zeebe:CalledDecision\.resultVariable$/, 'resultVariable'],
  [/zeebe:CalledElement\.processId$/, 'calledProcess'],
  [/zeebe:TaskSchedule\.dueDate$/, 'dueDate'],
  [/conditionExpression\.body$/, 'condition'],
  [/timeDuration\.body$/, 'timerDuration'],
  [/timeCycle\.body$/, 'timerCycle'],
  [/timeDate\.body$/, 'timerDate'],
  [/messageRef/, 'message'],
  [/zeebe:Subscription\.correlationKey$/, 'correlationKey'],
  [/zeebe:LoopCharacteristics|loopCharacteristics/, 'multiInstance'],
  [/zeebe:ModelerTemplate/, 'template'],
  [/^default$/, 'defaultFlow'],
  [/^(sourceRef|targetRef)$/, 'connection'],
  [/^\$type$/, 'type'],
];

export function propertyLabel(locale: Locale, path: string): string {
  for (const [pattern, key] of PROPERTY_PATTERNS) {
    const m = pattern.exec(path);
    if (m) return translate(locale, `modeling.diff.prop.${key}`, { name: m[1] ?? '' });
  }
  return path;
}

export function elementTypeLabel(locale: Locale, type: string): string {
  const raw = type.replace(/^bpmn:/, '');
  const words = raw.replace(/(\B[A-Z])/g, ' $1');
  const key = `modeling.bpmnjs.${words}`;
  return hasKey(key) ? translate(locale, key) : words;
}

export function formatValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
