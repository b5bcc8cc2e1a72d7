/**
 * Sample data for the template preview: a fictitious case of the province with the
 * variables the shipped templates use (procurement, EU funding, data requests). Names
 * and numbers are made up; the province and its first comune are the real ones.
 */
import type { ProvinceConfig } from '../config';

export function sampleTemplateData(
  province: ProvinceConfig,
  now = new Date(),
): Record<string, unknown> {
  const comune = province.comuni[0];
  const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000).toISOString();
  return {
    provincia: {
      istat: province.tenantId,
      nome: province.name,
      pec: province.pec,
      email: province.email,
    },
    comune: { istat: comune.istat, nome: comune.name, pec: comune.pec, email: comune.email },
    comuneName: comune.name,
    oggi: now.toISOString(),
    downloadBaseUrl: 'https://esempio.provincia.it/documenti',
    caseNumber: `SUA-${province.tenantId}-${now.getUTCFullYear()}-000123`,
    subject: 'Manutenzione straordinaria della scuola primaria (esempio)',
    amount: 185000,
    cig: 'B0A1C2D3E4',
    cup: 'J12B23000120004',
    cpv: '45214200-2',
    rupName: 'Maria Rossi',
    rupEmail: 'rup@esempio.comune.it',
    requesterName: 'Maria Rossi',
    determinaNumber: '123',
    determinaDate: inDays(-10),
    awardCriterion: 'lowestPrice',
    offersDeadline: inDays(30),
    deadline: inDays(15),
    missingDocuments: 'Capitolato speciale d’appalto firmato',
    note: 'Testo di esempio della nota.',
    procedure: {
      procedureType: 'negotiated',
      minOperators: 5,
      standStill: false,
      legalBasis: 'D.Lgs. 36/2023 art. 50 c.1 lett. c)',
    },
    operatore: {
      name: 'Costruzioni Esempio S.r.l.',
      vatNumber: '01234567890',
      email: 'gare@esempio.it',
    },
    awardProposal: {
      operatorName: 'Costruzioni Esempio S.r.l.',
      vatNumber: '01234567890',
      amount: 162800,
      rebatePercent: 12,
    },
    awardActNumber: '45',
    awardActDate: inDays(-1),
    awardActDocument: { documentId: 'doc-esempio-1', title: 'Determina di aggiudicazione' },
    verbaleDocument: { documentId: 'doc-esempio-2', title: 'Verbale di gara' },
    documento: { documentId: 'doc-esempio-3', title: 'Lettera d’invito' },
    requirementsChecks: [
      { requirement: 'Regolarità contributiva (DURC)', ok: true },
      { requirement: 'Casellario giudiziale', ok: false, note: 'In attesa di riscontro' },
    ],
    callId: 'HORIZON-CL5-2027-D4-01',
    callTitle: 'Efficienza energetica degli edifici pubblici (esempio)',
    callDeadlineAt: inDays(40),
    proposalNumber: '101234567',
    eligibilityNotes: 'Cofinanziamento richiesto non coperto dal bilancio (esempio).',
    bandi: [
      {
        callId: 'LIFE-2027-CET',
        title: 'Transizione energetica (esempio)',
        deadline: inDays(60),
        url: 'https://ec.europa.eu/info/funding-tenders',
      },
    ],
    dataset: { title: 'Popolazione residente per classe di età (esempio)' },
    description: 'Popolazione residente per classe di età, ultimo anno disponibile',
    slaDueAt: inDays(20),
    format: 'CSV',
    anonymised: true,
    dpoMotivation: 'Dati personali non necessari alla finalità indicata (esempio).',
    resultFiles: [
      { documentId: 'doc-esempio-4', fileName: 'popolazione-eta.csv', title: 'Dataset' },
    ],
  };
}
