/**
 * SIMULATOR of the EU Funding & Tenders Portal for tests and demos: a few open calls
 * of 2021-2027 programmes, with deadlines relative to "now".
 */
import type { FundingCall, FundingPortalAdapter } from './types';

const DAY = 24 * 60 * 60 * 1000;

const CALLS: (Omit<FundingCall, 'deadline'> & { daysLeft: number })[] = [
  {
    callId: 'LIFE-2026-SAP-CLIMA',
    title: 'LIFE - Adattamento ai cambiamenti climatici',
    programme: 'life',
    theme: 'environment',
    applicantTypes: ['municipality', 'region', 'ngo'],
    daysLeft: 75,
    budget: 60_000_000,
    url: 'https://ec.europa.eu/info/funding-tenders/opportunities/portal/simulatore/LIFE-2026-SAP-CLIMA',
  },
  {
    callId: 'DIGITAL-2026-SMARTCOMMUNITIES',
    title: 'Europa Digitale - Comunità intelligenti',
    programme: 'digitalEurope',
    theme: 'digital',
    applicantTypes: ['municipality', 'company'],
    daysLeft: 20,
    budget: 25_000_000,
    url: 'https://ec.europa.eu/info/funding-tenders/opportunities/portal/simulatore/DIGITAL-2026-SMARTCOMMUNITIES',
  },
  {
    callId: 'CERV-2026-CITIZENS-TOWN',
    title: 'CERV - Gemellaggi tra città',
    programme: 'cerv',
    theme: 'culture',
    applicantTypes: ['municipality', 'ngo'],
    daysLeft: 10,
    budget: 5_000_000,
    url: 'https://ec.europa.eu/info/funding-tenders/opportunities/portal/simulatore/CERV-2026-CITIZENS-TOWN',
  },
  {
    callId: 'HORIZON-2026-CL5-BATTERIES',
    title: 'Horizon Europe - Batterie di nuova generazione',
    programme: 'horizonEurope',
    theme: 'energy',
    applicantTypes: ['company', 'university'],
    daysLeft: 90,
    budget: 40_000_000,
    url: 'https://ec.europa.eu/info/funding-tenders/opportunities/portal/simulatore/HORIZON-2026-CL5-BATTERIES',
  },
];

export function createFundingPortalSimulator(): FundingPortalAdapter {
  return {
    async listOpenCalls(now) {
      return CALLS.map(({ daysLeft, ...call }) => ({
        ...call,
        deadline: new Date(now.getTime() + daysLeft * DAY).toISOString(),
      }));
    },
  };
}
