/** The decision tables of the three service lines. */
import type { DecisionTableSpec } from './dmn-builder';

const t = 'thresholds';
export const procurementProcedureDecision: DecisionTableSpec = {
  definitionsId: 'procurementProcedureDefinitions',
  definitionsName: 'SUA - Scelta della procedura',
  decisionId: 'procurementProcedure',
  decisionName: 'Scelta della procedura di affidamento',
  hitPolicy: 'UNIQUE',
  inputs: [
    { label: 'Tipo di contratto', expression: 'contractType', typeRef: 'string' },
    { label: 'Importo a base di gara (al netto dell’IVA)', expression: 'amount', typeRef: 'number' },
  ],
  outputs: [
    { label: 'Procedura', name: 'procedureType', typeRef: 'string' },
    { label: 'Operatori da invitare (minimo)', name: 'minOperators', typeRef: 'number' },
    { label: 'Stand still (art. 18)', name: 'standStill', typeRef: 'boolean' },
    { label: 'Riferimento normativo', name: 'legalBasis', typeRef: 'string' },
  ],
  rules: [
    {
      inputs: ['"works"', `< ${t}.directAwardWorks`],
      outputs: ['"directAward"', '1', 'false', '"D.Lgs. 36/2023 art. 50 c.1 lett. a)"'],
      description: 'Lavori sotto la soglia dell’affidamento diretto',
    },
    {
      inputs: ['"works"', `[${t}.directAwardWorks..${t}.negotiatedWorksTenOperators[`],
      outputs: [
        '"negotiated"',
        'operatorMinimums.negotiatedWorks',
        'false',
        '"D.Lgs. 36/2023 art. 50 c.1 lett. c)"',
      ],
      description: 'Lavori: procedura negoziata senza bando, almeno 5 operatori',
    },
    {
      inputs: ['"works"', `[${t}.negotiatedWorksTenOperators..${t}.euWorks[`],
      outputs: [
        '"negotiated"',
        'operatorMinimums.negotiatedWorksTenOperators',
        'false',
        '"D.Lgs. 36/2023 art. 50 c.1 lett. d)"',
      ],
      description: 'Lavori da 1 milione alla soglia UE: procedura negoziata, almeno 10 operatori',
    },
    {
      inputs: ['"works"', `>= ${t}.euWorks`],
      outputs: ['"open"', '0', 'true', '"D.Lgs. 36/2023 art. 14 e 71"'],
      description: 'Lavori sopra la soglia UE: procedura aperta',
    },
    {
      inputs: ['"services","supplies"', `< ${t}.directAwardServicesSupplies`],
      outputs: ['"directAward"', '1', 'false', '"D.Lgs. 36/2023 art. 50 c.1 lett. b)"'],
      description: 'Servizi e forniture sotto la soglia dell’affidamento diretto',
    },
    {
      inputs: [
        '"services","supplies"',
        `[${t}.directAwardServicesSupplies..${t}.euServicesSupplies[`,
      ],
      outputs: [
        '"negotiated"',
        'operatorMinimums.negotiatedServicesSupplies',
        'false',
        '"D.Lgs. 36/2023 art. 50 c.1 lett. e)"',
      ],
      description: 'Servizi e forniture sotto la soglia UE: procedura negoziata, almeno 5 operatori',
    },
    {
      inputs: ['"services","supplies"', `>= ${t}.euServicesSupplies`],
      outputs: ['"open"', '0', 'true', '"D.Lgs. 36/2023 art. 14 e 71"'],
      description: 'Servizi e forniture sopra la soglia UE: procedura aperta',
    },
    {
      inputs: ['"socialServices"', `< ${t}.directAwardServicesSupplies`],
      outputs: ['"directAward"', '1', 'false', '"D.Lgs. 36/2023 art. 50 c.1 lett. b)"'],
      description: 'Servizi sociali sotto la soglia dell’affidamento diretto',
    },
    {
      inputs: ['"socialServices"', `[${t}.directAwardServicesSupplies..${t}.euSocialServices[`],
      outputs: [
        '"negotiated"',
        'operatorMinimums.negotiatedServicesSupplies',
        'false',
        '"D.Lgs. 36/2023 art. 50 c.1 lett. e)"',
      ],
      description: 'Servizi sociali sotto la soglia UE specifica: procedura negoziata',
    },
    {
      inputs: ['"socialServices"', `>= ${t}.euSocialServices`],
      outputs: ['"open"', '0', 'true', '"D.Lgs. 36/2023 art. 14 e 71"'],
      description: 'Servizi sociali sopra la soglia UE specifica: procedura aperta',
    },
  ],
};

