/**
 * Interfaces of the outside systems the services talk to. Each has a local simulator
 * in this folder (named *-simulator.ts) used in tests and demos; a real adapter
 * implements the same interface.
 */

/** ANAC - Banca dati nazionale dei contratti pubblici (BDNCP): CIG (D.Lgs. 36/2023 art. 23). */
export interface AnacBdncpAdapter {
  requestCig(request: {
    tenantId: string;
    caseNumber: string;
    subject: string;
    amount: number;
    cpv: string;
    procedureType: string;
  }): Promise<{ cig: string }>;
}

export interface EconomicOperator {
  name: string;
  vatNumber: string;
  email: string;
  /** CPV divisions (first two digits) the operator works in. */
  cpvDivisions: string[];
}

/** Certified e-procurement platform (art. 25-26): operator register, notices, invitations. */
export interface EProcurementPlatform {
  listOperators(tenantId: string, cpv: string): Promise<EconomicOperator[]>;
  publishNotice(notice: {
    tenantId: string;
    caseNumber: string;
    cig: string;
    subject: string;
    amount: number;
    euPublication: boolean;
    offersDeadline: string;
  }): Promise<{ noticeId: string; url: string }>;
}

/** FVOE - fascicolo virtuale dell'operatore economico (art. 99). */
export interface FvoeAdapter {
  checkRequirements(vatNumber: string): Promise<{
    ok: boolean;
    checks: { requirement: string; ok: boolean; note?: string }[];
  }>;
}

export interface FundingCall {
  callId: string;
  title: string;
  programme: string;
  theme: string;
  applicantTypes: string[];
  deadline: string;
  budget: number;
  url: string;
}

/** EU Funding & Tenders Portal (and managing authorities' call lists). */
export interface FundingPortalAdapter {
  listOpenCalls(now: Date): Promise<FundingCall[]>;
}

export interface Adapters {
  anac: AnacBdncpAdapter;
  platform: EProcurementPlatform;
  fvoe: FvoeAdapter;
  fundingPortal: FundingPortalAdapter;
}
