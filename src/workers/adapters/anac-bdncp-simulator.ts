/**
 * SIMULATOR of ANAC's BDNCP for tests and demos: it issues a CIG without calling
 * ANAC. The CIG is derived from the case number, so asking twice gives the same code.
 */
import { createHash } from 'node:crypto';
import type { AnacBdncpAdapter } from './types';

export function createAnacBdncpSimulator(): AnacBdncpAdapter {
  return {
    async requestCig({ tenantId, caseNumber }) {
      const digest = createHash('sha256').update(`${tenantId}:${caseNumber}`).digest('hex');
      return { cig: `B${digest.slice(0, 9).toUpperCase()}` };
    },
  };
}