export const euCallMatchingDecision: DecisionTableSpec = {
  definitionsId: 'euCallMatchingDefinitions',
  definitionsName: 'SAPE - Abbinamento dei bandi',
  decisionId: 'euCallMatching',
  decisionName: 'Pertinenza del bando per i comuni',
  hitPolicy: 'FIRST',
  inputs: [
    {
      label: 'Tema seguito dalla provincia',
      expression: 'list contains(scoutedThemes, call.theme)',
      typeRef: 'boolean',
    },
    {
      label: 'Comuni ammessi come beneficiari',
      expression: 'list contains(call.applicantTypes, "municipality")',
      typeRef: 'boolean',
    },
    { label: 'Giorni alla scadenza', expression: 'call.daysToDeadline', typeRef: 'number' },
  ],
  outputs: [
    { label: 'Pertinenza', name: 'relevance', typeRef: 'string' },
    { label: 'Segnalare ai comuni', name: 'notify', typeRef: 'boolean' },
  ],
  rules: [
    {
      inputs: ['-', 'false', '-'],
      outputs: ['"none"', 'false'],
      description: 'I comuni non possono candidarsi',
    },
    {
      inputs: ['-', '-', '< 15'],
      outputs: ['"low"', 'false'],
      description: 'Scadenza troppo vicina per preparare una proposta',
    },
    {
      inputs: ['true', 'true', '>= 30'],
      outputs: ['"high"', 'true'],
      description: 'Tema seguito e tempo sufficiente',
    },
    {
      inputs: ['true', 'true', '[15..30['],
      outputs: ['"medium"', 'true'],
      description: 'Tema seguito, tempi stretti',
    },
    {
      inputs: ['false', 'true', '-'],
      outputs: ['"low"', 'false'],
      description: 'Tema non seguito dalla provincia',
    },
  ],
};

export const dataRequestClassificationDecision: DecisionTableSpec = {
  definitionsId: 'dataRequestClassificationDefinitions',
  definitionsName: 'Servizio dati - Classificazione',
  decisionId: 'dataRequestClassification',
  decisionName: 'Classificazione della richiesta di dati',
  hitPolicy: 'FIRST',
  inputs: [
    { label: 'Contiene dati personali', expression: 'dataset.containsPersonalData', typeRef: 'boolean' },
    { label: 'Già pubblicato come dato aperto', expression: 'dataset.openData', typeRef: 'boolean' },
    { label: 'Elaborazione richiesta', expression: 'elaboration', typeRef: 'string' },
  ],
  outputs: [
    { label: 'Categoria', name: 'category', typeRef: 'string' },
    { label: 'Valutazione del DPO', name: 'dpoReview', typeRef: 'boolean' },
  ],
  rules: [
    {
      inputs: ['true', '-', '-'],
      outputs: ['"personal"', 'true'],
      description: 'Dati personali: serve la valutazione del DPO (GDPR, D.Lgs. 196/2003 art. 2-ter)',
    },
    {
      inputs: ['false', 'true', '"none"'],
      outputs: ['"open"', 'false'],
      description: 'Dato già aperto, nessuna elaborazione: consegna immediata',
    },
    {
      inputs: ['-', '-', '-'],
      outputs: ['"elaboration"', 'false'],
      description: 'Dati da estrarre ed elaborare',
    },
  ],
};
