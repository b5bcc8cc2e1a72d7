/**
 * What each job type of the product's workers reads and writes, in Italian for the
 * people who model processes. The modeler turns this catalogue into element templates
 * (src/modeling/element-templates.ts) so an analyst picks "Richiesta del CIG" instead of
 * typing "procurement.requestCig". test/processes/workers-coverage.test.ts keeps it in
 * step with SERVICE_HANDLERS.
 */

export interface CatalogVariable {
  name: string;
  label: string;
}

export interface CatalogHeader {
  key: string;
  label: string;
  /** Values to choose from: fixed ones, or the province's e-mail / document templates. */
  choices?: string[] | 'emails' | 'documents';
  /** Default value (the handler's own default). */
  value?: string;
}

export interface CatalogEntry {
  name: string;
  description: string;
  /** Service line, for grouping in the modeler. */
  group:
    | 'Servizi comuni'
    | 'Stazione Unica Appaltante'
    | 'Politiche europee'
    | 'Dati ed elaborazioni'
    | 'Formazione';
  inputs: CatalogVariable[];
  outputs: CatalogVariable[];
  headers?: CatalogHeader[];
}

const v = (name: string, label: string): CatalogVariable => ({ name, label });

export const WORKER_CATALOG: Record<string, CatalogEntry> = {
  'notification.send': {
    name: 'Invio di una notifica (e-mail/PEC)',
    description: 'Invia una volta l’e-mail del modello indicato ai destinatari indicati.',
    group: 'Servizi comuni',
    inputs: [v('comuneIstat', 'Comune (codice ISTAT)'), v('caseNumber', 'Numero di pratica')],
    outputs: [],
    headers: [
      { key: 'template', label: 'Modello di e-mail', choices: 'emails' },
      {
        key: 'recipients',
        label: 'Destinatari (comune, requester, participants, role:<ruolo>; separati da virgole)',
        value: 'comune',
      },
    ],
  },
  'document.generate': {
    name: 'Redazione di un documento',
    description: 'Produce una volta il documento del modello indicato e lo salva nel fascicolo.',
    group: 'Servizi comuni',
    inputs: [v('caseNumber', 'Numero di pratica')],
    outputs: [],
    headers: [
      { key: 'template', label: 'Modello di documento', choices: 'documents' },
      {
        key: 'resultVariable',
        label: 'Variabile con il riferimento al documento',
        value: 'generatedDocument',
      },
    ],
  },
  'procurement.openCase': {
    name: 'Apertura del fascicolo di gara',
    description: 'Apre il fascicolo e porta sull’istanza le soglie e i termini della provincia.',
    group: 'Stazione Unica Appaltante',
    inputs: [
      v('comuneIstat', 'Comune (codice ISTAT)'),
      v('amount', 'Importo a base di gara'),
      v('contractType', 'Tipo di contratto'),
    ],
    outputs: [
      v('caseNumber', 'Numero di pratica'),
      v('requestedAt', 'Data della richiesta'),
      v('comuneName', 'Nome del comune'),
      v('provinceName', 'Nome della provincia'),
      v('thresholds', 'Soglie della provincia'),
      v('operatorMinimums', 'Operatori minimi da invitare'),
      v('standStillDuration', 'Durata dello stand still'),
      v('integrationReminderAfter', 'Sollecito dopo'),
      v('integrationEscalationAfter', 'Segnalazione dopo'),
    ],
  },
  'procurement.requestCig': {
    name: 'Richiesta CIG',
    description: 'Chiede il CIG alla Banca dati nazionale dei contratti pubblici (ANAC).',
    group: 'Stazione Unica Appaltante',
    inputs: [
      v('caseNumber', 'Numero di pratica'),
      v('subject', 'Oggetto'),
      v('amount', 'Importo'),
      v('cpv', 'CPV'),
      v('procedure', 'Procedura scelta'),
    ],
    outputs: [v('cig', 'CIG')],
  },
  'procurement.selectOperators': {
    name: 'Selezione degli operatori da invitare',
    description: 'Sceglie gli operatori dall’elenco della piattaforma, a rotazione (art. 49).',
    group: 'Stazione Unica Appaltante',
    inputs: [
      v('cpv', 'CPV'),
      v('procedure', 'Procedura scelta'),
      v('outgoingContractorVat', 'P. IVA del contraente uscente'),
    ],
    outputs: [
      v('invitedOperators', 'Operatori invitati'),
      v('invitedCount', 'Numero di operatori invitati'),
    ],
  },
  'procurement.sendInvitations': {
    name: 'Invio delle lettere d’invito',
    description: 'Redige e invia una lettera d’invito a ogni operatore invitato.',
    group: 'Stazione Unica Appaltante',
    inputs: [v('invitedOperators', 'Operatori invitati'), v('cig', 'CIG'), v('subject', 'Oggetto')],
    outputs: [
      v('invitationDocuments', 'Lettere d’invito'),
      v('offersDeadline', 'Termine per le offerte'),
    ],
    headers: [
      {
        key: 'template',
        label: 'Modello della lettera',
        choices: 'documents',
        value: 'lettera-invito',
      },
    ],
  },
  'procurement.publishNotice': {
    name: 'Pubblicazione del bando',
    description: 'Pubblica il bando sulla piattaforma (e in GUUE sopra soglia UE).',
    group: 'Stazione Unica Appaltante',
    inputs: [
      v('caseNumber', 'Numero di pratica'),
      v('cig', 'CIG'),
      v('subject', 'Oggetto'),
      v('amount', 'Importo'),
      v('procedure', 'Procedura scelta'),
    ],
    outputs: [
      v('noticeId', 'Identificativo del bando'),
      v('noticeUrl', 'Indirizzo del bando'),
      v('offersDeadline', 'Termine per le offerte'),
      v('euPublication', 'Pubblicazione UE'),
    ],
  },
  'procurement.checkAnomalousOffers': {
    name: 'Verifica delle offerte anomale',
    description: 'Individua le offerte con ribasso anomalo (art. 110).',
    group: 'Stazione Unica Appaltante',
    inputs: [v('amount', 'Importo a base di gara'), v('offers', 'Offerte')],
    outputs: [
      v('anomalousOffers', 'Offerte anomale'),
      v('hasAnomalousOffers', 'Ci sono offerte anomale'),
    ],
  },
  'procurement.proposeAward': {
    name: 'Proposta di aggiudicazione',
    description: 'Forma la graduatoria, propone l’aggiudicatario e redige il verbale.',
    group: 'Stazione Unica Appaltante',
    inputs: [
      v('amount', 'Importo a base di gara'),
      v('offers', 'Offerte'),
      v('awardCriterion', 'Criterio di aggiudicazione'),
      v('technicalScores', 'Punteggi tecnici'),
      v('excludedOperators', 'Operatori esclusi'),
    ],
    outputs: [
      v('awardProposal', 'Proposta di aggiudicazione'),
      v('ranking', 'Graduatoria'),
      v('verbaleDocument', 'Verbale di gara'),
    ],
    headers: [
      {
        key: 'template',
        label: 'Modello del verbale',
        choices: 'documents',
        value: 'verbale-gara',
      },
    ],
  },
  'procurement.checkRequirements': {
    name: 'Verifica dei requisiti (FVOE)',
    description:
      'Verifica i requisiti dell’aggiudicatario sul fascicolo virtuale dell’operatore (art. 99).',
    group: 'Stazione Unica Appaltante',
    inputs: [v('awardProposal', 'Proposta di aggiudicazione')],
    outputs: [
      v('requirementsMet', 'Requisiti verificati'),
      v('requirementsChecks', 'Esito delle verifiche'),
    ],
  },
  'procurement.recordIndicators': {
    name: 'Registrazione degli indicatori di gara',
    description: 'Registra durata, ribasso ed esito della procedura.',
    group: 'Stazione Unica Appaltante',
    inputs: [
      v('requestedAt', 'Data della richiesta'),
      v('awardProposal', 'Proposta di aggiudicazione'),
      v('procedure', 'Procedura scelta'),
    ],
    outputs: [v('durationDays', 'Durata in giorni'), v('rebatePercent', 'Ribasso percentuale')],
    headers: [
      {
        key: 'outcome',
        label: 'Esito',
        choices: ['awarded', 'deserted'],
        value: 'awarded',
      },
    ],
  },
  'euFunding.scoutCalls': {
    name: 'Ricognizione dei bandi europei',
    description: 'Cerca i bandi aperti sul portale Funding & Tenders per i temi della provincia.',
    group: 'Politiche europee',
    inputs: [],
    outputs: [
      v('calls', 'Bandi aperti'),
      v('scoutedThemes', 'Temi cercati'),
      v('scoutedAt', 'Data della ricognizione'),
    ],
  },
  'euFunding.notifyMatches': {
    name: 'Segnalazione dei bandi ai comuni',
    description: 'Segnala ai comuni i bandi rilevanti.',
    group: 'Politiche europee',
    inputs: [v('matches', 'Bandi valutati')],
    outputs: [v('relevantCalls', 'Bandi segnalati'), v('notifiedComuni', 'Comuni avvisati')],
    headers: [
      {
        key: 'template',
        label: 'Modello di e-mail',
        choices: 'emails',
        value: 'segnalazione-bandi',
      },
    ],
  },
  'euFunding.openCase': {
    name: 'Apertura del fascicolo SAPE',
    description: 'Apre il fascicolo della candidatura e calcola promemoria e scadenze.',
    group: 'Politiche europee',
    inputs: [
      v('comuneIstat', 'Comune (codice ISTAT)'),
      v('callId', 'Bando'),
      v('callDeadline', 'Scadenza del bando'),
    ],
    outputs: [
      v('caseNumber', 'Numero di pratica'),
      v('openedAt', 'Data di apertura'),
      v('comuneName', 'Nome del comune'),
      v('callDeadlineAt', 'Scadenza del bando'),
      v('submissionReminderAt', 'Promemoria'),
      v('submissionEscalationAt', 'Segnalazione'),
      v('evaluationTimeout', 'Attesa dell’esito'),
    ],
  },
  'euFunding.recordOutcome': {
    name: 'Registrazione dell’esito della candidatura',
    description: 'Registra l’esito e gli importi della candidatura.',
    group: 'Politiche europee',
    inputs: [
      v('callId', 'Bando'),
      v('requestedAmount', 'Contributo richiesto'),
      v('grantAmount', 'Contributo ottenuto'),
    ],
    outputs: [v('outcome', 'Esito')],
    headers: [
      {
        key: 'outcome',
        label: 'Esito',
        choices: ['funded', 'rejected', 'deadlineMissed', 'evaluationTimeout'],
        value: 'funded',
      },
    ],
  },
  'dataRequest.openCase': {
    name: 'Apertura del fascicolo della richiesta di dati',
    description: 'Apre il fascicolo e calcola il livello di servizio.',
    group: 'Dati ed elaborazioni',
    inputs: [
      v('comuneIstat', 'Comune (codice ISTAT)'),
      v('datasetId', 'Dataset'),
      v('elaboration', 'Elaborazione'),
    ],
    outputs: [
      v('caseNumber', 'Numero di pratica'),
      v('requestedAt', 'Data della richiesta'),
      v('comuneName', 'Nome del comune'),
      v('dataset', 'Dataset'),
      v('elaboration', 'Elaborazione'),
      v('slaDueAt', 'Scadenza del servizio'),
      v('slaReminderAt', 'Promemoria'),
      v('publishOpenData', 'Da pubblicare come dati aperti'),
    ],
  },
  'dataRequest.extract': {
    name: 'Estrazione ed elaborazione dei dati',
    description: 'Produce il dataset (CSV e JSON), anonimizzato o aggregato se richiesto.',
    group: 'Dati ed elaborazioni',
    inputs: [
      v('datasetId', 'Dataset'),
      v('elaboration', 'Elaborazione'),
      v('dpoDecision', 'Decisione del DPO'),
      v('outputFormat', 'Formato'),
    ],
    outputs: [
      v('resultFiles', 'File prodotti'),
      v('resultRowCount', 'Righe'),
      v('anonymised', 'Anonimizzato'),
      v('suppressedCells', 'Celle oscurate'),
    ],
  },
  'dataRequest.buildDcatMetadata': {
    name: 'Metadati DCAT-AP_IT',
    description: 'Produce i metadati DCAT-AP_IT del dataset.',
    group: 'Dati ed elaborazioni',
    inputs: [
      v('datasetId', 'Dataset'),
      v('resultFiles', 'File prodotti'),
      v('datasetTitle', 'Titolo'),
      v('datasetDescription', 'Descrizione'),
      v('keywords', 'Parole chiave'),
    ],
    outputs: [v('dcatMetadata', 'Metadati DCAT-AP_IT')],
  },
  'dataRequest.publishOpenData': {
    name: 'Pubblicazione come dati aperti',
    description: 'Pubblica il dataset nel catalogo aperto della provincia.',
    group: 'Dati ed elaborazioni',
    inputs: [v('dcatMetadata', 'Metadati DCAT-AP_IT'), v('resultFiles', 'File prodotti')],
    outputs: [v('openDataUrl', 'Indirizzo del dataset'), v('openDataPublished', 'Pubblicato')],
  },
  'dataRequest.recordOutcome': {
    name: 'Registrazione dell’esito della richiesta di dati',
    description: 'Registra durata, rispetto del livello di servizio ed esito.',
    group: 'Dati ed elaborazioni',
    inputs: [
      v('requestedAt', 'Data della richiesta'),
      v('slaDueAt', 'Scadenza del servizio'),
      v('datasetId', 'Dataset'),
    ],
    outputs: [v('durationDays', 'Durata in giorni')],
    headers: [
      { key: 'outcome', label: 'Esito', choices: ['delivered', 'rejected'], value: 'delivered' },
    ],
  },

  // --- training line (src/workers/training) ---
  'training.openCampaign': {
    name: 'Apertura della rilevazione dei fabbisogni formativi',
    description:
      'Apre la campagna, individua il personale dei comuni e calcola promemoria e segnalazione.',
    group: 'Formazione',
    inputs: [
      v('campaignTitle', 'Titolo della campagna'),
      v('year', 'Anno'),
      v('deadline', 'Termine'),
      v('comuni', 'Comuni coinvolti'),
    ],
    outputs: [
      v('caseNumber', 'Numero di pratica'),
      v('campaignKey', 'Campagna'),
      v('deadlineAt', 'Termine'),
      v('reminderAt', 'Promemoria'),
      v('escalationAt', 'Segnalazione'),
      v('comuneSurveys', 'Rilevazioni per comune'),
      v('participantsCount', 'Persone coinvolte'),
    ],
  },
  'training.remindComuni': {
    name: 'Sollecito ai comuni in ritardo',
    description: 'Ricorda ai comuni le autovalutazioni mancanti (una volta per fase).',
    group: 'Formazione',
    inputs: [v('campaignKey', 'Campagna')],
    outputs: [],
    headers: [
      { key: 'stage', label: 'Fase', choices: ['reminder', 'escalation'], value: 'reminder' },
    ],
  },
  'training.closeSurvey': {
    name: 'Chiusura della rilevazione',
    description: 'Chiude la rilevazione dei fabbisogni della campagna.',
    group: 'Formazione',
    inputs: [v('campaignKey', 'Campagna')],
    outputs: [],
  },
  'training.recordComuneSurvey': {
    name: 'Registrazione della rilevazione del comune',
    description: 'Registra la chiusura della rilevazione di un comune.',
    group: 'Formazione',
    inputs: [v('campaignKey', 'Campagna'), v('comuneSurvey', 'Rilevazione del comune')],
    outputs: [],
  },
  'training.recordAssessment': {
    name: 'Registrazione dell’autovalutazione',
    description: 'Registra l’autovalutazione delle competenze di un dipendente.',
    group: 'Formazione',
    inputs: [
      v('campaignKey', 'Campagna'),
      v('employee', 'Dipendente'),
      v('competences', 'Competenze'),
    ],
    outputs: [],
  },
  'training.analyseNeeds': {
    name: 'Analisi dei fabbisogni',
    description:
      'Calcola gli scostamenti per comune, ufficio e area e le righe per il DMN delle priorità.',
    group: 'Formazione',
    inputs: [v('campaignKey', 'Campagna')],
    outputs: [
      v('gapRows', 'Scostamenti'),
      v('surveySummary', 'Sintesi della rilevazione'),
      v('preferredModes', 'Modalità preferite'),
    ],
  },
  'training.proposePlan': {
    name: 'Proposta del piano della formazione',
    description: 'Prepara una prima proposta di piano dai fabbisogni ordinati per priorità.',
    group: 'Formazione',
    inputs: [
      v('priorities', 'Priorità'),
      v('preferredModes', 'Modalità preferite'),
      v('year', 'Anno'),
    ],
    outputs: [
      v('planTitle', 'Titolo del piano'),
      v('planActions', 'Interventi'),
      v('planObjectives', 'Obiettivi'),
    ],
  },
  'training.adoptPlan': {
    name: 'Adozione del piano della formazione',
    description:
      'Registra il piano adottato (decreto, approvazioni dei comuni) e ne produce il documento.',
    group: 'Formazione',
    inputs: [
      v('campaignKey', 'Campagna'),
      v('planTitle', 'Titolo del piano'),
      v('decreeNumber', 'Numero del decreto'),
      v('comuneApprovals', 'Approvazioni dei comuni'),
    ],
    outputs: [v('planDocument', 'Documento del piano')],
  },
  'training.checkIndividualPlan': {
    name: 'Verifica del piano individuale',
    description: 'Verifica i corsi del piano individuale e le ore rispetto all’obiettivo annuale.',
    group: 'Formazione',
    inputs: [v('employeeUsername', 'Dipendente'), v('courses', 'Corsi'), v('year', 'Anno')],
    outputs: [
      v('employee', 'Dipendente'),
      v('comuneIstat', 'Comune (codice ISTAT)'),
      v('plannedCourses', 'Corsi pianificati'),
      v('plannedHours', 'Ore pianificate'),
      v('annualHoursTarget', 'Obiettivo annuale di ore'),
      v('meetsTarget', 'Obiettivo raggiunto'),
      v('planProblems', 'Problemi del piano'),
    ],
  },
  'training.enrol': {
    name: 'Iscrizione ai corsi',
    description: 'Iscrive il dipendente ai corsi del piano, su un posto o in lista d’attesa.',
    group: 'Formazione',
    inputs: [
      v('employee', 'Dipendente'),
      v('plannedCourses', 'Corsi pianificati'),
      v('year', 'Anno'),
    ],
    outputs: [v('enrolments', 'Iscrizioni')],
  },
  'training.openCourse': {
    name: 'Apertura di un corso',
    description: 'Inserisce il corso nel catalogo con le soglie dell’attestato in vigore.',
    group: 'Formazione',
    inputs: [
      v('courseCode', 'Codice del corso'),
      v('courseTitle', 'Titolo'),
      v('sessions', 'Sessioni'),
      v('enrolmentDeadline', 'Chiusura delle iscrizioni'),
      v('tutorUsername', 'Tutor'),
    ],
    outputs: [
      v('courseHours', 'Ore del corso'),
      v('year', 'Anno'),
      v('enrolmentClosesAt', 'Chiusura delle iscrizioni'),
      v('minAttendancePercent', 'Frequenza minima'),
      v('minTestScorePercent', 'Punteggio minimo del test'),
      v('questionnaireWindow', 'Durata del questionario'),
      v('followUpAfter', 'Verifica a distanza dopo'),
      v('annualHoursTarget', 'Obiettivo annuale di ore'),
    ],
  },
  'training.closeEnrolment': {
    name: 'Chiusura delle iscrizioni',
    description: 'Chiude le iscrizioni al corso e fissa i partecipanti.',
    group: 'Formazione',
    inputs: [v('courseCode', 'Codice del corso')],
    outputs: [v('participants', 'Partecipanti'), v('waitingListCount', 'In lista d’attesa')],
  },
  'training.assessParticipants': {
    name: 'Valutazione dei partecipanti',
    description:
      'Verifica frequenza e test finale di ogni partecipante; ore certificate solo con entrambi.',
    group: 'Formazione',
    inputs: [
      v('courseCode', 'Codice del corso'),
      v('participants', 'Partecipanti'),
      v('results', 'Registro'),
      v('minAttendancePercent', 'Frequenza minima'),
      v('minTestScorePercent', 'Punteggio minimo del test'),
    ],
    outputs: [
      v('certified', 'Partecipanti con attestato'),
      v('outcomes', 'Esiti'),
      v('passRate', 'Percentuale di superamento'),
      v('attendanceProblems', 'Problemi del registro'),
    ],
  },
  'training.issueCertificate': {
    name: 'Rilascio dell’attestato',
    description: 'Produce l’attestato in PDF e lo invia al partecipante.',
    group: 'Formazione',
    inputs: [v('participant', 'Partecipante'), v('courseCode', 'Codice del corso')],
    outputs: [],
  },
  'training.recordEvaluation': {
    name: 'Registrazione dei questionari',
    description:
      'Registra il questionario di gradimento (livello 1) o la verifica a distanza (livello 3).',
    group: 'Formazione',
    inputs: [
      v('courseCode', 'Codice del corso'),
      v('reactions', 'Risposte di gradimento'),
      v('followUpAnswers', 'Risposte della verifica'),
    ],
    outputs: [],
    headers: [{ key: 'level', label: 'Livello', choices: ['1', '3'], value: '1' }],
  },
  'training.buildReport': {
    name: 'Rendiconto annuale della formazione',
    description:
      'Ore certificate per dipendente rispetto all’obiettivo annuale, per comune e ufficio.',
    group: 'Formazione',
    inputs: [v('reportYear', 'Anno'), v('comuni', 'Comuni')],
    outputs: [v('report', 'Rendiconto'), v('reportDocument', 'Documento del rendiconto')],
  },
};
