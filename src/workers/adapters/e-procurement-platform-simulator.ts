/**
 * SIMULATOR of a certified e-procurement platform for tests and demos: a fixed
 * register of fictitious economic operators, and notices "published" locally.
 */
import { createHash } from 'node:crypto';
import type { EconomicOperator, EProcurementPlatform } from './types';

/** Completes 10 digits into a partita IVA with its check digit. */
export function withCheckDigit(tenDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const d = Number(tenDigits[i]);
    sum += i % 2 === 0 ? d : d * 2 > 9 ? d * 2 - 9 : d * 2;
  }
  return `${tenDigits}${(10 - (sum % 10)) % 10}`;
}

const NAMES = [
  'Edil Romagna srl',
  'Costruzioni Adriatiche spa',
  'Impresa Lamone sas',
  'Strade e Ponti Emilia srl',
  'Bisenzio Lavori srl',
  'Tecnoimpianti Toscana srl',
  'Verde Pubblico coop',
  'Servizi Integrati Appennino srl',
  'Restauri Storici snc',
  'Impianti Elettrici Savio srl',
  'Manutenzioni Generali spa',
  'Infrastrutture Centro Italia srl',
];

export const SIMULATED_OPERATORS: EconomicOperator[] = NAMES.map((name, i) => ({
  name,
  vatNumber: withCheckDigit(`0${String(1234560 + i * 7919).padStart(7, '0')}03`.slice(0, 10)),
  email: `gare@operatore${i + 1}.example.it`,
  cpvDivisions: ['45', '50', '71', '77', '79', '90'],
}));

export function createEProcurementPlatformSimulator(
  operators: EconomicOperator[] = SIMULATED_OPERATORS,
): EProcurementPlatform {
  return {
    async listOperators(_tenantId, cpv) {
      const division = cpv.slice(0, 2);
      return operators.filter((o) => o.cpvDivisions.includes(division));
    },
    async publishNotice({ tenantId, caseNumber }) {
      const id = createHash('sha256').update(`${tenantId}:${caseNumber}`).digest('hex').slice(0, 8);
      return {
        noticeId: `BANDO-${tenantId}-${id.toUpperCase()}`,
        url: `https://piattaforma.simulatore.local/bandi/${id}`,
      };
    },
  };
}
