/**
 * The training line's decision: priority of a training need (mandatory areas first,
 * then the size of the gap and the role band). A "need" is one row of the needs
 * analysis: a Syllabus area (or a mandatory topic) for one role band, with the mean
 * gap in levels (required − self-rated, 0–3) and the share of employees with a gap.
 */
import type { DecisionTableSpec } from './dmn-builder';

export const trainingPriorityDecision: DecisionTableSpec = {
  definitionsId: 'trainingPriorityDefinitions',
  definitionsName: 'Formazione - Priorità dei fabbisogni',
  decisionId: 'trainingPriority',
  decisionName: 'Priorità di un fabbisogno formativo',
  hitPolicy: 'FIRST',
  inputs: [
    { label: 'Formazione obbligatoria', expression: 'gapRow.mandatory', typeRef: 'boolean' },
    { label: 'Quota del personale con divario', expression: 'gapRow.shareWithGap', typeRef: 'number' },
    { label: 'Divario medio (livelli)', expression: 'gapRow.gap', typeRef: 'number' },
    { label: 'Fascia di ruolo', expression: 'gapRow.roleBand', typeRef: 'string' },
  ],
  outputs: [
    { label: 'Priorità', name: 'priority', typeRef: 'string' },
    { label: 'Ordine', name: 'rank', typeRef: 'number' },
    { label: 'Motivo', name: 'reason', typeRef: 'string' },
  ],
  rules: [
    {
      inputs: ['true', '> 0', '-', '-'],
      outputs: ['"alta"', '1', '"Formazione obbligatoria non ancora svolta (Direttiva 14 gennaio 2025)"'],
      description: 'Le aree obbligatorie vengono prima di tutto',
    },
    {
      inputs: ['false', '-', '>= 1.5', '-'],
      outputs: ['"alta"', '1', '"Divario ampio rispetto al livello atteso"'],
      description: 'Divario di almeno un livello e mezzo',
    },
    {
      inputs: ['false', '-', '>= 1', '"dirigente","funzionario"'],
      outputs: ['"alta"', '1', '"Divario nei ruoli di responsabilità"'],
      description: 'Divario di un livello per dirigenti e funzionari',
    },
    {
      inputs: ['false', '-', '>= 1', '-'],
      outputs: ['"media"', '2', '"Divario di un livello"'],
      description: 'Divario di un livello',
    },
    {
      inputs: ['false', '>= 0.5', '> 0', '-'],
      outputs: ['"media"', '2', '"Divario diffuso tra il personale"'],
      description: 'Divario minore ma diffuso ad almeno metà del personale',
    },
    {
      inputs: ['-', '-', '> 0', '-'],
      outputs: ['"bassa"', '3', '"Divario contenuto"'],
      description: 'Divario contenuto',
    },
    {
      inputs: ['-', '-', '-', '-'],
      outputs: ['"nessuna"', '4', '"Nessun divario"'],
      description: 'Nessun divario',
    },
  ],
};
