/**
 * Italian wording of the most frequent bpmnlint / camunda-compat messages for the problems
 * panel (the rule name stays visible, the original message is the fallback).
 */
const PATTERNS: [RegExp, (...m: string[]) => string][] = [
  [
    /^Element of type <([^>]+)> must have property <([^>]+)>$/,
    (t, p) => `Un elemento di tipo ${type(t)} deve avere la proprietà «${p}»`,
  ],
  [
    /^Element of type <([^>]+)> must have one or many properties? of type <([^>]+)>$/,
    (t, p) => `Un elemento di tipo ${type(t)} deve avere ${p}`,
  ],
  [
    /^Element of type <([^>]+)> is not supported by (.+)$/,
    (t, w) => `Gli elementi di tipo ${type(t)} non sono supportati da ${w}`,
  ],
  [
    /^Element of type <([^>]+)> \(<([^>]+)>\) is not supported by (.+)$/,
    (t, _d, w) => `Gli elementi di tipo ${type(t)} non sono supportati da ${w}`,
  ],
  [
    /^Property <([^>]+)> must have non-empty value$/,
    (p) => `La proprietà «${p}» non può essere vuota`,
  ],
  [
    /^Property <([^>]+)> is not a valid FEEL expression$/,
    (p) => `La proprietà «${p}» non è un’espressione FEEL valida`,
  ],
  [/^Element is missing label\/name$/, () => 'L’elemento non ha un nome'],
  [/^Element is not connected$/, () => 'L’elemento non è collegato al resto del processo'],
  [/^Process is missing start event$/, () => 'Il processo non ha un evento di inizio'],
  [/^Process is missing end event$/, () => 'Il processo non ha un evento di fine'],
  [/^Flow splits implicitly$/, () => 'Il flusso si divide senza un gateway'],
  [
    /^Incoming flows do not join$/,
    () => 'I flussi in ingresso non si ricongiungono con un gateway',
  ],
  [/^SequenceFlow is a duplicate$/, () => 'Flusso di sequenza duplicato'],
  [/^Duplicate outgoing sequence flows$/, () => 'Flussi in uscita duplicati'],
  [/^Gateway forks and joins$/, () => 'Il gateway divide e unisce insieme'],
  [/^Sequence flow is missing condition$/, () => 'Al flusso di sequenza manca la condizione'],
  [
    /^Gateway is superfluous. It only has one source and target.$/,
    () => 'Gateway superfluo: ha una sola entrata e una sola uscita',
  ],
];

function type(t: string): string {
  return t.replace(/^bpmn:/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
}

export function italianLintMessage(message: string): string {
  for (const [pattern, render] of PATTERNS) {
    const m = pattern.exec(message);
    if (m) return render(...m.slice(1));
  }
  return message;
}
