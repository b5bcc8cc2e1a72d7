/**
 * Demo requests for a province: a few instances of each process, in different
 * states. All values pass the forms' validation (forms/); the comuni are the
 * province's own (engine-config/provinces/<ISTAT>.yaml).
 */
import type { ProvinceConfig } from '../../config';
import { SIMULATED_OPERATORS } from '../adapters';

export interface DemoStep {
  elementId: string;
  formKey: string;
  data: Record<string, unknown>;
}

export interface DemoInstance {
  label: string;
  bpmnProcessId: string;
  variables: Record<string, unknown>;
  /** User tasks completed right after the start, to leave the instance further on. */
  steps: DemoStep[];
}

const DAY = 86_400_000;

export function demoInstances(province: ProvinceConfig, now: Date = new Date()): DemoInstance[] {
  const c = (i: number) => province.comuni[i % province.comuni.length];
  const rup = (i: number) =>
    province.users.find((u) => u.roles.includes('comune-rup'))?.email ??
    `rup@comune-${c(i).istat}.example.it`;
  const request = (i: number) => ({
    comuneIstat: c(i).istat,
    awardCriterion: 'lowestPrice',
    determinaNumber: `${10 + i}/2026`,
    determinaDate: '2026-11-02',
    rupName: 'Responsabile Unico del Progetto',
    rupCodiceFiscale: 'RSSMRA80A01H501U',
    rupEmail: rup(i),
    fundingSource: 'ownFunds',
  });
  const checked: DemoStep = {
    elementId: 'checkDocuments',
    formKey: 'procurement-document-check',
    data: { documentsComplete: true },
  };
  const interest = (
    i: number,
    callId: string,
    title: string,
    theme: string,
    programme: string,
    days: number,
  ) => ({
    comuneIstat: c(i).istat,
    callId,
    callTitle: title,
    programme,
    theme,
    callDeadline: new Date(now.getTime() + days * DAY).toISOString(),
    requestedAmount: 300000,
    coFinancingRate: 20,
    projectIdea: `Progetto del Comune di ${c(i).name} per il bando ${callId}.`,
    contactName: 'Referente progetti europei',
    contactEmail: c(i).email ?? rup(i),
  });
  const dataRequest = (
    i: number,
    datasetId: string,
    elaboration: string,
    extra: Record<string, unknown> = {},
  ) => ({
    comuneIstat: c(i).istat,
    requesterName: 'Ufficio statistica',
    requesterEmail: c(i).email ?? rup(i),
    datasetId,
    description: `Richiesta dimostrativa del Comune di ${c(i).name}.`,
    purpose: 'Programmazione dei servizi comunali (compito di interesse pubblico).',
    legalBasis: 'publicTask',
    elaboration,
    outputFormat: 'both',
    ...extra,
  });
  const offer = (i: number, amount: number) => ({
    operatorName: SIMULATED_OPERATORS[i].name,
    vatNumber: SIMULATED_OPERATORS[i].vatNumber,
    email: SIMULATED_OPERATORS[i].email,
    amount,
  });
  const approve = (n: number): DemoStep => ({
    elementId: 'approveAward',
    formKey: 'procurement-award-approval',
    data: { awardActNumber: `${n}/2026`, awardActDate: '2026-11-20' },
  });
  return [
    // Concluded procedures, so the indicators (time to award, rebate, deserted) have data.
    {
      label: 'Concluso: servizi € 90.000, affidamento diretto, contratto trasmesso',
      bpmnProcessId: 'procurement',
      variables: {
        ...request(0),
        contractType: 'services',
        subject: 'Servizio di pulizia degli uffici comunali',
        amount: 90000,
        cpv: '90910000-9',
      },
      steps: [
        checked,
        {
          elementId: 'directAwardSelection',
          formKey: 'procurement-direct-award',
          data: {
            operatorName: SIMULATED_OPERATORS[3].name,
            operatorVatNumber: SIMULATED_OPERATORS[3].vatNumber,
            operatorEmail: SIMULATED_OPERATORS[3].email,
            offeredAmount: 85500,
            choiceMotivation:
              'Esperienza documentata in servizi analoghi; non è il contraente uscente.',
          },
        },
        approve(31),
      ],
    },
    {
      label: 'Concluso: lavori € 600.000, procedura negoziata aggiudicata, contratto trasmesso',
      bpmnProcessId: 'procurement',
      variables: {
        ...request(1),
        contractType: 'works',
        subject: 'Rifacimento della copertura della palestra comunale',
        amount: 600000,
        cpv: '45261000-4',
        cup: 'J31B21001230006',
      },
      steps: [
        checked,
        {
          elementId: 'openOffers',
          formKey: 'procurement-offers',
          data: { offers: [offer(1, 560000), offer(2, 548000), offer(4, 571000)] },
        },
        approve(32),
      ],
    },
    {
      label: 'Concluso: lavori € 400.000, procedura negoziata deserta',
      bpmnProcessId: 'procurement',
      variables: {
        ...request(2),
        contractType: 'works',
        subject: 'Manutenzione straordinaria delle strade vicinali',
        amount: 400000,
        cpv: '45233141-9',
        cup: 'J31B21001230006',
      },
      steps: [
        checked,
        { elementId: 'openOffers', formKey: 'procurement-offers', data: { offers: [] } },
      ],
    },
    {
      label: 'Servizi € 90.000: affidamento diretto, in attesa della scelta dell’operatore',
      bpmnProcessId: 'procurement',
      variables: {
        ...request(1),
        contractType: 'services',
        subject: 'Servizio di manutenzione del verde pubblico',
        amount: 90000,
        cpv: '77310000-6',
      },
      steps: [checked],
    },
    {
      label: 'Lavori € 600.000: procedura negoziata, inviti spediti',
      bpmnProcessId: 'procurement',
      variables: {
        ...request(2),
        contractType: 'works',
        subject: 'Riqualificazione della piazza del mercato',
        amount: 600000,
        cpv: '45233140-2',
        cup: 'J31B21001230006',
      },
      steps: [checked],
    },
    {
      label: 'Lavori € 6.000.000: procedura aperta, documentazione da verificare',
      bpmnProcessId: 'procurement',
      variables: {
        ...request(0),
        contractType: 'works',
        subject: 'Nuovo polo scolastico',
        amount: 6000000,
        cpv: '45214200-2',
        cup: 'J31B21001230006',
        awardCriterion: 'bestPriceQuality',
      },
      steps: [],
    },
    {
      label: 'Forniture € 50.000: integrazione documentale richiesta al comune',
      bpmnProcessId: 'procurement',
      variables: {
        ...request(3),
        contractType: 'supplies',
        subject: 'Fornitura di arredi scolastici',
        amount: 50000,
        cpv: '39160000-1',
      },
      steps: [
        {
          elementId: 'checkDocuments',
          formKey: 'procurement-document-check',
          data: { documentsComplete: false, missingDocuments: 'Quadro economico firmato dal RUP.' },
        },
      ],
    },
    {
      label: 'Lavori € 120.000: soglia dell’affidamento diretto della provincia',
      bpmnProcessId: 'procurement',
      variables: {
        ...request(4),
        contractType: 'works',
        subject: 'Consolidamento di un ponte comunale',
        amount: 120000,
        cpv: '45221111-3',
        cup: 'J31B21001230006',
      },
      steps: [],
    },
    {
      label: 'Bando LIFE: ammissibile, proposta in preparazione',
      bpmnProcessId: 'eu-funding',
      variables: interest(
        0,
        'LIFE-2026-SAP-CLIMA',
        'LIFE - Adattamento ai cambiamenti climatici',
        'environment',
        'life',
        75,
      ),
      steps: [
        {
          elementId: 'checkEligibility',
          formKey: 'eu-funding-eligibility',
          data: {
            applicantTypeOk: true,
            coFinancingOk: true,
            partnershipOk: true,
            deadlineOk: true,
            eligible: true,
          },
        },
      ],
    },
    {
      label: 'Bando Europa Digitale: manifestazione di interesse da verificare',
      bpmnProcessId: 'eu-funding',
      variables: interest(
        1,
        'DIGITAL-2026-SMARTCOMMUNITIES',
        'Europa Digitale - Comunità intelligenti',
        'digital',
        'digitalEurope',
        20,
      ),
      steps: [],
    },
    {
      label: 'Ricognizione dei bandi europei',
      bpmnProcessId: 'eu-call-scouting',
      variables: {},
      steps: [],
    },
    {
      label: 'Popolazione per età: dato aperto, consegnato subito',
      bpmnProcessId: 'data-request',
      variables: dataRequest(2, 'popolazione-eta', 'none'),
      steps: [],
    },
    {
      label: 'Estratto anagrafico: in attesa del DPO',
      bpmnProcessId: 'data-request',
      variables: dataRequest(3, 'residenti-anagrafe', 'aggregate', {
        aggregateBy: ['comune', 'classeEta'],
      }),
      steps: [],
    },
    {
      label: 'Conteggi di traffico aggregati: in controllo di qualità',
      bpmnProcessId: 'data-request',
      variables: dataRequest(4, 'conteggi-traffico', 'aggregate', {
        aggregateBy: ['stazione', 'fasciaOraria'],
      }),
      steps: [],
    },
  ];
}
